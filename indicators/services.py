"""Writes of what results are judged against: the record of every change of a standard."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from .models import (
    ConstructionStandardRule,
    GroupStandard,
    Indicator,
    StandardChange,
    StandardOverride,
)
from .rules import describe_rule

Key = tuple[str, str, str]  # (StandardChange.Kind, subject, field label)


def _rule_text(rule: dict | None) -> str:
    """A rule as people read it, with its JSON so that a change of wording is visible too."""
    if not rule:
        return ""
    return f"{describe_rule(rule)}（{json.dumps(rule, ensure_ascii=False, sort_keys=True)}）"


def standards_snapshot() -> dict[Key, str]:
    """Everything results are judged against, as text, keyed by (kind, subject, field): each
    indicator's rules and good direction, every area's and group's bar (text, rule, source),
    the construction-standard rule. Four queries; the tables are small (55 indicators)."""
    kind = StandardChange.Kind
    found: dict[Key, str] = {}
    for indicator in Indicator.objects.order_by("order"):
        subject = f"指标{indicator.code}"
        found[(kind.RULE, subject, "指标值规则")] = _rule_text(indicator.standard_rule)
        found[(kind.RULE, subject, "2025年目标规则")] = _rule_text(indicator.target_2025_rule)
        found[(kind.RULE, subject, "2030年目标规则")] = _rule_text(indicator.target_2030_rule)
        found[(kind.RULE, subject, "方向")] = indicator.get_good_direction_display()
    for override in StandardOverride.objects.select_related("indicator", "area"):
        subject = f"指标{override.indicator.code} {override.area.name}"
        found[(kind.OVERRIDE, subject, "指标值")] = override.standard
        found[(kind.OVERRIDE, subject, "判定规则")] = _rule_text(override.rule)
        found[(kind.OVERRIDE, subject, "依据")] = override.reason
    for group in GroupStandard.objects.select_related("indicator"):
        subject = f"指标{group.indicator.code} {group.group}"
        found[(kind.GROUP, subject, "指标值")] = group.standard
        found[(kind.GROUP, subject, "判定规则")] = _rule_text(group.rule)
        found[(kind.GROUP, subject, "依据")] = group.source
    for rule in ConstructionStandardRule.objects.all():
        found[(kind.CONSTRUCTION, "建设标准", "规则")] = rule.description
        found[(kind.CONSTRUCTION, "建设标准", "依据")] = rule.basis
    return found


@contextmanager
def standards_watch(*, user, via: str) -> Iterator[None]:
    """Around any change of standards: one StandardChange per field that changed (added,
    altered or removed), with who (`user`, None for a command) and the route (`via`, a
    StandardChange.Via)."""
    before = standards_snapshot()
    yield
    after = standards_snapshot()
    by = user if getattr(user, "pk", None) else None
    StandardChange.objects.bulk_create(
        StandardChange(
            kind=key[0], subject=key[1], field=key[2], old=before.get(key, ""),
            new=after.get(key, ""), via=via, by=by,
        )
        for key in sorted(before.keys() | after.keys())
        if before.get(key, "") != after.get(key, "")
        and (key in before or via != StandardChange.Via.SEED)
    )  # fmt: skip
