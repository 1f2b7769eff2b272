"""Cross-app pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    context = {
        "sections": sections,
        "summary": summary,
        "indicator_count": len(top),
        "binding_count": sum(1 for line in top if line.indicator.is_binding),
        "group_count": len(groups),
    }
    return render(request, "lvliang_eco/overview.html", context)
