"""Compliance of the city and its counties with every indicator, year by year.

Reads for pages and commands: loads everything one computation needs in a fixed number of
queries, whatever the number of areas, indicators or years, and applies the pure rule engine
(assessment.py) to it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from counties.models import CITY_CODE, Area, Milestone, PlanGoal

from .assessment import (
    Assessment,
    Observation,
    Progress,
    agrees,
    assess,
    assess_composite,
    progress,
)
from .models import (
    ConstructionStandardRule,
    GroupStandard,
    Indicator,
    IndicatorValue,
    StandardOverride,
)
from .parsing import parse_value_text, stated
from .rules import describe_rule, threshold_target
from .standards import Standards
from .statuses import Basis, Status

# Which (area_id, year) a reader counts: a viewer's filter (a county officer counts other
# counties' approved years only, see counties/access.py). None counts everything.
Counts = Callable[[int, int], bool]

BOUND_SIGNS = set("≥≤><＞＜")
# What the computation and the pages read of a value; the rest is not loaded.
VALUE_FIELDS = (
    "id", "indicator_id", "area_id", "year", "value_text", "number", "state", "flag",
    "judgement", "judgement_printed", "note", "source", "source_detail",
)  # fmt: skip


# What the computation itself reads of an indicator (and of its parent) and of a value: what
# a writer of results loads (`lean`), leaving the texts pages show (targets, notes, aliases,
# a value's note and source) unread.
LEAN_FIELDS = (
    "code", "number", "parent_id", "order", "name", "standard", "attribute", "standard_rule",
    "target_2025_rule", "target_2030_rule", "is_condition",
)  # fmt: skip
LEAN_VALUE_FIELDS = (
    "id", "indicator_id", "area_id", "year", "value_text", "number", "state", "flag",
    "judgement",
)  # fmt: skip


def observation(value: IndicatorValue | None) -> Observation | None:
    if value is None:
        return None
    cached = getattr(value, "_observation", None)
    if cached is not None:
        return cached
    value._observation = observation_of(
        value.value_text,
        year=value.year,
        number=value.number,
        state=value.state,
        flag=value.flag,
        judgement=value.judgement,
    )
    return value._observation


def observation_of(
    text: str,
    *,
    year: int,
    number: Decimal | None,
    state: str = "",
    flag: bool | None = None,
    judgement: str = "",
) -> Observation:
    """What the rule engine reads of a value: its number (or, when the text states this year's
    and last year's values, the one it states), a bound's comparator, last year's value and the
    change from last year the text itself states."""
    said = stated(text, year)
    return Observation(
        text=text,
        number=number if number is not None else said.number,
        comparator=parse_value_text(text).comparator,
        state=state,
        flag=flag,
        judgement=judgement,
        earlier=said.earlier,
        change=said.change,
    )


@dataclass(slots=True)
class IndicatorResult:
    indicator: Indicator
    assessment: Assessment
    value: IndicatorValue | None
    rule: dict | None
    standard: str
    override: StandardOverride | None = None
    agrees: bool | None = None
    group: GroupStandard | None = None  # the terrain or climate group's bar, when it applies
    city_bar_note: str = ""  # a county judged on the city's blended bar, and why
    progress: dict[int, Progress] = field(default_factory=dict)
    subs: list[IndicatorResult] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.assessment.status

    @property
    def rule_description(self) -> str:
        if self.subs:
            shared = f"（各子指标：{describe_rule(self.rule)}）" if self.rule else ""
            return "各子指标均达标" + shared
        return describe_rule(self.rule)


@dataclass
class AreaResult:
    area: Area
    year: int
    indicators: list[IndicatorResult]
    summary: dict[str, int]
    reaches_standard: bool

    def all_results(self) -> list[IndicatorResult]:
        return [r for top in self.indicators for r in [top, *top.subs]]

    def disagreements(self) -> list[IndicatorResult]:
        """Where a computed status contradicts the recorded judgement."""
        return [r for r in self.all_results() if r.agrees is False]

    def judged(self) -> list[IndicatorResult]:
        """Where the rule could not decide and the recorded judgement was used."""
        results = self.all_results()
        return [r for r in results if r.assessment.basis == Basis.JUDGEMENT and not r.subs]


@dataclass
class Compliance:
    year: int
    rule: ConstructionStandardRule
    areas: list[AreaResult]
    goals: dict


class _Data:
    """Everything the computation reads, in one query per table. Values of the (area, year)s
    that `counts` refuses are left out, as if never reported."""

    def __init__(
        self,
        *,
        last_year: int,
        codes: list[str] | None = None,
        progress: bool = True,
        counts: Counts | None = None,
        lean: bool = False,
    ) -> None:
        self.with_progress = progress
        self.areas = list(Area.objects.order_by("order"))
        indicators = Indicator.objects.select_related("parent").order_by("order")
        if lean:
            indicators = indicators.only(*LEAN_FIELDS, *(f"parent__{f}" for f in LEAN_FIELDS))
        self.indicators = list(indicators)
        self.values: dict[tuple[int, int], dict[int, IndicatorValue]] = defaultdict(dict)
        self._series: dict[tuple[int, int], list[tuple[int, Decimal]]] = defaultdict(list)
        self._bounds: dict[tuple[int, int], list[tuple[int, str, Decimal]]] = defaultdict(list)
        values = (
            IndicatorValue.objects.filter(year__lte=last_year)
            .only(*(LEAN_VALUE_FIELDS if lean else VALUE_FIELDS))
            .order_by("year")
        )
        if codes is not None:
            values = values.filter(area__code__in=codes)
        for value in values:
            if counts is not None and not counts(value.area_id, value.year):
                continue
            self.values[(value.area_id, value.year)][value.indicator_id] = value
            if value.number is None:
                continue
            if value.value_text.lstrip()[:1] in BOUND_SIGNS:
                # `≥60` bounds the value: no point of a growth series.
                comparator = parse_value_text(value.value_text).comparator
                self._bounds[(value.area_id, value.indicator_id)].append(
                    (value.year, comparator, value.number)
                )
                continue
            self._series[(value.area_id, value.indicator_id)].append((value.year, value.number))
        self.standards = Standards(
            list(StandardOverride.objects.all()), list(GroupStandard.objects.all())
        )
        self.rule = ConstructionStandardRule.objects.first() or ConstructionStandardRule()
        kinds = list(PlanGoal.Kind)
        self.goals = sorted(PlanGoal.objects.all(), key=lambda g: (g.year, kinds.index(g.kind)))
        self.milestones = list(Milestone.objects.all())
        self.subs: dict[int, list[Indicator]] = defaultdict(list)
        for indicator in self.indicators:
            if indicator.parent_id:
                self.subs[indicator.parent_id].append(indicator)

    def series(self, area: Area, indicator: Indicator, last_year: int) -> list[tuple[int, Decimal]]:
        return [(y, n) for y, n in self._series[(area.pk, indicator.pk)] if y <= last_year]

    def bound(self, area: Area, indicator: Indicator, last_year: int):
        """The latest value up to `last_year` reported as a bound (`≥60`), as (year, comparator,
        number), or None. A year's result never depends on the years after it."""
        earlier = [b for b in self._bounds.get((area.pk, indicator.pk), ()) if b[0] <= last_year]
        return earlier[-1] if earlier else None


def _thresholds() -> dict[str, float]:
    return getattr(settings, "PROGRESS_THRESHOLDS", {})


def _indicator_result(data: _Data, area: Area, year: int, indicator: Indicator) -> IndicatorResult:
    applied = data.standards.applied(indicator, area)
    rule, standard = applied.rule, applied.standard
    subs = [_indicator_result(data, area, year, sub) for sub in data.subs.get(indicator.pk, [])]
    value = data.values.get((area.pk, year), {}).get(indicator.pk)
    if subs:
        assessment = assess_composite([(s.indicator.label, s.assessment) for s in subs])
    else:
        previous = data.values.get((area.pk, year - 1), {}).get(indicator.pk)
        assessment = assess(rule, observation(value), observation(previous))
    result = IndicatorResult(
        indicator=indicator,
        assessment=assessment,
        value=value,
        rule=rule,
        standard=standard,
        override=applied.override,
        group=applied.group,
        city_bar_note=applied.city_bar_note,
        agrees=agrees(assessment, value.judgement) if value else None,
        subs=subs,
    )
    if not subs and data.with_progress:
        series = data.series(area, indicator, year)
        for target_year, target_rule in (
            (2025, indicator.target_2025_rule),
            (2030, indicator.target_2030_rule),
        ):
            bar = threshold_target(target_rule)
            if bar:
                result.progress[target_year] = progress(
                    series,
                    target=bar[1],
                    target_year=target_year,
                    direction="down" if bar[0] in {"<=", "<"} else "up",
                    thresholds=_thresholds(),
                    bound=data.bound(area, indicator, year),
                )
    return result


def _area_result(data: _Data, area: Area, year: int) -> AreaResult:
    results = [
        _indicator_result(data, area, year, indicator)
        for indicator in data.indicators
        if indicator.parent_id is None
    ]
    summary = dict.fromkeys(Status, 0)
    binding_met = binding_total = reference_met = reference_total = 0
    for result in results:
        summary[result.status] += 1
        met = result.status == Status.MET
        if result.indicator.is_binding:
            binding_total += 1
            binding_met += met
        else:
            reference_total += 1
            reference_met += met
    summary.update(
        binding_met=binding_met,
        binding_total=binding_total,
        reference_met=reference_met,
        reference_total=reference_total,
    )
    share = data.rule.reference_min_share
    reaches = (
        binding_total > 0
        and binding_met == binding_total
        and reference_total > 0
        and Decimal(reference_met) >= share * reference_total
    )
    return AreaResult(area, year, results, summary, reaches)


def _required(share: Decimal, total: int) -> int:
    # "30%以上的县" of 13 counties: 3.9 → 4 counties.
    return math.ceil(share * total - Decimal("1e-9"))


def _goals(data: _Data, year: int, counties: list[AreaResult], city: AreaResult | None) -> dict:
    total = len(counties)
    reaching = [r.area for r in counties if r.reaches_standard]
    year_end = f"{year}-12-31"
    done: dict[str, list[Area]] = defaultdict(list)
    planned: dict[str, dict[str, int | None]] = defaultdict(dict)
    by_area = {a.pk: a for a in data.areas}
    for milestone in data.milestones:
        area = by_area[milestone.area_id]
        if area.is_city:
            continue
        planned[milestone.kind][area.code] = milestone.planned_year
        if milestone.achieved_on and milestone.achieved_on.isoformat() <= year_end:
            done[milestone.kind].append(area)
    current = {
        PlanGoal.Kind.STANDARD_REACHED: len(reaching),
        PlanGoal.Kind.CREATION_COMPLETED: len(done[Milestone.Kind.CREATION_COMPLETED]),
        PlanGoal.Kind.PLAN_PUBLISHED: len(done[Milestone.Kind.PLAN_PUBLISHED]),
        PlanGoal.Kind.CITY_STANDARD: int(bool(city and city.reaches_standard)),
    }
    targets = []
    for goal in data.goals:
        required = 1 if goal.kind == PlanGoal.Kind.CITY_STANDARD else _required(goal.share, total)
        targets.append(
            {
                "year": goal.year,
                "kind": goal.kind,
                "label": goal.get_kind_display(),
                "share": goal.share,
                "required": required,
                "current": current[goal.kind],
                "met": current[goal.kind] >= required,
                "quote": goal.quote,
            }
        )
    return {
        "year": year,
        "counties_total": total,
        "reaching_standard": {
            "count": len(reaching),
            "codes": [a.code for a in reaching],
            "names": [a.name for a in reaching],
            "share": Decimal(len(reaching)) / total if total else Decimal("0"),
        },
        "named": [a.name for a in done[Milestone.Kind.CREATION_COMPLETED]],
        "plans_published": [a.name for a in done[Milestone.Kind.PLAN_PUBLISHED]],
        "plans_planned_by_2025": sum(
            1 for y in planned[Milestone.Kind.PLAN_PUBLISHED].values() if y and y <= 2025
        ),
        "targets": targets,
    }


def compliance_years(
    *,
    years: list[int],
    area_codes: list[str] | None = None,
    goals: bool = True,
    progress: bool = True,
    counts: Counts | None = None,
    lean: bool = False,
) -> dict[int, Compliance]:
    """Results of the requested areas (all when None) for each year, with the plan-goal counts
    of the counties for that year (which need every county; `goals=False` skips them and reads
    only the requested areas): one read of each table whatever the number of years. Only the
    values of the (area, year)s that `counts` accepts are read (None: all). `lean`: the
    results' indicators and values carry LEAN_FIELDS and LEAN_VALUE_FIELDS only (the results
    store's writer; reading another field then costs a query per row)."""
    wanted_only = not goals and area_codes is not None
    data = _Data(
        last_year=max(years),
        codes=area_codes if wanted_only else None,
        progress=progress,
        counts=counts,
        lean=lean,
    )
    output = {}
    for year in years:
        areas = [a for a in data.areas if area_codes is None or a.code in area_codes]
        if wanted_only:
            results = {a.code: _area_result(data, a, year) for a in areas}
            output[year] = Compliance(year, data.rule, list(results.values()), {})
            continue
        every = {a.code: _area_result(data, a, year) for a in data.areas}
        counties = [every[a.code] for a in data.areas if not a.is_city]
        year_goals = _goals(data, year, counties, every.get(CITY_CODE))
        output[year] = Compliance(year, data.rule, [every[a.code] for a in areas], year_goals)
    return output


def compliance(
    *, year: int, area_codes: list[str] | None = None, counts: Counts | None = None
) -> Compliance:
    return compliance_years(years=[year], area_codes=area_codes, counts=counts)[year]


def years_with_values(*, counts: Counts | None = None) -> list[int]:
    """The years with at least one value that `counts` accepts (None: any value). One query."""
    values = IndicatorValue.objects.order_by()
    if counts is None:
        return list(values.order_by("year").values_list("year", flat=True).distinct())
    pairs = values.values_list("area_id", "year").distinct()
    return sorted({year for area_id, year in pairs if counts(area_id, year)})
