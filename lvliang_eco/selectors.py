"""Reads for the dashboards: each function returns what one page needs, in a fixed number of
queries whatever the number of counties, indicators, years or projects. Every read of county
data goes through the viewer's filter (`Visibility.counts`): what it refuses is never loaded."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest

from counties.access import Visibility
from counties.models import CITY_CODE, Area, Milestone
from indicators.compliance import AreaResult, years_with_values
from indicators.models import Indicator, IndicatorValue
from indicators.results import results_flagged, results_year, results_years
from indicators.rules import threshold_target
from indicators.standards import Standards
from indicators.statuses import ProgressStatus, Status
from projects.models import InvestmentRow, ProjectGroup, ProjectProgress
from projects.selectors import (
    amount_blocks,
    county_investment,
    funding_sources,
    investment_by_year,
    investment_rows,
    investment_summary,
    largest_rows,
    progress_reports,
    progress_totals,
)
from submissions.models import Submission

from .demo import demo_exists
from .reconcile import reconcile

ZERO = Decimal("0")


def data_as_of(vis: Visibility):
    """When the data the viewer's figures count last changed (an indicator value or a project
    progress record, of the county-years `vis` counts); None when there is none. One query
    each."""
    latest = [
        row["last"]
        for model in (IndicatorValue, ProjectProgress)
        for row in model.objects.values("area_id", "year")
        .annotate(last=Max("updated_at"))
        .order_by()
        if vis.counts(row["area_id"], row["year"])
    ]
    return max(latest, default=None)


def chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """The year every page shows: `?year=` when it has data, else the one chosen before (kept
    in the session), else the latest year with data."""
    raw = request.GET.get("year", "")
    if re.fullmatch(r"\d{4}", raw, re.ASCII) and int(raw) in years:
        request.session["year"] = int(raw)
        return int(raw)
    remembered = request.session.get("year")
    if remembered in years:
        return remembered
    return years[-1] if years else None


def _groups_by_indicator() -> dict[int, list[ProjectGroup]]:
    """Project groups linked to each indicator; a link to a sub-indicator counts for its parent."""
    groups = ProjectGroup.objects.select_related("domain").prefetch_related("rows", "indicators")
    linked: dict[int, list[ProjectGroup]] = defaultdict(list)
    for group in groups:
        for indicator in group.indicators.all():
            for target in {indicator.pk, indicator.parent_id} - {None}:
                if group not in linked[target]:
                    linked[target].append(group)
    return linked


def overview(year: int | None, vis: Visibility) -> dict:
    summary = investment_summary()
    data = {"summary": summary, "year": year, "results": None}
    if year is None:
        return data
    years = years_with_values(counts=vis.counts)
    # Indicator results of the city only: the counties show their summaries.
    per_year = results_years(
        vis, years=years, progress=False, detail_years=[year], detail_codes=[CITY_CODE]
    )
    results = per_year[year]
    city = next((a for a in results.areas if a.area.code == CITY_CODE), None)
    counties = [a for a in results.areas if not a.area.is_city]
    linked = _groups_by_indicator()
    missed = []
    if city:
        for result in city.indicators:
            if result.status == Status.MET:
                continue
            groups = linked.get(result.indicator.pk, [])
            money = sum((g.total_amount or ZERO for g in groups), ZERO)
            missed.append({"result": result, "groups": groups, "money": money})
    goals = results.goals
    data.update(
        results=results,
        city=city,
        counties=[c for c in counties if vis.statuses(c.area, year)],
        hidden_counties=sum(1 for c in counties if not vis.statuses(c.area, year)),
        reaching_names=[
            c.area.name for c in counties if c.reaches_standard and vis.statuses(c.area, year)
        ],
        missed=missed,
        missed_binding=[m for m in missed if m["result"].indicator.is_binding],
        timeline=[
            {
                "year": y,
                "count": per_year[y].goals["reaching_standard"]["count"],
                "names": [
                    a.area.name
                    for a in per_year[y].areas
                    if not a.area.is_city and a.reaches_standard and vis.statuses(a.area, y)
                ],
            }
            for y in years
        ],
        standard_goals=[t for t in goals["targets"] if t["kind"] == "standard_reached"],
        named_goals=[t for t in goals["targets"] if t["kind"] == "creation_completed"],
        openable={c.area.code for c in counties if vis.values(c.area)},
        status_map=status_map(counties, year, vis),
        investment_map=investment_map(summary["counties"], vis),
        progress_summary=progress_summary(year, vis),
    )
    return data


# The status map's categories, best first (Okabe–Ito; black labels read on each, ≥ 6:1).
REACHES = ("达到建设标准", "#009E73")
BINDING_ONLY = ("约束性全部达标，参考性不足", "#56B4E9")
MISSES = ("约束性指标未全部达标", "#E69F00")
UNSEEN = ("未公开或尚未审核通过", "#DDDDDD")
STATUS_LEGEND = [REACHES, BINDING_ONLY, MISSES, UNSEEN]
# The same by key, as the comparison's ?status= filter names them.
STATUS_CATEGORIES = {
    "reaches": REACHES,
    "binding": BINDING_ONLY,
    "misses": MISSES,
    "unseen": UNSEEN,
}
INVESTMENT_COLOURS = ["#DEEBF7", "#9ECAE1", "#6BAED6", "#4292C6"]


def _county_url(area: Area, vis: Visibility) -> str:
    return f"/counties/{area.code}/" if vis.values(area) else ""


def _category(result: AreaResult, visible: bool) -> str:
    """A county's STATUS_CATEGORIES key: reaches the construction standard; binding indicators
    all met but too few reference ones; binding missed; or `visible` False (not shown)."""
    if not visible:
        return "unseen"
    if result.reaches_standard:
        return "reaches"
    s = result.summary
    return "binding" if s["binding_met"] == s["binding_total"] else "misses"


def status_map(counties: list[AreaResult], year: int, vis: Visibility) -> list[dict]:
    """Each county's category for the status map: reaches the construction standard; binding
    indicators all met but too few reference ones; binding missed; or not visible (another
    county's unapproved year). [{"code", "name", "category", "colour", "detail", "url"}]."""
    areas = []
    for result in counties:
        s = result.summary
        category, colour = STATUS_CATEGORIES[_category(result, vis.statuses(result.area, year))]
        if category == UNSEEN[0]:
            detail = "本年度结果未公开或尚未审核通过"
        else:
            detail = (
                f"达标{s['met']}/40，约束性{s['binding_met']}/{s['binding_total']}，"
                f"参考性{s['reference_met']}/{s['reference_total']}"
            )
        areas.append(
            {"code": result.area.code, "name": result.area.name, "category": category,
             "colour": colour, "detail": detail, "url": _county_url(result.area, vis)}
        )  # fmt: skip
    return areas


def investment_map(counties: list[dict], vis: Visibility) -> tuple[list[dict], list[tuple]]:
    """Each county's planned investment (alone + its even share of shared rows, an estimate)
    in four classes of about equal size, in 亿元. Returns (areas as status_map's, legend)."""
    by_code = {a.code: a for a in Area.objects.counties()}
    totals = sorted(
        ((c["sole"] + c["shared_estimate"]) / 10000, c["code"], c["name"]) for c in counties
    )
    classes = len(INVESTMENT_COLOURS)
    bounds = [round(i * len(totals) / classes) for i in range(classes + 1)]  # 13: 3,4,3,3
    areas, legend = [], []
    for index, colour in enumerate(INVESTMENT_COLOURS):
        group = totals[bounds[index] : bounds[index + 1]]
        if not group:
            continue
        label = f"{group[0][0]:,.1f}–{group[-1][0]:,.1f} 亿元"
        legend.append((label, colour))
        for total, code, name in group:
            areas.append(
                {"code": code, "name": name, "category": label, "colour": colour,
                 "detail": f"计划投资约{total:,.2f}亿元（单独实施+共同实施均摊，估算）",
                 "url": _county_url(by_code[code], vis)}
            )  # fmt: skip
    return areas, legend


def progress_summary(year: int, vis: Visibility) -> list[dict]:
    """The city's indicators by progress toward the 2025 and 2030 targets (assessment.progress:
    按期可达, 需加快进度, 进展有限, 退步 …), each with the indicators in it.
    [{"status": ProgressStatus, "by_target": {2025: [IndicatorResult], 2030: [...]}}]."""
    city = results_year(vis, year=year, area_codes=[CITY_CODE]).areas
    found: dict = {status: {2025: [], 2030: []} for status in ProgressStatus}
    for top in city[0].indicators if city else []:
        for item in top.subs or [top]:
            for target_year, measured in item.progress.items():
                found[ProgressStatus(measured.status)][target_year].append(item)
    return [{"status": status, "by_target": found[status]} for status in ProgressStatus]


# 各县对比 shows this many counties a page (the plan's 13 fit on one; a province's 120 on five).
COMPARISON_PAGE_SIZE = 30
# The comparison's filter by result (?status=), named as the status map's categories.
COMPARISON_FILTERS = {key: label for key, (label, _) in STATUS_CATEGORIES.items()}


def comparison(
    year: int, vis: Visibility, sort: str, *, name: str = "", status: str = "", page: str = "1"
) -> dict:
    """The 各县对比 matrix of `year`: the counties whose name contains `name` and whose category
    is `status` (a COMPARISON_FILTERS key; "" for all), sorted by code or by `sort="result"`, one
    page of COMPARISON_PAGE_SIZE (`page` as given in the URL; out of range: the last). Summaries
    of every county are read, indicator results of the page's counties only: the cost and the
    HTML stay the same at any number of counties. Keys: results (the year's Compliance with
    goals), indicators, rows (the page's: area, visible, values, result, category, cells),
    page (a django Paginator page), matching (counties after the filter), total (all)."""
    results = results_year(vis, year=year, detail_codes=[])
    indicators = [i for i in Indicator.objects.filter(parent__isnull=True).order_by("order")]
    rows = []
    counties = [a for a in results.areas if not a.area.is_city]
    for area in counties:
        visible = vis.statuses(area.area, year)
        category = _category(area, visible)
        if name and name not in area.area.name and name not in area.area.short_name:
            continue
        if status in COMPARISON_FILTERS and category != status:
            continue
        rows.append({"area": area.area, "visible": visible, "values": vis.values(area.area),
                     "result": area, "category": category})  # fmt: skip
    if sort == "result":
        rows.sort(
            key=lambda r: (
                (
                    False,
                    not r["result"].reaches_standard,
                    -r["result"].summary["binding_met"],
                    -r["result"].summary["met"],
                    r["area"].order,
                )
                if r["visible"]
                else (True, False, 0, 0, r["area"].order)
            )
        )
    shown = Paginator(rows, COMPARISON_PAGE_SIZE).get_page(page)
    codes = [r["area"].code for r in shown.object_list if r["visible"]]
    detail = {}
    if codes:
        detailed = results_year(vis, year=year, area_codes=codes, goals=False)
        detail = {a.area.code: a for a in detailed.areas}
    for row in shown.object_list:
        found = detail.get(row["area"].code)
        row["cells"] = [
            {"result": r, "sign": Status(r.status).sign, "label": Status(r.status).label}
            for r in (found.indicators if found else [])
        ]
    return {
        "results": results,
        "indicators": indicators,
        "rows": list(shown.object_list),
        "page": shown,
        "matching": len(rows),
        "total": len(counties),
    }


def county(area: Area, vis: Visibility, year: int | None = None) -> dict:
    """One county's page: every year's results, the chosen `year`'s (the latest when None or
    without data) in the headline, the reasons and the export; its investment and progress."""
    years = years_with_values(counts=vis.counts) or [2022]
    per_year = results_years(vis, years=years, area_codes=[area.code], goals=False)
    results: dict[int, AreaResult] = {y: per_year[y].areas[0] for y in years}
    chosen_year = year if year in results else years[-1]
    chosen = results[chosen_year]
    trend = []
    for top in chosen.indicators:
        for item in [top, *top.subs]:
            code = item.indicator.code
            cells = []
            for year in years:
                found = _find(results[year], code)
                cells.append({"year": year, "result": found, "sign": Status(found.status).sign})
            trend.append(
                {"item": item, "cells": cells, "sub": item.indicator.parent_id is not None}
            )
    blocks = amount_blocks(investment_rows())
    invest = county_investment(blocks, area)
    progress = progress_reports(area=area, counts=vis.counts)
    completed = progress_totals(blocks, progress)["by_area"].get(area.pk, ZERO)
    milestones = list(Milestone.objects.filter(area=area).order_by("kind"))
    submissions = {s.year: s for s in Submission.objects.filter(area=area)}
    return {
        "years": years,
        "results": results,
        "chosen": chosen,
        "chosen_year": chosen_year,
        "trend": trend,
        "timeline": [
            {
                "year": y,
                "binding_met": results[y].summary["binding_met"],
                "reference_met": results[y].summary["reference_met"],
            }
            for y in years
        ],
        "investment": invest,
        "completed": completed,
        "progress_reports": len(progress),
        "milestones": milestones,
        "submissions": [
            {
                "year": y,
                "state": submissions[y].get_state_display() if y in submissions else "未开始",
                "code": submissions[y].state if y in submissions else "none",
            }
            for y in years
        ],
    }


def _find(result: AreaResult, code: str):
    for top in result.indicators:
        if top.indicator.code == code:
            return top
        for sub in top.subs:
            if sub.indicator.code == code:
                return sub
    raise KeyError(code)


def indicator(target: Indicator, vis: Visibility, year: int | None) -> dict:
    """One indicator's page: a trend chart per leaf (each area whose values `vis` may see, with
    the standard's and the targets' lines), the city's result of `year` (the latest when None)
    and the project groups that serve it with their planned money (万元, the plan's Table 2).
    A fixed number of queries."""
    years = years_with_values(counts=vis.counts) or [2022]
    leaves = list(target.subs.order_by("order")) or [target]
    areas = list(Area.objects.order_by("order"))
    shown = {a.pk for a in areas if vis.values(a)}
    # Plain tuples, not model instances: a province's 120 counties × 9 years stay cheap.
    values = IndicatorValue.objects.filter(
        indicator__in=leaves, number__isnull=False, area_id__in=shown
    ).order_by("year")
    points: dict[tuple[int, int], list] = defaultdict(list)
    for indicator_id, area_id, year, number in values.values_list(
        "indicator_id", "area_id", "year", "number"
    ):
        if vis.counts(area_id, year):
            points[(indicator_id, area_id)].append((year, number))
    charts = []
    for leaf in leaves:
        lines = []
        rule = leaf.effective_rule
        bar = threshold_target(rule)
        if bar:
            lines.append({"value": bar[1], "label": f"指标值 {bar[1]}", "colour": "#D55E00"})
        for label, target_rule in (
            ("2025年目标", leaf.target_2025_rule),
            ("2030年目标", leaf.target_2030_rule),
        ):
            found = threshold_target(target_rule)
            if found and (not bar or found[1] != bar[1]):
                lines.append(
                    {"value": found[1], "label": f"{label} {found[1]}", "colour": "#0072B2"}
                )
        series = [
            {"name": a.name, "points": points.get((leaf.pk, a.pk), []), "city": a.is_city}
            for a in areas
        ]
        charts.append({"leaf": leaf, "series": series, "lines": lines})
    result_year = year or years[-1]
    city = results_years(vis, years=[result_year], area_codes=[CITY_CODE], goals=False)[
        result_year
    ].areas[0]
    city_result = _find(city, target.code)
    linked = _groups_by_indicator().get(target.pk, [])
    return {
        "years": years,
        "charts": charts,
        "city": city_result,
        "city_year": result_year,
        "groups": linked,
        "money": sum((g.total_amount or ZERO for g in linked), ZERO),
        "hidden": not vis.everything,
    }


def investment(vis: Visibility) -> dict:
    summary = investment_summary()
    blocks = amount_blocks(investment_rows())
    progress = progress_reports(counts=vis.counts)
    return {
        "summary": summary,
        "by_year": investment_by_year(blocks),
        "sources": funding_sources(blocks),
        "largest": largest_rows(blocks),
        "progress": progress_totals(blocks, progress),
        "top_county": max(summary["counties"], key=lambda c: c["sole"])
        if summary["counties"]
        else None,
    }


def city_bar_counties() -> list[dict]:
    """Every county judged on the city's blended bar for a row the plan prints as a condition
    of that bar (10.1, 11.1), because its terrain group's bar is not set yet."""
    standards = Standards.load()
    conditions = list(Indicator.objects.filter(is_condition=True).select_related("parent"))
    counties = list(Area.objects.counties())
    rows = []
    for indicator in conditions:
        for area in counties:
            applied = standards.applied(indicator, area)
            if applied.city_bar_note:
                rows.append({"area": area, "indicator": indicator, "note": applied.city_bar_note})
    return rows


def data_quality(vis: Visibility) -> dict:
    """The 数据核对 page: the document's own checks (reconcile), computed statuses that
    contradict the recorded judgement and the judged count (indicators.results.results_flagged),
    years not yet approved per county, demo values counted, investment rows whose counties are
    unresolved, and the counties judged on the city's bar. A fixed number of queries."""
    years = years_with_values(counts=vis.counts)
    disagreements, judged = results_flagged(vis, years=years)
    for row in disagreements:
        row["recorded"] = Status(row["judgement"]).judgement_label
    counties = list(Area.objects.counties())
    states = {(s.area_id, s.year): s for s in Submission.objects.all()}
    missing = []
    for year in years:
        not_in = [
            a.name
            for a in counties
            if (a.pk, year) not in states or states[(a.pk, year)].state != Submission.State.APPROVED
        ]
        missing.append({"year": year, "not_approved": not_in})
    demo_values = sum(
        row["n"]
        for row in IndicatorValue.objects.filter(source=IndicatorValue.Source.DEMO)
        .values("area_id", "year")
        .annotate(n=Count("pk"))
        .order_by()
        if vis.counts(row["area_id"], row["year"])
    )
    unresolved = [
        r
        for r in InvestmentRow.objects.select_related("group__domain").order_by(
            "group__domain__order", "group__order", "order"
        )
        if r.scope in {"partial", "unresolved"}
    ]
    checks = reconcile()
    prose = [c for c in checks if c.key.startswith("prose")]
    return {
        "checks": [c for c in checks if not c.key.startswith("prose")],
        "prose": prose,
        "prose_disagreeing": sum(1 for c in prose if c.ok is False),
        "disagreements": disagreements,
        "judged": judged,
        "unresolved": unresolved,
        "city_bar": city_bar_counties(),
        "missing": missing,
        "demo": demo_exists(),
        "demo_values": demo_values,
    }
