"""Whether an area-year was reported on time (DHIS2's reporting timeliness), from the year's due
date and the day it was first submitted. Pure: no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Timeliness:
    code: str  # on_time, late, overdue, open, no_deadline
    label: str


ON_TIME = Timeliness("on_time", "按时")
LATE = Timeliness("late", "逾期提交")
OVERDUE = Timeliness("overdue", "逾期未报")
OPEN = Timeliness("open", "未报")
NO_DEADLINE = Timeliness("no_deadline", "未设截止日期")


def timeliness(*, due_on: date | None, submitted_on: date | None, today: date) -> Timeliness:
    """按时: first submitted on or before the due date; 逾期提交: after it; 逾期未报: not
    submitted and the date has passed; 未报: not submitted, not yet due."""
    if due_on is None:
        return NO_DEADLINE
    if submitted_on is not None:
        return ON_TIME if submitted_on <= due_on else LATE
    return OVERDUE if today > due_on else OPEN
