# ruff: noqa: E501 (the printed texts read best whole)
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.observation import Observation
from indicators.parsing import parse_value_text
from indicators.rules import (
    KINDS,
    Asks,
    demo_input,
    derive_rule,
    describe_rule,
    entry_hint,
    evaluate,
    is_rate_name,
    rule_asks,
    rule_kinds,
    threshold_target,
    validate_rule,
)
from indicators.statuses import Status

TASK = {"kind": "task", "task": "完成上级规定的考核任务"}


@pytest.mark.parametrize(
    ("text", "direction", "rule"),
    [
        ("≥20", "up", {"kind": "threshold", "op": ">=", "value": "20"}),
        ("100", "up", {"kind": "threshold", "op": ">=", "value": "100"}),
        ("90%", "up", {"kind": "threshold", "op": ">=", "value": "90"}),
        ("制定实施", "up", {"kind": "state", "accepted": ["制定实施"]}),
        ("完成年度审核计划", "up", {"kind": "task", "task": "完成年度审核计划"}),
        ("逐步下降", "up", {"kind": "trend", "direction": "down", "strict": True}),
        ("不降低", "down", {"kind": "trend", "direction": "up", "strict": False}),
        ("保持稳定或持续改善", "down", {"kind": "trend", "direction": "down", "strict": False}),
        (
            "完成上级规定的考核任务；保持稳定或持续改善",
            "up",
            {"kind": "all", "rules": [TASK, {"kind": "trend", "direction": "up", "strict": False}]},
        ),
        (
            "完成上级管控目标保持稳定或持续改善",  # 23's 2030 target prints no ；
            "down",
            {
                "kind": "all",
                "rules": [
                    {"kind": "task", "task": "完成上级管控目标"},
                    {"kind": "trend", "direction": "down", "strict": False},
                ],
            },
        ),
    ],
)
def test_it_derives_a_rule_from_an_unambiguous_text(text, direction, rule):
    assert derive_rule(text, direction=direction) == rule


@pytest.mark.parametrize("text", ["", "2024年制定实施", "≥2\n保持稳定或持续改善", "视情况而定"])
def test_it_derives_nothing_from_an_ambiguous_text(text):
    assert derive_rule(text) is None


def test_it_accepts_every_derived_rule():
    for text in ["≥20", "制定实施", "完成上级规定的考核任务；保持稳定或持续改善"]:
        assert validate_rule(derive_rule(text)) == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("≥95", "规则应为一个对象"),
        ({"kind": "bigger"}, "kind 应为"),
        ({"kind": "threshold", "op": "≥", "value": "95"}, "op 应为"),
        ({"kind": "threshold", "op": ">=", "value": "九十五"}, "value 应为数字，实际为“九十五”"),
        ({"kind": "state", "accepted": []}, "accepted 应为非空的状态列表"),
        ({"kind": "trend", "direction": "better", "strict": False}, "direction 应为 up"),
        ({"kind": "all", "rules": [{"kind": "task"}]}, "规则第1部分的 task 应为任务名称"),
        ({"kind": "conditional", "branches": [{"when": {}, "rule": TASK}]}, "第1个条件的 when"),
    ],
)
def test_it_explains_a_bad_rule_in_chinese(rule, message):
    errors = validate_rule(rule)
    assert any(message in error for error in errors), errors


def test_it_describes_rules_in_chinese():
    assert describe_rule(derive_rule("≥95")) == "≥95"
    assert describe_rule(derive_rule("完成上级规定的目标任务；持续下降")) == (
        "上报已完成上级规定的目标任务，且较上年持续下降"
    )
    assert describe_rule(None) == "未设定规则"


def test_it_finds_the_numeric_bar_of_a_target():
    assert threshold_target(derive_rule("≥13")) == (">=", 13)
    assert threshold_target(derive_rule("保持稳定或持续改善")) is None


@pytest.mark.parametrize(
    ("name", "printed", "rule"),
    [
        ("PM2.5浓度下降幅度", "保持稳定或持续改善", {"kind": "rate", "op": ">=", "value": "0"}),
        ("劣V类水体比例下降幅度", "持续下降", {"kind": "rate", "op": ">", "value": "0"}),
        (
            "单位国内生产总值建设用地使用面积下降率",
            "完成上级管控目标；保持稳定或持续改善",
            {"kind": "all", "rules": [
                {"kind": "task", "task": "完成上级管控目标"},
                {"kind": "rate", "op": ">=", "value": "0"},
            ]},
        ),
        ("单位国内生产总值建设用地使用面积下降率", "≥4.5", {"kind": "threshold", "op": ">=", "value": "4.5"}),
        ("优良天数比例", "保持稳定或持续改善", {"kind": "trend", "direction": "up", "strict": False}),
    ],
)  # fmt: skip
def test_a_change_named_indicator_reads_its_trend_wording_as_a_rate(name, printed, rule):
    assert derive_rule(printed, rate=is_rate_name(name)) == rule
    assert describe_rule(rule)


def test_the_seed_gives_rates_to_7_2_8_1_8_2_and_22s_2030_target(db):
    from indicators.models import Indicator

    rules = {
        i.code: i for i in Indicator.objects.filter(code__in=["7.1", "7.2", "8.1", "8.2", "22"])
    }
    assert rule_kinds(rules["7.2"].standard_rule) == {"all", "task", "rate"}
    assert rule_kinds(rules["8.1"].standard_rule) == {"all", "task", "rate"}
    assert rule_kinds(rules["8.2"].standard_rule) == {"all", "task", "rate"}
    assert rule_kinds(rules["7.1"].standard_rule) == {"all", "task", "trend"}  # a level
    assert rule_kinds(rules["22"].target_2030_rule) == {"all", "task", "rate"}
    assert (
        describe_rule({"kind": "rate", "op": ">=", "value": "0"})
        == "变化幅度≥0（保持稳定或持续改善）"
    )


# The registry: each kind is one class that derives, validates, describes, evaluates, says what
# it asks of a county and makes a demo value. One example rule of every kind:
EXAMPLES = {
    "threshold": {"kind": "threshold", "op": ">=", "value": "95"},
    "state": {"kind": "state", "accepted": ["制定实施"]},
    "task": TASK,
    "trend": {"kind": "trend", "direction": "down", "strict": True},
    "change": {"kind": "change", "op": ">=", "value": "2", "method": "relative"},
    "rate": {"kind": "rate", "op": ">=", "value": "0"},
    "all": {"kind": "all", "rules": [TASK, {"kind": "trend", "direction": "up", "strict": False}]},
    "any": {
        "kind": "any",
        "rules": [
            {"kind": "trend", "direction": "down", "strict": True},
            {"kind": "state", "accepted": ["逐步下降"]},
        ],
    },
    "conditional": {
        "kind": "conditional",
        "branches": [
            {"when": {"op": "<=", "value": "60"}, "rule": {"kind": "change", "op": ">=", "value": "2"}},
            {"when": {"op": ">", "value": "60"}, "rule": {"kind": "trend", "direction": "up", "strict": False}},
        ],
    },
    "composite": {"kind": "composite"},
}  # fmt: skip


def test_every_registered_kind_has_an_example_and_every_example_is_sound():
    assert set(KINDS) == set(EXAMPLES)
    for name, rule in EXAMPLES.items():
        assert KINDS[name].name == name
        assert validate_rule(rule) == [], name
        assert describe_rule(rule) and describe_rule(rule) != "未设定规则"
        status, reason = evaluate(rule, Observation(text="未知"), None)
        assert isinstance(status, Status) and reason


@pytest.mark.parametrize(
    ("name", "number", "choices"),
    [
        ("threshold", True, ()),
        ("state", False, ("制定实施", "否")),
        ("task", False, ("是", "否")),
        ("rate", True, ()),
        ("all", True, ("是", "否")),
        ("any", True, ("逐步下降", "否")),
        ("conditional", True, ()),
        ("composite", False, ()),
    ],
)
def test_each_kind_says_what_it_asks_of_a_county(name, number, choices):
    assert rule_asks(EXAMPLES[name]) == Asks(number, choices)


def test_only_computed_kinds_tell_the_county_what_number_to_enter():
    assert "（本年−上年）÷上年" in entry_hint(EXAMPLES["change"])
    assert "改善为正、恶化为负" in entry_hint(EXAMPLES["rate"])
    assert entry_hint(EXAMPLES["conditional"]) == "填本年的数值，系统计算较上年变化的百分点"
    assert entry_hint(EXAMPLES["threshold"]) == entry_hint(EXAMPLES["state"]) == ""


class FakeSource:
    """A DemoSource: a series that starts at `start` and moves by the step asked for."""

    def __init__(self, seed: int, share: bool, start: float) -> None:
        self.random = random.Random(seed)
        self.share = share
        self.first_year = False
        self.value = start

    def level(self, *, meet: bool, step: tuple[float, float], points: bool, up: bool) -> float:
        change = self.random.uniform(*step) * (1 if points else self.value)
        self.value += change if meet == up else -change
        return self.value


def _as_reported(made) -> Observation:
    parsed = parse_value_text(made.text)
    flag = {"是": True, "否": False}.get(made.choice)
    state = made.choice if made.choice not in {"是", "否"} else ""
    return Observation(made.text, parsed.number, parsed.comparator, state, flag)


@given(
    name=st.sampled_from(["threshold", "state", "task", "trend", "rate", "all", "any"]),
    meet=st.booleans(),
    seed=st.integers(0, 10_000),
    share=st.booleans(),
)
def test_a_demo_value_is_judged_as_the_demo_meant_it(name, meet, seed, share):
    """Whatever the draw, a value made to meet a rule meets it, and one made to miss misses."""
    rule = EXAMPLES[name]
    source = FakeSource(seed, share, start=50.0)
    previous = Observation("50", Decimal("50.00"))
    made = demo_input(rule, meet, source)
    status, reason = evaluate(rule, _as_reported(made), previous)
    if name == "all" and not meet:
        assert status == Status.NOT_MET or made.choice == "是", reason
    else:
        assert status == (Status.MET if meet else Status.NOT_MET), (made, reason)
    if share and made.text and name == "threshold":
        assert Decimal(made.text) <= 100
