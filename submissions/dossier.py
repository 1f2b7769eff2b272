"""The dossier (佐证材料汇编) of one area-year: what a technical assessment of the demonstration
zone asks for. A .zip with one folder per indicator (and per project row) holding its supporting
documents, and an index workbook listing every indicator with its value, standard, status,
reason and files, then every project row of the area with its progress and files.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from counties.models import Area
from indicators.compliance import compliance
from lvliang_eco.formats import safe_cell

from .reporting import plain
from .selectors import catalogue, evidence_for, submission_for

INDEX_NAME = "目录.xlsx"
INDICATOR_HEADERS = [
    "编码", "指标", "单位", "指标属性", "指标值（本县）", "本年数值", "状态或是否完成", "备注",
    "达标情况", "判断理由", "佐证材料数", "佐证材料（压缩包内位置）",
]  # fmt: skip
PROGRESS_HEADERS = [
    "序号", "重点工程", "建设内容", "计划投资（万元）", "进展", "已完成投资（万元）", "备注",
    "佐证材料数", "佐证材料（压缩包内位置）",
]  # fmt: skip
# Characters Windows, macOS or the zip readers refuse in a folder or file name.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe(name: str, limit: int = 60) -> str:
    cleaned = UNSAFE.sub("_", name).strip(" .") or "未命名"
    return cleaned[:limit]


def _unique(folder: str, name: str, taken: set[str]) -> str:
    """`folder/name`, numbered `name (2).pdf` when two documents of a row share a name."""
    stem, dot, suffix = _safe(name, 80).rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    candidate, count = f"{folder}/{stem}{dot}{suffix}", 1
    while candidate in taken:
        count += 1
        candidate = f"{folder}/{stem} ({count}){dot}{suffix}"
    taken.add(candidate)
    return candidate


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], widths):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    for column, width in zip("ABCDEFGHIJKL", widths, strict=False):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def dossier_build(area: Area, year: int, *, now: datetime | None = None):
    """The dossier of `area` for `year` as an open temporary file (a .zip, at position 0), and
    the number of documents in it. Only documents not deleted; statuses as every page computes
    them. A fixed number of queries."""
    book = catalogue(area, year)
    documents = evidence_for(area, year)
    result = next(iter(compliance(year=year, area_codes=[area.code]).areas), None)
    statuses = {r.indicator.code: r for r in result.all_results()} if result else {}
    submission = submission_for(area, year)
    taken: set[str] = set()
    placed: list[tuple[str, object]] = []  # (path in the zip, Evidence)

    def place(folder: str, key: tuple[str, str]) -> list[str]:
        paths = []
        for document in documents.get(key, []):
            path = _unique(folder, document.original_name, taken)
            placed.append((path, document))
            paths.append(path)
        return paths

    indicator_rows = []
    for line in book.indicators:
        folder = _safe(f"{line.code} {line.name}")
        paths = [] if line.is_parent else place(folder, ("value", line.code))
        current, status = line.current, statuses.get(line.code)
        indicator_rows.append(
            [
                line.code, line.name, line.unit, line.attribute, line.standard,
                current.reported_text if current else "", current.choice if current else "",
                current.note if current else "",
                status.assessment.label if status else "",
                status.assessment.reason if status else "",
                len(paths), "\n".join(paths),
            ]
        )  # fmt: skip
    progress_rows = []
    for line in book.progress:
        folder = "项目进展/" + _safe(f"{line.key} {line.content or line.group}")
        paths = place(folder, ("progress", str(line.row_id)))
        current = line.current
        progress_rows.append(
            [
                line.key, line.group, line.content, line.amount,
                current.status if current else "",
                plain(current.amount) if current and current.amount is not None else "",
                current.note if current else "", len(paths), "\n".join(paths),
            ]
        )  # fmt: skip

    workbook = Workbook()
    cover = workbook.active
    cover.title = "说明"
    stamp = timezone.localtime(now or timezone.now())
    for label, value in [
        ("县（市、区）", f"{area.name}（{area.code}）"),
        ("年份", year),
        ("填报状态", submission.get_state_display() if submission else "未开始"),
        ("佐证材料数", len(placed)),
        ("生成时间", stamp.strftime("%Y-%m-%d %H:%M")),
        ("说明", "每个指标一个文件夹，内含其佐证材料；项目进展的佐证材料在“项目进展”文件夹。"),
    ]:
        cover.append([label, value])
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 60
    _sheet(workbook, "指标", INDICATOR_HEADERS, indicator_rows,
           [7, 34, 8, 9, 14, 14, 14, 20, 10, 40, 8, 50])  # fmt: skip
    _sheet(workbook, "项目进展", PROGRESS_HEADERS, progress_rows,
           [9, 30, 40, 12, 10, 12, 20, 8, 50])  # fmt: skip
    index = io.BytesIO()
    workbook.save(index)

    archive = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(INDEX_NAME, index.getvalue())
        for path, document in placed:
            with document.file.open("rb") as source:
                bundle.writestr(path, source.read())
    archive.seek(0)
    return archive, len(placed)
