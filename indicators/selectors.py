"""Reads for the indicators app."""

from __future__ import annotations

from dataclasses import dataclass, field

from counties.models import CITY_CODE

from .models import Domain, Indicator, IndicatorValue


@dataclass
class IndicatorLine:
    indicator: Indicator
    city_value: IndicatorValue | None
    subs: list[IndicatorLine] = field(default_factory=list)


def indicator_lines(*, year: int = 2022) -> dict[int, list[IndicatorLine]]:
    """Top-level indicators by domain id, each with its sub-indicators and the city's value
    for `year`. Two queries whatever the number of indicators."""
    indicators = list(Indicator.objects.select_related("task").order_by("order"))
    values = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(area__code=CITY_CODE, year=year)
    }
    lines: dict[int, IndicatorLine] = {}
    by_domain: dict[int, list[IndicatorLine]] = {}
    for indicator in indicators:
        line = IndicatorLine(indicator, values.get(indicator.pk))
        lines[indicator.pk] = line
        if indicator.parent_id:
            lines[indicator.parent_id].subs.append(line)
        else:
            by_domain.setdefault(indicator.task.domain_id, []).append(line)
    return by_domain


def domains() -> list[Domain]:
    return list(Domain.objects.order_by("order"))
