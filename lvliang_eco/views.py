"""Cross-app pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from counties.models import CITY_CODE
from indicators.compliance import compliance, years_with_values
from indicators.selectors import domains, indicator_lines
from projects.models import ProjectGroup
from projects.selectors import investment_summary


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def overview(request: HttpRequest) -> HttpResponse:
    summary = investment_summary()
    lines = indicator_lines(year=2022)
    groups = list(
        ProjectGroup.objects.select_related("domain")
        .prefetch_related("rows")
        .order_by("domain__order", "order")
    )
    totals = {item["domain"]: item for item in summary["domains"]}
    sections = []
    for domain in domains():
        sections.append(
            {
                "domain": domain,
                "indicators": lines.get(domain.pk, []),
                "groups": [g for g in groups if g.domain_id == domain.pk],
                "totals": totals.get(domain.name),
            }
        )
    top = [line for section in sections for line in section["indicators"]]
    years = years_with_values()
    year = _chosen_year(request, years)
    results = compliance(year=year) if year else None
    context = {
        "years": years,
        "year": year,
        "compliance": results,
        "city_result": next((a for a in results.areas if a.area.code == CITY_CODE), None)
        if results
        else None,
        "county_results": [a for a in results.areas if not a.area.is_city] if results else [],
        "sections": sections,
        "summary": summary,
        "indicator_count": len(top),
        "binding_count": sum(1 for line in top if line.indicator.is_binding),
        "group_count": len(groups),
    }
    return render(request, "lvliang_eco/overview.html", context)


def _chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for in `?year=`, if it has data; else the latest year with data."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[-1] if years else None
