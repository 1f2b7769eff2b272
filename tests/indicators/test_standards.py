"""Which standard a county is judged against: its own, its terrain group's, or (said so) the
city's; and the rows the plan prints as conditions of the city's bar."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from counties.models import Area
from indicators.compliance import compliance
from indicators.models import GroupStandard, Indicator, StandardChange, StandardOverride
from lvliang_eco.demo import demo_load
from submissions.reporting import ValueReport
from submissions.selectors import catalogue
from submissions.services import report_save
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
FOREST = {"kind": "threshold", "op": ">=", "value": "18"}


def jiaocheng() -> Area:
    return Area.objects.get(code="141122")


def result(code: str, area: str = "141122", year: int = 2025):
    for top in compliance(year=year, area_codes=[area]).areas[0].indicators:
        for item in [top, *top.subs]:
            if item.indicator.code == code:
                return item
    raise KeyError(code)


def test_it_marks_10_1_and_11_1_as_conditions_of_the_citys_bar():
    conditions = set(Indicator.objects.filter(is_condition=True).values_list("code", flat=True))
    assert conditions == {"10.1", "11.1"}
    assert Indicator.objects.get(code="11.1").label == (
        "林草覆盖率（全市标准的适用条件：山区占比46.1%，丘陵区占比45.9%）"
    )


def test_a_county_without_its_groups_bar_is_said_to_be_judged_on_the_citys(leader):
    report_save(area=jiaocheng(), year=2025, values=[ValueReport("11.1", text="30")], route="admin")
    item = result("11.1")
    assert item.city_bar_note == "尚未设定平川区的标准，暂按全市标准（≥50）判定"
    assert (item.assessment.label, item.assessment.reason) == ("未达标", "30 ＜ 50")
    parent = result("11")
    assert parent.assessment.reason == (
        "子指标未达标：林草覆盖率（全市标准的适用条件：山区占比46.1%，丘陵区占比45.9%）"
    )
    line = catalogue(jiaocheng(), 2025).indicator("11.1")
    assert line.standard == "≥50（暂按全市标准）" and line.name.startswith("林草覆盖率（")
    page = logged_in(leader).get("/quality/").content.decode()
    table = page.split('id="city-bar"')[1].split("</table>")[0]
    assert "交城县" in table and "平川区" in table and "11.1" in table
    assert "暂按全市标准" in logged_in(leader).get("/counties/141122/?year=2025").content.decode()


def test_a_groups_bar_applies_to_its_counties_and_an_own_bar_comes_first(leader):
    GroupStandard.objects.create(
        indicator=Indicator.objects.get(code="11.1"), terrain=Area.Terrain.PLAIN,
        standard="≥18", rule=FOREST, source="测试：平原地区林草覆盖率标准",
    )  # fmt: skip
    for code in ("141122", "141123"):  # 交城县 平川区, 兴县 丘陵区
        report_save(
            area=Area.objects.get(code=code), year=2025,
            values=[ValueReport("11.1", text="30")], route="admin",
        )  # fmt: skip
    plain = result("11.1")
    assert (plain.assessment.reason, plain.group.source, plain.city_bar_note) == (
        "30 ≥ 18", "测试：平原地区林草覆盖率标准", "",
    )  # fmt: skip
    hill = result("11.1", area="141123")
    assert hill.assessment.reason == "30 ＜ 50" and hill.city_bar_note
    assert catalogue(jiaocheng(), 2025).indicator("11.1").standard == "≥18（平川区标准）"
    page = logged_in(leader).get("/quality/").content.decode()
    table = page.split('id="city-bar"')[1].split("</table>")[0]
    assert "兴县" in table and "交城县</td><td>平川区</td><td>11.1" not in table
    StandardOverride.objects.create(
        indicator=Indicator.objects.get(code="11"), area=jiaocheng(), standard="≥35",
        rule={"kind": "threshold", "op": ">=", "value": "35"}, reason="本县标准",
    )  # fmt: skip
    own = result("11.1")
    assert (own.assessment.reason, own.override.reason, own.group) == ("30 ＜ 35", "本县标准", None)


def test_staff_maintain_group_standards_in_the_admin(bureau_user):
    client = logged_in(bureau_user)
    page = client.get("/admin/indicators/groupstandard/add/").content.decode()
    assert "依据" in page and "平川区" in page
    response = client.post(
        "/admin/indicators/groupstandard/add/",
        {"indicator": Indicator.objects.get(code="11.1").pk, "terrain": "平川区",
         "standard": "≥18", "rule": '{"kind": "threshold", "op": ">=", "value": "十八"}',
         "source": "测试"},
    )  # fmt: skip
    assert "规则的 value 应为数字，实际为“十八”" in response.content.decode()
    assert not GroupStandard.objects.exists()


def test_a_climate_zones_bar_applies_once_staff_set_a_countys_zone():
    """10.1 prints the city's bar for 半湿润地区: a county in another zone gets its zone's bar."""
    GroupStandard.objects.create(
        indicator=Indicator.objects.get(code="11.1"), climate_zone=Area.ClimateZone.SEMI_ARID,
        standard="≥35", rule={"kind": "threshold", "op": ">=", "value": "35"},
        source="测试：半干旱地区林草覆盖率标准",
    )  # fmt: skip
    report_save(area=jiaocheng(), year=2025, values=[ValueReport("11.1", text="40")], route="admin")
    assert result("11.1").assessment.reason == "40 ＜ 50"  # zone not set yet: the city's bar
    Area.objects.filter(code="141122").update(climate_zone=Area.ClimateZone.SEMI_ARID)
    item = result("11.1")
    assert (item.assessment.reason, item.group.group, item.city_bar_note) == (
        "40 ≥ 35", "半干旱地区", "",
    )  # fmt: skip
    assert catalogue(jiaocheng(), 2025).indicator("11.1").standard == "≥35（半干旱地区标准）"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "地形分区和气候分区须填且只填一项"),
        ({"terrain": "平川区", "climate_zone": "半湿润地区"}, "地形分区和气候分区须填且只填一项"),
        ({"climate_zone": "半湿润地区"}, "只能按地形分区或按气候分区之一设定"),
    ],
)
def test_a_group_standard_names_exactly_one_grouping(fields, message):
    indicator = Indicator.objects.get(code="11.1")
    GroupStandard.objects.create(
        indicator=indicator, terrain="丘陵区", standard="≥40", rule=FOREST, source="测试"
    )
    candidate = GroupStandard(
        indicator=indicator, standard="≥18", rule=FOREST, source="测试", **fields
    )
    with pytest.raises(ValidationError) as raised:
        candidate.full_clean()
    assert any(message in m for m in raised.value.messages)


def test_every_route_that_changes_a_standard_leaves_a_record(bureau_user):
    """Admin form, admin import, demo and seed: who, when, old and new, which route."""
    client = logged_in(bureau_user)
    forest = Indicator.objects.get(code="11.1")
    client.post(
        "/admin/indicators/groupstandard/add/",
        {"indicator": forest.pk, "terrain": "平川区", "climate_zone": "", "standard": "≥18",
         "rule": '{"kind": "threshold", "op": ">=", "value": "18"}', "source": "测试依据"},
    )  # fmt: skip
    group = GroupStandard.objects.get()
    added = {c.field: c for c in StandardChange.objects.filter(subject="指标11.1 平川区")}
    assert (added["指标值"].old, added["指标值"].new) == ("", "≥18")
    assert added["判定规则"].new.startswith("≥18（")
    assert {c.via for c in added.values()} == {"admin"}
    assert {c.by for c in added.values()} == {bureau_user}

    client.post(
        f"/admin/indicators/groupstandard/{group.pk}/change/",
        {"indicator": forest.pk, "terrain": "平川区", "climate_zone": "", "standard": "≥20",
         "rule": '{"kind": "threshold", "op": ">=", "value": "20"}', "source": "测试依据"},
    )  # fmt: skip
    changed = StandardChange.objects.filter(subject="指标11.1 平川区", field="指标值").first()
    assert (changed.old, changed.new, changed.via) == ("≥18", "≥20", "admin")
    assert not StandardChange.objects.filter(field="依据", old="测试依据").exists()  # unchanged

    client.post(f"/admin/indicators/groupstandard/{group.pk}/delete/", {"post": "yes"})
    removed = StandardChange.objects.filter(subject="指标11.1 平川区", field="指标值").first()
    assert (removed.old, removed.new) == ("≥20", "")

    before = StandardChange.objects.count()
    call_command("load_seed", stdout=io.StringIO())
    assert StandardChange.objects.count() == before  # reloading the same plan changes nothing
    demo_load()
    demo = StandardChange.objects.filter(via="demo", kind="override")
    assert demo.exists() and all(c.by is None for c in demo)
    page = client.get("/admin/indicators/standardchange/").content.decode()
    assert "标准变更记录" in page and "指标11.1 平川区" in page
    assert client.get("/admin/indicators/standardchange/add/").status_code == 403
