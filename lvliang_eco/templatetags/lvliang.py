from decimal import Decimal

from django import template

from lvliang_eco import formatting

register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    return formatting.wan(value)


@register.filter
def yi(value: Decimal | None) -> str:
    return formatting.yi(value)
