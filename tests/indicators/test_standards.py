"""Which standard a county is judged against: its own, its terrain group's, or (said so) the
city's; and the rows the plan prints as conditions of the city's bar."""

import pytest

from counties.models import Area
from indicators.compliance import compliance
from indicators.models import GroupStandard, Indicator, StandardOverride
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
