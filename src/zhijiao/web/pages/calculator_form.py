"""The calculator's form, built from the policy's entities: one record the user describes (a school or an
enterprise), the records attached to it (a school's platforms) and their rows of certifications.

Field names follow the records: ``students`` for the school itself, ``enterprise_certification.2.date`` for
the second certification row, ``platform.1.platform_certification.1.level`` for a platform's first one.
``<group>.rows`` carries how many rows a group shows; ``action=add:<group>`` adds one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from zhijiao.engine.model import Entity, Variable
from zhijiao.engine.options import Option
from zhijiao.engine.policy import Policy
from zhijiao.engine.units import Unit
from zhijiao.web.pages.plan_format import N_

MAX_ROWS = 20  # rows per group: enough for any real history, small enough that a page stays a page
CHILD_ROWS = 2
ATTACHED_ROWS = 1
MAX_VALUE_LENGTH = 200
ADD = "add:"
CALCULATE = "calculate"

# Inputs beyond the situation contract: used only under a non-default option, so shown beside the options.
ADVANCED = frozenset({"double_high_group_students", "part_time_teacher_fte"})

HELP = {
    ("school", "name"): N_("可不填，仅用于显示。"),
    ("school", "county"): N_("学校所在的县（市、区）；市属学校选“市直属”。"),
    ("school", "school_type"): N_("高职院校、中职学校或技工院校。"),
    ("school", "ownership"): N_("第二十条的生均拨款和生均公用经费上浮只适用于公办学校。"),
    ("school", "sponsor"): N_("举办者的层级决定由哪一级财政承担（同级财政）。"),
    ("school", "double_high"): N_("学校是否为全国或省级“双高计划”建设单位。"),
    ("school", "students"): N_("在校生人数。"),
    ("school", "double_high_group_students"): N_("仅在口径“双高计划上浮范围”为“仅入选专业群学生”时使用。"),
    ("school", "base_appropriation_per_student"): N_("上浮前每生每年的财政拨款，单位：元。"),
    ("school", "full_time_teachers"): N_("专任教师人数，决定兼职教师上限。"),
    ("school", "part_time_teachers"): N_("聘任的高技能人才兼职教师人数。"),
    ("school", "part_time_teacher_fte"): N_("兼职教师折合全职数，仅在口径“按折合全职数”时使用。"),
    ("school", "local_avg_teacher_salary"): N_("当地同类学校编制内教师年平均工资，单位：元。"),
    ("school", "market_service_income"): N_("以市场委托方式取得的社会培训和企业服务收入，单位：元。"),
    ("school", "capital_donations"): N_("社会捐赠资金用于资本性支出的金额，单位：元。"),
    ("enterprise", "name"): N_("可不填，仅用于显示。"),
    ("enterprise", "county"): N_("企业所在的县（市、区），由当地财政给予补助。"),
    ("enterprise_certification", "level"): N_("认定级别：市级、省级或国家级。"),
    ("enterprise_certification", "date"): N_("认定文件的日期，格式 YYYY-MM-DD。"),
    ("platform", "name"): N_("可不填，仅用于显示。"),
    ("platform", "kind"): N_("科研平台或实训平台。"),
    ("platform_certification", "level"): N_("认定级别：省级或国家级。"),
    ("platform_certification", "date"): N_("认定文件的日期，格式 YYYY-MM-DD。"),
}


@dataclass(frozen=True)
class FieldView:
    name: str  # the form field's name
    variable: Variable
    value: str  # as entered
    help: str  # a message id
    required: bool
    error: str = ""

    @property
    def widget(self) -> str:
        if self.variable.choices:
            return "select"
        if self.variable.unit is Unit.DATE:
            return "date"
        return "number" if self.variable.unit.numeric else "text"


@dataclass(frozen=True)
class RowView:
    prefix: str  # "" for the subject, "platform.1." for an attached record, "…certification.2." for a child
    entity: Entity
    index: int
    fields: tuple[FieldView, ...]
    groups: tuple[GroupView, ...] = ()


@dataclass(frozen=True)
class GroupView:
    """Rows of one kind: a record's certifications, or the records attached to the subject."""

    prefix: str  # "enterprise_certification." / "platform." / "platform.1.platform_certification."
    entity: Entity
    rows: tuple[RowView, ...]

    @property
    def count_field(self) -> str:
        return f"{self.prefix}rows"

    @property
    def add_action(self) -> str:
        return ADD + self.prefix.rstrip(".")

    @property
    def can_add(self) -> bool:
        return len(self.rows) < MAX_ROWS


@dataclass(frozen=True)
class OptionField:
    option: Option
    values: Mapping[str, str]  # field name → as entered ("option.x", or ".from"/".to" for a date range)
    error: str = ""

    @property
    def name(self) -> str:
        return f"option.{self.option.name}"


@dataclass(frozen=True)
class FormView:
    subject: Entity
    subjects: tuple[Entity, ...]
    main: RowView
    advanced: tuple[FieldView, ...]
    options: tuple[OptionField, ...]
    period: str  # "year" or "date"
    year: str
    day: str
    years: tuple[int, ...]
    errors: Mapping[str, str] = field(default_factory=dict)
    general: tuple[str, ...] = ()


def subjects(policy: Policy) -> list[Entity]:
    """What a user can describe on its own: top-level records that refer to no other record."""
    return [e for e in policy.top_entities() if not any(v.references for v in e.inputs)]


def attached(policy: Policy, subject: Entity) -> list[Entity]:
    """Records that belong to the subject (a school's platforms), filled in beside it."""
    return [e for e in policy.top_entities() if any(v.references == subject.name for v in e.inputs)]


def own_inputs(entity: Entity) -> list[Variable]:
    """The inputs a person types: not the record's key, nor its links to parents and owners."""
    return [v for v in entity.inputs if v.name not in (entity.key, entity.link) and not v.references]


def calculation_options(policy: Policy) -> list[Option]:
    """The options some rule depends on, in the package's order."""
    used = {name for f in policy.formulas for name in f.options}
    return [o for o in policy.options if o.name in used]


def plan_years(policy: Policy) -> tuple[int, ...]:
    """The plan's years and one either side, where its date boundaries can be seen."""
    period = (policy.metadata.get("document") or {}).get("period") or {}
    start, end = period.get("from"), period.get("to")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        today = dt.datetime.now(tz=dt.UTC).date()
        return (today.year,)
    return tuple(range(start.year - 1, end.year + 2))


def _count(raw: Mapping[str, str], prefix: str, default: int, action: str) -> int:
    text = raw.get(f"{prefix}rows", "")
    count = int(text) if text.isdigit() and len(text) < 4 else default  # noqa: PLR2004 -- a row count, not a rule
    if action == ADD + prefix.rstrip("."):
        count += 1
    return max(1, min(count, MAX_ROWS))


def _fields(entity: Entity, prefix: str, raw: Mapping[str, str], errors: Mapping[str, str]) -> list[FieldView]:
    out = []
    for variable in own_inputs(entity):
        name = prefix + variable.name
        out.append(
            FieldView(
                name=name,
                variable=variable,
                value=raw.get(name, ""),
                help=HELP.get((entity.name, variable.name), ""),
                required=variable.required,
                error=errors.get(name, ""),
            )
        )
    return out


def _row(
    policy: Policy,
    entity: Entity,
    prefix: str,
    index: int,
    raw: Mapping[str, str],
    errors: Mapping[str, str],
    action: str,
) -> RowView:
    groups = []
    for child in policy.children(entity.name):
        child_prefix = f"{prefix}{child.name}."
        count = _count(raw, child_prefix, CHILD_ROWS, action)
        rows = tuple(
            RowView(f"{child_prefix}{n}.", child, n, tuple(_fields(child, f"{child_prefix}{n}.", raw, errors)))
            for n in range(1, count + 1)
        )
        groups.append(GroupView(child_prefix, child, rows))
    return RowView(prefix, entity, index, tuple(_fields(entity, prefix, raw, errors)), tuple(groups))


def build_form(
    policy: Policy,
    subject: Entity,
    raw: Mapping[str, str],
    errors: Mapping[str, str] | None = None,
    general: tuple[str, ...] = (),
    years: tuple[int, ...] = (),
) -> FormView:
    """The form for ``subject``; ``years`` to choose from (default: the plan's years and one either side)."""
    errors = errors or {}
    action = raw.get("action", "")
    main = _row(policy, subject, "", 1, raw, errors, action)
    groups = list(main.groups)
    for other in attached(policy, subject):
        other_prefix = f"{other.name}."
        count = _count(raw, other_prefix, ATTACHED_ROWS, action)
        rows = tuple(_row(policy, other, f"{other_prefix}{n}.", n, raw, errors, action) for n in range(1, count + 1))
        groups.append(GroupView(other_prefix, other, rows))
    advanced = tuple(f for f in main.fields if f.variable.name in ADVANCED)
    main = RowView(main.prefix, main.entity, 1, tuple(f for f in main.fields if f not in advanced), tuple(groups))
    options = []
    for option in calculation_options(policy):
        name = f"option.{option.name}"
        names = (f"{name}.from", f"{name}.to") if option.kind == "date_range" else (name,)
        options.append(OptionField(option, {n: raw.get(n, "") for n in names}, errors.get(name, "")))
    years = years or plan_years(policy)
    today = dt.datetime.now(tz=dt.UTC).date()
    # This year while the plan runs; otherwise its nearest year (the years either side are for boundaries).
    plan = years[1:-1] or years
    default_year = str(min(max(today.year, plan[0]), plan[-1]))
    return FormView(
        subject=subject,
        subjects=tuple(subjects(policy)),
        main=main,
        advanced=advanced,
        options=tuple(options),
        period="date" if raw.get("period") == "date" else "year",
        year=raw.get("year") or default_year,
        day=raw.get("date", ""),
        years=years,
        errors=errors,
        general=general,
    )
