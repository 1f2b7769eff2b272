import re
from datetime import timedelta
from decimal import Decimal

import plotly
from django import template
from django.templatetags.static import static

from lvliang_eco import formatting

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    return formatting.wan(value)


@register.filter
def yi(value: Decimal | None) -> str:
    return formatting.yi(value)


@register.filter
def share(part: Decimal | None, whole: Decimal | None) -> str:
    """A share in percent to one decimal, Chinese convention (12.4%)."""
    if part is None or not whole:
        return "—"
    return f"{Decimal(part) * 100 / Decimal(whole):.1f}%"


@register.filter
def subtract(value, other):
    return int(value) - int(other)


@register.filter
def add_decimal(value, other):
    return Decimal(value or 0) + Decimal(other or 0)


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def get(mapping, key):
    if not mapping:
        return None
    try:
        numeric = isinstance(key, str) and key.isascii() and key.isdigit()
        return mapping.get(int(key)) if numeric else mapping.get(key)
    except AttributeError:
        return None


@register.filter
def plain(value):
    return formatting.plain_number(value) if isinstance(value, Decimal) else value


@register.filter
def sum_completed(rows: list[dict]) -> Decimal:
    return sum((row["completed"] for row in rows), Decimal("0"))


@register.filter
def reported(value, unit: str = "") -> str:
    """An indicator value as reported, for a table cell: the value text with its unit where it
    is a bare number (`73.83%`), and the choice apart (`73.83%；是`); a choice the text only
    repeats is shown once (`是`, not `是是`). `value` is an IndicatorValue or None."""
    if value is None:
        return ""
    text = (value.value_text or "").strip()
    choice = {True: "是", False: "否"}.get(value.flag, value.state or "")
    if text == choice:
        text = ""
    if text and unit and unit not in {"-", "—"} and NUMBER.fullmatch(text):
        text += unit
    return "；".join(part for part in (text, choice) if part)


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (a lockout of 90 s reads as 2 minutes)."""
    if value is None:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.simple_tag
def plotly_js() -> str:
    """The URL of plotly.js with plotly's version, so that browsers may cache it for a year
    (static_headers.py) and fetch it anew after an upgrade."""
    return f"{static('vendor/plotly.min.js')}?v={plotly.__version__}"
