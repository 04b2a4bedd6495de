"""The reports as xlsx workbooks: money in yuan exact to the fen (officials re-add the columns), rates as
fractions shown as percentages, one sheet per breakdown and a first sheet saying what the file is."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from zhijiao import formatting
from zhijiao.language import Lang, say
from zhijiao.money import yuan
from zhijiao.reports import labels
from zhijiao.reports.content import Report
from zhijiao.simulation.cost import DIMENSIONS, label
from zhijiao.xlsx_text import keep_text

YUAN_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
BOLD = Font(bold=True)


def _sheet(workbook: Workbook, title: str, header: Sequence[str], widths: Sequence[int]) -> Worksheet:
    sheet: Worksheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = BOLD
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _about(workbook: Workbook, report: Report, lang: Lang, title: str, note: str) -> None:
    sheet = _sheet(workbook, say(lang, "说明", "About"), [title, ""], [22, 70])
    rows = [
        (say(lang, "依据", "Plan"), labels.plan_citation(report.document, lang)),
        (say(lang, "年度", "Year"), report.year),
        (say(lang, "范围", "Scope"), report.scope[lang.value]),
        (say(lang, "计算规则版本", "Rule set"), report.rule_set),
        (say(lang, "生成日期", "Generated on"), formatting.date(report.generated, lang)),
        (say(lang, "说明", "Note"), note),
    ]
    for row in rows:
        sheet.append(list(row))


def _formatted(sheet: Worksheet, column: str, number_format: str) -> None:
    for cell in sheet[column][1:]:
        cell.number_format = number_format


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    keep_text(workbook).save(buffer)
    return buffer.getvalue()


def cost_workbook(report: Report, lang: Lang = Lang.zh) -> bytes:
    """The fiscal cost by article, payer and county, and the lines they add up from."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    title = say(lang, f"{report.year}年财政成本", f"Fiscal cost {report.year}")
    note = say(
        lang,
        "金额单位：元，精确到分；各表合计相同，均为登记册数据经政策规则计算所得。",
        "Amounts in yuan, exact to the fen; every sheet adds up to the same total, calculated from the "
        "registry by the plan's rules.",
    )
    _about(workbook, report, lang, title, note)
    total_label = say(lang, "合计", "Total")
    for dimension in DIMENSIONS:
        header = [say(lang, "分组", "Group"), say(lang, "金额（元）", "Amount (yuan)"), say(lang, "占比", "Share")]
        sheet = _sheet(workbook, labels.dimension(dimension, lang), header, [30, 20, 10])
        for row in report.cost[dimension]:
            sheet.append([row.label[lang.value], yuan(row.fen), row.share])
        sheet.append([total_label, yuan(report.total_fen), Decimal(1) if report.total_fen else None])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        _formatted(sheet, "B", YUAN_FORMAT)
        _formatted(sheet, "C", SHARE_FORMAT)
    header = [
        say(lang, "条款", "Article"),
        say(lang, "付款方", "Payer"),
        say(lang, "县（市、区）", "County"),
        say(lang, "金额（元）", "Amount (yuan)"),
    ]
    sheet = _sheet(workbook, say(lang, "明细", "Lines"), header, [30, 18, 14, 20])
    for item in report.items:
        line: list[Any] = [
            label("article", item.article, lang.value),
            label("payer", item.payer, lang.value),
            item.county,
            yuan(item.fen),
        ]
        sheet.append(line)
    _formatted(sheet, "D", YUAN_FORMAT)
    _missing(workbook, report, lang)
    return _save(workbook)


def _missing(workbook: Workbook, report: Report, lang: Lang) -> None:
    """The blank figures the cost counted as zero: a line of the About sheet always, and a sheet listing them when
    there are any, so a reader of the totals knows where they may fall short."""
    missing = report.missing
    about = workbook[say(lang, "说明", "About")]
    if not missing:
        about.append(
            [say(lang, "缺失数据", "Missing inputs"), say(lang, "无：计算所用数据完整。", "None: no figure was blank.")]
        )
        return
    named = {label("article", article, lang.value): count for article, count in missing.by_article().items()}
    counts = say(lang, "、", "; ").join(say(lang, f"{name}：{n}个", f"{name}: {n}") for name, n in named.items())
    summary = say(
        lang,
        f"财政成本使用了缺失数据（空白按零计算），相关金额可能偏低：涉及学校、企业或平台{missing.entities}个（{counts}），"
        "明细见“缺失数据”表。",
        "The fiscal cost was computed with missing inputs (a blank counts as zero), so the amounts concerned may fall "
        f"short. Schools, enterprises or platforms concerned: {missing.entities} ({counts}); see the sheet Missing "
        "inputs.",
    )
    about.append([say(lang, "缺失数据", "Missing inputs"), summary])
    header = [
        say(lang, "类型", "Kind"),
        say(lang, "编号", "Code"),
        say(lang, "名称", "Name"),
        say(lang, "县（市、区）", "County"),
        say(lang, "空白字段", "Blank field"),
        say(lang, "字段", "Field"),
        say(lang, "影响条款", "Articles affected"),
    ]
    sheet = _sheet(workbook, say(lang, "缺失数据", "Missing inputs"), header, [10, 14, 30, 14, 30, 28, 36])
    for row in missing:
        articles = say(lang, "、", "; ").join(label("article", article, lang.value) for article in row.articles)
        sheet.append([row.entity_label.get(lang.value, row.entity), row.code, row.name, row.county,
                      row.label.get(lang.value, row.field), row.field, articles])  # fmt: skip


def targets_workbook(report: Report, lang: Lang = Lang.zh) -> bytes:
    """Each target's value, goal, share achieved, where the straight path to the deadline stands, status."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    title = say(lang, f"{report.year}年目标进展", f"Targets {report.year}")
    note = say(
        lang,
        "金额单位：元；比例以百分数显示。县（市、区）的完成比例为其占全市完成值的比重。"
        "状态为“无数据”的行，登记册中该范围、该年没有这项数字：完成值留空，未填报不按0计。",
        "Money in yuan; rates as percentages. A county's share is its part of the city's value. "
        "A row whose status is “no data” has no figure in the registry for that scope and year: its value is left "
        "blank, as a blank is not counted as 0.",
    )
    _about(workbook, report, lang, title, note)
    header = [
        say(lang, "目标", "Target"),
        say(lang, "指标", "Indicator"),
        say(lang, "范围", "Scope"),
        say(lang, "单位", "Unit"),
        say(lang, "完成值", "Value"),
        say(lang, "目标值", "Goal"),
        say(lang, "完成比例", "Share achieved"),
        say(lang, "进度线", "Path"),
        say(lang, "状态", "Status"),
    ]
    sheet = _sheet(workbook, say(lang, "目标进展", "Targets"), header, [8, 40, 12, 10, 18, 18, 12, 18, 10])
    formats = {"yuan": YUAN_FORMAT, "rate": SHARE_FORMAT, "count": COUNT_FORMAT}
    for row in report.targets:
        sheet.append(
            [
                row.target,
                row.indicator.get(lang.value) or row.indicator["zh"],
                report.scope[lang.value],  # every row is the report's scope: the city's, or the county's
                labels.unit(row.unit, lang),
                row.value,
                labels.rising(lang) if row.goal is None else row.goal,
                row.share,
                None if row.expected is None else _rounded(row.expected, row.unit),
                labels.status(row.status, lang),
            ]
        )
        for column in (5, 6, 8):
            sheet.cell(sheet.max_row, column).number_format = formats.get(row.unit, "General")
        sheet.cell(sheet.max_row, 7).number_format = SHARE_FORMAT
    return _save(workbook)


def _rounded(value: Decimal, unit_code: str) -> Decimal:
    """The path is a straight line: shown to the fen for money, to a hundredth of a percent for rates."""
    places = {"yuan": Decimal("0.01"), "rate": Decimal("0.0001")}.get(unit_code, Decimal("0.01"))
    return value.quantize(places)
