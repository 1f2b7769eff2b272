"""Structured rules for an indicator's standard (指标值) and its 2025/2030 targets.

A rule is a small JSON-able dict, kept beside the printed text it was read from:

    {"kind": "threshold", "op": ">=", "value": "95"}            ≥95, a bare 100 means ≥100
    {"kind": "state", "accepted": ["制定实施"]}                  the reported state is one of these
    {"kind": "task", "task": "完成上级规定的考核任务"}           the area reports the task done
    {"kind": "trend", "direction": "up"|"down", "strict": false}  vs the previous year: not worse
                                                                  (strict: better) in that direction
    {"kind": "change", "op": ">=", "value": "2", "method": "relative"|"points"}
                                                                this year against last year: the
                                                                rise relative to last year (%, as
                                                                the plan computes 26) or in points
    {"kind": "rate", "op": ">=", "value": "0"}                 the reported value is itself a rate
                                                                of change (下降幅度, 提高幅度,
                                                                下降率; positive = better),
                                                                compared as reported
    {"kind": "all"|"any", "rules": [...]}                       every / at least one part holds
    {"kind": "conditional", "branches": [{"when": {"op": "<=", "value": "60"}, "rule": {...}}]}
                                                                the first branch whose `when` holds
                                                                for this year's value applies
    {"kind": "composite"}                                       every sub-indicator is met

Each kind is one class in `KINDS`, the registry: it reads itself from a printed wording,
validates a rule typed by staff, says it in Chinese, evaluates a reported value, says what input
it asks of a county and makes a plausible demo value. Adding a kind is adding a class here.
The module functions (`derive_rule`, `validate_rule`, `describe_rule`, `evaluate`,
`rule_asks`, `entry_hint`, `demo_input`) dispatch through the registry. Plain Python, no ORM.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Protocol

from .observation import NO, YES, Observation
from .statuses import Status

Rule = dict[str, Any]
Outcome = tuple[Status, str]

OPERATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "==": "＝"}
_NEGATED = {">=": "＜", "<=": "＞", ">": "≤", "<": "≥", "==": "≠"}
_OP_FROM_TEXT = {"≥": ">=", "≤": "<=", "＞": ">", ">": ">", "＜": "<", "<": "<", "": ">="}
# Indicators whose value is itself a change (the plan reports PM2.5浓度下降幅度 as 11.1: PM2.5
# fell 11.1%): their 保持稳定或持续改善 is a condition on the rate, not a trend of it.
RATE_NAME_ENDINGS = ("下降幅度", "提高幅度", "下降率", "提高率", "增长率")
TASK_DONE = {"完成", "已完成", YES}
TASK_NOT_DONE = {"未完成", NO}


def is_rate_name(name: str) -> bool:
    """Does the indicator's name say its value is a rate of change?"""
    return name.split("：")[0].strip().endswith(RATE_NAME_ENDINGS)


# ---------------------------------------------------------------------------------------------
# What a rule asks of a county, and what the demo generator gives it.


@dataclass(frozen=True)
class Asks:
    """The inputs a rule needs: a number, and/or one of `choices` (states, or 是/否)."""

    number: bool = False
    choices: tuple[str, ...] = ()

    def __or__(self, other: Asks) -> Asks:
        merged = self.choices + tuple(c for c in other.choices if c not in self.choices)
        if NO in merged:  # 否 always comes last, after the states it refuses
            merged = (*(c for c in merged if c != NO), NO)
        return Asks(self.number or other.number, merged)


@dataclass
class DemoInput:
    """A plausible report: the value text, the choice, and a judgement a county records where
    the rule cannot decide (a trend in its first year)."""

    text: str = ""
    choice: str = ""
    judgement: str = ""


class DemoSource(Protocol):
    """What the demo generator (lvliang_eco/demo.py) lends a rule to make up a value."""

    random: random.Random
    share: bool  # the indicator is a share: its numbers lie within 0–100
    first_year: bool  # no previous year: a trend needs the county's own judgement

    def level(self, *, meet: bool, step: tuple[float, float], points: bool, up: bool) -> float:
        """The next value of a series that improves (meet) or worsens by `step` (a fraction of
        the level, or points of it when `points`); `up`: higher is better."""


# ---------------------------------------------------------------------------------------------
# Evaluation helpers shared by the kinds and by progress (assessment.py).


def fmt(value: Decimal) -> str:
    """A decimal as printed: no exponent, no trailing zeros (95.840 → 95.84)."""
    return format(value.normalize(), "f")


def compare(left: Decimal, op: str, right: Decimal) -> bool:
    return {
        ">=": left >= right,
        "<=": left <= right,
        ">": left > right,
        "<": left < right,
        "==": left == right,
    }[op]


def bound_meets(comparator: str, value: Decimal, op: str, bar: Decimal) -> bool | None:
    """Whether every value allowed by `comparator value` (e.g. ≥60: [60, ∞)) satisfies
    `op bar` (True), none does (False), or some do and some don't (None)."""
    if op == "==":
        outside = not compare(bar, comparator, value)
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


def short(text: str, size: int = 20) -> str:
    flat = text.replace("\n", "")
    return flat if len(flat) <= size else flat[:size] + "…"


def _earlier(current: Observation, previous: Observation | None) -> Decimal | None:
    """Last year's value: the previous year's record, else the one the text itself states
    (`2021年综合利用率19.09%，2022年综合利用率19.23%`)."""
    if previous is not None and previous.number is not None:
        return previous.number
    return current.earlier


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _bar_errors(rule: Rule, path: str) -> list[str]:
    errors = []
    if rule.get("op") not in OPERATORS:
        errors.append(f"{path}的 op 应为 {' '.join(OPERATORS)} 之一")
    if _decimal(rule.get("value")) is None:
        errors.append(f"{path}的 value 应为数字，实际为“{rule.get('value')}”")
    return errors


# ---------------------------------------------------------------------------------------------
# The kinds.


class RuleKind:
    """One kind of rule. Subclasses set `name` and override what applies to them."""

    name: ClassVar[str]
    phrases: ClassVar[tuple[str, ...]] = ()  # printed wordings this kind is read from

    def derive(self, part: str, direction: str) -> Rule | None:
        """The rule one printed wording states, or None when it is not of this kind."""
        return None

    def validate(self, rule: Rule, path: str) -> list[str]:
        return []

    def describe(self, rule: Rule) -> str:
        raise NotImplementedError

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        raise NotImplementedError

    def asks(self, rule: Rule) -> Asks:
        return Asks()

    def applies(self, rule: Rule, current: Observation) -> bool:
        """Whether the report answers what this rule asks (a number for a bar, a choice for a
        state): an `any` rule skips the parts that do not apply."""
        asks = self.asks(rule)
        if asks.number and not asks.choices:
            return current.number is not None or not current.has_choice
        if asks.choices and not asks.number:
            return current.has_choice or current.number is None
        return True

    def entry_hint(self, rule: Rule) -> str:
        """What number a county enters, where the rule computes something from it."""
        return ""

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        return DemoInput()

    def parts(self, rule: Rule) -> list[Rule]:
        """The rules this one is made of (all/any parts, conditional branches)."""
        return []


class Threshold(RuleKind):
    name = "threshold"
    _number = re.compile(r"^([≥≤＞＜<>]?)\s*(-?\d+(?:\.\d+)?)\s*%?$")

    def derive(self, part: str, direction: str) -> Rule | None:
        match = self._number.match(part)
        if not match:
            return None
        return {"kind": self.name, "op": _OP_FROM_TEXT[match.group(1)], "value": match.group(2)}

    def validate(self, rule: Rule, path: str) -> list[str]:
        return _bar_errors(rule, path)

    def describe(self, rule: Rule) -> str:
        return f"{OPERATORS[rule['op']]}{rule['value']}"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        if current.number is None:
            return Status.NEEDS_REVIEW, f"“{short(current.text)}”中没有可比较的数值"
        op, bar = rule["op"], Decimal(rule["value"])
        sign = OPERATORS[op]
        value = current.number
        if current.comparator:
            # A bound such as `≥60`: decided only when every value it allows falls on one side.
            bound = f"{OPERATORS[current.comparator]}{fmt(value)}"
            decided = bound_meets(current.comparator, value, op, bar)
            if decided is True:
                return Status.MET, f"{bound}，满足{sign}{fmt(bar)}"
            if decided is False:
                return Status.NOT_MET, f"{bound}，不满足{sign}{fmt(bar)}"
            return Status.NEEDS_REVIEW, f"上报值为“{bound}”，无法确定是否{sign}{fmt(bar)}"
        if compare(value, op, bar):
            return Status.MET, f"{fmt(value)} {sign} {fmt(bar)}"
        return Status.NOT_MET, f"{fmt(value)} {_NEGATED[op]} {fmt(bar)}"

    def asks(self, rule: Rule) -> Asks:
        return Asks(number=True)

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        bar, draw = float(rule["value"]), source.random.uniform
        if rule["op"] in {">=", ">"}:
            top = 100.0 if source.share else bar * 1.4
            number = draw(bar, max(top, bar)) if meet else bar * draw(0.7, 0.97)
            if bar >= 100 and meet:
                number = 100.0
        else:
            number = bar * draw(0.6, 1.0) if meet else bar * draw(1.03, 1.3)
        return DemoInput(f"{number:.2f}")


class State(RuleKind):
    name = "state"
    phrases = (
        "制定实施且处在有效期内",
        "制定实施",
        "有效开展",
        "全面实施",
        "有效保障",
        "不明显",
        "建立",
        "实施",
        "面积不减少，性质不改变，功能不降低",
    )

    def derive(self, part: str, direction: str) -> Rule | None:
        return {"kind": self.name, "accepted": [part]} if part in self.phrases else None

    def validate(self, rule: Rule, path: str) -> list[str]:
        accepted = rule.get("accepted")
        if (
            not isinstance(accepted, list)
            or not accepted
            or not all(isinstance(a, str) and a for a in accepted)
        ):
            return [f"{path}的 accepted 应为非空的状态列表"]
        return []

    def describe(self, rule: Rule) -> str:
        return "状态为" + "或".join(f"“{a}”" for a in rule["accepted"])

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        accepted = rule["accepted"]
        wanted = "或".join(f"“{a}”" for a in accepted)
        if current.state:
            if current.state in accepted:
                return Status.MET, f"上报为“{current.state}”"
            return Status.NOT_MET, f"上报为“{current.state}”，要求{wanted}"
        if current.flag is True:
            return Status.MET, f"上报已达到{wanted}"
        if current.flag is False:
            return Status.NOT_MET, f"上报未达到{wanted}"
        return Status.NEEDS_REVIEW, f"须上报状态（要求{wanted}）"

    def asks(self, rule: Rule) -> Asks:
        return Asks(choices=(*rule["accepted"], NO))

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        return DemoInput(choice=rule["accepted"][0] if meet else NO)


class Task(RuleKind):
    name = "task"
    phrases = (
        "完成上级规定的考核任务",
        "完成上级规定的目标任务",
        "完成上级管控目标",
        "完成年度审核计划",
    )

    def derive(self, part: str, direction: str) -> Rule | None:
        return {"kind": self.name, "task": part} if part in self.phrases else None

    def validate(self, rule: Rule, path: str) -> list[str]:
        if not isinstance(rule.get("task"), str) or not rule["task"]:
            return [f"{path}的 task 应为任务名称"]
        return []

    def describe(self, rule: Rule) -> str:
        return f"上报已{rule['task']}"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        task = rule["task"]
        if current.flag is True or current.state in TASK_DONE or current.state == task:
            return Status.MET, f"上报已{task}"
        if current.flag is False or current.state in TASK_NOT_DONE:
            return Status.NOT_MET, f"上报未{task}"
        return Status.NEEDS_REVIEW, f"须上报是否{task}"

    def asks(self, rule: Rule) -> Asks:
        return Asks(choices=(YES, NO))

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        return DemoInput(choice=YES if meet else NO)


class Trend(RuleKind):
    name = "trend"
    # Wording → (good direction, or None for the indicator's own; strict: must improve).
    wordings: ClassVar[dict[str, tuple[str | None, bool]]] = {
        "保持稳定或持续改善": (None, False),
        "持续改善": (None, True),
        "持续下降": ("down", True),
        "逐步下降": ("down", True),
        "不降低": ("up", False),
    }
    phrases = tuple(wordings)

    def derive(self, part: str, direction: str) -> Rule | None:
        if part not in self.wordings:
            return None
        own, strict = self.wordings[part]
        return {"kind": self.name, "direction": own or direction, "strict": strict}

    def validate(self, rule: Rule, path: str) -> list[str]:
        errors = []
        if rule.get("direction") not in {"up", "down"}:
            errors.append(f"{path}的 direction 应为 up（越大越好）或 down（越小越好）")
        if not isinstance(rule.get("strict"), bool):
            errors.append(f"{path}的 strict 应为 true（须持续改善）或 false（保持稳定即可）")
        return errors

    def describe(self, rule: Rule) -> str:
        better = "上升" if rule["direction"] == "up" else "下降"
        return f"较上年持续{better}" if rule["strict"] else f"较上年保持稳定或{better}"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        if current.change is not None and (
            current.number is None or _earlier(current, previous) is None
        ):
            return self._stated(rule, current.change)
        if current.number is None:
            return Status.NEEDS_REVIEW, f"“{short(current.text)}”中没有可比较的数值，无法判断趋势"
        before = _earlier(current, previous)
        if before is None:
            return Status.NEEDS_REVIEW, "无上年数据，无法判断趋势"
        now = current.number
        arrow = f"较上年 {fmt(before)} → {fmt(now)}"
        better = now > before if rule["direction"] == "up" else now < before
        if better:
            return Status.MET, f"{arrow}，持续改善"
        if now == before:
            if rule["strict"]:
                return Status.NOT_MET, f"{arrow}，持平，要求持续改善"
            return Status.MET, f"{arrow}，保持稳定"
        return Status.NOT_MET, f"{arrow}，较上年变差"

    @staticmethod
    def _stated(rule: Rule, change: Decimal) -> Outcome:
        """`比2021年降幅3.03%`: the text states the change itself."""
        if change == 0:
            if rule["strict"]:
                return Status.NOT_MET, "原文所述较上年持平，要求持续改善"
            return Status.MET, "原文所述较上年持平，保持稳定"
        moved = "上升" if change > 0 else "下降"
        stated = f"原文所述较上年{moved}{fmt(abs(change))}%"
        if (change > 0) == (rule["direction"] == "up"):
            return Status.MET, f"{stated}，持续改善"
        return Status.NOT_MET, f"{stated}，较上年变差"

    def asks(self, rule: Rule) -> Asks:
        return Asks(number=True)

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        up = rule["direction"] == "up"
        level = source.level(meet=meet, step=(0.01, 0.05), points=False, up=up)
        # No previous year to compare with: the county records its own judgement, which the
        # engine shows as a judgement.
        judgement = (Status.MET if meet else Status.NOT_MET) if source.first_year else ""
        return DemoInput(f"{level:.2f}", judgement=judgement)

    @staticmethod
    def as_rate(rule: Rule) -> Rule:
        """The condition a trend wording sets on an indicator whose value is itself a rate
        (保持稳定或持续改善: rate ≥ 0; 持续改善, 持续下降: rate > 0)."""
        return {"kind": Rate.name, "op": ">" if rule["strict"] else ">=", "value": "0"}


class Change(RuleKind):
    name = "change"

    def validate(self, rule: Rule, path: str) -> list[str]:
        errors = []
        if rule.get("method", "points") not in {"points", "relative"}:
            errors.append(f"{path}的 method 应为 relative（相对上年的幅度，%）或 points（百分点）")
        return errors + _bar_errors(rule, path)

    def describe(self, rule: Rule) -> str:
        if rule.get("method") == "relative":
            return f"较上年提高幅度（相对上年，%）{OPERATORS[rule['op']]}{rule['value']}"
        return f"较上年变化（百分点）{OPERATORS[rule['op']]}{rule['value']}"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        if current.number is None:
            return Status.NEEDS_REVIEW, f"“{short(current.text)}”中没有可比较的数值"
        before = _earlier(current, previous)
        if before is None:
            return Status.NEEDS_REVIEW, "无上年数据，无法计算变化幅度"
        now, bar, sign = current.number, Decimal(rule["value"]), OPERATORS[rule["op"]]
        if rule.get("method") == "relative":
            # As the plan computes 26: (19.23 − 19.09) ÷ 19.09 = 0.73%.
            if before == 0:
                return Status.NEEDS_REVIEW, "上年值为0，无法计算相对提高幅度"
            delta = ((now - before) / before * 100).quantize(Decimal("0.01"))
            text = (
                f"较上年 {fmt(before)} → {fmt(now)}，提高幅度 ({fmt(now)}−{fmt(before)})"
                f"÷{fmt(before)} = {fmt(delta)}%"
            )
        else:
            delta = now - before
            text = f"较上年 {fmt(before)} → {fmt(now)}，变化 {fmt(delta)} 个百分点"
        if compare(delta, rule["op"], bar):
            return Status.MET, f"{text}，满足{sign}{fmt(bar)}"
        return Status.NOT_MET, f"{text}，未达到{sign}{fmt(bar)}"

    def asks(self, rule: Rule) -> Asks:
        return Asks(number=True)

    def entry_hint(self, rule: Rule) -> str:
        if rule.get("method") == "relative":
            return "填本年的数值，系统按（本年−上年）÷上年计算提高幅度（%）"
        return "填本年的数值，系统计算较上年变化的百分点"

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        level = source.level(meet=meet, step=(2.2, 4.0), points=True, up=True)
        judgement = (Status.MET if meet else Status.NOT_MET) if source.first_year else ""
        return DemoInput(f"{level:.2f}", judgement=judgement)


class Rate(RuleKind):
    """The value is itself a rate of change (positive = better): compared as reported."""

    name = "rate"

    def validate(self, rule: Rule, path: str) -> list[str]:
        return _bar_errors(rule, path)

    def describe(self, rule: Rule) -> str:
        if Decimal(rule["value"]) == 0 and rule["op"] in {">=", ">"}:
            return {">=": "变化幅度≥0（保持稳定或持续改善）", ">": "变化幅度＞0（持续改善）"}[
                rule["op"]
            ]
        return f"变化幅度{OPERATORS[rule['op']]}{rule['value']}"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        if current.number is None:
            return Status.NEEDS_REVIEW, f"“{short(current.text)}”中没有可比较的变化幅度"
        status, reason = KINDS["threshold"].evaluate(rule, current, previous)
        if Decimal(rule["value"]) == 0 and not current.comparator:
            verdict = {
                Status.MET: "未恶化" if rule["op"] == ">=" else "持续改善",
                Status.NOT_MET: "较上年恶化",
            }
            if current.number == 0 and rule["op"] == ">":
                verdict[Status.NOT_MET] = "持平，要求持续改善"
            return status, f"变化幅度 {reason}，{verdict.get(status, '')}".rstrip("，")
        return status, f"变化幅度 {reason}"

    def asks(self, rule: Rule) -> Asks:
        return Asks(number=True)

    def entry_hint(self, rule: Rule) -> str:
        return "填本年较上年的变化幅度（%），改善为正、恶化为负"

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        # PM2.5浓度下降幅度 11.1: improving is positive.
        draw = source.random.uniform
        return DemoInput(f"{draw(0.5, 12) if meet else draw(-8, -0.3):.1f}")


def _combine(results: list[Outcome], *, any_of: bool) -> Outcome:
    statuses = [status for status, _ in results]
    reason = "；".join(reason for _, reason in results)
    if any_of:
        if Status.MET in statuses:
            return Status.MET, next(r for s, r in results if s == Status.MET)
        if Status.NEEDS_REVIEW in statuses:
            return Status.NEEDS_REVIEW, reason
        return Status.NOT_MET, reason
    if Status.NOT_MET in statuses:
        return Status.NOT_MET, reason
    if Status.NEEDS_REVIEW in statuses:
        return Status.NEEDS_REVIEW, reason
    return Status.MET, reason


class _Combination(RuleKind):
    joiner: ClassVar[str]

    def validate(self, rule: Rule, path: str) -> list[str]:
        parts = rule.get("rules")
        if not isinstance(parts, list) or not parts:
            return [f"{path}的 rules 应为非空列表"]
        errors: list[str] = []
        for index, part in enumerate(parts, 1):
            errors.extend(validate_rule(part, path=f"{path}第{index}部分"))
        return errors

    def describe(self, rule: Rule) -> str:
        return self.joiner.join(describe_rule(r) for r in rule["rules"])

    def asks(self, rule: Rule) -> Asks:
        asks = Asks()
        for part in rule["rules"]:
            asks |= rule_asks(part)
        return asks

    def applies(self, rule: Rule, current: Observation) -> bool:
        return True

    def entry_hint(self, rule: Rule) -> str:
        return next((h for h in map(entry_hint, rule["rules"]) if h), "")

    def parts(self, rule: Rule) -> list[Rule]:
        return list(rule["rules"])


class All(_Combination):
    name = "all"
    joiner = "，且"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        return _combine([evaluate(p, current, previous) for p in rule["rules"]], any_of=False)

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        """The number from the first part that takes one, the choice from the first that
        offers choices (when the number misses, the choice may go either way)."""
        numbers = [p for p in rule["rules"] if rule_asks(p).number]
        choices = [p for p in rule["rules"] if not rule_asks(p).number]
        made = demo_input(numbers[0], meet, source) if numbers else DemoInput()
        if choices:
            either = meet or (bool(numbers) and source.random.random() < 0.5)
            made.choice = demo_input(choices[0], either, source).choice
        return made


class AnyOf(_Combination):
    name = "any"
    joiner = "，或"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        # `较上年持续下降，或上报“逐步下降”`: a part asking for what the area did not report
        # (a state when it reported a number, a number when it reported a state) does not apply.
        parts = [p for p in rule["rules"] if KINDS[p["kind"]].applies(p, current)]
        results = [evaluate(p, current, previous) for p in parts or rule["rules"]]
        return _combine(results, any_of=True)

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        numbers = [p for p in rule["rules"] if rule_asks(p).number]
        return demo_input((numbers or rule["rules"])[0], meet, source)


class Conditional(RuleKind):
    name = "conditional"

    def validate(self, rule: Rule, path: str) -> list[str]:
        branches = rule.get("branches")
        if not isinstance(branches, list) or not branches:
            return [f"{path}的 branches 应为非空列表"]
        errors: list[str] = []
        for index, branch in enumerate(branches, 1):
            where = f"{path}第{index}个条件"
            when = branch.get("when") if isinstance(branch, dict) else None
            if (
                not isinstance(when, dict)
                or when.get("op") not in OPERATORS
                or _decimal(when.get("value")) is None
            ):
                errors.append(f'{where}的 when 应为 {{"op": "<=", "value": "60"}} 的形式')
            if isinstance(branch, dict):
                errors.extend(validate_rule(branch.get("rule"), path=f"{where}的规则"))
        return errors

    def describe(self, rule: Rule) -> str:
        return "；".join(
            f"本年值{OPERATORS[b['when']['op']]}{b['when']['value']}时{describe_rule(b['rule'])}"
            for b in rule["branches"]
        )

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        if current.number is None:
            return Status.NEEDS_REVIEW, f"“{short(current.text)}”中没有数值，无法确定适用的条件"
        for branch in rule["branches"]:
            when = branch["when"]
            if compare(current.number, when["op"], Decimal(when["value"])):
                status, reason = evaluate(branch["rule"], current, previous)
                condition = f"本年值{fmt(current.number)}{OPERATORS[when['op']]}{when['value']}"
                return status, f"{condition}：{reason}"
        return Status.NEEDS_REVIEW, "没有适用的条件"

    def asks(self, rule: Rule) -> Asks:
        asks = Asks(number=True)
        for branch in rule["branches"]:
            asks |= rule_asks(branch["rule"])
        return asks

    def entry_hint(self, rule: Rule) -> str:
        return next((h for b in rule["branches"] if (h := entry_hint(b["rule"]))), "")

    def demo(self, rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
        return demo_input(rule["branches"][0]["rule"], meet, source)

    def parts(self, rule: Rule) -> list[Rule]:
        return [branch["rule"] for branch in rule["branches"]]


class Composite(RuleKind):
    """An indicator made of sub-indicators: decided by assessment.assess_composite."""

    name = "composite"

    def describe(self, rule: Rule) -> str:
        return "各子指标均达标"

    def evaluate(self, rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
        return Status.NEEDS_REVIEW, "规则须由子指标判断"


KINDS: dict[str, RuleKind] = {
    kind.name: kind
    for kind in (
        Threshold(),
        State(),
        Task(),
        Trend(),
        Change(),
        Rate(),
        All(),
        AnyOf(),
        Conditional(),
        Composite(),
    )
}
# The kinds a printed wording is read into, in the order they are tried.
_TEXT_KINDS = [KINDS[name] for name in ("threshold", "task", "state", "trend")]


# ---------------------------------------------------------------------------------------------
# The module's functions: each dispatches through the registry.


def derive_rule(text: str, *, direction: str = "up", rate: bool = False) -> Rule | None:
    """The rule a printed standard or target states, or None when it cannot be read with
    certainty (it is then set by hand). `direction` is the indicator's good direction; `rate`:
    the indicator's value is itself a rate of change (see is_rate_name), so a trend wording
    is a condition on the rate (保持稳定或持续改善: ≥ 0; 持续改善, 持续下降: > 0)."""
    cleaned = text.strip()
    if not cleaned:
        return None
    parts = [p.strip() for p in re.split(r"[；;]", cleaned) if p.strip()]
    rules: list[Rule] = []
    for part in parts:
        found = _derive_part(part, direction) or _derive_concatenation(part, direction)
        if found is None:
            return None
        rules.extend(found["rules"] if found["kind"] == "all" and len(parts) > 1 else [found])
    if rate:
        rules = [Trend.as_rate(r) if r["kind"] == "trend" else r for r in _flat(rules)]
    return rules[0] if len(rules) == 1 else {"kind": "all", "rules": rules}


def _flat(rules: list[Rule]) -> list[Rule]:
    return [leaf for r in rules for leaf in (r["rules"] if r["kind"] == "all" else [r])]


def _derive_part(part: str, direction: str) -> Rule | None:
    return next((r for k in _TEXT_KINDS if (r := k.derive(part, direction))), None)


def _derive_concatenation(part: str, direction: str) -> Rule | None:
    """`完成上级管控目标保持稳定或持续改善` (23's 2030 target lacks its `；`): a text made of
    known phrases only, one after the other."""
    phrases = sorted((*Task.phrases, *Trend.phrases), key=len, reverse=True)
    found: list[Rule] = []
    rest = part
    while rest:
        phrase = next((p for p in phrases if rest.startswith(p)), None)
        if phrase is None:
            return None
        found.append(_derive_part(phrase, direction))
        rest = rest[len(phrase) :]
    return {"kind": "all", "rules": found} if len(found) > 1 else None


def validate_rule(rule: Any, *, path: str = "规则") -> list[str]:
    """Chinese messages for everything wrong with a rule; an empty list when it is sound."""
    if not isinstance(rule, dict):
        return [f'{path}应为一个对象，例如 {{"kind": "threshold", "op": ">=", "value": "95"}}']
    kind = rule.get("kind")
    if kind not in KINDS:
        return [f"{path}的 kind 应为 {'、'.join(sorted(KINDS))} 之一，实际为“{kind}”"]
    return KINDS[kind].validate(rule, path)


def describe_rule(rule: Rule | None) -> str:
    """The rule in Chinese, for pages and the admin."""
    if not rule:
        return "未设定规则"
    return KINDS[rule["kind"]].describe(rule)


def evaluate(rule: Rule, current: Observation, previous: Observation | None) -> Outcome:
    """The status of `current` against `rule` and the reason in Chinese; `previous` is last
    year's report (trends and changes compare with it)."""
    return KINDS[rule["kind"]].evaluate(rule, current, previous)


def rule_asks(rule: Rule | None) -> Asks:
    """What a county must report for `rule`: a number, a choice, or both."""
    return KINDS[rule["kind"]].asks(rule) if rule else Asks()


def entry_hint(rule: Rule | None) -> str:
    """What number a county enters where the rule computes something from it, for the
    template (26: the rate itself, not its rise; 7.2: the change, not the level)."""
    return KINDS[rule["kind"]].entry_hint(rule) if rule else ""


def demo_input(rule: Rule, meet: bool, source: DemoSource) -> DemoInput:
    """A plausible report that meets (or misses) `rule`, for the demo data."""
    return KINDS[rule["kind"]].demo(rule, meet, source)


def rule_parts(rule: Rule | None, kind: str) -> list[Rule]:
    """The rule itself, its all/any parts and its conditional branches that are of `kind`,
    in order."""
    if not rule:
        return []
    found = [rule] if rule["kind"] == kind else []
    for part in KINDS[rule["kind"]].parts(rule):
        found.extend(rule_parts(part, kind))
    return found


def rule_kinds(rule: Rule | None) -> set[str]:
    """Every kind a rule is made of, parts and conditional branches included."""
    if not rule:
        return set()
    kinds = {rule["kind"]}
    for part in KINDS[rule["kind"]].parts(rule):
        kinds |= rule_kinds(part)
    return kinds


def threshold_target(rule: Rule | None) -> tuple[str, Decimal] | None:
    """The numeric bar of a target, when the target is (or contains) a threshold."""
    if not rule or rule["kind"] not in {"threshold", "all"}:
        return None
    bars = rule_parts(rule, "threshold")
    return (bars[0]["op"], Decimal(bars[0]["value"])) if bars else None
