# ruff: noqa: E501 (table rows read best whole)
"""The tables the bureau reports upward, as .xlsx in the document's own layouts: Table 1
(indicators with the year's values and statuses) and Table 3 (investment by domain)."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from counties.models import Area
from indicators.models import Indicator
from indicators.results import results_year
from indicators.statuses import Basis, Status
from projects.selectors import investment_summary

from .formats import safe_cell

HEADER = PatternFill("solid", fgColor="DCE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def _response(workbook: Workbook, name: str) -> FileResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=name)


def _sheet(workbook: Workbook, title: str, heading: str, headers: list[tuple[str, int]]):
    sheet = workbook.active
    sheet.title = title
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([name for name, _ in headers])
    for index, (_, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER
        cell.alignment = WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    return sheet


def table_1(area: Area, year: int, *, vis) -> FileResponse:
    """Table 1 of `area`'s `year` as `vis` (counties.access.Visibility) sees it, from the
    stored results."""
    result = results_year(vis, year=year, area_codes=[area.code]).areas[0]
    indicators = {i.pk: i for i in Indicator.objects.select_related("task__domain")}
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        "表1",
        f"{area.name}生态文明建设示范区建设指标现状及达标情况表（{year}年）",
        [("领域", 8), ("任务", 14), ("序号", 6), ("指标名称", 28), ("单位", 10), ("指标值", 20),
         (f"{year}年现状值", 24), ("达标情况", 10), ("判定依据", 36), ("2025年规划目标", 18),
         ("2030年规划目标", 18), ("指标属性", 8)],
    )  # fmt: skip
    for top in result.indicators:
        for item in [top, *top.subs]:
            indicator = indicators[item.indicator.pk]
            status = Status(item.status).label
            if item.assessment.basis == Basis.JUDGEMENT:
                status += "（记录的判断）"
            value = item.value.value_text if item.value else ""
            choice = (
                "" if not item.value or item.value.flag is None else "是否"[not item.value.flag]
            )
            if choice and value != choice:
                value = (value + "；" if value else "") + choice
            sheet.append(
                [
                    safe_cell(x)
                    for x in [
                        indicator.task.domain.name,
                        f"{indicator.task.number}{indicator.task.name}",
                        indicator.number or indicator.code,
                        indicator.display_name,
                        indicator.unit,
                        item.standard,
                        value,
                        status,
                        item.assessment.reason,
                        indicator.target_2025,
                        indicator.target_2030,
                        (indicator.parent or indicator).attribute
                        if not indicator.parent_id
                        else "",
                    ]
                ]
            )
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = WRAP
    s = result.summary
    sheet.append([])
    sheet.append(
        [
            f"达标 {s['met']} 项，未达标 {s['not_met']} 项，无数据 {s['no_data']} 项，待核定 "
            f"{s['needs_review']} 项；约束性 {s['binding_met']}/{s['binding_total']}，参考性 "
            f"{s['reference_met']}/{s['reference_total']}；{'达到' if result.reaches_standard else '未达到'}建设标准"
        ]
    )
    return _response(workbook, f"{area.name}{year}年指标达标情况表.xlsx")


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def table_3() -> FileResponse:
    summary = investment_summary()
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        "表3",
        "吕梁市生态文明建设示范区重点工程投资估算表（按表2明细重新计算，并列表3原数）",
        [("序号", 6), ("重点工程名称", 20), ("总投资（万元）", 14), ("占比（%）", 9),
         ("其中：政府投资（万元）", 16), ("占比（%）", 9), ("表3原总投资（万元）", 16),
         ("表3原政府投资（万元）", 16), ("总投资差额（万元）", 14), ("未列金额的明细行", 10)],
    )  # fmt: skip
    total = summary["total"]
    for index, domain in enumerate(summary["domains"], start=1):
        declared = domain["declared_total"]
        sheet.append(
            [
                index,
                f"{domain['domain']}建设工程",
                domain["total"],
                _percent(domain["total"], total),
                domain["government"],
                _percent(domain["government"], domain["total"]),
                declared,
                domain["declared_government"],
                None if declared is None else domain["total"] - declared,
                domain["not_given_rows"],
            ]
        )
    sheet.append(
        [
            "合计",
            "",
            total,
            100,
            summary["government"],
            _percent(summary["government"], total),
            summary["declared_total"],
            summary["declared_government"],
            None if summary["declared_total"] is None else total - summary["declared_total"],
            sum(d["not_given_rows"] for d in summary["domains"]),
        ]
    )
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.value = float(cell.value)
                cell.number_format = "#,##0.00"
    return _response(workbook, "重点工程投资估算表.xlsx")
