"""What a county-year's report holds: the indicator lines and the investment rows of one area,
with what is on record for the year and the year before. Built from the database by
`selectors.catalogue`, read by the template builder, the reader and the write path's plan
(reporting.py), which import nothing from the ORM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.observation import NO, YES
from indicators.rules import is_rate_name, rule_asks

TEMPLATE_VERSION = "lvliang-submission-v1"
INDICATOR_SHEET = "指标填报"
PROGRESS_SHEET = "项目进展"
META_SHEET = "模板信息"
PROGRESS_STATUSES = ["未开工", "在建", "已完工", "已取消"]
# Typed in a value or status cell (or chosen from its list), with the reason in the note:
# the value or progress record reported before is withdrawn.
WITHDRAW = "撤回"


def choice_of(state: str, flag: bool | None) -> str:
    """The choice a person made, as stored: 是/否 for a yes/no, else the state."""
    if flag is True:
        return YES
    if flag is False:
        return NO
    return state


@dataclass(frozen=True, slots=True)
class InputSpec:
    """Which inputs an indicator needs: a number, a choice (state or 是/否), or both, and the
    range of the number."""

    number: bool
    choices: tuple[str, ...] = ()
    percent: bool = False  # a share that must lie within 0–100
    fall: bool = False  # a fall in % (下降幅度, 下降率): may be negative, never above 100
    signed: bool = False  # a rate of change (幅度, 下降率) may be negative; a level may not

    @property
    def unit(self) -> str:
        return "%" if self.percent or self.fall else ""


# A share of something: 比例, 占比, and rates that are levels (处理率, 覆盖率, 保护率 …).
_SHARE = re.compile(r"(比例|占比|率)$")


def input_spec(rule: dict | None, *, unit: str, name: str, parent_name: str = "") -> InputSpec:
    """The one input specification of an indicator, from the rule that applies to the area:
    what the rule asks (rules.rule_asks: a number, the accepted states and 否, or 是/否), and
    the range of the number. A share (unit %, or a name that says so, the parent's where the
    row is a condition such as 11.1) lies within 0–100, whatever the printed unit (8.3 and
    11.1 print none). A rate of change (幅度, 下降率) may be negative; a fall is at most 100%;
    every other number is a level (a share, an area per person, a concentration) and is ≥ 0."""
    asks = rule_asks(rule)
    names = [n.split("：")[0].strip() for n in (name, parent_name) if n]
    if any(is_rate_name(n) for n in names):
        return InputSpec(
            asks.number, asks.choices, fall=any("下降" in n for n in names), signed=True
        )
    share = unit == "%" or (not unit and any(_SHARE.search(n) for n in names))
    return InputSpec(asks.number, asks.choices, share)


@dataclass(frozen=True, slots=True)
class Current:
    """An indicator value on record, as stored."""

    text: str = ""
    number: Decimal | None = None
    state: str = ""
    flag: bool | None = None
    note: str = ""
    judgement: str = ""
    is_demo: bool = False
    judgement_printed: str = ""

    @property
    def choice(self) -> str:
        return choice_of(self.state, self.flag)

    @property
    def is_reported(self) -> bool:
        """A value or a choice is on record (a record holding only a note is not a report)."""
        return bool(self.text.strip() or self.state or self.flag is not None)

    @property
    def reported_text(self) -> str:
        """The value cell as the person reported it: the text, unless it only repeats the
        choice (a state or 是/否 is stored as the value text too)."""
        return "" if self.text == self.choice else self.text


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    standard: str  # the standard that applies to the area (its own bar, if it has one)
    attribute: str
    is_parent: bool
    rule: dict | None  # likewise: the area's override first, then the indicator's, its parent's
    spec: InputSpec
    previous: str = ""
    current: Current | None = None
    previous_number: Decimal | None = None
    previous_value: Current | None = None
    is_area_standard: bool = False  # the standard is the area's own (StandardOverride)
    indicator_id: int = 0
    change_percent: Decimal | None = None  # plausible change from last year, % (None: 50)


@dataclass(frozen=True)
class ProgressCurrent:
    status: str = ""
    amount: Decimal | None = None
    note: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class ProgressLine:
    key: str  # 领域序号-工程序号-行序, e.g. 2-6-1
    row_id: int
    domain: str
    group: str
    subcategory: str
    content: str
    place: str
    amount: str
    years: str
    shared_with: int
    current: ProgressCurrent | None = None


@dataclass
class Catalogue:
    area_code: str
    area_name: str
    year: int
    indicators: list[IndicatorLine] = field(default_factory=list)
    progress: list[ProgressLine] = field(default_factory=list)
    area_names: dict[str, str] = field(default_factory=dict)  # every area's name by code

    def indicator(self, code: str) -> IndicatorLine | None:
        return self._indicators.get(code)

    def progress_line(self, key: str) -> ProgressLine | None:
        return self._progress.get(key)

    def progress_by_row(self, row_id: int) -> ProgressLine | None:
        return self._progress_rows.get(row_id)

    def __post_init__(self) -> None:
        self._indicators = {line.code: line for line in self.indicators}
        self._progress = {line.key: line for line in self.progress}
        self._progress_rows = {line.row_id: line for line in self.progress}

    def completeness(self) -> Completeness:
        """What is on record against what the report asks for (indicators that take a value,
        and the investment rows that cover the area)."""
        leaves = [line for line in self.indicators if not line.is_parent]
        return Completeness(
            indicators_total=len(leaves),
            indicators_missing=[
                line for line in leaves if line.current is None or not line.current.is_reported
            ],
            progress_total=len(self.progress),
            progress_missing=[line for line in self.progress if line.current is None],
        )


@dataclass(frozen=True)
class Completeness:
    indicators_total: int
    indicators_missing: list[IndicatorLine]
    progress_total: int
    progress_missing: list[ProgressLine]

    @property
    def indicators_filled(self) -> int:
        return self.indicators_total - len(self.indicators_missing)

    @property
    def progress_filled(self) -> int:
        return self.progress_total - len(self.progress_missing)

    @property
    def is_empty(self) -> bool:
        return self.indicators_filled == 0 and self.progress_filled == 0

    @property
    def is_complete(self) -> bool:
        return not self.indicators_missing and not self.progress_missing

    @property
    def summary(self) -> str:
        return (
            f"指标已填 {self.indicators_filled}/{self.indicators_total} 项，"
            f"项目进展已填 {self.progress_filled}/{self.progress_total} 行"
        )
