"""Assessment results as data: every area's status on every indicator in every year with values,
stored (AssessmentResult, AreaYearResult) so that pages and exports read them instead of
recomputing from every value on each request.

Two scopes are kept (models.Scope): `all` counts every reported value; `approved` counts the
city's values and the counties' approved years only, which is what a county officer sees of
the other counties and what the bureau or leadership see when they choose approved figures.
An area's result depends on its own counted values only, so a viewer's results are, area by
area, those of one scope (counties.access.Visibility.result_scope).

Writers: results_refresh() after a change of one area's values or submission state (called by
submissions.services inside the same transaction), results_rebuild() after a change of a rule,
an override, a group standard or the construction standard (submissions.services.
approved_results_watch), or the same in steps by a background job (results_rebuild_plan()
and results_rebuild_step(), run by jobs.services). results_drift() compares the store with a
fresh computation (command `results --verify`).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from counties.models import CITY_CODE, Area, Milestone, PlanGoal
from lvliang_eco.bulk import rows_insert
from lvliang_eco.pagecache import data_changed

from .assessment import Assessment, Progress
from .compliance import (
    VALUE_FIELDS,
    AreaResult,
    Compliance,
    Counts,
    IndicatorResult,
    _Data,
    _goals,
    compliance_years,
    years_with_values,
)
from .models import (
    AreaYearResult,
    AssessmentResult,
    ConstructionStandardRule,
    GroupStandard,
    Indicator,
    IndicatorValue,
    Scope,
    StandardOverride,
)
from .statuses import Basis

# The fields of AssessmentResult that a fresh computation must reproduce (computed_at aside).
COMPARED = (
    "status",
    "basis",
    "reason",
    "computed",
    "value_text",
    "standard",
    "rule",
    "rule_version",
    "agrees",
    "override_id_used",
    "group_id_used",
    "city_bar_note",
    "progress",
)


def scope_counts(scope: str) -> Counts | None:
    """The filter of a scope as compliance_years takes it: None (everything) for `all`; the
    city's values and the counties' approved years for `approved`. Two queries."""
    if scope == Scope.ALL:
        return None
    from submissions.models import Submission  # submissions builds on indicators

    approved = set(
        Submission.objects.filter(state=Submission.State.APPROVED).values_list("area_id", "year")
    )
    city_ids = set(Area.objects.filter(kind=Area.Kind.CITY).values_list("pk", flat=True))
    return lambda area_id, year: area_id in city_ids or (area_id, year) in approved


def rule_version(rule: dict | None, standard: str) -> str:
    """A short fingerprint of the rule and standard a result was judged by (16 hex digits)."""
    text = json.dumps([rule, standard], sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _jsonable(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _progress_data(progress: dict[int, Progress]) -> dict:
    return {
        str(year): {
            "status": p.status,
            "reason": p.reason,
            "gap": p.gap,
            "ratio": p.ratio,
            "details": p.details,
        }
        for year, p in progress.items()
    }


class _Versions(dict):
    """rule_version() of each (rule, standard) met in one write, computed once: a refresh
    judges thousands of results by the same few rule objects. Keyed by the rule object's
    identity, which the entry keeps alive so the key cannot be reused."""

    def of(self, rule: dict | None, standard: str) -> str:
        key = (id(rule), standard)
        held = self.get(key)
        if held is None:
            held = self[key] = (rule, rule_version(rule, standard))
        return held[1]


def _values(result: IndicatorResult, versions: _Versions) -> tuple:
    """What is stored of one computed result, in COMPARED order; `rule` and `progress` as
    Python data (the fields' DjangoJSONEncoder stores them)."""
    assessment, standard = result.assessment, result.standard or ""
    return (
        str(assessment.status),
        str(assessment.basis),
        assessment.reason,
        str(assessment.computed or ""),
        result.value.value_text if result.value else "",
        standard,
        result.rule,
        versions.of(result.rule, standard),
        result.agrees,
        result.override.pk if result.override else None,
        result.group.pk if result.group else None,
        result.city_bar_note or "",
        _progress_data(result.progress) if result.progress else {},
    )


def _fields(result: IndicatorResult) -> dict:
    """What is stored of one computed result as it reads back from the database (the COMPARED
    fields, JSON data as decoded)."""
    fields = dict(zip(COMPARED, _values(result, _Versions()), strict=True))
    fields["rule"] = _jsonable(fields["rule"])
    fields["progress"] = _jsonable(fields["progress"])
    return fields


def _summary_json(area: AreaResult) -> dict:
    return {str(key): value for key, value in area.summary.items()}


def _fresh(scope: str, *, years: list[int], area_codes: list[str] | None) -> dict[int, Compliance]:
    return compliance_years(
        years=years, area_codes=area_codes, goals=False, counts=scope_counts(scope), lean=True
    )


RESULT_COLUMNS = ("scope", "area", "indicator", "year", "computed_at", *COMPARED)


def _write(
    *, years: list[int], area_ids: set[int] | None, scopes: Iterable[str] = Scope.values
) -> int:
    """Recompute and replace the stored results of `area_ids` (None: every area) in `years`,
    in `scopes` (both by default). Returns the number of AssessmentResult rows written."""
    areas = Area.objects.all() if area_ids is None else Area.objects.filter(pk__in=area_ids)
    codes = list(areas.values_list("code", flat=True))
    now = timezone.now()
    versions = _Versions()
    written = 0
    for scope in scopes:
        fresh = _fresh(scope, years=years, area_codes=codes)
        stale = {"scope": scope, "year__in": years}
        if area_ids is not None:
            stale["area_id__in"] = area_ids
        AssessmentResult.objects.filter(**stale).delete()
        AreaYearResult.objects.filter(**stale).delete()
        AreaYearResult.objects.bulk_create(
            [
                AreaYearResult(
                    scope=scope,
                    area=area.area,
                    year=year,
                    summary=_summary_json(area),
                    reaches_standard=area.reaches_standard,
                    computed_at=now,
                )
                for year, data in fresh.items()
                for area in data.areas
            ],
            batch_size=2000,
        )
        written += rows_insert(
            AssessmentResult,
            RESULT_COLUMNS,
            (
                (scope, area.area.pk, item.indicator.pk, year, now, *_values(item, versions))
                for year, data in fresh.items()
                for area in data.areas
                for item in area.all_results()
            ),
        )
    return written


def value_change_scopes(area: Area, *, approved: bool) -> list[str]:
    """The scopes whose results a change of `area`'s values in a year can alter: both for the
    city (the approved scope counts all its values) and for a county's approved year; only
    `all` for a county's year not approved, whose values the approved scope does not count
    (nor, through trends and progress, in later years)."""
    return list(Scope.values) if area.is_city or approved else [Scope.ALL]


def stored_years() -> list[int]:
    """The years the store holds results for. One query."""
    years = AreaYearResult.objects.order_by("year").values_list("year", flat=True).distinct()
    return list(years)


def results_refresh(
    *, area_ids: Iterable[int], from_year: int, scopes: Iterable[str] = Scope.values
) -> int:
    """Bring the store up to date after a change of the values or the submission state of
    `area_ids` in `from_year`: their results of that year and every later year (trends and
    progress read the earlier years) are recomputed in `scopes` (both by default; see
    value_change_scopes()); a year that gained its first value gets results for every area in
    both scopes, a year that lost its last value loses them. Call it inside the transaction of
    the change. Returns the number of result rows written."""
    area_ids = set(area_ids)
    with transaction.atomic():
        Area.objects.select_for_update().filter(pk__in=area_ids).exists()  # one writer per area
        data_changed()
        wanted = years_with_values()
        held = set(stored_years())
        gone = held - set(wanted)
        if gone:
            AssessmentResult.objects.filter(year__in=gone).delete()
            AreaYearResult.objects.filter(year__in=gone).delete()
        new = sorted(set(wanted) - held)
        written = _write(years=new, area_ids=None) if new else 0
        later = [y for y in wanted if y >= from_year and y not in new]
        if later:
            written += _write(years=later, area_ids=area_ids, scopes=scopes)
    return written


def results_rebuild() -> int:
    """Recompute the whole store (after a rule, an override, a group standard or the
    construction standard changed, or to repair drift). Returns the rows written."""
    with transaction.atomic():
        data_changed()
        AssessmentResult.objects.all().delete()
        AreaYearResult.objects.all().delete()
        years = years_with_values()
        return _write(years=years, area_ids=None) if years else 0


def results_rebuild_plan(*, areas_per_step: int) -> list[tuple[int, list[int]]]:
    """The first part of a full rebuild in steps (jobs.services, a background job): drops the
    stored results of years that no longer have values and returns the steps, each (year,
    area ids), `areas_per_step` areas of one year at a time, years ascending. Steps are then
    run by results_rebuild_step() in that order, each in its own transaction; together they
    write what results_rebuild() writes. Raises ValueError if areas_per_step < 1."""
    if areas_per_step < 1:
        raise ValueError("areas_per_step must be at least 1")
    with transaction.atomic():
        data_changed()
        years = years_with_values()
        AssessmentResult.objects.exclude(year__in=years).delete()
        AreaYearResult.objects.exclude(year__in=years).delete()
    area_ids = list(Area.objects.order_by("pk").values_list("pk", flat=True))
    batches = [area_ids[i : i + areas_per_step] for i in range(0, len(area_ids), areas_per_step)]
    return [(year, batch) for year in years for batch in batches]


def results_rebuild_step(*, year: int, area_ids: Iterable[int]) -> int:
    """One step of a full rebuild: recompute and replace the stored results of `area_ids` in
    `year` (both scopes), in one transaction that holds those areas' lock, as results_refresh()
    does. Returns the result rows written."""
    area_ids = set(area_ids)
    with transaction.atomic():
        Area.objects.select_for_update().filter(pk__in=area_ids).exists()
        data_changed()
        return _write(years=[year], area_ids=area_ids)


@dataclass(frozen=True)
class Drift:
    """One difference between the store and a fresh computation."""

    scope: str
    area_code: str
    year: int
    indicator_code: str  # "" for an area-year summary
    field: str
    stored: object
    fresh: object

    def __str__(self) -> str:
        where = f"{self.area_code} {self.year}年 {self.indicator_code or '汇总'}（{self.scope}）"
        return f"{where} {self.field}：存储为 {self.stored!r}，重新计算为 {self.fresh!r}"


def results_drift() -> list[Drift]:
    """Every difference between the stored results and a fresh computation of all areas and
    years (missing and extra rows included), empty when the store is right."""
    drift: list[Drift] = []
    years = years_with_values()
    extra = sorted(set(stored_years()) - set(years))
    for year in extra:
        drift.append(Drift("*", "*", year, "", "年份", "已存储", "无数据"))
    for scope in Scope.values:
        stored = {
            (r.area.code, r.year, r.indicator.code): r
            for r in AssessmentResult.objects.filter(scope=scope).select_related(
                "area", "indicator"
            )
        }
        summaries = {
            (s.area.code, s.year): s
            for s in AreaYearResult.objects.filter(scope=scope).select_related("area")
        }
        fresh = _fresh(scope, years=years, area_codes=None) if years else {}
        for year, data in fresh.items():
            for area in data.areas:
                code = area.area.code
                summary = summaries.pop((code, year), None)
                fresh_summary = (_summary_json(area), area.reaches_standard)
                held = (summary.summary, summary.reaches_standard) if summary else None
                if held != fresh_summary:
                    drift.append(Drift(scope, code, year, "", "汇总", held, fresh_summary))
                for item in area.all_results():
                    row = stored.pop((code, year, item.indicator.code), None)
                    expected = _fields(item)
                    if row is None:
                        drift.append(
                            Drift(scope, code, year, item.indicator.code, "结果", None, "缺少")
                        )
                        continue
                    for name in COMPARED:
                        if getattr(row, name) != expected[name]:
                            drift.append(
                                Drift(
                                    scope,
                                    code,
                                    year,
                                    item.indicator.code,
                                    name,
                                    getattr(row, name),
                                    expected[name],
                                )
                            )
        for (code, year, indicator), _row in stored.items():
            drift.append(Drift(scope, code, year, indicator, "结果", "多余", None))
    return drift


# -- reading ------------------------------------------------------------------------------


def _assessment(row: AssessmentResult) -> Assessment:
    return Assessment(row.status, row.reason, row.basis, row.computed)


def _progress(stored: dict) -> dict[int, Progress]:
    return {
        int(year): Progress(
            p["status"],
            p["reason"],
            None if p["gap"] is None else Decimal(p["gap"]),
            p["ratio"],
            p["details"],
        )
        for year, p in stored.items()
    }


def _of_scopes(area_ids: list[int], scope_of) -> Q:
    """The stored results of `area_ids`, each area's of the scope `scope_of(area_id)` names:
    one condition for one query, whatever the scopes."""
    by_scope: dict[str, list[int]] = defaultdict(list)
    for area_id in area_ids:
        by_scope[scope_of(area_id)].append(area_id)
    condition = Q(pk__in=[])
    for scope, ids in by_scope.items():
        condition |= Q(scope=scope, area_id__in=ids)
    return condition


def results_flagged(vis, *, years: list[int]) -> tuple[list[dict], int]:
    """What the data-quality page lists of viewer `vis`'s stored results of `years` (every
    area): where the computed status contradicts the recorded judgement (the plan's 现状判断
    or a county's), and how many leaf indicators' statuses are the recorded judgement because
    the rule cannot decide. Equal to AreaResult.disagreements() and judged() over
    results_years(vis, years=years), read in three queries at any number of areas and years
    instead of every result. Returns ([{"year", "area", "indicator", "assessment" (an
    Assessment), "judgement" (the value's recorded status)}] by year, area and indicator
    order, the judged count)."""
    areas = {a.pk: a for a in Area.objects.all()}
    indicators = {i.pk: i for i in Indicator.objects.select_related("parent")}
    parents = {i.parent_id for i in indicators.values() if i.parent_id}
    found = AssessmentResult.objects.filter(
        _of_scopes(list(areas), vis.result_scope), year__in=years
    ).filter(Q(agrees=False) | Q(basis=Basis.JUDGEMENT))
    flagged = list(found.only("area_id", "indicator_id", "year", "status", "reason", "basis",
                              "computed", "agrees"))  # fmt: skip
    judged = sum(1 for r in flagged if r.basis == Basis.JUDGEMENT and r.indicator_id not in parents)
    disagreeing = [r for r in flagged if r.agrees is False]
    judgements = {}
    if disagreeing:
        keys = Q(pk__in=[])
        for r in disagreeing:
            keys |= Q(area_id=r.area_id, indicator_id=r.indicator_id, year=r.year)
        for value in IndicatorValue.objects.filter(keys).only(
            "area_id", "indicator_id", "year", "judgement"
        ):
            if vis.counts(value.area_id, value.year):
                judgements[(value.area_id, value.indicator_id, value.year)] = value.judgement
    rows = [
        {"year": r.year, "area": areas[r.area_id], "indicator": indicators[r.indicator_id],
         "assessment": _assessment(r),
         "judgement": judgements.get((r.area_id, r.indicator_id, r.year), "")}
        for r in disagreeing
    ]  # fmt: skip
    rows.sort(key=lambda d: (d["year"], d["area"].order, d["indicator"].order))
    return rows, judged


def stored_compliance_years(
    *,
    years: list[int],
    scope_of,
    area_codes: list[str] | None = None,
    goals: bool = True,
    progress: bool = True,
    detail_years: list[int] | None = None,
    detail_codes: list[str] | None = None,
    counts: Counts | None = None,
) -> dict[int, Compliance]:
    """The same as compliance.compliance_years(years=…, area_codes=…, goals=…, progress=…,
    counts=…), read from the store: `scope_of(area_id)` names the scope of each area's results
    (see counties.access.Visibility.result_scope) and `counts` the viewer's filter for the
    values attached to the results. Indicator results (and values) are read for `detail_years`
    (None: all `years`) of the areas in `detail_codes` (None: all of `area_codes`) only; any
    other AreaResult has its summary and no indicators.
    A fixed number of queries, whatever the years.
    Raises LookupError when the store lacks a result (run `results --rebuild`)."""
    data = _Data.__new__(_Data)  # the small tables only: areas, indicators, standards, goals
    data.areas = list(Area.objects.order_by("order"))
    data.indicators = list(Indicator.objects.select_related("parent").order_by("order"))
    data.rule = ConstructionStandardRule.objects.first() or ConstructionStandardRule()
    kinds = list(PlanGoal.Kind)
    data.goals = sorted(PlanGoal.objects.all(), key=lambda g: (g.year, kinds.index(g.kind)))
    data.milestones = list(Milestone.objects.all())
    overrides = {o.pk: o for o in StandardOverride.objects.all()}
    groups = {g.pk: g for g in GroupStandard.objects.all()}
    wanted = [a for a in data.areas if area_codes is None or a.code in area_codes]
    readers = data.areas if goals else wanted
    detailed = {a.pk for a in wanted if detail_codes is None or a.code in detail_codes}
    rows: dict[tuple[int, int], dict[int, AssessmentResult]] = defaultdict(dict)
    summaries: dict[tuple[int, int], AreaYearResult] = {}
    detail_years = years if detail_years is None else detail_years
    # One query per table whatever the scopes: each area's rows of its own scope.
    of_areas = _of_scopes([a.pk for a in readers], scope_of)
    of_details = _of_scopes([a.pk for a in readers if a.pk in detailed], scope_of)
    found = AssessmentResult.objects.filter(of_details, year__in=detail_years)
    for row in found.defer("computed_at", *([] if progress else ["progress"])):
        rows[(row.area_id, row.year)][row.indicator_id] = row
    for summary in AreaYearResult.objects.filter(of_areas, year__in=years):
        summaries[(summary.area_id, summary.year)] = summary
    attached: dict[tuple[int, int], dict[int, IndicatorValue]] = defaultdict(dict)
    if detail_years:
        found = IndicatorValue.objects.filter(year__in=detail_years, area_id__in=detailed).only(
            *VALUE_FIELDS
        )
        for value in found:
            if counts is None or counts(value.area_id, value.year):
                attached[(value.area_id, value.year)][value.indicator_id] = value
    children = defaultdict(list)
    for indicator in data.indicators:
        if indicator.parent_id:
            children[indicator.parent_id].append(indicator)

    def result(area: Area, year: int, indicator) -> IndicatorResult:
        row = rows[(area.pk, year)].get(indicator.pk)
        if row is None:
            raise LookupError(f"没有存储 {area.code} {year}年 {indicator.code} 的计算结果")
        return IndicatorResult(
            indicator=indicator,
            assessment=_assessment(row),
            value=attached[(area.pk, year)].get(indicator.pk),
            rule=row.rule,
            standard=row.standard,
            override=overrides.get(row.override_id_used),
            agrees=row.agrees,
            group=groups.get(row.group_id_used),
            city_bar_note=row.city_bar_note,
            progress=_progress(row.progress) if progress else {},
            subs=[result(area, year, sub) for sub in children.get(indicator.pk, [])],
        )

    def area_result(area: Area, year: int) -> AreaResult:
        summary = summaries.get((area.pk, year))
        if summary is None:
            raise LookupError(f"没有存储 {area.code} {year}年的计算结果：请运行 results --rebuild")
        tops = []
        if year in detail_years and area.pk in detailed:
            tops = [result(area, year, i) for i in data.indicators if i.parent_id is None]
        return AreaResult(area, year, tops, dict(summary.summary), summary.reaches_standard)

    output = {}
    for year in years:
        if not goals:
            output[year] = Compliance(year, data.rule, [area_result(a, year) for a in wanted], {})
            continue
        every = {a.code: area_result(a, year) for a in data.areas}
        counties = [every[a.code] for a in data.areas if not a.is_city]
        year_goals = _goals(data, year, counties, every.get(CITY_CODE))
        output[year] = Compliance(year, data.rule, [every[a.code] for a in wanted], year_goals)
    return output


def results_years(vis, *, years: list[int], **options) -> dict[int, Compliance]:
    """What viewer `vis` (counties.access.Visibility) sees of the stored results of `years`:
    stored_compliance_years with that viewer's scopes and filter; `options` as there."""
    return stored_compliance_years(
        years=years, scope_of=vis.result_scope, counts=vis.counts, **options
    )


def results_year(vis, *, year: int, area_codes: list[str] | None = None, **options) -> Compliance:
    """One year of results_years, with the plan-goal counts; `options` as there."""
    return results_years(vis, years=[year], area_codes=area_codes, **options)[year]
