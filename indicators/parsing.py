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


# `2021年综合利用率19.09%，2022年综合利用率19.23%`: a year, a short label, its value (not a
# `比2021年…` comparison, not across a line break or a clause).
_YEAR_VALUE = re.compile(r"(?<!比)(\d{4})年[^\d\n，,；;。]{0,12}?(-?\d+(?:\.\d+)?)")
# `比2021年降幅3.03%`: the change from a year, as a percentage.
_CHANGE_FROM = re.compile(
    r"比(\d{4})年(降幅|下降|减少|增幅|上升|提高|增长)了?\s*(\d+(?:\.\d+)?)\s*%"
)
_FALLS = {"降幅", "下降", "减少"}


@dataclass(frozen=True)
class Stated:
    """What a value text itself states about the year and the year before."""

    number: Decimal | None = None  # this year's value, when the text gives both years
    earlier: Decimal | None = None  # last year's value, likewise
    change: Decimal | None = None  # the change from last year in % (`比2021年降幅3.03%`: -3.03)


def stated(text: str, year: int) -> Stated:
    """This year's and last year's values when the text states both
    (`2021年综合利用率19.09%，2022年综合利用率19.23%，提高幅度0.7%` for 2022 → 19.23, 19.09), and
    a change from last year it states (`比2021年降幅3.03%` → -3.03)."""
    cleaned = text.translate(_FULL_WIDTH)
    years: dict[int, Decimal] = {}
    for found_year, number in _YEAR_VALUE.findall(cleaned):
        years.setdefault(int(found_year), Decimal(number))
    change = None
    for found_year, word, number in _CHANGE_FROM.findall(cleaned):
        if int(found_year) == year - 1:
            change = -Decimal(number) if word in _FALLS else Decimal(number)
            break
    if year in years and year - 1 in years:
        return Stated(years[year], years[year - 1], change)
    return Stated(change=change)


JUDGEMENTS = {"已达标": "met", "未达标": "not_met"}


def parse_judgement(printed: str) -> str:
    """`已达标` → met, `未达标` → not_met, anything else (`/`, `--`, blank) → no judgement."""
    return JUDGEMENTS.get(printed.strip(), "")
