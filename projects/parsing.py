"""Reading Table 2's amount, year and funding cells. Plain functions, no ORM."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

GIVEN = "given"
NOT_GIVEN = "not_given"
MERGED = "merged"


def parse_amount(printed: str) -> tuple[str, Decimal | None]:
    """An amount cell in 万元: a number, `--` (not given: unknown, not zero), or blank (the cell
    is merged with the row above, whose amount covers this row too)."""
    text = printed.strip().replace(",", "")
    if not text:
        return MERGED, None
    if text in {"--", "-", "—"}:
        return NOT_GIVEN, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"投资概算应为数字或“--”，实际为“{printed}”") from None
    if value < 0:
        raise ValueError(f"投资概算不能为负数，实际为“{printed}”")
    return GIVEN, value


_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-－–~～至]\s*(\d{4}))?\s*$")


def parse_years(printed: str) -> tuple[int | None, int | None]:
    """`2024` → (2024, 2024); `2023-2025` → (2023, 2025); blank → (None, None)."""
    if not printed.strip():
        return None, None
    match = _YEARS.match(printed)
    if not match:
        raise ValueError(f"实施年限应为“2024”或“2023-2025”的形式，实际为“{printed}”")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last:
        raise ValueError(f"实施年限的起始年晚于结束年：“{printed}”")
    return first, last


def classify_funding(source: str) -> str:
    """Government when a budget (财政) is named, enterprise for 企业自筹, mixed when both are
    named (`交城县财政及各相关企业`). Table 3's government column counts mixed rows as
    government, which `is_government` reflects."""
    text = source.strip()
    if not text:
        return "unknown"
    government = "财政" in text
    enterprise = "企业" in text
    if government and enterprise:
        return "mixed"
    if government:
        return "government"
    if enterprise:
        return "enterprise"
    return "unknown"


def is_government(kind: str) -> bool:
    return kind in {"government", "mixed"}
