# ruff: noqa: E501 (the printed texts read best whole)
"""The rule engine, without a database: one case per rule kind and edge."""

from decimal import Decimal as D

import pytest

from indicators.assessment import (
    Assessment,
    Observation,
    agrees,
    assess,
    assess_composite,
)
from indicators.parsing import parse_value_text
from indicators.statuses import Basis, Status

MET, NOT_MET, NO_DATA, NEEDS_REVIEW = (
    Status.MET,
    Status.NOT_MET,
    Status.NO_DATA,
    Status.NEEDS_REVIEW,
)
COMPUTED, JUDGEMENT, NONE = Basis.COMPUTED, Basis.JUDGEMENT, Basis.NONE


def obs(
    text: str = "", *, state: str = "", flag: bool | None = None, judgement: str = ""
) -> Observation:
    parsed = parse_value_text(text)
    return Observation(
        text, parsed.number, parsed.comparator, state or parsed.state, flag, judgement
    )


AT_LEAST_95 = {"kind": "threshold", "op": ">=", "value": "95"}
AT_MOST_10 = {"kind": "threshold", "op": "<=", "value": "10"}
STATE = {"kind": "state", "accepted": ["制定实施"]}
TASK = {"kind": "task", "task": "完成上级规定的考核任务"}
UP = {"kind": "trend", "direction": "up", "strict": False}
DOWN_STRICT = {"kind": "trend", "direction": "down", "strict": True}
DOWN = {"kind": "trend", "direction": "down", "strict": False}
COMBINED = {"kind": "all", "rules": [TASK, DOWN]}
CLAIM_OR_TREND = {
    "kind": "any",
    "rules": [DOWN_STRICT, {"kind": "state", "accepted": ["逐步下降"]}],
}
CONDITIONAL_26 = {
    "kind": "conditional",
    "branches": [
        {"when": {"op": "<=", "value": "60"}, "rule": {"kind": "change", "op": ">=", "value": "2"}},
        {"when": {"op": ">", "value": "60"}, "rule": UP},
    ],
}

CASES = [
    # threshold
    ("threshold met", AT_LEAST_95, obs("96.49"), None, MET, "96.49 ≥ 95"),
    ("threshold not met", AT_LEAST_95, obs("52.11"), None, NOT_MET, "52.11 ＜ 95"),
    ("threshold on the bar", AT_LEAST_95, obs("95"), None, MET, "95 ≥ 95"),
    ("percent sign in the text", AT_LEAST_95, obs("96.5%"), None, MET, "96.5 ≥ 95"),
    (
        "commentary after the number",
        AT_LEAST_95,
        obs("100（要求全部消除劣V类水体）"),
        None,
        MET,
        "100 ≥ 95",
    ),
    (
        "negative value",
        {"kind": "threshold", "op": ">=", "value": "4.5"},
        obs("-4.03"),
        None,
        NOT_MET,
        "-4.03 ＜ 4.5",
    ),
    ("at most", AT_MOST_10, obs("8"), None, MET, "8 ≤ 10"),
    (
        "a bound that decides",
        {"kind": "threshold", "op": ">=", "value": "60"},
        obs("≥60"),
        None,
        MET,
        "≥60，满足≥60",
    ),
    (
        "a bound that cannot decide",
        {"kind": "threshold", "op": ">=", "value": "80"},
        obs("≥60"),
        None,
        NEEDS_REVIEW,
        "无法确定是否≥80",
    ),
    ("a bound that fails an upper bar", AT_MOST_10, obs("≥60"), None, NOT_MET, "不满足≤10"),
    ("an upper bound below a minimum", AT_LEAST_95, obs("≤50"), None, NOT_MET, "≤50，不满足≥95"),
    ("a strict upper bound on the bar", AT_LEAST_95, obs("<95"), None, NOT_MET, "不满足≥95"),
    (
        "an upper bound reaching the bar",
        AT_LEAST_95,
        obs("≤95"),
        None,
        NEEDS_REVIEW,
        "无法确定是否≥95",
    ),
    (
        "a strict lower bound on a strict bar",
        {"kind": "threshold", "op": ">", "value": "95"},
        obs(">95"),
        None,
        MET,
        "满足＞95",
    ),
    (
        "a lower bound on a strict bar",
        {"kind": "threshold", "op": ">", "value": "95"},
        obs("≥95"),
        None,
        NEEDS_REVIEW,
        "无法确定",
    ),
    ("an upper bound within a maximum", AT_MOST_10, obs("≤8"), None, MET, "≤8，满足≤10"),
    (
        "no number in the text",
        AT_LEAST_95,
        obs("全市25个断面中优良18个"),
        None,
        NEEDS_REVIEW,
        "没有可比较的数值",
    ),
    # state
    ("state accepted", STATE, obs("制定实施"), None, MET, "上报为“制定实施”"),
    ("state refused", STATE, obs("正在编制"), None, NOT_MET, "要求“制定实施”"),
    ("state by yes", STATE, obs(flag=True), None, MET, "上报已达到"),
    ("state by no", STATE, obs(flag=False), None, NOT_MET, "上报未达到"),
    ("state missing, number given", STATE, obs("100"), None, NEEDS_REVIEW, "须上报状态"),
    # upper-level task
    ("task done", TASK, obs("完成"), None, MET, "上报已完成上级规定的考核任务"),
    ("task done by yes", TASK, obs(flag=True), None, MET, "上报已完成"),
    ("task not done", TASK, obs("未完成"), None, NOT_MET, "上报未完成"),
    ("task: a number says nothing", TASK, obs("100"), None, NEEDS_REVIEW, "须上报是否完成"),
    (
        "task wording itself",
        {"kind": "task", "task": "完成年度审核计划"},
        obs("完成年度审核计划"),
        None,
        MET,
        "上报已完成年度审核计划",
    ),
    # trend
    (
        "trend improving (down is good)",
        DOWN,
        obs("1.28"),
        obs("1.32"),
        MET,
        "较上年 1.32 → 1.28，持续改善",
    ),
    ("trend stable allowed", DOWN, obs("1.28"), obs("1.28"), MET, "保持稳定"),
    (
        "trend stable not enough",
        DOWN_STRICT,
        obs("1.28"),
        obs("1.28"),
        NOT_MET,
        "持平，要求持续改善",
    ),
    ("trend worse", UP, obs("87.4"), obs("88.1"), NOT_MET, "较上年 88.1 → 87.4，较上年变差"),
    (
        "trend without previous year",
        UP,
        obs("87.4"),
        None,
        NEEDS_REVIEW,
        "无上年数据，无法判断趋势",
    ),
    (
        "trend with a previous text only",
        UP,
        obs("87.4"),
        obs("良好"),
        NEEDS_REVIEW,
        "无上年数据，无法判断趋势",
    ),
    # combined and any
    (
        "combined all hold",
        COMBINED,
        obs("1.28", flag=True),
        obs("1.32"),
        MET,
        "上报已完成上级规定的考核任务；较上年 1.32 → 1.28，持续改善",
    ),
    ("combined one fails", COMBINED, obs("1.40", flag=True), obs("1.32"), NOT_MET, "较上年变差"),
    ("combined one undecided", COMBINED, obs("1.28"), obs("1.32"), NEEDS_REVIEW, "须上报是否完成"),
    ("any: a reported claim", CLAIM_OR_TREND, obs("逐步下降"), None, MET, "上报为“逐步下降”"),
    ("any: the trend", CLAIM_OR_TREND, obs("3.1"), obs("3.4"), MET, "持续改善"),
    (
        "any: a worse number is not met",
        CLAIM_OR_TREND,
        obs("12"),
        obs("10"),
        NOT_MET,
        "较上年 10 → 12，较上年变差",
    ),
    (
        "any: a number without last year",
        CLAIM_OR_TREND,
        obs("12"),
        None,
        NEEDS_REVIEW,
        "无上年数据",
    ),
    # conditional (indicator 26: rise of ≥2 points where the rate is ≤60%)
    (
        "conditional low branch met",
        CONDITIONAL_26,
        obs("45.5"),
        obs("43.0"),
        MET,
        "本年值45.5≤60：较上年 43 → 45.5，变化 2.5 个百分点，满足≥2",
    ),
    (
        "conditional low branch not met",
        CONDITIONAL_26,
        obs("19.23"),
        obs("19.09"),
        NOT_MET,
        "变化 0.14 个百分点，未达到≥2",
    ),
    (
        "conditional high branch",
        CONDITIONAL_26,
        obs("72"),
        obs("71"),
        MET,
        "本年值72＞60：较上年 71 → 72，持续改善",
    ),
    (
        "conditional without previous year",
        CONDITIONAL_26,
        obs("45.5"),
        None,
        NEEDS_REVIEW,
        "无上年数据",
    ),
    (
        "conditional without a number",
        CONDITIONAL_26,
        obs("2021年综合利用率19.09%"),
        None,
        NEEDS_REVIEW,
        "无法确定适用的条件",
    ),
    # missing
    ("nothing reported", AT_LEAST_95, None, None, NO_DATA, "未上报"),
    # 24's printed `--` and 1's printed `/` (the plan not yet due) are not missing reports.
    (
        "a dash is nothing",
        AT_LEAST_95,
        obs("--"),
        None,
        NO_DATA,
        "原文为“--”（未给出数值），不作判断",
    ),
    (
        "a slash is nothing",
        STATE,
        obs("/"),
        None,
        NO_DATA,
        "原文为“/”（该年不适用或尚未到期），不作判断",
    ),
    ("no rule set", None, obs("12"), None, NEEDS_REVIEW, "未设定判定规则"),
]


@pytest.mark.parametrize(
    ("name", "rule", "current", "previous", "status", "reason"), CASES, ids=[c[0] for c in CASES]
)
def test_it_assesses_each_rule_kind(name, rule, current, previous, status, reason):
    result = assess(rule, current, previous)
    assert result.status == status
    assert reason in result.reason


def test_a_recorded_judgement_decides_what_the_rule_cannot_and_says_so():
    result = assess(TASK, obs("100", judgement="met"))
    assert (result.status, result.basis, result.computed) == (MET, JUDGEMENT, NEEDS_REVIEW)
    assert (
        result.reason
        == "规则无法自动判断（须上报是否完成上级规定的考核任务），采用记录的判断“已达标”"
    )


def test_a_recorded_judgement_never_overrides_a_computation():
    result = assess(AT_LEAST_95, obs("52.11", judgement="met"))
    assert (result.status, result.basis) == (NOT_MET, COMPUTED)
    assert agrees(result, "met") is False


def test_agreement_is_unknown_where_the_status_is_the_judgement():
    judged = assess(TASK, obs("100", judgement="met"))
    assert agrees(judged, "met") is None
    assert agrees(assess(AT_LEAST_95, obs("96")), "met") is True
    assert agrees(assess(AT_LEAST_95, obs("96")), "") is None


def test_no_data_has_no_basis():
    assert assess(AT_LEAST_95, None).basis == NONE


SUB_MET = Assessment(MET, "", COMPUTED)
SUB_JUDGED = Assessment(MET, "", JUDGEMENT)
SUB_NOT_MET = Assessment(NOT_MET, "", COMPUTED)
SUB_NO_DATA = Assessment(NO_DATA, "", NONE)
SUB_REVIEW = Assessment(NEEDS_REVIEW, "", COMPUTED)


@pytest.mark.parametrize(
    ("parts", "status", "basis", "reason"),
    [
        ([("a", SUB_MET), ("b", SUB_MET)], MET, COMPUTED, "各子指标均达标"),
        ([("a", SUB_MET), ("b", SUB_JUDGED)], MET, JUDGEMENT, "各子指标均达标"),
        ([("a", SUB_MET), ("b", SUB_NOT_MET)], NOT_MET, COMPUTED, "子指标未达标：b"),
        ([("a", SUB_MET), ("b", SUB_NO_DATA)], NO_DATA, COMPUTED, "子指标未上报：b"),
        ([("a", SUB_REVIEW), ("b", SUB_MET)], NEEDS_REVIEW, COMPUTED, "子指标待核定：a"),
        ([("a", SUB_NO_DATA), ("b", SUB_NO_DATA)], NO_DATA, NONE, "各子指标均未上报"),
        ([("a", SUB_NOT_MET), ("b", SUB_NO_DATA)], NOT_MET, COMPUTED, "子指标未达标：a"),
    ],
)
def test_a_composite_is_met_when_every_sub_indicator_is(parts, status, basis, reason):
    result = assess_composite(parts)
    assert (result.status, result.basis, result.reason) == (status, basis, reason)


def test_numbers_keep_their_precision():
    assert (
        assess({"kind": "threshold", "op": ">=", "value": "0.5"}, obs("0.50")).reason == "0.5 ≥ 0.5"
    )
    assert D("96.49") == parse_value_text("96.49").number


# Indicators whose value is itself a change, and 26 as the document computes it. Each case
# names the indicator and the printed standard it reads.
RATE_STABLE = {"kind": "rate", "op": ">=", "value": "0"}  # 保持稳定或持续改善
RATE_FALLING = {"kind": "rate", "op": ">", "value": "0"}  # 持续下降 / 持续改善
RELATIVE_2 = {"kind": "change", "op": ">=", "value": "2", "method": "relative"}
POINTS_2 = {"kind": "change", "op": ">=", "value": "2", "method": "points"}


def stated_obs(text: str, year: int) -> Observation:
    from indicators.compliance import observation_of

    return observation_of(text, year=year, number=parse_value_text(text).number)


RATE_CASES = [
    # 7.2 PM2.5浓度下降幅度, 保持稳定或持续改善: fell 11.1% then 5% — still improving.
    ("7.2 fell less than last year", RATE_STABLE, obs("5"), obs("11.1"), MET, "变化幅度 5 ≥ 0，未恶化"),
    # ... and rose 2% after rising 5% — worse, whatever last year did.
    ("7.2 rose", RATE_STABLE, obs("-2"), obs("-5"), NOT_MET, "变化幅度 -2 ＜ 0，较上年恶化"),
    ("7.2 unchanged", RATE_STABLE, obs("0"), None, MET, "变化幅度 0 ≥ 0，未恶化"),
    # 8.2 劣V类水体比例下降幅度 under 持续下降: zero is not a fall.
    ("8.2 flat under 持续下降", RATE_FALLING, obs("0"), None, NOT_MET, "持平，要求持续改善"),
    ("8.2 falling", RATE_FALLING, obs("3.2"), None, MET, "变化幅度 3.2 ＞ 0，持续改善"),
    # The document's 2022 city value: `11.1，考核要求持续改善`.
    ("7.2 printed value", RATE_STABLE, obs("11.1，考核要求持续改善"), None, MET, "11.1 ≥ 0"),
    # 26 (综合利用率≤60%的地区提高幅度≥2), as the document computes it: relative to last year.
    (
        "26 relative rise below 2",
        RELATIVE_2,
        obs("19.23"),
        obs("19.09"),
        NOT_MET,
        "提高幅度 (19.23−19.09)÷19.09 = 0.73%，未达到≥2",
    ),
    (
        "26 relative rise of 2.5%",
        RELATIVE_2,
        obs("20"),
        obs("19.5"),
        MET,
        "提高幅度 (20−19.5)÷19.5 = 2.56%，满足≥2",
    ),
    # ... or in points, when staff switch the method.
    ("26 in points", POINTS_2, obs("21.5"), obs("19.23"), MET, "变化 2.27 个百分点，满足≥2"),
    # 26's 2022 cell states both years itself.
    (
        "26 printed cell",
        RELATIVE_2,
        stated_obs("2021年综合利用率19.09%，2022年综合利用率19.23%，提高幅度0.7%", 2022),
        None,
        NOT_MET,
        "= 0.73%",
    ),
    # 20 单位地区生产总值能耗 (持续下降): `比2021年降幅3.03%` is the trend, stated.
    (
        "20 stated fall",
        DOWN_STRICT,
        stated_obs("单位GDP能耗为1.28吨标准煤/万元。\n比2021年降幅3.03%。", 2022),
        None,
        MET,
        "原文所述较上年下降3.03%，持续改善",
    ),
    (
        "a stated rise where falling is better",
        DOWN_STRICT,
        stated_obs("比2021年增长1.5%", 2022),
        None,
        NOT_MET,
        "原文所述较上年上升1.5%，较上年变差",
    ),
    (
        "a change stated from another year decides nothing",
        DOWN_STRICT,
        stated_obs("比2020年降幅3.03%", 2022),
        None,
        NEEDS_REVIEW,
        "没有可比较的数值",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "rule", "current", "previous", "status", "reason"),
    RATE_CASES,
    ids=[c[0] for c in RATE_CASES],
)
def test_it_reads_rates_and_rises_as_the_document_does(
    name, rule, current, previous, status, reason
):
    result = assess(rule, current, previous)
    assert (result.status, result.basis) == (status, COMPUTED)
    assert reason in result.reason, result.reason
