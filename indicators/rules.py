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

Plain functions, no ORM: `derive_rule` reads a printed text where that is unambiguous and
returns None where it is not (those rules are set by hand in fixtures/indicator_rules.csv);
`validate_rule` checks a rule typed by staff; `describe_rule` says it in Chinese.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

Rule = dict[str, Any]

OPERATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "==": "＝"}
_OP_FROM_TEXT = {"≥": ">=", "≤": "<=", "＞": ">", ">": ">", "＜": "<", "<": "<", "": ">="}

TASK_PHRASES = (
    "完成上级规定的考核任务",
    "完成上级规定的目标任务",
    "完成上级管控目标",
    "完成年度审核计划",
)
STATE_PHRASES = (
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
# Trend wordings: (good direction or None = the indicator's own, strict).
TREND_PHRASES = {
    "保持稳定或持续改善": (None, False),
    "持续改善": (None, True),
    "持续下降": ("down", True),
    "逐步下降": ("down", True),
    "不降低": ("up", False),
}
KINDS = {
    "threshold", "state", "task", "trend", "change", "rate", "all", "any", "conditional",
    "composite",
}  # fmt: skip
# Indicators whose value is itself a change (the plan reports PM2.5浓度下降幅度 as 11.1: PM2.5
# fell 11.1%): their 保持稳定或持续改善 is a condition on the rate, not a trend of it.
RATE_NAME_ENDINGS = ("下降幅度", "提高幅度", "下降率", "提高率", "增长率")


def is_rate_name(name: str) -> bool:
    """Does the indicator's name say its value is a rate of change?"""
    return name.split("：")[0].strip().endswith(RATE_NAME_ENDINGS)


_NUMBER = re.compile(r"^([≥≤＞＜<>]?)\s*(-?\d+(?:\.\d+)?)\s*%?$")


def derive_rule(text: str, *, direction: str = "up", rate: bool = False) -> Rule | None:
    """The rule a printed standard or target states, or None when it cannot be read with
    certainty (it is then set by hand). `direction` is the indicator's good direction; `rate`:
    the indicator's value is itself a rate of change (see is_rate_name), so a trend wording
    is a condition on the rate (保持稳定或持续改善: ≥ 0; 持续改善, 持续下降: > 0)."""
    rule = _derive(text, direction)
    return _as_rate(rule) if rate else rule


def _as_rate(rule: Rule | None) -> Rule | None:
    if rule is None:
        return None
    if rule["kind"] == "trend":
        return {"kind": "rate", "op": ">" if rule["strict"] else ">=", "value": "0"}
    if rule["kind"] in {"all", "any"}:
        return {**rule, "rules": [_as_rate(part) for part in rule["rules"]]}
    return rule


def _derive(text: str, direction: str) -> Rule | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    parts = [p.strip() for p in re.split(r"[；;]", cleaned) if p.strip()]
    rules: list[Rule] = []
    for part in parts:
        rule = _derive_part(part, direction) or _derive_concatenation(part, direction)
        if rule is None:
            return None
        rules.extend(rule["rules"] if rule["kind"] == "all" and len(parts) > 1 else [rule])
    return rules[0] if len(rules) == 1 else {"kind": "all", "rules": rules}


def _derive_part(part: str, direction: str) -> Rule | None:
    match = _NUMBER.match(part)
    if match:
        return {"kind": "threshold", "op": _OP_FROM_TEXT[match.group(1)], "value": match.group(2)}
    if part in TASK_PHRASES:
        return {"kind": "task", "task": part}
    if part in STATE_PHRASES:
        return {"kind": "state", "accepted": [part]}
    if part in TREND_PHRASES:
        own, strict = TREND_PHRASES[part]
        return {"kind": "trend", "direction": own or direction, "strict": strict}
    return None


def _derive_concatenation(part: str, direction: str) -> Rule | None:
    """`完成上级管控目标保持稳定或持续改善` (23's 2030 target lacks its `；`): a text made of
    known phrases only, one after the other."""
    phrases = sorted((*TASK_PHRASES, *TREND_PHRASES), key=len, reverse=True)
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
    errors: list[str] = []
    if kind in {"threshold", "change", "rate"}:
        if kind == "change" and rule.get("method", "points") not in {"points", "relative"}:
            errors.append(f"{path}的 method 应为 relative（相对上年的幅度，%）或 points（百分点）")
        if rule.get("op") not in OPERATORS:
            errors.append(f"{path}的 op 应为 {' '.join(OPERATORS)} 之一")
        if _decimal(rule.get("value")) is None:
            errors.append(f"{path}的 value 应为数字，实际为“{rule.get('value')}”")
    elif kind == "state":
        accepted = rule.get("accepted")
        if (
            not isinstance(accepted, list)
            or not accepted
            or not all(isinstance(a, str) and a for a in accepted)
        ):
            errors.append(f"{path}的 accepted 应为非空的状态列表")
    elif kind == "task":
        if not isinstance(rule.get("task"), str) or not rule["task"]:
            errors.append(f"{path}的 task 应为任务名称")
    elif kind == "trend":
        if rule.get("direction") not in {"up", "down"}:
            errors.append(f"{path}的 direction 应为 up（越大越好）或 down（越小越好）")
        if not isinstance(rule.get("strict"), bool):
            errors.append(f"{path}的 strict 应为 true（须持续改善）或 false（保持稳定即可）")
    elif kind in {"all", "any"}:
        parts = rule.get("rules")
        if not isinstance(parts, list) or not parts:
            errors.append(f"{path}的 rules 应为非空列表")
        else:
            for index, part in enumerate(parts, 1):
                errors.extend(validate_rule(part, path=f"{path}第{index}部分"))
    elif kind == "conditional":
        branches = rule.get("branches")
        if not isinstance(branches, list) or not branches:
            errors.append(f"{path}的 branches 应为非空列表")
        else:
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


def describe_rule(rule: Rule | None) -> str:
    """The rule in Chinese, for pages and the admin."""
    if not rule:
        return "未设定规则"
    kind = rule["kind"]
    if kind == "threshold":
        return f"{OPERATORS[rule['op']]}{rule['value']}"
    if kind == "state":
        return "状态为" + "或".join(f"“{a}”" for a in rule["accepted"])
    if kind == "task":
        return f"上报已{rule['task']}"
    if kind == "trend":
        better = "上升" if rule["direction"] == "up" else "下降"
        return f"较上年持续{better}" if rule["strict"] else f"较上年保持稳定或{better}"
    if kind == "change":
        if rule.get("method") == "relative":
            return f"较上年提高幅度（相对上年，%）{OPERATORS[rule['op']]}{rule['value']}"
        return f"较上年变化（百分点）{OPERATORS[rule['op']]}{rule['value']}"
    if kind == "rate":
        if rule["op"] == ">=" and Decimal(rule["value"]) == 0:
            return "变化幅度≥0（保持稳定或持续改善）"
        if rule["op"] == ">" and Decimal(rule["value"]) == 0:
            return "变化幅度＞0（持续改善）"
        return f"变化幅度{OPERATORS[rule['op']]}{rule['value']}"
    if kind == "all":
        return "，且".join(describe_rule(r) for r in rule["rules"])
    if kind == "any":
        return "，或".join(describe_rule(r) for r in rule["rules"])
    if kind == "conditional":
        return "；".join(
            f"本年值{OPERATORS[b['when']['op']]}{b['when']['value']}时{describe_rule(b['rule'])}"
            for b in rule["branches"]
        )
    return "各子指标均达标"


def rule_kinds(rule: Rule | None) -> set[str]:
    """Every kind a rule is made of, parts and conditional branches included."""
    if not rule:
        return set()
    kinds = {rule["kind"]}
    for part in rule.get("rules", []):
        kinds |= rule_kinds(part)
    for branch in rule.get("branches", []):
        kinds |= rule_kinds(branch["rule"])
    return kinds


def rule_parts(rule: Rule | None, kind: str) -> list[Rule]:
    """The rule itself, its all/any parts and its conditional branches that are of `kind`,
    in order."""
    if not rule:
        return []
    found = [rule] if rule["kind"] == kind else []
    for part in rule.get("rules", []):
        found.extend(rule_parts(part, kind))
    for branch in rule.get("branches", []):
        found.extend(rule_parts(branch["rule"], kind))
    return found


def threshold_target(rule: Rule | None) -> tuple[str, Decimal] | None:
    """The numeric bar of a target, when the target is (or contains) a threshold."""
    if not rule:
        return None
    if rule["kind"] == "threshold":
        return rule["op"], Decimal(rule["value"])
    if rule["kind"] == "all":
        for part in rule["rules"]:
            found = threshold_target(part)
            if found:
                return found
    return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
