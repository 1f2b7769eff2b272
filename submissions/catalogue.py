"""What a county-year's spreadsheet holds: the indicator lines and the investment rows of one
county, with the values already reported. Built from the database by `selectors.catalogue`,
read by the template builder and the reader, which import nothing from the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from indicators.rules import rule_kinds, rule_parts

TEMPLATE_VERSION = "lvliang-submission-v1"
INDICATOR_SHEET = "指标填报"
PROGRESS_SHEET = "项目进展"
META_SHEET = "模板信息"
PROGRESS_STATUSES = ["未开工", "在建", "已完工", "已取消"]
YES, NO = "是", "否"


@dataclass(frozen=True)
class InputSpec:
    """Which input cells an indicator needs: a number, a choice (state or 是/否), or both."""

    number: bool
    choices: tuple[str, ...] = ()
    percent: bool = False  # a share that must lie within 0–100


def input_spec(rule: dict | None, *, unit: str, name: str) -> InputSpec:
    kinds = rule_kinds(rule)
    number = bool(kinds & {"threshold", "trend", "change", "conditional"})
    choices: list[str] = []
    for state_rule in rule_parts(rule, "state"):
        choices.extend(a for a in state_rule["accepted"] if a not in choices)
    if choices:
        choices.append(NO)
    elif "task" in kinds:
        choices = [YES, NO]
    # Shares are 0–100; rates of change (幅度, 下降率) may be negative or larger.
    percent = unit == "%" and "幅度" not in name and "下降率" not in name
    return InputSpec(number, tuple(choices), percent)


@dataclass(frozen=True)
class Current:
    """What is on record for an indicator or a progress row."""

    text: str = ""
    number: Decimal | None = None
    state: str = ""
    flag: bool | None = None
    note: str = ""

    @property
    def choice(self) -> str:
        if self.flag is True:
            return YES
        if self.flag is False:
            return NO
        return self.state


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    standard: str
    attribute: str
    is_parent: bool
    rule: dict | None
    spec: InputSpec
    previous: str = ""
    current: Current | None = None
    previous_number: Decimal | None = None


@dataclass(frozen=True)
class ProgressCurrent:
    status: str = ""
    amount: Decimal | None = None
    note: str = ""


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

    def indicator(self, code: str) -> IndicatorLine | None:
        return self._indicators.get(code)

    def progress_line(self, key: str) -> ProgressLine | None:
        return self._progress.get(key)

    def __post_init__(self) -> None:
        self._indicators = {line.code: line for line in self.indicators}
        self._progress = {line.key: line for line in self.progress}
