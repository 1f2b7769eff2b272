# ruff: noqa: E501 (the printed texts read best whole)
import pytest

from indicators.rules import (
    derive_rule,
    describe_rule,
    is_rate_name,
    rule_kinds,
    threshold_target,
    validate_rule,
)

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
