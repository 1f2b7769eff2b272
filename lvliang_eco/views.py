"""Cross-app pages: the dashboards, the plan's data, login."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe

from counties.access import (
    DATA_SCOPES,
    Visibility,
    VisibilityFacts,
    require_citywide,
    visibility,
    visibility_facts,
    visible_areas,
)
from counties.models import CITY_CODE, Area
from indicators.compliance import years_with_values
from indicators.models import Indicator
from indicators.selectors import domains, indicator_lines
from projects.models import ProjectGroup
from projects.selectors import investment_summary
from submissions.selectors import submissions_overview

from . import charts, exports, pagecache, report, selectors


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _visibility(request: HttpRequest) -> Visibility:
    """The viewer's visibility, with the data scope chosen by `?data=approved|all` (kept in the
    session, like the year); what it reads of the data kept per data version."""
    chosen = request.GET.get("data")
    if chosen in DATA_SCOPES:
        request.session["data_scope"] = chosen

    def facts() -> VisibilityFacts:
        # The approved county-years and the city's areas are data: kept per data version.
        return pagecache.kept(request, None, "visibility", visibility_facts)

    vis = visibility(request.user, request.session.get("data_scope"), facts=facts)
    request.data_visibility = vis  # the data bar under the header (context_processors.role)
    return vis


def _cached(request: HttpRequest, vis: Visibility, template: str, context: dict, build, *,
            choices: tuple = ()) -> HttpResponse:  # fmt: skip
    """The page `template` with its content kept by lvliang_eco.pagecache: `context` is what
    the page's title and header need (cheap), `build()` the rest (the selectors and charts),
    called only when the content is not kept for this viewer, data version and `choices`."""
    return pagecache.cached_content(
        request,
        vis,
        lambda: render(request, template, {**context, **build()}),
        lambda kept: render(request, template, {**context, "cached_content": mark_safe(kept)}),
        choices=choices,
    )


def _year(request: HttpRequest, vis: Visibility) -> tuple[list[int], int | None]:
    """The years the viewer has data for (the header's choice) and the year chosen."""
    years = pagecache.kept(request, vis, "years", lambda: years_with_values(counts=vis.counts))
    return years, selectors.chosen_year(request, years)


def overview(request: HttpRequest) -> HttpResponse:
    vis = _visibility(request)
    years, year = _year(request, vis)

    def build() -> dict:
        data = selectors.overview(year, vis)
        context = {**data}
        if year is not None:
            # Reporting state and timeliness of the areas whose submissions the viewer sees
            # (a county officer: their own county only).
            context["reporting"] = {
                row["area"].pk: row
                for row in submissions_overview(visible_areas(request.user), [year])
            }
            total = data["results"].goals["counties_total"]
            context["chart_standard"] = charts.counties_reaching_standard(
                data["timeline"], data["standard_goals"], total
            )
            context["map_status"] = charts.county_map(
                data["status_map"],
                title=f"{year}年各县（市、区）建设标准达标情况（点击县区查看）",
                element_id="chart-map-status",
                legend=selectors.STATUS_LEGEND,
            )
            areas, legend = data["investment_map"]
            context["map_investment"] = charts.county_map(
                areas,
                title="各县（市、区）规划计划投资（亿元，含共同实施均摊估算）",
                element_id="chart-map-investment",
                legend=legend,
            )
        context["chart_domains"] = charts.domain_investment(data["summary"]["domains"])
        return context

    context = {"years": years, "year": year, "vis": vis}
    return _cached(request, vis, "lvliang_eco/overview.html", context, build, choices=(year,))


def comparison(request: HttpRequest) -> HttpResponse:
    vis = _visibility(request)
    years, year = _year(request, vis)
    if year is None:
        return render(request, "lvliang_eco/comparison.html", {"years": years, "year": None})
    chosen = {
        "sort": "result" if request.GET.get("sort") == "result" else "code",
        "q": request.GET.get("q", "").strip()[:20],
        "status": request.GET.get("status", ""),
    }
    if chosen["status"] not in selectors.COMPARISON_FILTERS:
        chosen["status"] = ""

    def link(**changes) -> str:
        """This page's query string with `changes` (the filter kept, the page reset)."""
        wanted = {**chosen, "page": "", **changes}
        kept = {k: v for k, v in wanted.items() if v and (k, v) != ("sort", "code")}
        return "?" + urlencode(kept)

    def build() -> dict:
        data = selectors.comparison(
            year, vis, chosen["sort"], name=chosen["q"], status=chosen["status"],
            page=request.GET.get("page", "1"),
        )  # fmt: skip
        pages = data["page"].paginator.page_range
        return {**chosen, **data, "filters": selectors.COMPARISON_FILTERS.items(),
                "sort_links": {"code": link(sort="code"), "result": link(sort="result")},
                "clear_link": link(q="", status=""),
                "page_links": {n: link(page=str(n)) for n in pages}}  # fmt: skip

    context = {"years": years, "year": year, "vis": vis}
    return _cached(request, vis, "lvliang_eco/comparison.html", context, build, choices=(year,))


def county(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code)
    vis = _visibility(request)
    if not vis.values(area):
        raise PermissionDenied(f"无权查看{area.name}的详细数据（县区分局只能查看本县）")
    years, year = _year(request, vis)

    def build() -> dict:
        data = selectors.county(area, vis, year)
        invest = data["investment"]
        return {
            **data,
            "chart_met": charts.met_by_year(data["timeline"]),
            "chart_years": charts.investment_by_year(invest["by_year"]),
            "chart_progress": charts.planned_vs_completed(
                [
                    {
                        "label": "本县（单独实施+均摊估算）",
                        "planned": invest["sole"] + invest["shared_estimate"],
                        "completed": data["completed"],
                    }
                ],
                element_id="chart-county-progress",
            ),
        }

    context = {"area": area, "years": years, "year": year}
    return _cached(request, vis, "lvliang_eco/county.html", context, build, choices=(year,))


def indicator(request: HttpRequest, code: str) -> HttpResponse:
    target = get_object_or_404(Indicator.objects.select_related("task__domain"), code=code)
    if target.parent_id:
        target = target.parent
    vis = _visibility(request)
    years, year = _year(request, vis)

    def build() -> dict:
        data = selectors.indicator(target, vis, year)
        for chart in data["charts"]:
            leaf = chart["leaf"]
            chart["html"] = charts.indicator_values(
                chart["series"],
                unit=leaf.unit or target.unit,
                lines=chart["lines"],
                title=f"{leaf.code} {leaf.display_name}：各地区历年数值",
                element_id=f"chart-indicator-{leaf.code.replace('.', '-')}",
            )
        return data

    context = {"indicator": target, "years": years, "year": year}
    return _cached(request, vis, "lvliang_eco/indicator.html", context, build, choices=(year,))


def indicator_list(request: HttpRequest) -> HttpResponse:
    """The 40 indicators with the plan's 2022 values: no year to choose."""
    lines = indicator_lines(year=2022)
    sections = [{"domain": d, "indicators": lines.get(d.pk, [])} for d in domains()]
    return render(request, "lvliang_eco/indicator_list.html", {"sections": sections})


def investment(request: HttpRequest) -> HttpResponse:
    vis = _visibility(request)  # investment has no year: the header offers none

    def build() -> dict:
        data = selectors.investment(vis)
        summary = data["summary"]
        return {
            **data,
            "chart_domains": charts.domain_investment(summary["domains"]),
            "chart_split": charts.government_split(summary["domains"]),
            "chart_counties": charts.county_investment(
                summary["counties"], summary["city_wide"], summary["unresolved"]
            ),
            "chart_years": charts.investment_by_year(data["by_year"]),
            "chart_sources": charts.funding_sources(data["sources"]),
            "chart_progress": charts.planned_vs_completed(data["progress"]["domains"]),
        }

    return _cached(request, vis, "lvliang_eco/investment.html", {"vis": vis}, build)


def data_quality(request: HttpRequest) -> HttpResponse:
    require_citywide(request.user, "数据核对页")
    vis = _visibility(request)  # every year at once: the header offers no year
    return _cached(
        request, vis, "lvliang_eco/quality.html", {"vis": vis}, lambda: selectors.data_quality(vis)
    )


def plan(request: HttpRequest) -> HttpResponse:
    """The plan's own data as loaded: domains, indicators with the 2022 values, project groups."""
    summary = investment_summary()
    lines = indicator_lines(year=2022)
    groups = list(
        ProjectGroup.objects.select_related("domain")
        .prefetch_related("rows")
        .order_by("domain__order", "order")
    )
    totals = {item["domain"]: item for item in summary["domains"]}
    sections = [
        {
            "domain": domain,
            "indicators": lines.get(domain.pk, []),
            "groups": [g for g in groups if g.domain_id == domain.pk],
            "totals": totals.get(domain.name),
        }
        for domain in domains()
    ]
    top = [line for section in sections for line in section["indicators"]]
    context = {
        "sections": sections,
        "summary": summary,
        "indicator_count": len(top),
        "binding_count": sum(1 for line in top if line.indicator.is_binding),
        "group_count": len(groups),
    }
    return render(request, "lvliang_eco/plan.html", context)


def export_table_1(request: HttpRequest) -> HttpResponse:
    vis = _visibility(request)
    _, year = _year(request, vis)
    code = request.GET.get("area", CITY_CODE)
    area = get_object_or_404(Area, code=code)
    if not vis.values(area):
        raise PermissionDenied(f"无权导出{area.name}的数据")
    if year is None:
        raise PermissionDenied("尚无任何年度的数据可导出")
    return exports.table_1(area, year, vis=vis)


def export_table_3(request: HttpRequest) -> HttpResponse:
    return exports.table_3()


def annual_report(request: HttpRequest) -> HttpResponse:
    """The annual implementation report (.docx) for the chosen year, in the viewer's data scope;
    for the bureau and the leadership group, who review the whole city."""
    require_citywide(request.user, "年度实施评估报告", verb="下载")
    vis = _visibility(request)
    _, year = _year(request, vis)
    if year is None:
        raise PermissionDenied("尚无任何年度的数据，无法生成年度报告")
    document = report.report_document(report.report_data(year, vis))
    return FileResponse(
        io.BytesIO(document),
        as_attachment=True,
        filename=report.report_filename(year, vis),
        content_type=report.CONTENT_TYPE,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password here; the password validators apply."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("overview")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改。")
        return response


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the static file."""
    return redirect(static("favicon.ico"))
