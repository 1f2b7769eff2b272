"""The one table of the template's columns: header, width, letter, and whether a county fills
it in (and which reported field it fills). The template writer, the reader, the tests' fill
helpers and the benchmarks all take positions from here; no column position is written
anywhere else."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from openpyxl.utils import get_column_letter

from ..catalogue import INDICATOR_SHEET, PROGRESS_SHEET

HEADER_ROW = 3
FIRST_ROW = 4
BASE_ROW = 11  # on the hidden sheet: the values as downloaded, one per row from here


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    fills: str = ""  # the reported field this input column fills; "" for a reference column


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: tuple[Column, ...]

    def __len__(self) -> int:
        return len(self.columns)

    def index(self, key: str) -> int:
        """The 1-based column number of a column key or of the field an input fills."""
        return self._numbers[key]

    @cached_property
    def _numbers(self) -> dict[str, int]:
        numbers: dict[str, int] = {}
        for number, column in enumerate(self.columns, start=1):
            for key in filter(None, (column.key, column.fills)):
                numbers.setdefault(key, number)
        return numbers

    def letter(self, key: str) -> str:
        return get_column_letter(self.index(key))

    @property
    def inputs(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.fills)

    @property
    def input_slice(self) -> slice:
        """The input columns' positions in a 0-based row of values."""
        first = self.index(self.inputs[0].key) - 1
        return slice(first, first + len(self.inputs))


INDICATOR = Table(
    INDICATOR_SHEET,
    (
        Column("code", "编码", 8),
        Column("name", "指标名称", 30),
        Column("unit", "单位", 10),
        Column("standard", "指标值（标准）", 26),
        Column("attribute", "属性", 8),
        Column("previous", "上年数值", 16),
        Column("value", "本年数值", 14, fills="text"),
        Column("choice", "状态或是否完成", 18, fills="choice"),
        Column("note", "备注", 28, fills="note"),
    ),
)
PROGRESS = Table(
    PROGRESS_SHEET,
    (
        Column("key", "明细编号", 10),
        Column("domain", "领域", 8),
        Column("group", "重点工程", 22),
        Column("subcategory", "子类", 12),
        Column("content", "建设内容", 40),
        Column("place", "实施地点", 20),
        Column("amount_planned", "计划投资（万元）", 12),
        Column("years", "实施年限", 11),
        Column("shared_with", "涉及县数", 8),
        Column("status", "进展状态", 10, fills="status"),
        Column("completed", "累计完成投资（万元）", 14, fills="amount"),
        Column("progress_note", "备注", 24, fills="note"),
    ),
)
# Who filled the report in: label rows under the indicator table (stored with the upload).
SIGNATURE = (("filled_by", "填表人"), ("phone", "联系电话"), ("filled_on", "填表日期"))
