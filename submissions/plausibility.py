"""Plausibility warnings (DHIS2's min-max and outlier checks): values that may be right but
deserve a second look. Warnings, never errors: nothing is refused for them; the form and the
review page show them, ask for a note explaining the value, and list flagged values first.
Pure: no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from indicators.rules import fmt

from .catalogue import IndicatorLine, ProgressLine

DEFAULT_CHANGE_PERCENT = Decimal("50")  # more than ±50% from last year is worth a look


@dataclass(frozen=True)
class Warning:
    code: str  # the indicator code or the progress row's key
    message: str
    noted: bool  # the report carries a note that may explain it


def value_warnings(line: IndicatorLine) -> list[Warning]:
    """Warnings about an indicator line's value on record: far from last year's (more than the
    indicator's plausible change, `line.change_percent`, else 50%), or a share of exactly 0 or
    100 where the standard does not ask for 100."""
    current = line.current
    if current is None or current.number is None:
        return []
    number, noted, found = current.number, bool(current.note.strip()), []
    limit = line.change_percent if line.change_percent is not None else DEFAULT_CHANGE_PERCENT
    before = line.previous_number
    if before is not None and before != 0:
        moved = abs(number - before) / abs(before) * 100
        if moved > limit:
            found.append(
                f"与上年（{fmt(before)}）相差{moved:.0f}%，超过±{fmt(limit)}%，请核实并在备注中说明"
            )
    if line.spec.percent and number in {Decimal(0), Decimal(100)}:
        asks_full = "100" in line.standard
        if number == 0 or not asks_full:
            found.append(f"填报为{fmt(number)}%，较少见，请核实并在备注中说明")
    return [Warning(line.code, message, noted) for message in found]


def _planned(line: ProgressLine) -> Decimal | None:
    """The row's planned amount as printed (万元); None for `--` or a merged cell."""
    try:
        return Decimal(line.amount.replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None


def progress_warnings(line: ProgressLine) -> list[Warning]:
    """Completed investment (万元) above the row's planned amount, or reported for a project
    said not to have started (未开工)."""
    current = line.current
    if current is None or current.amount is None:
        return []
    found, planned = [], _planned(line)
    if planned is not None and current.amount > planned:
        found.append(f"已完成投资{fmt(current.amount)}万元，超过计划投资{fmt(planned)}万元，请核实")
    if current.status == "未开工" and current.amount > 0:
        found.append(f"进展为“未开工”，却填报已完成投资{fmt(current.amount)}万元：请核实进展或金额")
    return [Warning(line.key, message, bool(current.note.strip())) for message in found]


def shared_warnings(lines: list[ProgressLine], totals: dict[int, Decimal]) -> list[Warning]:
    """For the reviewer: rows shared by several counties whose completed amounts, added over
    every county that reported the year (`totals`, 万元 by row id), exceed the planned amount.
    Not for the counties: the sum holds other counties' unapproved figures."""
    found = []
    for line in lines:
        planned, total = _planned(line), totals.get(line.row_id)
        if line.shared_with < 2 or planned is None or total is None or total <= planned:
            continue
        noted = bool(line.current and line.current.note.strip())
        message = (
            f"{line.shared_with}个县（市、区）共同实施，各县填报的已完成投资合计{fmt(total)}万元，"
            f"超过计划投资{fmt(planned)}万元：请核对各县是否重复填报"
        )
        found.append(Warning(line.key, message, noted))
    return found


def warnings_of(catalogue) -> list[Warning]:
    """Every warning of an area-year's report (a Catalogue), indicators first."""
    found = [w for line in catalogue.indicators if not line.is_parent for w in value_warnings(line)]
    return found + [w for line in catalogue.progress for w in progress_warnings(line)]
