"""The shapes of the API's answers (plan, parameters, options, cost, targets) and of its request bodies.

Answers carry money as yuan numbers exact to the fen, as ``zhijiao calc`` does; request models are strict
(a boolean is not a number, text is not a number) and refuse unknown fields.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from zhijiao.api.situation_schema import options_schema, reform_schema
from zhijiao.engine.policy import Policy

Label = dict[str, str]
Number = int | float


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatedValue(Answer):
    effective_from: str | None = Field(description="生效日期，null 为最早已知 / from this date; null: from the start")
    value: Number | None = Field(description="取值，null 为自此失效 / the value; null: no longer in force")
    citation: dict[str, str]


class ParameterOut(Answer):
    id: str
    article: str
    unit: str
    label: Label
    maximum: Number | None = Field(description="改革取值上限 / the largest value a reform may give")
    values: list[DatedValue]
    in_force: DatedValue | None = Field(
        default=None, description="?date= 当日有效的取值 / the value in force on ?date= (null if none)"
    )


class ParametersOut(Answer):
    rule_set: str
    date: str | None
    parameters: list[ParameterOut]


class OptionOut(Answer):
    name: str
    kind: str = Field(description="choice | date_range")
    default: str
    choices: dict[str, Label]
    label: Label
    why: Label = Field(description="为何是口径（原文未明确之处）/ why the text leaves it open")


class OptionsOut(Answer):
    rule_set: str
    options: list[OptionOut]


class RuleOut(Answer):
    entity: str
    output: str
    unit: str
    label: Label
    formula: Label
    clauses: list[str]
    parameters: list[str]
    options: list[str]
    internal: bool = Field(description="中间步骤，不单独输出 / an intermediate step, not a published output")


class ArticleOut(Answer):
    number: int
    key: str = Field(description="如 art03 / e.g. art03")
    known: bool = Field(description="起草说明是否载有该条 / whether the drafting explanation describes it")
    title: Label | None
    computes: list[str] = Field(description="所实现的条款（clauses.md）/ the clauses its rules implement")
    system: Label | None = Field(description="不产生资金的条文，系统所做的事 / what the system does instead")
    targets: list[str]
    text_zh: str | None = Field(description="条文及说明（Markdown）/ the article's text and notes (Markdown)")
    rules: list[RuleOut]
    parameters: list[str]
    options: list[str]


class PlanOut(Answer):
    name: str
    rule_set: str
    document: dict[str, Any]
    parts: list[dict[str, Any]]
    articles: list[ArticleOut]
    breakthroughs: dict[str, Any]
    targets: list[dict[str, Any]]
    clauses: dict[str, dict[str, Any]]


class RuleSetOut(Answer):
    name: str
    rule_set: str = Field(description="政策包的稳定哈希 / a stable hash of the policy package")
    document_number: str
    title: Label
    period: dict[str, str]


class CostRow(Answer):
    key: str
    label: str
    baseline: Number = Field(description="元 / yuan")
    reform: Number | None = None
    difference: Number | None = None


class MissingInputOut(Answer):
    """A figure left blank that the cost counted as zero: the record's money may fall short of what is due."""

    entity: str = Field(description="school | enterprise | platform")
    entity_label: str = Field(description="学校 / school …, in the request's language")
    code: str = Field(description="登记册编号 / the record's code in the registry")
    name: str | None
    county: str | None
    field: str = Field(
        description="空白的输入（英文名，见术语表，与 zhijiao calc 相同）/ the blank input, by its name in the "
        "glossary and the calculation contract, e.g. part_time_teachers"
    )
    label: str = Field(description="该输入的名称，按请求的语言 / the input's label in the request's language")
    articles: list[str] = Field(description="受影响的条款，如 art13 / the articles whose money it leaves short")
    outputs: list[str] = Field(description="受影响的计算结果 / the cost outputs it changes")


class CostOut(Answer):
    year: int
    rule_set: str
    county: str | None = Field(description="所限县（市、区），null 为全市 / the county the figures cover; null: city")
    options: dict[str, str]
    reform_id: str | None = None
    total: CostRow
    by: dict[str, list[CostRow]] = Field(description="payer | article | county → rows")
    missing_inputs: list[MissingInputOut] = Field(
        default_factory=list,
        description="按零计算的空白数据：每个学校、企业或平台及其空白字段；为空则成本未使用任何空白数据 / the "
        "blank figures the cost counted as zero, one per record and field (a blank the money could not depend on "
        "is not listed); empty: the cost used none",
    )


class ProgressOut(Answer):
    target: str
    indicator: dict[str, str | None]
    county: str = Field(description="全市 for the city")
    year: int
    unit: str = Field(description="yuan | count | rate")
    value: str | None = Field(description="精确小数 / an exact decimal")
    goal: str | None
    share: str | None
    expected: str | None = Field(description="进度线应达值 / where the path to the deadline stands")
    status: str = Field(description="achieved | on_track | behind | baseline | no_data | contribution")


class TargetsOut(Answer):
    year: int
    county: str | None
    rows: list[ProgressOut]


# --- request bodies ------------------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)


class DateRangeIn(Strict):
    from_: str = Field(alias="from", max_length=10, description="YYYY-MM-DD")
    to: str = Field(max_length=10, description="YYYY-MM-DD")


OptionValueIn = str | DateRangeIn


class DatedValueIn(Strict):
    effective_from: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    value: Number


class ReformIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    parameters: dict[str, Number | list[DatedValueIn]] | None = Field(
        default=None, description="参数编号 → 取值或带日期的取值 / parameter id → a value, or dated values"
    )
    options: dict[str, OptionValueIn] | None = None


def _whole(value: object) -> object:
    """2024.0 is the year 2024 (JSON has one kind of number); 2024.5, "2024" and true stay refused."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


OPTIONS_DESCRIPTION = "基线与改革共用 / for both runs"


class SimulateIn(Strict):
    year: Annotated[int, BeforeValidator(_whole)] = Field(ge=1900, le=2100)
    options: dict[str, OptionValueIn] = Field(default_factory=dict, description=OPTIONS_DESCRIPTION)
    reform: ReformIn = Field(default_factory=ReformIn)


def simulate_in(policy: Policy) -> type[SimulateIn]:
    """``SimulateIn`` as the API describes it for ``policy``: its options and parameters named, each with its
    choices and bounds. It validates as ``SimulateIn`` does; the policy's own checks refuse what it does not know."""
    return create_model(
        "SimulateIn",
        __base__=SimulateIn,
        __module__=__name__,
        options=(
            Annotated[dict[str, OptionValueIn], WithJsonSchema(options_schema(policy))],
            Field(default_factory=dict, description=OPTIONS_DESCRIPTION),
        ),
        reform=(Annotated[ReformIn, WithJsonSchema(reform_schema(policy))], Field(default_factory=ReformIn)),
    )


def dumped(options: dict[str, OptionValueIn]) -> dict[str, object]:
    """Options as the engine reads them: a date range as {from, to}."""
    return {k: v.model_dump(by_alias=True) if isinstance(v, DateRangeIn) else v for k, v in options.items()}
