"""Which standard an area is judged against, for every indicator: the one place that decides it.

In order: the area's own bar (StandardOverride) of the indicator, else of its parent (an
override of a composite indicator is the bar of each sub-indicator); then the bar of the
area's terrain group or climate zone (GroupStandard), likewise; then the printed standard,
the indicator's or its parent's (the city's bar). Loaded once, in two queries, then answered
from memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from counties.models import Area

from .models import GroupStandard, Indicator, StandardOverride


@dataclass(frozen=True)
class AppliedStandard:
    rule: dict | None
    standard: str  # the text of the bar that applies
    override: StandardOverride | None = None  # the area's own bar, when it applies
    group: GroupStandard | None = None  # the terrain or climate group's bar, when it applies
    city_bar_note: str = ""  # set when a county is judged on the city's blended bar

    @property
    def is_own(self) -> bool:
        return self.override is not None or self.group is not None


class Standards:
    """Every area override and group standard, by (area or group, indicator)."""

    def __init__(self, overrides: list[StandardOverride], groups: list[GroupStandard]) -> None:
        self.overrides = {(o.area_id, o.indicator_id): o for o in overrides}
        self.groups = {(g.group, g.indicator_id): g for g in groups}

    @classmethod
    def load(cls, *, area: Area | None = None) -> Standards:
        overrides = StandardOverride.objects.all()
        groups = GroupStandard.objects.all()
        if area is not None:
            overrides = overrides.filter(area=area)
            groups = groups.filter(
                Q(terrain=area.terrain, terrain__gt="")
                | Q(climate_zone=area.climate_zone, climate_zone__gt="")
            )
        return cls(list(overrides), list(groups))

    def applied(self, indicator: Indicator, area: Area) -> AppliedStandard:
        """The standard `area` is judged against for `indicator` (whose `parent` is loaded)."""
        parent = indicator.parent
        chain = [indicator, parent] if parent is not None else [indicator]
        for item in chain:
            override = self.overrides.get((area.pk, item.pk))
            if override is not None:
                return AppliedStandard(override.rule, override.standard, override=override)
        for item in chain:
            for name in filter(None, (area.terrain, area.climate_zone)):
                group = self.groups.get((name, item.pk))
                if group is not None:
                    return AppliedStandard(group.rule, group.standard, group=group)
        rule, standard = indicator.effective_rule, indicator.effective_standard
        note = ""
        if indicator.is_condition and not area.is_city:
            named = area.get_terrain_display() or area.get_climate_zone_display() or "所属分区"
            note = f"尚未设定{named}的标准，暂按全市标准（{standard}）判定"
        return AppliedStandard(rule, standard, city_bar_note=note)
