"""Chart images of the annual report: one function per chart, each taking report data and
returning a PNG (bytes), or None when no CJK font is installed (the report then says so in a
note instead of printing boxes for every character).

Drawn with matplotlib's Agg canvas, offline and without a browser; figures are built with the
object API (no pyplot), so nothing is shared between requests. Colours are the pages' own
(indicators/statuses.py, lvliang_eco/charts.py)."""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from indicators.statuses import ProgressStatus, Status

from .charts import SERIES

# Simplified Chinese faces first; a Japanese or Traditional face of the same family draws the
# same characters with a few regional glyph shapes, better than none.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
# fonts-noto-cjk on Debian; registered when matplotlib's font cache predates the install.
CJK_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
WIDTH_CM = 16.0  # the printed width of every chart (A4 less 2.2 cm margins: 16.6 cm)


@cache
def cjk_font() -> str | None:
    """The family name of an installed CJK font matplotlib can draw with, or None."""
    for attempt in range(2):
        installed = {entry.name for entry in font_manager.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in installed:
                return family
        if attempt == 0:
            for path in CJK_FILES:
                if path.exists():
                    font_manager.fontManager.addfont(str(path))
    return None


def _figure(height_cm: float) -> Figure | None:
    """A blank figure the width of the page, or None without a CJK font."""
    if cjk_font() is None:
        return None
    figure = Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), dpi=200, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _axes(figure: Figure, title: str):
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    # Ticks are made while drawing: they take the family from here, not from _png.
    axes.tick_params(labelsize=8, labelfontfamily=cjk_font())
    return axes


def _legend(axes, **options) -> None:
    axes.legend(prop={"family": cjk_font(), "size": 7}, frameon=False, **options)


def _png(figure: Figure) -> bytes:
    """The figure as PNG, every text made so far (titles, labels, bar labels) in the CJK
    font."""
    family = cjk_font()
    for text in figure.findobj(Text):
        text.set_fontfamily(family)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def _yi(amount: Decimal | None) -> float:
    return float((amount or Decimal(0)) / 10000)


def _stacked(axes, labels: list[str], series: list[tuple]) -> None:
    """Horizontal bars stacked by status, the first label on top. series: [(status, counts)]
    where a status has .label and .colour; each part is labelled with its count."""
    left = [0] * len(labels)
    for status, counts in series:
        bars = axes.barh(
            labels[::-1], counts[::-1], left=left, color=status.colour, label=status.label
        )
        axes.bar_label(
            bars,
            labels=[str(c) if c else "" for c in counts[::-1]],
            label_type="center",
            fontsize=7,
        )
        left = [a + b for a, b in zip(left, counts[::-1], strict=True)]


def city_status_by_domain(domains: list[dict]) -> bytes | None:
    """The city's 40 indicators by domain and status, stacked.
    domains: [{"domain": str, "counts": {Status: int}}]."""
    figure = _figure(7.5)
    if figure is None:
        return None
    axes = _axes(figure, "吕梁市各领域指标达标情况（项）")
    _stacked(
        axes,
        [d["domain"] for d in domains],
        [(status, [d["counts"].get(status, 0) for d in domains]) for status in Status],
    )
    axes.set_xlabel("指标数（项）", fontsize=8)
    _legend(axes, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    return _png(figure)


def counties_reaching(timeline: list[dict], goals: list[dict], total: int) -> bytes | None:
    """Counties reaching the construction standard by year, with the 2025 and 2030 goals as
    lines. timeline: [{"year", "count"}]; goals: [{"year", "required"}]."""
    figure = _figure(7.0)
    if figure is None:
        return None
    axes = _axes(figure, f"达到建设标准的县（市、区）数（共{total}个）")
    positions = range(len(timeline))
    bars = axes.bar(positions, [p["count"] for p in timeline], color=Status.MET.colour, width=0.5)
    axes.set_xticks(list(positions), [f"{p['year']}年" for p in timeline])
    axes.bar_label(bars, labels=[f"{p['count']}个" for p in timeline], fontsize=8)
    for goal in goals:
        colour = SERIES[1] if goal["year"] == 2025 else SERIES[0]
        axes.axhline(goal["required"], color=colour, linestyle="--", linewidth=1)
        axes.annotate(
            f"{goal['year']}年目标：{goal['required']}个",
            xy=(0, goal["required"]),
            xycoords=("axes fraction", "data"),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=7,
            color=colour,
        )
    axes.set_ylim(0, total + 0.5)
    axes.set_ylabel("县（市、区）数", fontsize=8)
    return _png(figure)


def domain_investment(domains: list[dict]) -> bytes | None:
    """Planned investment by domain in 亿元: the rows' sums beside Table 3's declared figures.
    domains: investment_summary()["domains"] (amounts in 万元)."""
    figure = _figure(7.5)
    if figure is None:
        return None
    axes = _axes(figure, "各领域计划投资：按明细合计与表3声明（亿元）")
    positions = range(len(domains))
    width = 0.38
    rows = axes.bar(
        [p - width / 2 for p in positions],
        [_yi(d["total"]) for d in domains],
        width,
        color=SERIES[0],
        label="按明细合计",
    )
    axes.bar(
        [p + width / 2 for p in positions],
        [_yi(d["declared_total"]) for d in domains],
        width,
        color=SERIES[1],
        label="表3声明",
    )
    axes.bar_label(rows, labels=[f"{_yi(d['total']):,.2f}" for d in domains], fontsize=7)
    axes.set_xticks(list(positions), [d["domain"] for d in domains])
    axes.set_ylabel("投资（亿元）", fontsize=8)
    _legend(axes)
    return _png(figure)


def progress_counts(counts: dict[int, dict[ProgressStatus, int]]) -> bytes | None:
    """How many of the city's targets are on track, by target year and progress status.
    counts: {2025: {ProgressStatus: int}, 2030: {...}}."""
    figure = _figure(6.0)
    if figure is None:
        return None
    axes = _axes(figure, "吕梁市规划目标进展（项）")
    years = sorted(counts)
    _stacked(
        axes,
        [f"{year}年目标" for year in years],
        [(status, [counts[year].get(status, 0) for year in years]) for status in ProgressStatus],
    )
    axes.set_xlabel("有数值目标的指标（项）", fontsize=8)
    _legend(axes, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    return _png(figure)
