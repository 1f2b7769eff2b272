import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from counties.models import Area, Milestone
from indicators.compliance import compliance, compliance_years
from indicators.models import (
    ConstructionStandardRule,
    Indicator,
    IndicatorValue,
    StandardChange,
    StandardOverride,
)
from indicators.results import _values, _Versions, results_rebuild
from submissions.services import approved_results_watch
from tests.conftest import demo_loaded

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


def city_2022() -> dict:
    return json.loads(run("--year", "2022", "--area", "141100", "--format", "json"))["areas"][0]


def by_number(area: dict) -> dict:
    return {str(i["number"]): i for i in area["indicators"]}


def test_it_reproduces_the_documents_2022_picture_for_the_city():
    area = city_2022()
    indicators = by_number(area)
    # Table 1 records 未达标 for 6, 8 (8.1), 10 (10.1), 13, 22, 26, 29, 32 and 37.
    not_met = {n for n, i in indicators.items() if i["status"] == "not_met"}
    assert not_met == {"6", "8", "10", "13", "22", "26", "29", "32", "37"}
    assert {n for n, i in indicators.items() if i["status"] == "no_data"} == {"1", "24"}
    assert area["summary"] == {
        "met": 29, "not_met": 9, "no_data": 2, "needs_review": 0,
        "binding_met": 13, "binding_total": 19, "reference_met": 16, "reference_total": 21,
    }  # fmt: skip
    assert area["reaches_standard"] is False


def test_it_shows_what_was_computed_and_what_was_judged():
    indicators = by_number(city_2022())
    assert (indicators["28"]["basis"], indicators["28"]["reason"]) == ("computed", "96.49 ≥ 95")
    assert indicators["22"]["reason"] == "-4.03 ＜ 4.5"
    assert indicators["34"]["reason"] == "≥60，满足≥60"
    judged = indicators["19"]
    assert (judged["basis"], judged["status"], judged["recorded_status"]) == (
        "judgement",
        "met",
        "met",
    )
    assert "须上报是否完成上级管控目标" in judged["reason"]
    seven = indicators["7"]
    assert [s["number"] for s in seven["sub"]] == ["7.1", "7.2"]
    assert "无上年数据，无法判断趋势" in seven["sub"][0]["reason"]
    assert indicators["7"]["binding"] is True and seven["sub"][0]["binding"] is True


def test_every_computed_status_of_2022_agrees_with_the_document():
    data = compliance(year=2022, area_codes=["141100"]).areas[0]
    assert data.disagreements() == []
    assert {r.indicator.code for r in data.judged()} == {
        "6", "7.1", "7.2", "8.1", "8.2", "8.3", "15", "18.1", "18.2", "19", "20", "21", "23",
    }  # fmt: skip


def test_26s_2022_value_is_computed_as_the_document_computes_it():
    # Printed: 2021年综合利用率19.09%，2022年综合利用率19.23%，提高幅度0.7% — 未达标.
    result = next(
        r for r in compliance(year=2022, area_codes=["141100"]).areas[0].indicators
        if r.indicator.code == "26"
    )  # fmt: skip
    assert result.assessment.basis == "computed" and result.status == "not_met"
    assert result.assessment.reason == (
        "本年值19.23≤60：较上年 19.09 → 19.23，提高幅度 (19.23−19.09)÷19.09 = 0.73%，未达到≥2"
    )


def test_it_lists_a_disagreement_with_its_reason():
    value = IndicatorValue.objects.get(indicator__code="29", area__code="141100", year=2022)
    value.judgement = "met"  # the record says met, the value 8 is below ≥50
    value.save()
    results_rebuild()  # written by the ORM, not the write path: the store is rebuilt
    text = run("--year", "2022", "--area", "141100")
    assert "计算结果与记录的判断不一致：1 项" in text
    assert "29 农村生活污水治理率：计算为未达标（8 ＜ 50），记录为已达标" in text
    indicator = by_number(city_2022())["29"]
    assert (indicator["agrees"], indicator["recorded_status"]) == (False, "met")


def test_an_area_override_replaces_the_standard_and_shows():
    with approved_results_watch(user=None, what="测试", via=StandardChange.Via.ADMIN):
        StandardOverride.objects.create(
            indicator=Indicator.objects.get(code="10.1"),
            area=Area.objects.get(code="141100"),
            standard="≥50",
            rule={"kind": "threshold", "op": ">=", "value": "50"},
            reason="测试：本地区标准",
        )
    ten = by_number(city_2022())["10"]
    assert ten["status"] == "met"
    assert ten["sub"][0]["standard"] == "≥50"
    assert ten["sub"][0]["override"] == "测试：本地区标准"
    assert ten["sub"][0]["reason"] == "52.11 ≥ 50"


def test_the_construction_standard_follows_the_configured_share():
    demo_loaded()
    rule = ConstructionStandardRule.objects.get()
    before = compliance(year=2024).goals["reaching_standard"]["count"]
    rule.reference_min_share = "0.95"
    rule.save()
    after = compliance(year=2024)
    assert after.goals["reaching_standard"]["count"] < before
    assert after.rule.description == "约束性指标全部达标，且参考性指标达标比例不低于95%"
    for area in after.areas:
        s = area.summary
        expected = (
            s["binding_met"] == s["binding_total"]
            and s["reference_met"] >= 0.95 * s["reference_total"]
        )
        assert area.reaches_standard == expected


def test_the_plan_goals_count_counties_against_30_and_80_percent():
    demo_loaded()
    data = json.loads(run("--year", "2024", "--area", "all", "--format", "json"))
    reaching = [a["code"] for a in data["areas"] if a["reaches_standard"] and a["code"] != "141100"]
    goals = data["goals"]
    assert goals["reaching_standard"]["codes"] == reaching
    targets = {(t["year"], t["kind"]): t for t in goals["targets"]}
    assert targets[(2025, "standard_reached")]["required"] == 4  # 30% of 13, rounded up
    assert targets[(2030, "standard_reached")]["required"] == 11  # 80% of 13
    assert targets[(2025, "creation_completed")]["required"] == 2  # 10%
    assert targets[(2030, "creation_completed")]["required"] == 8  # 60%
    assert targets[(2025, "standard_reached")]["current"] == len(reaching)
    assert targets[(2025, "creation_completed")]["current"] == 1  # the demo names 孝义市 in 2024
    assert data["rule"]["reference_min_share"] == 0.8


def test_plan_publication_years_come_from_table_2():
    planned = dict(
        Milestone.objects.filter(kind="plan_published").values_list("area__code", "planned_year")
    )
    assert planned["141100"] == 2024
    assert planned["141128"] == 2023  # 方山县
    assert planned["141122"] == 2024  # 交城县
    assert planned["141123"] == 2025  # 兴县
    assert len(planned) == 14


def test_it_refuses_an_unknown_area_in_chinese():
    with pytest.raises(CommandError, match="没有行政区划代码为“999”的地区"):
        run("--year", "2024", "--area", "999")


@pytest.mark.parametrize("lean", [False, True])  # lean: the results store's writer
def test_it_computes_13_counties_by_40_indicators_by_3_years_in_fixed_queries(
    django_assert_num_queries, lean
):
    demo_loaded()
    # areas, indicators, values, area standards, group standards, the rule, goals, milestones
    with django_assert_num_queries(8):
        results = compliance_years(years=[2022, 2023, 2024], lean=lean)
        # what the writer stores reads no deferred field (no query per result)
        for data in results.values():
            for area in data.areas:
                for item in area.all_results():
                    _values(item, _Versions())
                    _ = (item.indicator.code, item.indicator.label, item.indicator.is_binding)
    assert sum(len(c.areas) for c in results.values()) == 14 * 3
    # Twice the areas: still the same number of queries.
    for number in range(13):
        Area.objects.create(
            code=f"1499{number:02d}",
            name=f"测试县{number}",
            short_name=f"测{number}",
            kind="county",
            parent=Area.objects.get(code="141100"),
            order=50 + number,
        )
    # areas, indicators, values, area standards, group standards, the rule, goals, milestones
    with django_assert_num_queries(8):
        results = compliance_years(years=[2022, 2023, 2024], lean=lean)
    assert sum(len(c.areas) for c in results.values()) == 27 * 3


def test_the_table_names_the_counties_that_reach_the_standard():
    demo_loaded()
    text = run("--year", "2024")
    data = compliance(year=2024)
    names = "、".join(data.goals["reaching_standard"]["names"])
    assert (
        f"2024年达到建设标准的县（市、区）：{data.goals['reaching_standard']['count']}/13（{names}）"
        in text
    )


def test_an_override_of_a_composite_indicator_is_the_bar_of_its_sub_indicators():
    with approved_results_watch(user=None, what="测试", via=StandardChange.Via.ADMIN):
        StandardOverride.objects.create(
            indicator=Indicator.objects.get(code="10"),
            area=Area.objects.get(code="141100"),
            standard="≥50",
            rule={"kind": "threshold", "op": ">=", "value": "50"},
            reason="测试：复合指标的地区标准",
        )
    ten = by_number(city_2022())["10"]
    assert ten["status"] == "met"
    assert (ten["sub"][0]["standard"], ten["sub"][0]["reason"]) == ("≥50", "52.11 ≥ 50")


def test_names_printed_on_several_lines_read_as_one():
    assert Indicator.objects.get(code="26").display_name == (
        "一般工业固体废物综合利用率提高幅度：综合利用率≤60%的地区，综合利用率＞60%的地区"
    )
    assert Indicator.objects.get(code="9").display_name == (
        "主要污染物减排（氮氧化物、挥发性有机物、化学需氧量、氨氮）"
    )
