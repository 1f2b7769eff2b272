"""Building and filling templates in tests, as a county officer would with Excel."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from counties.models import Area
from indicators.models import IndicatorValue
from projects.models import ProjectProgress
from submissions.models import ValueChange
from submissions.selectors import catalogue
from submissions.workbook import FIRST_ROW, build_template


def template(code: str = "141122", year: int = 2025) -> bytes:
    area = Area.objects.get(code=code)
    return build_template(catalogue(area, year), generated_at=datetime(2026, 1, 5, 9, 0))


def rows_by_key(sheet) -> dict[str, int]:
    return {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value is not None
    }


def fill(
    content: bytes,
    values: dict[str, tuple] | None = None,
    progress: dict[str, tuple] | None = None,
    edit=None,
) -> bytes:
    """values: code → (G number, H choice, I note); progress: key → (J status, K amount, L
    note). None leaves a cell as it is. `edit(workbook)` may do anything else."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["指标填报"]
    rows = rows_by_key(sheet)
    for code, cells in (values or {}).items():
        for column, value in zip((7, 8, 9), cells, strict=False):
            if value is not None:
                sheet.cell(row=rows[code], column=column, value=value)
    sheet = workbook["项目进展"]
    rows = rows_by_key(sheet)
    for key, cells in (progress or {}).items():
        for column, value in zip((10, 11, 12), cells, strict=False):
            if value is not None:
                sheet.cell(row=rows[key], column=column, value=value)
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state() -> tuple:
    """Everything an upload may change, to prove that a refused one changed nothing."""
    return (
        sorted(
            IndicatorValue.objects.values_list(
                "area_id", "year", "indicator_id", "value_text", "state", "flag", "note"
            )
        ),
        sorted(
            ProjectProgress.objects.values_list(
                "investment_row_id", "area_id", "year", "status", "completed_amount", "note"
            )
        ),
        ValueChange.objects.count(),
    )


GOOD = {
    "28": (96.5, None, None),
    "2": (None, "有效开展", None),
    "9": (None, "是", None),
    "29": (61, None, "农村污水"),
}
