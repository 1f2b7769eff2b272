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

from .rules import OPERATORS, Rule

MET = "met"
NOT_MET = "not_met"
NO_DATA = "no_data"
NEEDS_REVIEW = "needs_review"

STATUS_LABELS = {MET: "达标", NOT_MET: "未达标", NO_DATA: "无数据", NEEDS_REVIEW: "待核定"}
JUDGEMENT_LABELS = {MET: "已达标", NOT_MET: "未达标"}

COMPUTED = "computed"
JUDGEMENT = "judgement"
NONE = "none"

TASK_DONE = {"完成", "已完成", "是"}
TASK_NOT_DONE = {"未完成", "否"}


@dataclass(frozen=True)
class Observation:
    """One reported value: its text, the number read from it (`low`..`high` when the text is a
    bound such as `≥60`), a state wording, a yes/no, and any recorded judgement."""

    text: str = ""
    number: Decimal | None = None
    comparator: str = ""  # ">=" when the text was `≥60`: the true value is at least `number`
    state: str = ""
    flag: bool | None = None
    judgement: str = ""  # met / not_met / "" — a person's recorded judgement
    earlier: Decimal | None = None  # last year's value as the same text states it, if it does
    change: Decimal | None = None  # the change from last year the text states, in %

    @property
    def is_empty(self) -> bool:
        return (
            self.number is None
            and not self.state
            and self.flag is None
            and not _reported(self.text)
        )


def _reported(text: str) -> bool:
    return text.strip() not in {"", "/", "--", "-", "—"}


@dataclass(frozen=True)
class Assessment:
    status: str
    reason: str
    basis: str = COMPUTED
    computed: str = ""  # what the rule alone gave, when a judgement replaced it

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _compare(left: Decimal, op: str, right: Decimal) -> bool:
    return {
        ">=": left >= right,
        "<=": left <= right,
        ">": left > right,
        "<": left < right,
        "==": left == right,
    }[op]


def _bound_meets(comparator: str, value: Decimal, op: str, bar: Decimal) -> bool | None:
    """Whether every value allowed by `comparator value` (e.g. ≥60: [60, ∞)) satisfies
    `op bar` (True), none does (False), or some do and some don't (None)."""
    if op == "==":
        outside = not _compare(bar, comparator, value)
        return False if outside else None
    lower = comparator in {">=", ">"}  # the bound is a lower bound: values go up from it
    strict = comparator in {">", "<"}
    if op in {">=", ">"}:
        if lower:
            all_meet = value > bar if (op == ">" and not strict) else value >= bar
            return True if all_meet else None
        none_meet = value <= bar if (op == ">" or strict) else value < bar
        return False if none_meet else None
    if not lower:
        all_meet = value < bar if (op == "<" and not strict) else value <= bar
        return True if all_meet else None
    none_meet = value >= bar if (op == "<" or strict) else value > bar
    return False if none_meet else None


def _threshold(rule: Rule, current: Observation) -> tuple[str, str]:
    if current.number is None:
        return NEEDS_REVIEW, f"“{_short(current.text)}”中没有可比较的数值"
    op, bar = rule["op"], Decimal(rule["value"])
    sign = OPERATORS[op]
    value = current.number
    if current.comparator:
        # A bound such as `≥60`: decided only when every value it allows falls on one side.
        bound = f"{OPERATORS[current.comparator]}{_fmt(value)}"
        decided = _bound_meets(current.comparator, value, op, bar)
        if decided is True:
            return MET, f"{bound}，满足{sign}{_fmt(bar)}"
        if decided is False:
            return NOT_MET, f"{bound}，不满足{sign}{_fmt(bar)}"
        return NEEDS_REVIEW, f"上报值为“{bound}”，无法确定是否{sign}{_fmt(bar)}"
    if _compare(value, op, bar):
        return MET, f"{_fmt(value)} {sign} {_fmt(bar)}"
    negated = {">=": "<", "<=": ">", ">": "≤", "<": "≥", "==": "≠"}[op]
    return NOT_MET, f"{_fmt(value)} {OPERATORS.get(negated, negated)} {_fmt(bar)}"


def _state(rule: Rule, current: Observation) -> tuple[str, str]:
    accepted = rule["accepted"]
    wanted = "或".join(f"“{a}”" for a in accepted)
    if current.state:
        if current.state in accepted:
            return MET, f"上报为“{current.state}”"
        return NOT_MET, f"上报为“{current.state}”，要求{wanted}"
    if current.flag is True:
        return MET, f"上报已达到{wanted}"
    if current.flag is False:
        return NOT_MET, f"上报未达到{wanted}"
    return NEEDS_REVIEW, f"须上报状态（要求{wanted}）"


def _task(rule: Rule, current: Observation) -> tuple[str, str]:
    task = rule["task"]
    if current.flag is True or current.state in TASK_DONE or current.state == task:
        return MET, f"上报已{task}"
    if current.flag is False or current.state in TASK_NOT_DONE:
        return NOT_MET, f"上报未{task}"
    return NEEDS_REVIEW, f"须上报是否{task}"


def _trend(rule: Rule, current: Observation, previous: Observation | None) -> tuple[str, str]:
    if current.change is not None and (
        current.number is None or _earlier(current, previous) is None
    ):
        # `比2021年降幅3.03%`: the text states the change itself.
        up = rule["direction"] == "up"
        change = current.change
        moved = "上升" if change > 0 else "下降"
        stated_change = f"原文所述较上年{moved}{_fmt(abs(change))}%"
        if change == 0:
            if rule["strict"]:
                return NOT_MET, "原文所述较上年持平，要求持续改善"
            return MET, "原文所述较上年持平，保持稳定"
        if (change > 0) == up:
            return MET, f"{stated_change}，持续改善"
        return NOT_MET, f"{stated_change}，较上年变差"
    if current.number is None:
        return NEEDS_REVIEW, f"“{_short(current.text)}”中没有可比较的数值，无法判断趋势"
    before = _earlier(current, previous)
    if before is None:
        return NEEDS_REVIEW, "无上年数据，无法判断趋势"
    now = current.number
    arrow = f"较上年 {_fmt(before)} → {_fmt(now)}"
    better = now > before if rule["direction"] == "up" else now < before
    if better:
        return MET, f"{arrow}，持续改善"
    if now == before:
        if rule["strict"]:
            return NOT_MET, f"{arrow}，持平，要求持续改善"
        return MET, f"{arrow}，保持稳定"
    return NOT_MET, f"{arrow}，较上年变差"


def _earlier(current: Observation, previous: Observation | None) -> Decimal | None:
    """Last year's value: the previous year's record, else the one the text itself states
    (`2021年综合利用率19.09%，2022年综合利用率19.23%`)."""
    if previous is not None and previous.number is not None:
        return previous.number
    return current.earlier


def _change(rule: Rule, current: Observation, previous: Observation | None) -> tuple[str, str]:
    if current.number is None:
        return NEEDS_REVIEW, f"“{_short(current.text)}”中没有可比较的数值"
    before = _earlier(current, previous)
    if before is None:
        return NEEDS_REVIEW, "无上年数据，无法计算变化幅度"
    now = current.number
    bar = Decimal(rule["value"])
    sign = OPERATORS[rule["op"]]
    if rule.get("method") == "relative":
        # As the plan computes 26: (19.23 − 19.09) ÷ 19.09 = 0.73%.
        if before == 0:
            return NEEDS_REVIEW, "上年值为0，无法计算相对提高幅度"
        delta = ((now - before) / before * 100).quantize(Decimal("0.01"))
        text = (
            f"较上年 {_fmt(before)} → {_fmt(now)}，提高幅度 ({_fmt(now)}−{_fmt(before)})"
            f"÷{_fmt(before)} = {_fmt(delta)}%"
        )
    else:
        delta = now - before
        text = f"较上年 {_fmt(before)} → {_fmt(now)}，变化 {_fmt(delta)} 个百分点"
    if _compare(delta, rule["op"], bar):
        return MET, f"{text}，满足{sign}{_fmt(bar)}"
    return NOT_MET, f"{text}，未达到{sign}{_fmt(bar)}"


def _rate(rule: Rule, current: Observation) -> tuple[str, str]:
    """The value is itself a rate of change (positive = better): compared as reported."""
    if current.number is None:
        return NEEDS_REVIEW, f"“{_short(current.text)}”中没有可比较的变化幅度"
    status, reason = _threshold(rule, current)
    if Decimal(rule["value"]) == 0 and not current.comparator:
        verdict = {MET: "未恶化" if rule["op"] == ">=" else "持续改善", NOT_MET: "较上年恶化"}
        if current.number == 0 and rule["op"] == ">":
            verdict[NOT_MET] = "持平，要求持续改善"
        return status, f"变化幅度 {reason}，{verdict.get(status, '')}".rstrip("，")
    return status, f"变化幅度 {reason}"


def _combine(results: list[tuple[str, str]], *, any_of: bool) -> tuple[str, str]:
    statuses = [status for status, _ in results]
    reason = "；".join(reason for _, reason in results)
    if any_of:
        if MET in statuses:
            return MET, next(r for s, r in results if s == MET)
        if NEEDS_REVIEW in statuses:
            return NEEDS_REVIEW, reason
        return NOT_MET, reason
    if NOT_MET in statuses:
        return NOT_MET, reason
    if NEEDS_REVIEW in statuses:
        return NEEDS_REVIEW, reason
    return MET, reason


def _applies(rule: Rule, current: Observation) -> bool:
    if rule["kind"] in {"state", "task"}:
        return bool(current.state) or current.flag is not None or current.number is None
    if rule["kind"] in {"threshold", "trend", "change", "rate", "conditional"}:
        return current.number is not None or not (current.state or current.flag is not None)
    return True


def _evaluate(rule: Rule, current: Observation, previous: Observation | None) -> tuple[str, str]:
    kind = rule["kind"]
    if kind == "threshold":
        return _threshold(rule, current)
    if kind == "state":
        return _state(rule, current)
    if kind == "task":
        return _task(rule, current)
    if kind == "trend":
        return _trend(rule, current, previous)
    if kind == "change":
        return _change(rule, current, previous)
    if kind == "rate":
        return _rate(rule, current)
    if kind == "any":
        # `较上年持续下降，或上报“逐步下降”`: a part asking for what the area did not report
        # (a state when it reported a number, a number when it reported a state) does not apply.
        parts = [p for p in rule["rules"] if _applies(p, current)] or rule["rules"]
        return _combine([_evaluate(p, current, previous) for p in parts], any_of=True)
    if kind == "all":
        parts = [_evaluate(part, current, previous) for part in rule["rules"]]
        return _combine(parts, any_of=False)
    if kind == "conditional":
        if current.number is None:
            return NEEDS_REVIEW, f"“{_short(current.text)}”中没有数值，无法确定适用的条件"
        for branch in rule["branches"]:
            when = branch["when"]
            if _compare(current.number, when["op"], Decimal(when["value"])):
                status, reason = _evaluate(branch["rule"], current, previous)
                condition = f"本年值{_fmt(current.number)}{OPERATORS[when['op']]}{when['value']}"
                return status, f"{condition}：{reason}"
        return NEEDS_REVIEW, "没有适用的条件"
    return NEEDS_REVIEW, "规则须由子指标判断"


def assess(
    rule: Rule | None, current: Observation | None, previous: Observation | None = None
) -> Assessment:
    """Status of one value against one rule. A recorded judgement replaces a status the rule
    cannot decide (needs review), and is marked as such."""
    if current is None or current.is_empty:
        return Assessment(NO_DATA, _nothing(current), NONE)
    if not rule:
        status, reason = NEEDS_REVIEW, "未设定判定规则"
    else:
        status, reason = _evaluate(rule, current, previous)
    if status == NEEDS_REVIEW and current.judgement in JUDGEMENT_LABELS:
        return Assessment(
            current.judgement,
            f"规则无法自动判断（{reason}），采用记录的判断“{JUDGEMENT_LABELS[current.judgement]}”",
            JUDGEMENT,
            computed=NEEDS_REVIEW,
        )
    return Assessment(status, reason, COMPUTED)


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
        return Assessment(NO_DATA, "没有子指标", NONE)
    statuses = [a.status for _, a in parts]
    basis = JUDGEMENT if any(a.basis == JUDGEMENT for _, a in parts) else COMPUTED
    if all(s == NO_DATA for s in statuses):
        return Assessment(NO_DATA, "各子指标均未上报", NONE)

    def names(status: str) -> str:
        return "、".join(name for name, a in parts if a.status == status)

    if NOT_MET in statuses:
        return Assessment(NOT_MET, f"子指标未达标：{names(NOT_MET)}", basis)
    if NO_DATA in statuses:
        return Assessment(NO_DATA, f"子指标未上报：{names(NO_DATA)}", basis)
    if NEEDS_REVIEW in statuses:
        return Assessment(NEEDS_REVIEW, f"子指标待核定：{names(NEEDS_REVIEW)}", basis)
    return Assessment(MET, "各子指标均达标", basis)


def agrees(assessment: Assessment, recorded: str) -> bool | None:
    """Whether a computed status matches the recorded judgement; None when either is missing
    or the status itself is the judgement."""
    if recorded not in JUDGEMENT_LABELS or assessment.basis != COMPUTED:
        return None
    if assessment.status not in {MET, NOT_MET}:
        return None
    return assessment.status == recorded


def _short(text: str, size: int = 20) -> str:
    flat = text.replace("\n", "")
    return flat if len(flat) <= size else flat[:size] + "…"


# ---------------------------------------------------------------------------------------------
# Progress toward a target: the compound-growth method documented by the Open SDG platform
# (sdg-build ProgressMeasure, "methodology 2"): the observed compound annual growth rate since
# the base year, divided by the rate required to reach the target in the target year.

TARGET_ACHIEVED = "target_achieved"
ON_TRACK = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED_PROGRESS = "limited_progress"
DETERIORATION = "deterioration"
NOT_ASSESSABLE = "not_assessable"

PROGRESS_LABELS = {
    TARGET_ACHIEVED: "已达到目标",
    ON_TRACK: "按期可达",
    ACCELERATION_NEEDED: "需加快进度",
    LIMITED_PROGRESS: "进展有限",
    DETERIORATION: "退步",
    NOT_ASSESSABLE: "无法评估",
}
DEFAULT_THRESHOLDS = {"high": 0.95, "med": 0.6, "low": 0.0}


@dataclass(frozen=True)
class Progress:
    status: str
    reason: str
    gap: Decimal | None = None  # still to go to the target, in the indicator's unit (≥ 0)
    ratio: float | None = None  # observed / required growth
    details: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.status]


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
        return Progress(NOT_ASSESSABLE, "目标不是数值，无法计算进度")
    points = sorted((year, value) for year, value in series if value is not None)
    if bound is not None and (not points or bound[0] >= points[-1][0]):
        bound_year, comparator, number = bound
        shown = f"{OPERATORS[comparator]}{_fmt(number)}"
        op = ">=" if direction == "up" else "<="
        if _bound_meets(comparator, number, op, target) is True:
            return Progress(
                TARGET_ACHIEVED, f"最新值{shown}（{bound_year}年）已达到目标{_fmt(target)}"
            )
        return Progress(
            NOT_ASSESSABLE, f"最新值为“{shown}”（{bound_year}年，只给出范围），无法计算进度"
        )
    if not points:
        return Progress(NOT_ASSESSABLE, "没有数值")
    (base_year, base), (year, latest) = points[0], points[-1]
    gap = target - latest if direction == "up" else latest - target
    achieved = gap <= 0
    if achieved:
        return Progress(
            TARGET_ACHIEVED, f"最新值{_fmt(latest)}（{year}年）已达到目标{_fmt(target)}", None
        )
    if target == base and year > base_year:
        # 12.1: the target is the baseline (100) and the value fell to 95.84.
        return Progress(
            DETERIORATION,
            f"{base_year}年{_fmt(base)}已等于目标{_fmt(target)}，{year}年为{_fmt(latest)}，较基准变差",
            gap,
        )
    if year == base_year:
        return Progress(NOT_ASSESSABLE, "只有一年的数值，无法判断趋势", gap)
    if base == 0 or (base > 0) != (latest > 0) or (target > 0) != (base > 0):
        return Progress(NOT_ASSESSABLE, "基准值为零或数值正负号不同，复合增长法不适用", gap)
    if target_year <= base_year:
        return Progress(NOT_ASSESSABLE, "目标年份不晚于基准年", gap)
    observed = _cagr(float(latest), float(base), year - base_year)
    required = _cagr(float(target), float(base), target_year - base_year)
    if required == 0 or math.isnan(observed) or math.isnan(required):
        return Progress(NOT_ASSESSABLE, "所需增长率为零，无法计算比值", gap)
    sign = 1 if base > 0 else -1
    good = 1 if direction == "up" else -1
    ratio = sign * good * observed / abs(required)
    if ratio >= bands["high"]:
        status = ON_TRACK
    elif ratio >= bands["med"]:
        status = ACCELERATION_NEEDED
    elif ratio >= bands["low"]:
        status = LIMITED_PROGRESS
    else:
        status = DETERIORATION
    reason = (
        f"{base_year}年{_fmt(base)} → {year}年{_fmt(latest)}，年均增长{observed:.2%}；"
        f"{target_year}年达到{_fmt(target)}需年均{required:.2%}，比值{ratio:.2f}"
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
