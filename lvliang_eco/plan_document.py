"""Reader for the plan document's tables (fixtures/source/plan.txt).

The text was converted from Word: each table cell is a line that starts with a TAB, a cell that
ran over several lines continues on lines without the TAB (blank lines inside a cell are paragraph
breaks), and a blank line followed by a TAB line ends a table row. This module only splits the
text into rows of cells; what a cell means is decided by the fixtures and the tests that hold
them against this reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

PLAN_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "source" / "plan.txt"

TABLE_1_TITLE = "表1   吕梁市生态文明建设示范区建设指标现状及规划目标情况表"
TABLE_2_TITLE = "表2   吕梁市生态文明建设示范区重点工程一览表"
TABLE_3_TITLE = "表3   吕梁市生态文明建设示范区重点工程投资估算表"


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the row's first cell in plan.txt
    cells: tuple[str, ...]


@cache
def plan_text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


def _table_lines(title: str) -> tuple[int, list[str]]:
    lines = plan_text().split("\n")
    start = lines.index(title) + 1
    end = start
    # A table ends at the first line that is neither a cell, a continuation nor blank after
    # a row: in practice, the first non-blank line without a TAB after two blank lines.
    while end < len(lines):
        if lines[end] == "" and end + 1 < len(lines) and lines[end + 1] == "":
            break
        end += 1
    return start, lines[start:end]


def table_rows(title: str) -> list[Row]:
    """Every row of the table titled `title`, header rows included, cells stripped."""
    offset, lines = _table_lines(title)
    rows: list[Row] = []
    cells: list[list[str]] = []
    first_line = 0
    for index, line in enumerate(lines):
        if line.startswith("\t"):
            if not cells:
                first_line = offset + index + 1
            cells.append([line[1:]])
        elif line.strip():
            if cells:
                cells[-1].append(line)
        else:
            next_line = lines[index + 1] if index + 1 < len(lines) else "\t"
            if next_line.startswith("\t") and cells:
                rows.append(Row(first_line, tuple(_join(c) for c in cells)))
                cells = []
    if cells:
        rows.append(Row(first_line, tuple(_join(c) for c in cells)))
    return rows


def _join(parts: list[str]) -> str:
    return "\n".join(p.strip() for p in parts if p.strip())
