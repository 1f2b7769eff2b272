"""One reported value as the rule engine reads it (no ORM): the text, the number read from it,
a state or a yes/no, and any recorded judgement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# How a county answers a yes/no (an upper-level task, or "not in the accepted state").
YES, NO = "是", "否"
NOT_REPORTED_MARKS = {"", "/", "--", "-", "—"}


@dataclass(frozen=True)
class Observation:
    """One reported value: its text, the number read from it (`low`..`high` when the text is a
    bound such as `≥60`), a state wording, a yes/no, and any recorded judgement."""

    text: str = ""
    number: Decimal | None = None
    comparator: str = ""  # ">=" when the text was `≥60`: the true value is at least `number`
    state: str = ""
    flag: bool | None = None
    judgement: str = ""  # met / not_met / "" — a person's recorded judgement
    earlier: Decimal | None = None  # last year's value as the same text states it, if it does
    change: Decimal | None = None  # the change from last year the text states, in %

    @property
    def is_empty(self) -> bool:
        return (
            self.number is None
            and not self.state
            and self.flag is None
            and self.text.strip() in NOT_REPORTED_MARKS
        )

    @property
    def has_choice(self) -> bool:
        """A state or a yes/no was reported."""
        return bool(self.state) or self.flag is not None
