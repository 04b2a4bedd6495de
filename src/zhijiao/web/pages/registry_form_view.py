"""Edit forms built from the import spec of a table: one field per column, typed as the file's column is,
with the reasons the importer would give shown beside the field they concern."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from zhijiao.engine.errors import Problem
from zhijiao.language import Lang
from zhijiao.registry.spec import Column, TableSpec
from zhijiao.registry.tables import BY_NAME
from zhijiao.registry.workbook_layout import KIND_TEXT
from zhijiao.web.pages.registry_view import column_label, form_text

_INPUT_MODES = {"int": "numeric", "year": "numeric", "yuan": "decimal", "rate": "decimal", "fte": "decimal"}


@dataclass(frozen=True)
class FieldView:
    name: str  # the form field: "<table>.<column>"
    column: str
    label: str
    control: str  # text | date | select
    value: str
    required: bool
    readonly: bool
    hint: str
    options: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    inputmode: str = ""
    maxlength: int | None = None


@dataclass(frozen=True)
class SectionView:
    table: str
    title: str
    fields: list[FieldView]


def field_name(spec: TableSpec, column: Column) -> str:
    return f"{spec.name}.{column.name}"


def submitted(spec: TableSpec, form: Mapping[str, str]) -> dict[str, str]:
    """The values a form sent for ``spec``'s columns (missing ones are blank)."""
    return {c.name: form.get(field_name(spec, c), "") for c in spec.columns}


def initial(spec: TableSpec, row: Mapping[str, object]) -> dict[str, str]:
    """A row (as the file shows it) as the form's field values."""
    return {c.name: form_text(row.get(c.name)) for c in spec.columns}


def _options(column: Column, counties: Sequence[str], lang: Lang) -> list[tuple[str, str]]:
    blank = [] if column.required else [("", "—")]
    if column.kind == "county":
        return blank + [(name, name) for name in counties]
    if column.kind == "bool":
        yes, no = ("是", "否") if lang is Lang.zh else ("yes", "no")
        return [*blank, ("true", yes), ("false", no)]
    options = column.options.choices if column.options else ()
    return blank + [(c.code, c.label(lang.value)) for c in options]


def _length(spec: TableSpec, column: Column) -> int | None:
    table_column = spec.model.__table__.c.get(column.target)
    return (
        getattr(table_column.type, "length", None)
        if column.kind in ("text", "code") and table_column is not None
        else None
    )


def section(
    spec: TableSpec,
    values: Mapping[str, str],
    lang: Lang,
    *,
    counties: Sequence[str],
    fixed: Sequence[str] = (),
    problems: Sequence[Problem] = (),
) -> SectionView:
    """``fixed``: columns shown but not changed here (an existing row's key, the record it belongs to)."""
    mine = [p for p in problems if str(p.record.get("zh", "")).startswith(spec.label["zh"] + " ")]
    fields = []
    for column in spec.columns:
        control = "text"
        if column.kind in ("county", "bool") or column.choices:
            control = "select"
        elif column.kind == "date":
            control = "date"
        kind_text = KIND_TEXT[column.kind][0 if lang is Lang.zh else 1]
        hint = f"{kind_text} → {column.ref}" if column.ref else kind_text
        fields.append(
            FieldView(
                name=field_name(spec, column),
                column=column.name,
                label=column_label(column, lang),
                control=control,
                value=values.get(column.name, ""),
                required=column.required,
                readonly=column.name in fixed,
                hint=hint,
                options=_options(column, counties, lang) if control == "select" else [],
                problems=[p.zh if lang is Lang.zh else p.en for p in mine if p.field == column.name],
                inputmode=_INPUT_MODES.get(column.kind, ""),
                maxlength=_length(spec, column),
            )
        )
    return SectionView(spec.name, spec.label[lang.value], fields)


def problem_lines(problems: Sequence[Problem], lang: Lang) -> list[str]:
    """Every problem as one line naming its record, its field (the column's header) and the reason."""
    lines = []
    for problem in problems:
        where = str(problem.record.get(lang.value) or problem.record.get("en", ""))
        label = problem.field
        for spec in BY_NAME.values():
            if where.startswith(spec.label[lang.value] + " ") and problem.field in {c.name for c in spec.columns}:
                label = column_label(spec.column(problem.field), lang)
                break
        text = problem.zh if lang is Lang.zh else problem.en
        lines.append(f"{where} · {label}：{text}" if label else f"{where}：{text}")
    return lines


def home_of(spec: TableSpec, values: Mapping[str, object]) -> str:
    """The page a row belongs on: its own, or its school's, enterprise's or platform's."""
    if spec.name in ("schools", "enterprises", "platforms", "projects"):
        return f"/registry/{spec.name}/{quote(str(values.get('code')), safe='')}"
    for ref, page in (("school_code", "schools"), ("enterprise_code", "enterprises"), ("platform_code", "platforms")):
        if ref in {c.name for c in spec.columns} and values.get(ref):
            return f"/registry/{page}/{quote(str(values.get(ref)), safe='')}"
    return "/registry/files"
