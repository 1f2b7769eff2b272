# ruff: noqa: E501 (chart titles and hover templates read best whole)
"""Plotly figures of the dashboards: one function per chart, each taking selector output and
returning an HTML fragment without plotly.js (the page includes /static/vendor/plotly.min.js
once). Colours, fonts and Chinese number formatting live here and in formatting.py."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from counties.geography import centre, county_shapes
from indicators.statuses import Status

from .formatting import yi

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
# Status colours and signs: indicators/statuses.py (Okabe–Ito, told apart with any vision).
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GOVERNMENT, ENTERPRISE, ESTIMATE, CITY = "#0072B2", "#E69F00", "#56B4E9", "#999999"
# One colour per county (Paul Tol's "muted" set, then Okabe–Ito); the city is a thick black line.
AREA_COLOURS = [
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99",
    "#999933", "#AA4499", "#0072B2", "#E69F00", "#D55E00", "#56B4E9",
]  # fmt: skip


def _layout(figure: go.Figure, *, title: str, x: str = "", y: str = "", height: int = 360) -> None:
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.2, "x": 0},
        separators=".,",
        hoverlabel={"font": {"family": FONT}},
    )
    figure.update_xaxes(title_text=x, showline=True, linecolor="#888", gridcolor="#eee")
    figure.update_yaxes(
        title_text=y, showline=True, linecolor="#888", gridcolor="#eee", rangemode="tozero"
    )


Table = list[list]  # a header row, then one row per category: what a chart shows, as text


def _html(figure: go.Figure, element_id: str, table: Table | None = None) -> SafeString:
    """The chart's box and its figure as JSON data, drawn by static/js/charts.js: plotly's own
    to_html would put an inline script in the page, which the Content Security Policy refuses.
    A JSON data block is not a script; <, > and & are escaped so no text can close it. Under
    every chart, its data as a table (`table`, else read from the traces) for screen readers,
    printing and copying into a report."""
    data = figure.to_json()  # non-ASCII is escaped as \uXXXX
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(
        f'<figure class="chart" id="{element_id}-figure">'
        f'<div id="{element_id}" class="plotly-graph-div"></div>'
        f'<script type="application/json" class="js-chart-figure" data-target="{element_id}">'
        f"{data}</script>{_data_table(table or _trace_table(figure), element_id)}</figure>"
    )


def _number(value) -> str:
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,}"
    return str(value)


def _trace_table(figure: go.Figure) -> Table:
    """Categories down, one column per trace (bars and lines: x is the category)."""
    traces = [t for t in figure.data if getattr(t, "x", None) is not None and t.y is not None]
    if not traces:
        return []
    categories: list = []
    for trace in traces:
        categories += [x for x in trace.x if x not in categories]
    header = [figure.layout.xaxis.title.text or "类别", *(t.name or "数值" for t in traces)]
    values = [dict(zip(t.x, t.y, strict=False)) for t in traces]
    return [header, *([c, *(v.get(c, "") for v in values)] for c in categories)]


def _data_table(table: Table, element_id: str) -> str:
    if not table:
        return ""
    head = "".join(format_html('<th scope="col">{}</th>', h) for h in table[0])
    rows = "".join(
        "<tr>" + "".join(format_html("<td>{}</td>", _number(v)) for v in row) + "</tr>"
        for row in table[1:]
    )
    return (
        f'<details class="chart-data" id="{element_id}-data"><summary>查看数据表</summary>'
        f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        "</details>"
    )


def empty(message: str) -> SafeString:
    return format_html('<p class="empty-state">{}</p>', message)


def _yi(value: Decimal | float) -> float:
    return float(Decimal(value) / 10000)


def counties_reaching_standard(points: list[dict], goals: list[dict], total: int) -> SafeString:
    """Counties reaching the construction standard by year, against the 2025 and 2030 goals.
    points: [{"year", "count", "names"}]; goals: [{"year", "required"}]."""
    if not points:
        return empty("尚无县区数据，无法统计达到建设标准的县（市、区）")
    figure = go.Figure(
        go.Bar(
            x=[str(p["year"]) for p in points],
            y=[p["count"] for p in points],
            marker_color=Status.MET.colour,
            text=[f"{p['count']}个" for p in points],
            textposition="outside",
            customdata=["、".join(p["names"]) or "无" for p in points],
            hovertemplate="%{x}年：%{y}个县（市、区）达到建设标准<br>%{customdata}<extra></extra>",
            name="达到建设标准",
        )
    )
    for goal in goals:
        figure.add_hline(
            y=goal["required"],
            line_dash="dash",
            line_color=SERIES[1] if goal["year"] == 2025 else SERIES[0],
            annotation_text=f"{goal['year']}年目标：{goal['required']}个",
            annotation_position="top left",
        )
    _layout(
        figure, title="达到建设标准的县（市、区）数", x="年份", y=f"县（市、区）数（共{total}个）"
    )
    figure.update_yaxes(range=[0, total + 0.5], dtick=2)
    figure.update_xaxes(type="category")
    return _html(figure, "chart-counties-standard")


def domain_investment(domains: list[dict]) -> SafeString:
    """Planned investment by domain (亿元): the rows' sums beside Table 3's declared figures."""
    names = [d["domain"] for d in domains]
    figure = go.Figure()
    figure.add_bar(
        x=names,
        y=[_yi(d["total"]) for d in domains],
        name="按明细合计",
        marker_color=SERIES[0],
        text=[f"{yi(d['total'])}" for d in domains],
        textposition="outside",
        hovertemplate="%{x}：%{y:,.2f}亿元（按明细合计）<extra></extra>",
    )
    figure.add_bar(
        x=names,
        y=[_yi(d["declared_total"] or 0) for d in domains],
        name="表3声明",
        marker_color=SERIES[1],
        hovertemplate="%{x}：%{y:,.2f}亿元（表3声明）<extra></extra>",
    )
    _layout(figure, title="各领域计划投资（亿元）", x="领域", y="投资（亿元）")
    figure.update_layout(barmode="group")
    return _html(figure, "chart-domain-investment")


def government_split(domains: list[dict]) -> SafeString:
    names = [d["domain"] for d in domains]
    figure = go.Figure()
    figure.add_bar(
        x=names, y=[_yi(d["government"]) for d in domains], name="政府投资", marker_color=GOVERNMENT,
        hovertemplate="%{x}：政府投资%{y:,.2f}亿元<extra></extra>",
    )  # fmt: skip
    figure.add_bar(
        x=names, y=[_yi(d["enterprise"]) for d in domains], name="企业投资", marker_color=ENTERPRISE,
        hovertemplate="%{x}：企业投资%{y:,.2f}亿元<extra></extra>",
    )  # fmt: skip
    _layout(figure, title="各领域政府与企业投资（亿元）", x="领域", y="投资（亿元）")
    figure.update_layout(barmode="stack")
    return _html(figure, "chart-government-split")


def county_investment(counties: list[dict], city_wide: Decimal, unresolved: Decimal) -> SafeString:
    """Investment located in each county: alone, plus an even share of shared rows (estimate);
    city-wide and unresolved rows are named apart, never split."""
    ranked = sorted(counties, key=lambda c: c["sole"] + c["shared_estimate"], reverse=True)
    names = [c["name"] for c in ranked]
    figure = go.Figure()
    figure.add_bar(
        x=names, y=[_yi(c["sole"]) for c in ranked], name="本县单独实施", marker_color=GOVERNMENT,
        hovertemplate="%{x}：单独实施%{y:,.2f}亿元<extra></extra>",
    )  # fmt: skip
    figure.add_bar(
        x=names, y=[_yi(c["shared_estimate"]) for c in ranked], name="多县共同实施的均摊（估算）",
        marker_color=ESTIMATE, marker_pattern_shape="/",
        hovertemplate="%{x}：共同实施均摊约%{y:,.2f}亿元（估算）<extra></extra>",
    )  # fmt: skip
    _layout(
        figure,
        title=f"各县（市、区）计划投资（亿元）；另有全市性{yi(city_wide)}亿元、地点未识别{yi(unresolved)}亿元不分县",
        x="县（市、区）",
        y="投资（亿元）",
        height=400,
    )
    figure.update_layout(barmode="stack")
    return _html(figure, "chart-county-investment")


def investment_by_year(years: list[dict]) -> SafeString:
    if not years:
        return empty("没有可按年份统计的投资")
    figure = go.Figure(
        go.Bar(
            x=[str(y["year"]) for y in years],
            y=[_yi(y["amount"]) for y in years],
            marker_color=SERIES[0],
            hovertemplate="%{x}年：约%{y:,.2f}亿元<extra></extra>",
            name="计划投资",
        )
    )
    _layout(
        figure,
        title="按实施年份的计划投资（亿元，跨年项目按年平均分摊，为估算）",
        x="年份",
        y="投资（亿元）",
    )
    figure.update_xaxes(type="category")
    return _html(figure, "chart-investment-years")


def funding_sources(sources: list[dict]) -> SafeString:
    ranked = sorted(sources, key=lambda s: s["amount"])
    figure = go.Figure(
        go.Bar(
            x=[_yi(s["amount"]) for s in ranked],
            y=[s["source"] for s in ranked],
            orientation="h",
            marker_color=[GOVERNMENT if s["government"] else ENTERPRISE for s in ranked],
            hovertemplate="%{y}：%{x:,.2f}亿元<extra></extra>",
            name="资金来源",
        )
    )
    _layout(
        figure,
        title="按资金来源（亿元；蓝色为政府，橙色为企业）",
        x="投资（亿元）",
        y="资金来源",
        height=120 + 28 * len(ranked),
    )
    figure.update_layout(margin={"l": 220})
    return _html(figure, "chart-funding")


def planned_vs_completed(rows: list[dict], *, element_id: str = "chart-progress") -> SafeString:
    """rows: [{"label", "planned", "completed"}] in 万元."""
    if not any(r["completed"] for r in rows):
        return empty("尚无县区上报项目进展，暂无完成投资数据")
    labels = [r["label"] for r in rows]
    figure = go.Figure()
    figure.add_bar(
        x=labels, y=[_yi(r["planned"]) for r in rows], name="计划投资", marker_color=SERIES[0],
        hovertemplate="%{x}：计划%{y:,.2f}亿元<extra></extra>",
    )  # fmt: skip
    figure.add_bar(
        x=labels, y=[_yi(r["completed"]) for r in rows], name="已完成（县区上报）", marker_color=SERIES[2],
        hovertemplate="%{x}：已完成%{y:,.2f}亿元<extra></extra>",
    )  # fmt: skip
    _layout(figure, title="计划投资与已完成投资（亿元）", x="领域", y="投资（亿元）")
    figure.update_layout(barmode="group")
    return _html(figure, element_id)


def indicator_values(
    series: list[dict], *, unit: str, lines: list[dict], title: str, element_id: str
) -> SafeString:
    """Each area's value by year; lines: [{"value", "label"}] for the standard and targets.
    `element_id` is unique on the page (an indicator page draws one chart per sub-indicator);
    the year axis is always chronological, whichever area reports which years."""
    if not any(s["points"] for s in series):
        return empty("本指标尚无可绘制的数值（只有状态或尚未上报）")
    figure = go.Figure()
    for index, item in enumerate(series):
        if not item["points"]:
            continue
        years = [str(year) for year, _ in item["points"]]
        values = [float(value) for _, value in item["points"]]
        figure.add_scatter(
            x=years,
            y=values,
            mode="lines+markers",
            name=item["name"],
            line={
                "width": 4 if item.get("city") else 1.5,
                "color": "#000"
                if item.get("city")
                else AREA_COLOURS[(index - 1) % len(AREA_COLOURS)],
            },
            hovertemplate=f"{item['name']} %{{x}}年：%{{y}}{unit}<extra></extra>",
        )
    for line in lines:
        figure.add_hline(
            y=float(line["value"]), line_dash="dot", line_color=line.get("colour", "#444"),
            annotation_text=line["label"], annotation_position="top right",
        )  # fmt: skip
    _layout(figure, title=title, x="年份", y=f"数值（{unit or '无单位'}）", height=420)
    figure.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1}, margin={"r": 110})
    years = sorted({year for item in series for year, _ in item["points"]})
    figure.update_xaxes(
        type="category", categoryorder="array", categoryarray=[str(y) for y in years]
    )
    figure.update_yaxes(rangemode="normal")
    return _html(figure, element_id)


def met_by_year(points: list[dict]) -> SafeString:
    """One area's count of indicators met, binding and reference, by year."""
    if not points:
        return empty("本县（市、区）尚无上报数据")
    years = [str(p["year"]) for p in points]
    figure = go.Figure()
    figure.add_bar(x=years, y=[p["binding_met"] for p in points], name="约束性达标", marker_color=SERIES[0],
                   hovertemplate="%{x}年：约束性达标%{y}项<extra></extra>")  # fmt: skip
    figure.add_bar(x=years, y=[p["reference_met"] for p in points], name="参考性达标", marker_color=SERIES[4],
                   hovertemplate="%{x}年：参考性达标%{y}项<extra></extra>")  # fmt: skip
    _layout(figure, title="各年达标指标数（共40项）", x="年份", y="达标指标数（项）")
    figure.update_layout(barmode="stack")
    figure.update_yaxes(range=[0, 41])
    figure.update_xaxes(type="category")
    return _html(figure, "chart-met-by-year")


def _drawn(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A boundary ring as drawn: degrees to 3 decimals (about 100 m, far below a pixel of the
    520-pixel map) and repeated points dropped; the ring stays closed."""
    drawn: list[tuple[float, float]] = []
    for x, y in ring:
        point = (round(x, 3), round(y, 3))
        if not drawn or drawn[-1] != point:
            drawn.append(point)
    return drawn


def county_map(
    areas: list[dict], *, title: str, element_id: str, legend: list[tuple[str, str]]
) -> SafeString:
    """The 13 counties drawn from their boundaries (counties/geography.py; no tiles), each
    filled with its category's colour and linked to its page (a click opens it).
    areas: [{"code", "name", "category", "colour", "detail", "url"}]; legend: [(category,
    colour)] in order. The table under the map lists the same."""
    shapes = county_shapes()
    figure = go.Figure()
    shown: set[str] = set()
    for category, colour in legend:
        # One legend entry per category, even when no county falls in it.
        figure.add_scatter(
            x=[None], y=[None], mode="markers", name=category, legendgroup=category,
            marker={"color": colour, "size": 12, "symbol": "square"}, hoverinfo="skip",
        )  # fmt: skip
        shown.add(category)
    for area in areas:
        for ring in shapes.get(area["code"], []):
            ring = _drawn(ring)
            # The county page's address once (dashboard.js reads customdata[0]), not per point.
            figure.add_scatter(
                x=[p[0] for p in ring], y=[p[1] for p in ring], mode="lines", fill="toself",
                fillcolor=area["colour"], line={"color": "#ffffff", "width": 1.2},
                name=area["name"], legendgroup=area["category"], showlegend=False,
                hoveron="fills", text=f"{area['name']}：{area['detail']}",
                hoverinfo="text", customdata=[area["url"]],
            )  # fmt: skip
    drawn = [a for a in areas if a["code"] in shapes]  # an area without a boundary: table only
    figure.add_scatter(
        x=[round(centre(a["code"])[0], 3) for a in drawn],
        y=[round(centre(a["code"])[1], 3) for a in drawn],
        mode="text", text=[a["name"] for a in drawn], textfont={"size": 11, "color": "#000"},
        hoverinfo="skip", showlegend=False,
    )  # fmt: skip
    _layout(figure, title=title, height=520)
    figure.update_xaxes(visible=False, showgrid=False)
    # Degrees of longitude are shorter than of latitude at 37.5° N: keep the shapes true.
    figure.update_yaxes(
        visible=False, showgrid=False, scaleanchor="x", scaleratio=1.26, rangemode="normal"
    )
    figure.update_layout(
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 50, "b": 60},
        plot_bgcolor="white",
    )
    table = [["县（市、区）", "类别", "说明"]] + [
        [a["name"], a["category"], a["detail"]] for a in areas
    ]
    return _html(figure, element_id, table)
