"""``zhijiao majors``: Art. 10's duplicated and old majors, the majors serving the city's key and emerging industries,
and a county's redistribution table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhijiao.cli.common import err, print_json, the_policy, user_errors
from zhijiao.language import Lang, say
from zhijiao.majors.industries import KINDS as INDUSTRY_KINDS
from zhijiao.majors.industries import industry_list
from zhijiao.majors.service import Flag, MajorsReport, analyse
from zhijiao.registry.counties import county_codes, resolve_county
from zhijiao.storage.database import unit_of_work
from zhijiao.storage.migrate import ensure_schema

out = Console()
KINDS = {
    "duplicated": ("重复", "duplicated"),
    "declining": ("招生连降", "falling enrolment"),
    "low_employment": ("就业率低", "low employment"),
    "low_retention": ("留温率低", "low retention"),
}
DIRECTIONS = {"shrinking": ("收缩", "shrinking"), "growing": ("增长", "growing"), "steady": ("持平", "steady")}


def _threshold_value(value: Decimal, parameter: str) -> str:
    return f"{value * 100:.1f}%" if parameter.endswith("_rate") else f"{value:.0f}"


def _flag_rows(flags: list[Flag], lang: Lang) -> list[list[object]]:
    return [
        [
            say(lang, *KINDS[f.kind]),
            f.major,
            f.national_code or "",
            "、".join(f.schools) if lang is Lang.zh else ", ".join(f.schools),
            f.threshold,
            _threshold_value(f.value, f.threshold),
            f.explanation(lang.value),
        ]
        for f in flags
    ]


def _headers(lang: Lang) -> dict[str, list[str]]:
    flags = [say(lang, *h) for h in (("类别", "flag"), ("专业", "major"), ("专业代码", "code"), ("学校", "schools"),
                                     ("阈值参数", "threshold"), ("阈值", "value"),
                                     ("说明", "explanation"))]  # fmt: skip
    moves = [say(lang, *h) for h in (("专业", "major"), ("专业代码", "code"), ("学校", "schools"),
                                     ("上年在校生", "students last year"), ("本年在校生", "students this year"),
                                     ("变化", "change"), ("方向", "direction"))]  # fmt: skip
    serving = [say(lang, *h) for h in (("专业", "major"), ("专业代码", "code"), ("服务产业", "industries"),
                                       ("学校", "schools"), ("本年在校生", "students this year"))]  # fmt: skip
    return {"flags": flags, "moves": moves, "serving": serving}


def _serving_rows(report: MajorsReport, lang: Lang) -> list[list[object]]:
    sep = "、" if lang is Lang.zh else ", "
    return [
        [s.major, s.national_code or "", sep.join(report.industry_name(i, lang.value) for i in s.industries),
         sep.join(s.schools), s.students]
        for s in report.serving
    ]  # fmt: skip


def _industry_lines(report: MajorsReport, lang: Lang) -> list[str]:
    """The list's citation, its industries by kind, and the county's students serving them against the rest."""
    listed = report.industries
    if listed is None:
        return []
    cited = listed.citation
    note = cited.note_in(lang.value)
    since = listed.effective_from.isoformat()
    lines = [
        say(
            lang,
            f"产业清单：{cited.text()}（自{since}起；{note}）",
            f"Industry list: {cited.text()} (from {since}; {note})",
        )
    ]
    for kind, (zh, en) in INDUSTRY_KINDS.items():
        named = [i.name(lang.value) for i in listed.industries if i.kind == kind]
        lines.append(say(lang, f"  {zh}：{'、'.join(named)}", f"  {en}: {', '.join(named)}"))
    total = report.students_serving + report.students_other
    share = f"{report.students_serving * 100 / total:.1f}%" if total else "—"
    lines.append(say(
        lang,
        f"  服务重点与新兴产业的专业在校生 {report.students_serving:,} 人（{share}），"
        f"其余专业 {report.students_other:,} 人",
        f"  students in majors serving key and emerging industries: {report.students_serving:,} ({share}); "
        f"in the other majors: {report.students_other:,}",
    ))  # fmt: skip
    return lines


def _move_rows(report: MajorsReport, lang: Lang) -> list[list[object]]:
    return [
        [
            m.major,
            m.national_code or "",
            "、".join(m.schools) if lang is Lang.zh else ", ".join(m.schools),
            m.students_before,
            m.students_now,
            m.change,
            say(lang, *DIRECTIONS[m.direction]),
        ]
        for m in report.redistribution
    ]


def _write_xlsx(path: Path, report: MajorsReport, lang: Lang) -> None:
    from openpyxl import Workbook  # noqa: PLC0415 -- openpyxl (and numpy) only when a workbook is written

    from zhijiao.xlsx_text import keep_text  # noqa: PLC0415

    book = Workbook()
    heads = _headers(lang)
    sheets = (
        (say(lang, "重复专业", "duplicated"), heads["flags"], _flag_rows(report.duplicated, lang)),
        (say(lang, "老旧专业", "old majors"), heads["flags"], _flag_rows(report.declining, lang)),
        (say(lang, "转岗再分配", "redistribution"), heads["moves"], _move_rows(report, lang)),
        (say(lang, "重点与新兴产业专业", "industry majors"), heads["serving"], _serving_rows(report, lang)),
    )
    for blank in list(book.worksheets):
        book.remove(blank)
    for title, head, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(head)
        for row in rows:
            sheet.append(row)
    notes = book.create_sheet(say(lang, "阈值", "thresholds"))
    notes.append([say(lang, *h) for h in (("参数", "parameter"), ("含义", "meaning"), ("取值", "value"),
                                          ("依据", "source"))])  # fmt: skip
    for t in report.thresholds:
        notes.append([t.id, say(lang, t.label_zh, t.label_en), _threshold_value(t.value, t.id), t.citation])
    notes.append([say(lang, report.measure_note["zh"], report.measure_note["en"])])
    for line in _industry_lines(report, lang):
        notes.append([line.strip()])
    keep_text(book).save(path)


def _print(report: MajorsReport, county: str, lang: Lang) -> None:
    heads = _headers(lang)
    out.print(say(lang, f"{county} {report.year}年 专业结构（第十条）", f"{county} {report.year}: majors (Art. 10)"))
    for t in report.thresholds:
        cited = say(lang, f"（{t.citation}）", f" ({t.citation})")
        out.print(f"  {t.id} = {_threshold_value(t.value, t.id)}  {say(lang, t.label_zh, t.label_en)}{cited}")
    for title, flags in ((say(lang, "重复专业", "Duplicated majors"), report.duplicated),
                         (say(lang, "老旧专业", "Old majors"), report.declining)):  # fmt: skip
        out.print(f"\n[bold]{title}[/]" + say(lang, f"（{len(flags)}）", f" ({len(flags)})"))
        if not flags:
            out.print(say(lang, "  无", "  none"))
        for f in flags:
            out.print(f"  [{say(lang, *KINDS[f.kind])}] {f.explanation(lang.value)}", markup=False)
    out.print(f"\n[bold]{say(lang, '服务重点与新兴产业的专业', 'Majors serving key and emerging industries')}[/]"
              + say(lang, f"（{len(report.serving)}）", f" ({len(report.serving)})"))  # fmt: skip
    for line in _industry_lines(report, lang):
        out.print(line, markup=False)
    for row in _serving_rows(report, lang):
        out.print(f"  {row[0]} {row[1] or '—'}  {row[2]}  {row[4]:,}", markup=False)
    table = Table(title=say(lang, "转岗再分配（收缩与增长专业）", "Redistribution: majors shrinking and growing"))
    for head in heads["moves"]:
        table.add_column(head)
    for row in _move_rows(report, lang):
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
    out.print(table)
    out.print(say(lang, report.measure_note["zh"], report.measure_note["en"]))


def majors(
    county: Annotated[str, typer.Option(help="县（市、区）/ county")],
    year: Annotated[int, typer.Option(help="年度 / year")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="写出 xlsx / write an xlsx workbook")] = None,
    lang: Annotated[Lang, typer.Option(help="语言 / language")] = Lang.zh,
) -> None:
    """专业结构：重复、老旧专业与县域转岗再分配（第十条）/ duplicated and old majors, redistribution (Art. 10)."""
    engine = ensure_schema()
    with user_errors(lang), unit_of_work(engine) as session:
        code = resolve_county(session, county)
        name = next(n for n, c in county_codes(session).items() if c == code)
        policy = the_policy()
        report = analyse(session, policy.parameters, code, year, industries=industry_list(policy, year))
    if as_json:
        print_json(report.as_dict())
    else:
        _print(report, policy.labels.get(name, {}).get(lang.value, name), lang)
    if out_file is not None:
        _write_xlsx(out_file, report, lang)
        err.print(say(lang, f"已写出 {out_file}", f"Wrote {out_file}"))
