"""Reading numbers and states out of value texts as the plan prints them.

Plain functions over strings: the value text is always kept whole; these only extract what a
rule can use (`87.4，考核要求持续改善` → 87.4, `≥60` → 60, `-4.03` → -4.03).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A leading number, optionally signed or prefixed by a comparator, that stands alone: followed by
# the end, a percent sign, a line break or punctuation (`87.4，…`), not by a word (`2021年…`).
_LEADING_NUMBER = re.compile(
    r"^\s*([≥≤＞＜><]=?)?\s*([-+]?\d+(?:\.\d+)?)\s*(?=$|%|\s|[，,（(；;。、])"
)
_COMPARATORS = {
    "≥": ">=",
    ">=": ">=",
    "≤": "<=",
    "<=": "<=",
    "＞": ">",
    ">": ">",
    "＜": "<",
    "<": "<",
}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋％", "0123456789.-+%")
# Texts that mean "nothing was reported" in the plan's tables.
EMPTY_MARKS = {"", "/", "--", "-", "—"}


@dataclass(frozen=True)
class ParsedValue:
    number: Decimal | None
    state: str
    comparator: str = ""  # ">=" for `≥60`: the value is a bound, not a measurement


def parse_value_text(text: str) -> ParsedValue:
    """The number a value text starts with, or its state when it is a short wording."""
    cleaned = text.strip().translate(_FULL_WIDTH).replace("−", "-")
    if cleaned in EMPTY_MARKS:
        return ParsedValue(None, "")
    match = _LEADING_NUMBER.match(cleaned)
    if match:
        comparator = _COMPARATORS.get(match.group(1) or "", "")
        return ParsedValue(Decimal(match.group(2).replace("+", "")), "", comparator)
    if "\n" not in cleaned and not re.search(r"\d", cleaned) and len(cleaned) <= 20:
        return ParsedValue(None, cleaned)
    return ParsedValue(None, "")


JUDGEMENTS = {"已达标": "met", "未达标": "not_met"}


def parse_judgement(printed: str) -> str:
    """`已达标` → met, `未达标` → not_met, anything else (`/`, `--`, blank) → no judgement."""
    return JUDGEMENTS.get(printed.strip(), "")
