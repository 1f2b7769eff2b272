# ruff: noqa: E501 (one parametrized case per line reads best)
import csv
from pathlib import Path

import pytest

from counties.models import Area
from projects.models import InvestmentRow
from projects.places import CITY, COUNTIES, PARTIAL, UNRESOLVED, CountyName, resolve_place

EXPECTED = Path(__file__).with_name("expected_places.csv")

COUNTY_NAMES = [
    CountyName("141102", "离石区", "离石"),
    CountyName("141121", "文水县", "文水"),
    CountyName("141122", "交城县", "交城"),
    CountyName("141123", "兴县", "兴县"),
    CountyName("141124", "临县", "临县"),
    CountyName("141125", "柳林县", "柳林"),
    CountyName("141126", "石楼县", "石楼"),
    CountyName("141127", "岚县", "岚县"),
    CountyName("141128", "方山县", "方山"),
    CountyName("141129", "中阳县", "中阳"),
    CountyName("141130", "交口县", "交口"),
    CountyName("141181", "孝义市", "孝义"),
    CountyName("141182", "汾阳市", "汾阳"),
]


def codes(*shorts: str) -> tuple[str, ...]:
    return tuple(c.code for c in COUNTY_NAMES if c.short_name in shorts)


@pytest.mark.parametrize(
    ("place", "scope", "expected"),
    [
        ("交城县", COUNTIES, codes("交城")),
        ("孝义市梧桐镇郑家营村西南", COUNTIES, codes("孝义")),
        ("方山县、交口县、中阳县、岚县、文水县", COUNTIES, codes("方山", "交口", "中阳", "岚县", "文水")),
        ("方山、兴县、临县、石楼、柳林、中阳县", COUNTIES, codes("方山", "兴县", "临县", "石楼", "柳林", "中阳")),
        ("13个县（区、市）", COUNTIES, tuple(c.code for c in COUNTY_NAMES)),
        ("离石、临县碛口", COUNTIES, codes("离石", "临县")),
        ("柳林县、兴县、\n文水县、交城县", COUNTIES, codes("柳林", "兴县", "文水", "交城")),
        ("孝义市、临县、方山县、岚县、石楼县、交口县、", COUNTIES, codes("孝义", "临县", "方山", "岚县", "石楼", "交口")),
        # Landmarks after the colon (交城山…森林公园) belong to the county before it.
        ("文水县：关帝山国家森林公园、交城山国家级森林公园；文峪河", COUNTIES, codes("文水")),
        # 孝义 and 南庄 are towns of 文水县 here (文水县孝义镇), not 孝义市.
        ("文水县南安、下曲，孝义、南庄；刘胡兰镇第二污水处理厂", COUNTIES, codes("文水")),
        ("山西交城经济开发区", COUNTIES, codes("交城")),
        ("吕梁市", CITY, ()),
        ("吕梁市自然保护地", CITY, ()),
        ("吕梁市、汾阳市栗家庄乡、孝义市", PARTIAL, codes("汾阳", "孝义")),
        ("磁窑河、文峪河、岚河", UNRESOLVED, ()),
        ("其他自然保护地等", UNRESOLVED, ()),
        ("", UNRESOLVED, ()),
    ],
)  # fmt: skip
def test_it_resolves_a_place(place, scope, expected):
    resolution = resolve_place(place, COUNTY_NAMES)
    assert resolution.scope == scope
    assert set(resolution.codes) == set(expected)


def test_it_names_what_it_could_not_read():
    resolution = resolve_place("磁窑河、文峪河、岚河", COUNTY_NAMES)
    assert resolution.unmatched == ("磁窑河", "文峪河", "岚河")
    assert "无法识别" in resolution.note


def test_it_says_why_a_short_name_was_read_as_a_town():
    resolution = resolve_place("文水县南安、下曲，孝义、南庄", COUNTY_NAMES)
    assert "“孝义”按文水县下辖地名处理" in resolution.note


@pytest.mark.django_db
def test_it_resolved_every_seed_row_as_reviewed():
    order = [a.short_name for a in Area.objects.counties()]
    with EXPECTED.open(encoding="utf-8") as handle:
        expected = {int(r["line"]): r for r in csv.DictReader(handle)}
    rows = InvestmentRow.objects.prefetch_related("counties")
    assert len(rows) == len(expected) == 134
    for row in rows:
        names = sorted((a.short_name for a in row.counties.all()), key=order.index)
        counties = "全部13县" if len(names) == 13 else "、".join(names)
        want = expected[row.source_line]
        assert (row.place, row.scope, counties) == (want["place"], want["scope"], want["counties"])


@pytest.mark.django_db
def test_it_lets_merged_rows_inherit_the_place_above():
    row = InvestmentRow.objects.get(group__domain__name="生态文化", group__order=4, order=2)
    assert row.place == ""
    assert row.scope == InvestmentRow.Scope.COUNTIES
    assert row.counties.count() == 13
    assert row.resolution_note.startswith("实施地点与上行合并")
