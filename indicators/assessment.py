"""Assessing an area's value against a rule, and its progress toward a target.

Plain functions over plain values (no ORM): given a rule (see rules.py), the area's value for
the year and the previous year's, `assess` returns a status and the reason in Chinese. Where the
rule cannot decide and a person's judgement is recorded, the status is that judgement, marked as
a judgement (basis "judgement"), never passed off as a computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from .observation import Observation
from .rules import OPERATORS, Rule, bound_meets, evaluate, fmt
from .statuses import Basis, ProgressStatus, Status

__all__ = [
    "Assessment", "Observation", "Progress", "agrees", "assess", "assess_composite", "progress",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    reason: str
    basis: Basis = Basis.COMPUTED
    computed: str = ""  # what the rule alone gave, when a judgement replaced it

    @property
    def label(self) -> str:
        return Status(self.status).label

    @property
    def sign(self) -> str:
        return Status(self.status).sign


def assess(
    rule: Rule | None, current: Observation | None, previous: Observation | None = None
) -> Assessment:
    """Status of one value against one rule. A recorded judgement replaces a status the rule
    cannot decide (needs review), and is marked as such."""
    if current is None or current.is_empty:
        return Assessment(Status.NO_DATA, _nothing(current), Basis.NONE)
    if not rule:
        status, reason = Status.NEEDS_REVIEW, "未设定判定规则"
    else:
        status, reason = evaluate(rule, current, previous)
    judged = Status.judgement(current.judgement)
    if status == Status.NEEDS_REVIEW and judged is not None:
        return Assessment(
            judged,
            f"规则无法自动判断（{reason}），采用记录的判断“{judged.judgement_label}”",
            Basis.JUDGEMENT,
            computed=Status.NEEDS_REVIEW,
        )
    return Assessment(status, reason, Basis.COMPUTED)


def _nothing(current: Observation | None) -> str:
    """Why there is nothing to judge: the plan's own marks are not a missing report."""
    mark = current.text.strip() if current is not None else ""
    if mark == "/":
        return "原文为“/”（该年不适用或尚未到期），不作判断"
    if mark in {"--", "-", "—"}:
        return f"原文为“{mark}”（未给出数值），不作判断"
    return "未上报"


def assess_composite(parts: list[tuple[str, Assessment]]) -> Assessment:
    """An indicator made of sub-indicators is met when every sub-indicator is met."""
    if not parts:
        return Assessment(Status.NO_DATA, "没有子指标", Basis.NONE)
    statuses = [a.status for _, a in parts]
    judged = any(a.basis == Basis.JUDGEMENT for _, a in parts)
    basis = Basis.JUDGEMENT if judged else Basis.COMPUTED
    if all(s == Status.NO_DATA for s in statuses):
        return Assessment(Status.NO_DATA, "各子指标均未上报", Basis.NONE)
    for status, wording in (
        (Status.NOT_MET, "子指标未达标"),
        (Status.NO_DATA, "子指标未上报"),
        (Status.NEEDS_REVIEW, "子指标待核定"),
    ):
        if status in statuses:
            names = "、".join(name for name, a in parts if a.status == status)
            return Assessment(status, f"{wording}：{names}", basis)
    return Assessment(Status.MET, "各子指标均达标", basis)


def agrees(assessment: Assessment, recorded: str) -> bool | None:
    """Whether a computed status matches the recorded judgement; None when either is missing
    or the status itself is the judgement."""
    if Status.judgement(recorded) is None or assessment.basis != Basis.COMPUTED:
        return None
    if assessment.status not in {Status.MET, Status.NOT_MET}:
        return None
    return assessment.status == recorded


# ---------------------------------------------------------------------------------------------
# Progress toward a target: the compound-growth method documented by the Open SDG platform
# (sdg-build ProgressMeasure, "methodology 2"): the observed compound annual growth rate since
# the base year, divided by the rate required to reach the target in the target year.

DEFAULT_THRESHOLDS = {"high": 0.95, "med": 0.6, "low": 0.0}


@dataclass(frozen=True, slots=True)
class Progress:
    status: ProgressStatus
    reason: str
    gap: Decimal | None = None  # still to go to the target, in the indicator's unit (≥ 0)
    ratio: float | None = None  # observed / required growth
    details: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ProgressStatus(self.status).label


def _cagr(value: float, base: float, years: int) -> float:
    return (value / base) ** (1 / years) - 1


def progress(
    series: list[tuple[int, Decimal]],
    *,
    target: Decimal | None,
    target_year: int,
    direction: str,
    thresholds: dict[str, float] | None = None,
    bound: tuple[int, str, Decimal] | None = None,
) -> Progress:
    """Judge whether the trend of `series` (year, value) reaches `target` by `target_year`.
    `direction` is the indicator's good direction (up: higher is better). `bound`: the latest
    value when it was reported as a bound, (year, comparator, number) for `≥60`: it decides
    only when every value it allows reaches the target. The gap is what is still to go, in
    the good direction (never negative)."""
    bands = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    if target is None:
        return Progress(ProgressStatus.NOT_ASSESSABLE, "目标不是数值，无法计算进度")
    points = sorted((year, value) for year, value in series if value is not None)
    if bound is not None and (not points or bound[0] >= points[-1][0]):
        bound_year, comparator, number = bound
        shown = f"{OPERATORS[comparator]}{fmt(number)}"
        op = ">=" if direction == "up" else "<="
        if bound_meets(comparator, number, op, target) is True:
            reached = f"最新值{shown}（{bound_year}年）已达到目标{fmt(target)}"
            return Progress(ProgressStatus.TARGET_ACHIEVED, reached)
        ranged = f"最新值为“{shown}”（{bound_year}年，只给出范围），无法计算进度"
        return Progress(ProgressStatus.NOT_ASSESSABLE, ranged)
    if not points:
        return Progress(ProgressStatus.NOT_ASSESSABLE, "没有数值")
    (base_year, base), (year, latest) = points[0], points[-1]
    gap = target - latest if direction == "up" else latest - target
    achieved = gap <= 0
    if achieved:
        reached = f"最新值{fmt(latest)}（{year}年）已达到目标{fmt(target)}"
        return Progress(ProgressStatus.TARGET_ACHIEVED, reached, None)
    if target == base and year > base_year:
        # 12.1: the target is the baseline (100) and the value fell to 95.84.
        return Progress(
            ProgressStatus.DETERIORATION,
            f"{base_year}年{fmt(base)}已等于目标{fmt(target)}，{year}年为{fmt(latest)}，较基准变差",
            gap,
        )
    if year == base_year:
        return Progress(ProgressStatus.NOT_ASSESSABLE, "只有一年的数值，无法判断趋势", gap)
    if base == 0 or (base > 0) != (latest > 0) or (target > 0) != (base > 0):
        unfit = "基准值为零或数值正负号不同，复合增长法不适用"
        return Progress(ProgressStatus.NOT_ASSESSABLE, unfit, gap)
    if target_year <= base_year:
        return Progress(ProgressStatus.NOT_ASSESSABLE, "目标年份不晚于基准年", gap)
    observed = _cagr(float(latest), float(base), year - base_year)
    required = _cagr(float(target), float(base), target_year - base_year)
    if required == 0 or math.isnan(observed) or math.isnan(required):
        return Progress(ProgressStatus.NOT_ASSESSABLE, "所需增长率为零，无法计算比值", gap)
    sign = 1 if base > 0 else -1
    good = 1 if direction == "up" else -1
    ratio = sign * good * observed / abs(required)
    if ratio >= bands["high"]:
        status = ProgressStatus.ON_TRACK
    elif ratio >= bands["med"]:
        status = ProgressStatus.ACCELERATION_NEEDED
    elif ratio >= bands["low"]:
        status = ProgressStatus.LIMITED_PROGRESS
    else:
        status = ProgressStatus.DETERIORATION
    reason = (
        f"{base_year}年{fmt(base)} → {year}年{fmt(latest)}，年均增长{observed:.2%}；"
        f"{target_year}年达到{fmt(target)}需年均{required:.2%}，比值{ratio:.2f}"
    )
    if year >= target_year:
        reason += f"；目标年份（{target_year}年）已到，仍未达到目标"
    details = {
        "base_year": base_year,
        "base": base,
        "year": year,
        "latest": latest,
        "observed_growth": observed,
        "required_growth": required,
    }
    return Progress(status, reason, gap, ratio, details)
