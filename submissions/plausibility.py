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


def progress_warnings(line: ProgressLine) -> list[Warning]:
    """Completed investment above the row's planned amount (万元)."""
    current = line.current
    if current is None or current.amount is None:
        return []
    try:
        planned = Decimal(line.amount.replace(",", ""))
    except (InvalidOperation, AttributeError):
        return []  # `--`: no planned amount printed
    if current.amount > planned:
        message = f"已完成投资{fmt(current.amount)}万元，超过计划投资{fmt(planned)}万元，请核实"
        return [Warning(line.key, message, bool(current.note.strip()))]
    return []


def warnings_of(catalogue) -> list[Warning]:
    """Every warning of an area-year's report (a Catalogue), indicators first."""
    found = [w for line in catalogue.indicators if not line.is_parent for w in value_warnings(line)]
    return found + [w for line in catalogue.progress for w in progress_warnings(line)]
