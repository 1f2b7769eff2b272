"""Demo county data: plausible values for the 13 counties (and the city's later years), so that
a newcomer sees live results. Every row is marked as demo and `demo_clear` removes exactly those.

Profiles decide who complies: a few counties reach the construction standard, some miss one
binding indicator, some are weak and leave gaps. Values are generated to satisfy or miss each
indicator's own rule, so the rule engine, not this file, decides every status.

Demo values are reports like any other: they go through the one write path
(`submissions.services.report_save`, route 演示数据), are checked against each indicator's input
specification, and leave a history. The same values come out of every run, whatever
PYTHONHASHSEED (one seeded generator, every draw in a fixed order), so loading twice changes
nothing; what a county or the bureau reported is never replaced, and approved years are
never touched.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from counties.models import CITY_CODE, Area, Milestone
from indicators.models import Indicator, IndicatorValue, StandardChange, StandardOverride
from indicators.rules import demo_input
from projects.models import ProjectProgress
from projects.selectors import amount_blocks, investment_rows
from submissions.catalogue import input_spec
from submissions.models import Submission, ValueChange
from submissions.reporting import ProgressReport, ValueReport
from submissions.services import approved_results_watch, report_save

from .pagecache import data_changed

Via = ValueChange.Via

YEARS = (2022, 2023, 2024)
SEED = 20250101

# county code → (profile per year): strong reaches the standard, close misses one binding
# indicator, weak misses several and leaves gaps.
PROFILES: dict[str, tuple[str, str, str]] = {
    "141122": ("close", "strong", "strong"),  # 交城县
    "141181": ("strong", "strong", "strong"),  # 孝义市
    "141182": ("close", "close", "strong"),  # 汾阳市
    "141127": ("weak", "close", "strong"),  # 岚县
    "141121": ("weak", "close", "close"),  # 文水县
    "141102": ("close", "close", "close"),  # 离石区
    "141128": ("weak", "weak", "close"),  # 方山县
    "141129": ("weak", "close", "close"),  # 中阳县
    "141123": ("weak", "weak", "weak"),  # 兴县
    "141124": ("weak", "weak", "weak"),  # 临县
    "141125": ("weak", "weak", "close"),  # 柳林县
    "141126": ("weak", "weak", "weak"),  # 石楼县
    "141130": ("weak", "weak", "weak"),  # 交口县
    CITY_CODE: ("seed", "close", "close"),  # 2022 is the plan's own data
}
# Base levels of indicators whose rule is a trend only, by unit.
LEVELS = {"吨标准煤/万元": (1.0, 2.4), "立方米/万元": (20, 60), "吨/万元": (3, 6), "千克": (5, 15)}


@dataclass
class DemoReport:
    values: int
    milestones: int
    overrides: int
    progress: int = 0
    skipped: int = 0  # demo records left alone because their year is approved


def demo_exists() -> bool:
    return (
        IndicatorValue.objects.filter(source=IndicatorValue.Source.DEMO).exists()
        or Milestone.objects.filter(source=Milestone.Source.DEMO).exists()
        or Milestone.objects.filter(achieved_is_demo=True).exists()
        or StandardOverride.objects.filter(is_demo=True).exists()
        or ProjectProgress.objects.filter(is_demo=True).exists()
    )


DEMO_DETAIL = "由 load_demo 命令生成"


def _approved() -> set[tuple[int, int]]:
    return set(
        Submission.objects.filter(state=Submission.State.APPROVED).values_list("area_id", "year")
    )


def _demo_keys() -> dict[tuple[int, int], tuple[list[str], list[int]]]:
    """Per (area_id, year): the codes of its demo values and the rows of its demo progress."""
    keys: dict[tuple[int, int], tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
    for area_id, year, code in IndicatorValue.objects.filter(
        source=IndicatorValue.Source.DEMO
    ).values_list("area_id", "year", "indicator__code"):
        keys[(area_id, year)][0].append(code)
    for area_id, year, row_id in ProjectProgress.objects.filter(is_demo=True).values_list(
        "area_id", "year", "investment_row_id"
    ):
        keys[(area_id, year)][1].append(row_id)
    return keys


@transaction.atomic
def demo_clear() -> DemoReport:
    """Withdraw every demo value and progress record (with history, route 演示数据) except in
    approved years, and remove the demo milestones and standard overrides."""
    approved = _approved()
    areas = {a.pk: a for a in Area.objects.all()}
    values = progress = skipped = 0
    for (area_id, year), (codes, rows) in sorted(_demo_keys().items()):
        if (area_id, year) in approved:
            skipped += len(codes) + len(rows)
            continue
        report_save(
            area=areas[area_id],
            year=year,
            values=[ValueReport(c, withdraw=True, reason="清除演示数据") for c in codes],
            progress=[ProgressReport(r, withdraw=True, reason="清除演示数据") for r in rows],
            route=Via.DEMO,
            source_detail=DEMO_DETAIL,
        )
        values += len(codes)
        progress += len(rows)
    milestones = _demo_milestones_clear()
    with approved_results_watch(
        user=None, what="清除演示数据（地区指标值）", via=StandardChange.Via.DEMO
    ):
        overrides, _ = StandardOverride.objects.filter(is_demo=True).delete()
    return DemoReport(values, milestones, overrides, progress, skipped)


def _demo_milestones_clear() -> int:
    """Remove the demo milestones and the demo dates set on the plan's own; their count."""
    removed, _ = Milestone.objects.filter(source=Milestone.Source.DEMO).delete()
    data_changed()  # the update below sends no signal
    return removed + Milestone.objects.filter(achieved_is_demo=True).update(
        achieved_on=None, achieved_is_demo=False
    )


def _leaves(indicators: list[Indicator]) -> list[tuple[Indicator, dict | None]]:
    """Indicators that take a value (no sub-indicators), each with the rule that applies."""
    parents = {i.parent_id for i in indicators if i.parent_id}
    return [(i, i.effective_rule) for i in indicators if i.pk not in parents]


class _Generator:
    def __init__(self) -> None:
        self.random = random.Random(SEED)
        self.levels: dict[tuple[int, int], float] = {}
        self.share = False  # the current indicator is a share (0–100)
        self.first_year = False
        self.series: tuple[int, int] = (0, 0)  # (area, indicator) of the current value
        self.unit = ""

    def should_meet(
        self, profile: str, binding: bool, miss: set[int], indicator: Indicator
    ) -> bool:
        if profile == "strong":
            return binding or self.random.random() < 0.93
        if profile == "close":
            return indicator.pk not in miss and (binding or self.random.random() < 0.88)
        return self.random.random() < (0.75 if binding else 0.6)

    def value(
        self, area: Area, year: int, indicator: Indicator, rule: dict, meet: bool
    ) -> ValueReport:
        """A report that meets (or misses) the rule, in the inputs the indicator takes: each
        rule kind makes its own plausible value (indicators/rules.py), a share stays within
        0–100 as the indicator's input specification demands."""
        parent = indicator.parent
        self.share = input_spec(
            rule,
            unit=indicator.unit,
            name=indicator.display_name,
            parent_name=parent.display_name if parent else "",
        ).percent
        self.first_year = year == YEARS[0]
        self.unit = indicator.unit
        self.series = (area.pk, indicator.pk)
        made = demo_input(rule, meet, self)
        return ValueReport(
            indicator.code, text=made.text, choice=made.choice, judgement=made.judgement
        )

    def level(self, *, meet: bool, step: tuple[float, float], points: bool, up: bool) -> float:
        """The series' next value (rules.DemoSource): it starts within the unit's usual range
        (a share measured in points, 26, at 25–55) and moves by `step`, a fraction of the
        level or points of it, toward better (meet) or worse; `up`: higher is better."""
        unit_levels = (25, 55) if points else LEVELS.get(self.unit, (40, 90))
        if self.series not in self.levels:
            self.levels[self.series] = self.random.uniform(*unit_levels)
        else:
            level = self.levels[self.series]
            if points:
                change = self.random.uniform(*step) if meet else self.random.uniform(0, 1.5)
                self.levels[self.series] = min(level + change, 99)
            else:
                change = level * self.random.uniform(*step)
                better = level + change if up else level - change
                worse = level - change if up else level + change
                self.levels[self.series] = better if meet else worse
            if self.share:
                self.levels[self.series] = min(self.levels[self.series], 100)
        return self.levels[self.series]


@transaction.atomic
def demo_load() -> DemoReport:
    """Write the deterministic demo set through the one write path: new demo values are added,
    changed ones updated, demo values no longer in the set withdrawn; values reported by a
    county or the bureau, and approved years, are left as they are."""
    generator = _Generator()
    indicators = list(Indicator.objects.select_related("parent").order_by("order"))
    leaves = _leaves(indicators)
    binding_leaves = [i for i, _ in leaves if i.is_binding]
    areas = {a.code: a for a in Area.objects.all()}
    # Real values (the plan's, or reported by a county or the bureau) are never replaced.
    real = set(
        IndicatorValue.objects.exclude(source=IndicatorValue.Source.DEMO).values_list(
            "area_id", "year", "indicator_id"
        )
    )
    approved = _approved()
    wanted: dict[tuple[int, int], list[ValueReport]] = defaultdict(list)
    for code, profiles in PROFILES.items():
        area = areas[code]
        miss = {generator.random.choice(binding_leaves).pk}
        for year, profile in zip(YEARS, profiles, strict=True):
            if profile == "seed":
                continue
            for indicator, rule in leaves:
                if profile == "weak" and generator.random.random() < 0.08:
                    continue  # a gap: nothing reported
                meet = generator.should_meet(profile, indicator.is_binding, miss, indicator)
                report = generator.value(area, year, indicator, rule, meet)
                if (area.pk, year, indicator.pk) not in real:
                    wanted[(area.pk, year)].append(report)
    progress = _demo_progress(generator, areas)
    existing = _demo_keys()
    by_pk = {a.pk: a for a in areas.values()}
    written = skipped = progress_written = 0
    for key in sorted(set(wanted) | set(progress) | set(existing)):
        if key in approved:
            skipped += len(wanted.get(key, [])) + len(progress.get(key, []))
            continue
        values = wanted.get(key, [])
        rows = progress.get(key, [])
        codes = {r.code for r in values}
        row_ids = {r.row_id for r in rows}
        stale_codes, stale_rows = existing.get(key, ([], []))
        outcome = report_save(
            area=by_pk[key[0]],
            year=key[1],
            values=values
            + [
                ValueReport(c, withdraw=True, reason="演示数据已更新")
                for c in stale_codes
                if c not in codes
            ],
            progress=rows
            + [
                ProgressReport(r, withdraw=True, reason="演示数据已更新")
                for r in stale_rows
                if r not in row_ids
            ],
            route=Via.DEMO,
            source_detail=DEMO_DETAIL,
        )
        written += sum(1 for s in outcome.values if s.changes)
        progress_written += sum(1 for s in outcome.progress if s.changes)

    _demo_milestones_clear()
    milestones = 0
    for milestone in Milestone.objects.filter(
        kind=Milestone.Kind.PLAN_PUBLISHED, planned_year__lte=2024
    ):
        milestone.achieved_on = date(milestone.planned_year, 6 + milestone.area.order % 6, 15)
        milestone.achieved_is_demo = True
        milestone.save(update_fields=["achieved_on", "achieved_is_demo"])
        milestones += 1
    for code, kind, day in [
        ("141181", Milestone.Kind.STANDARD_REACHED, date(2023, 12, 20)),
        ("141122", Milestone.Kind.STANDARD_REACHED, date(2024, 12, 18)),
        ("141181", Milestone.Kind.CREATION_COMPLETED, date(2024, 11, 8)),
    ]:
        Milestone.objects.create(
            area=areas[code],
            kind=kind,
            achieved_on=day,
            source=Milestone.Source.DEMO,
            note="演示数据",
        )
        milestones += 1

    forest = Indicator.objects.get(code="11.1")
    overrides = 0
    with approved_results_watch(
        user=None, what="加载演示数据（地区指标值）", via=StandardChange.Via.DEMO
    ):
        StandardOverride.objects.filter(is_demo=True).delete()
        for area in areas.values():
            if area.terrain != Area.Terrain.PLAIN:
                continue
            StandardOverride.objects.create(
                indicator=forest,
                area=area,
                standard="≥18",
                rule={"kind": "threshold", "op": ">=", "value": "18"},
                reason="演示：平川区按平原地区的林草覆盖率标准考核（示例，非正式依据）",
                is_demo=True,
            )
            overrides += 1
    return DemoReport(written, milestones, overrides, progress_written, skipped)


def _demo_progress(
    generator: _Generator, areas: dict[str, Area]
) -> dict[tuple[int, int], list[ProgressReport]]:
    """2024 progress reports: each county's share of the rows that cover it, partly done;
    rows a county reported itself are left out."""
    reports: dict[tuple[int, int], list[ProgressReport]] = defaultdict(list)
    real = set(
        ProjectProgress.objects.filter(is_demo=False).values_list(
            "investment_row_id", "area_id", "year"
        )
    )
    for block in amount_blocks(investment_rows()):
        codes = sorted(block.county_codes)  # a set: sorted, so draws follow a fixed order
        if block.amount is None or block.scope != "counties":
            continue
        for code in codes:
            profile = PROFILES[code][-1]
            draw = generator.random.random()
            if profile == "weak" and draw < 0.4:
                continue  # not reported
            status, done = (
                ("已完工", 1.0) if draw < 0.25 else ("在建", generator.random.uniform(0.2, 0.8))
            )
            if draw > 0.9:
                status, done = "未开工", 0.0
            share = block.amount / len(codes)
            area = areas[code]
            # The block's first row that names the county (a merged amount covers the rows
            # below it, each with its own place).
            row = next(r for r in block.rows if area in r.counties.all())
            if (row.pk, area.pk, 2024) in real:
                continue
            amount = (share * Decimal(str(round(done, 2)))).quantize(Decimal("0.01"))
            reports[(area.pk, 2024)].append(
                ProgressReport(row.pk, status=status, amount=str(amount), note="演示数据")
            )
    return reports
