"""Plain-value formatting shared by commands and pages (Chinese conventions)."""

from __future__ import annotations

from decimal import Decimal


def plain_number(value: Decimal | int | float | None) -> int | float | None:
    """A Decimal as a JSON number: an int when it is whole, else a float."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def jsonable(value):
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return plain_number(value)
    return value


def wan(value: Decimal | None) -> str:
    """万元 with thousands separators; `--` for an unknown amount."""
    if value is None:
        return "--"
    number = plain_number(value)
    return f"{number:,.2f}".rstrip("0").rstrip(".") if isinstance(number, float) else f"{number:,}"


def yi(value: Decimal | None) -> str:
    """万元 shown in 亿元 to two decimals, as the plan's text does (1632.90亿元)."""
    if value is None:
        return "--"
    return f"{(Decimal(value) / 10000):,.2f}"
