"""Dashboard pages: content, who is refused, and queries that do not grow with the data."""

import io
import json
import re

import plotly
import pytest
from django.test import Client
from openpyxl import load_workbook

from counties.models import Area
from indicators.compliance import compliance
from indicators.models import IndicatorValue
from indicators.results import results_rebuild
from lvliang_eco.charts import indicator_values
from lvliang_eco.templatetags.lvliang import reported as reported_value
from submissions.models import Submission

from ..conftest import approve_directly, demo_loaded, logged_in


def reported(user):
    """A client that reads everything reported (the leadership's default is approved only,
    tests/lvliang_eco/test_visibility.py)."""
    client = logged_in(user)
    client.get("/?data=all")
    return client


pytestmark = pytest.mark.django_db


def js(text: str) -> str:
    """How a text appears inside a plotly figure's JSON (non-ASCII escaped)."""
    return json.dumps(text)[1:-1]


PAGES = [
    "/",
    "/counties/",
    "/counties/141122/",
    "/indicators/",
    "/indicators/28/",
    "/investment/",
    "/quality/",
    "/plan/",
]


def add_counties(count: int, *, approved: bool = True) -> list[str]:
    """`count` more counties (测试县0…) with 60 for every leaf indicator in 2021–2024, their
    2024 approved (or only submitted), and the results rebuilt as after a bulk import.
    Returns their codes."""
    from indicators.models import Indicator

    city = Area.objects.get(code="141100")
    leaves = [i for i in Indicator.objects.all() if not i.subs.exists()]
    state = Submission.State.APPROVED if approved else Submission.State.SUBMITTED
    codes = []
    for number in range(count):
        area = Area.objects.create(
            code=f"1499{number:02d}",
            name=f"测试县{number}",
            short_name=f"测{number}",
            kind="county",
            parent=city,
            order=50 + number,
            terrain="平川区",
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=leaf, area=area, year=year, value_text="60", number=60, source="demo"
            )
            for leaf in leaves
            for year in (2021, 2022, 2023, 2024)
        )
        Submission.objects.create(area=area, year=2024, state=state)
        codes.append(area.code)
    results_rebuild()
    return codes


@pytest.fixture
def demo(db):
    demo_loaded()


def test_an_anonymous_visitor_sees_no_dashboard():
    for url in [*PAGES, "/exports/table1.xlsx", "/exports/table3.xlsx"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


@pytest.mark.parametrize("persona", ["bureau_user", "leader"])
def test_bureau_and_leadership_open_every_page(request, persona, demo):
    client = logged_in(request.getfixturevalue(persona))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_the_overview_answers_at_a_glance(leader, demo):
    page = reported(leader).get("/?year=2024").content.decode()
    data = compliance(year=2024)
    city = next(a for a in data.areas if a.area.code == "141100")
    assert f'<div class="big">{city.summary["met"]} / 40</div>' in page
    assert f"约束性达标 {city.summary['binding_met']} / {city.summary['binding_total']}" in page
    count = data.goals["reaching_standard"]["count"]
    assert f'<div class="big">{count} / 13</div>' in page
    assert "2025年目标 ≥4个（30%）" in page and "2030年目标 ≥11个（80%）" in page
    assert "2025年目标 ≥2个（10%）" in page and "2030年目标 ≥8个（60%）" in page
    assert "1,632.90 亿元" in page and "202.55 亿元（12.4%）" in page
    assert f'<script src="/static/vendor/plotly.min.js?v={plotly.__version__}"' in page
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources)  # no CDN
    assert 'id="chart-counties-standard"' in page and 'id="chart-domain-investment"' in page


def test_the_overview_maps_each_county_by_status_and_by_investment(leader, jiaocheng_officer, demo):
    page = reported(leader).get("/?year=2024").content.decode()
    data = compliance(year=2024)
    status = page.split('id="chart-map-status-data"')[1].split("</details>")[0]
    for area in data.areas:
        if area.area.is_city:
            continue
        s = area.summary
        expected = (
            "达到建设标准" if area.reaches_standard
            else "约束性全部达标，参考性不足" if s["binding_met"] == s["binding_total"]
            else "约束性指标未全部达标"
        )  # fmt: skip
        assert f"<td>{area.area.name}</td><td>{expected}</td>" in status, area.area.name
    assert 'data-target="chart-map-status"' in page and 'data-target="chart-map-investment"' in page
    assert js("/counties/141122/") in page  # a click opens the county's page
    money = page.split('id="chart-map-investment-data"')[1].split("</details>")[0]
    assert money.count("<tr>") == 1 + 13 and "计划投资约" in money
    # An officer's map: other counties' unapproved years are not shown, nor linked.
    officer = logged_in(jiaocheng_officer).get("/?year=2024").content.decode()
    seen = officer.split('id="chart-map-status-data"')[1].split("</details>")[0]
    assert "<td>兴县</td><td>未公开或尚未审核通过</td>" in seen
    assert js("/counties/141123/") not in officer and js("/counties/141122/") in officer


def test_the_overview_sums_up_progress_toward_the_targets_with_links(leader, demo):
    page = reported(leader).get("/?year=2024").content.decode()
    table = page.split('id="progress-table"')[1].split("</table>")[0]
    city = compliance(year=2024, area_codes=["141100"]).areas[0]
    leaves = [item for top in city.indicators for item in (top.subs or [top])]
    for target_year, column in ((2025, 1), (2030, 2)):
        counted = 0
        for row in re.findall(r"<tr data-status.*?</tr>", table, re.S):
            cell = re.findall(r"<td>(.*?)</td>", row, re.S)[column - 1]
            counted += int(re.search(r"<strong>(\d+)</strong>", cell).group(1))
        assert counted == sum(1 for item in leaves if target_year in item.progress)
    deteriorating = [
        i for i in leaves if i.progress.get(2030) and i.progress[2030].status == "deterioration"
    ]
    row = table.split('data-status="deterioration"')[1].split("</tr>")[0]
    for item in deteriorating:
        assert f'href="/indicators/{item.indicator.code}/"' in row


def test_every_chart_has_its_data_as_a_table(leader, demo):
    page = reported(leader).get("/investment/").content.decode()
    charts = re.findall(r'<figure class="chart" id="([\w-]+)-figure">', page)
    assert len(charts) >= 6
    for chart in charts:
        assert (
            f'<details class="chart-data" id="{chart}-data"><summary>查看数据表</summary>' in page
        )
    domains = page.split('id="chart-domain-investment-data"')[1].split("</details>")[0]
    assert "<td>生态经济</td>" in domains


def test_the_overview_county_table_links_what_the_viewer_may_open(leader, jiaocheng_officer, demo):
    page = reported(leader).get("/?year=2024").content.decode()
    table = page.split('id="county-table"')[1].split("</table>")[0]
    assert table.count('href="/counties/14') == 13 and 'class="data sortable"' in page
    approve_directly("141123", 2024)
    officer = logged_in(jiaocheng_officer).get("/?year=2024").content.decode()
    table = officer.split('id="county-table"')[1].split("</table>")[0]
    assert '<a href="/counties/141122/">交城县</a>' in table
    assert "<td>兴县</td>" in table and 'href="/counties/141123/"' not in table


def test_the_overview_lists_unmet_indicators_with_their_projects_and_money(leader):
    # The plan's own 2022 values: 13 危险废物利用处置率 (binding) is not met.
    page = reported(leader).get("/?year=2022").content.decode()
    row = re.search(r'<tr data-code="13">(.*?)</tr>', page, re.S).group(1)
    assert "未达标" in row and "生态安全19 危险废物利用处置" in row
    assert "生态经济6 节能环保产业重点项目" in row  # 提高危险废物处置率
    assert "134,300" in row  # 3,900 + 7,800 + 2,600 + 108,000 + 12,000
    # 6 依法开展规划环境影响评价 is served by 生态制度2 whose amounts are all `--`.
    row = re.search(r'<tr data-code="6">(.*?)</tr>', page, re.S).group(1)
    assert "无工程支撑" in row
    assert page.index('data-code="6"') < page.index('data-code="29"')  # binding first


def test_the_overview_explains_an_empty_year(leader):
    from indicators.models import IndicatorValue

    IndicatorValue.objects.all().delete()
    page = reported(leader).get("/").content.decode()
    assert "本年度尚无县区提交数据" in page


def test_the_comparison_matrix_shows_every_county_and_indicator(leader, demo):
    page = reported(leader).get("/counties/?year=2024").content.decode()
    assert page.count('<tr data-code="1411') == 13
    assert page.count('class="ind binding"') == 19
    data = compliance(year=2024)
    xiaoyi = next(a for a in data.areas if a.area.code == "141181")
    row = re.search(r'<tr data-code="141181">(.*?)</tr>', page, re.S).group(1)
    assert row.count('class="s-met"') == xiaoyi.summary["met"]
    assert 'href="/submissions/141181/2024/values/28/"' in row


def test_the_matrix_names_every_cell_and_header_for_a_screen_reader(leader, demo):
    page = reported(leader).get("/counties/?year=2024").content.decode()
    assert '<a class="skip-link" href="#main">跳到正文</a>' in page and '<main id="main">' in page
    matrix = page.split('id="matrix"')[1].split("</table>")[0]
    assert "<caption>2024年各县（市、区）40项指标达标情况" in matrix
    assert matrix.count('<th scope="col"') == 45 and matrix.count('<th scope="row"') == 13
    labels = re.findall(r'aria-label="([^"]*)"', matrix)
    assert len(labels) == 13 * 40
    assert "交城县 28 城镇污水处理率：" in " ".join(labels)
    assert all(re.match(r"^\S+ \d+ .+：(达标|未达标|待核定|无数据)$", label) for label in labels)
    # Full names in the headers: 20, 21 and 23 no longer all read 单位地区生….
    for name in ("单位地区生产总值能耗", "单位地区生产总值用水量", "单位地区生产总值二氧化碳排放"):
        assert name in matrix


@pytest.mark.parametrize(
    ("text", "flag", "state", "unit", "shown"),
    [
        ("73.83", True, "", "%", "73.83%；是"),  # was 73.83是
        ("是", True, "", "%", "是"),  # was 是是
        ("", None, "制定实施", "-", "制定实施"),
        ("61.21（采用“国土三调”数据计算）", None, "", "%", "61.21（采用“国土三调”数据计算）"),
        ("1.28", None, "", "吨标准煤/万元", "1.28吨标准煤/万元"),
    ],
)
def test_a_value_cell_keeps_number_unit_and_choice_apart(text, flag, state, unit, shown):
    value = IndicatorValue(value_text=text, flag=flag, state=state)
    assert reported_value(value, unit) == shown


def test_only_pages_with_years_offer_a_year(leader, demo):
    client = reported(leader)
    for url in ["/", "/counties/", "/counties/141122/", "/indicators/28/"]:
        assert 'id="header-year"' in client.get(url).content.decode(), url
    for url in ["/indicators/", "/investment/", "/quality/", "/plan/"]:
        assert 'id="header-year"' not in client.get(url).content.decode(), url


def test_the_terms_nobody_knew_are_explained_where_they_appear(leader, demo):
    for url in ["/counties/", "/counties/141122/"]:
        glossary = reported(leader).get(url).content.decode().split('id="glossary"')[1]
        for term in ("待核定", "记录的判断", "均摊（估算）", "地区标准"):
            assert f"<dt>{term}" in glossary, (url, term)


def test_the_comparison_sorts_by_result(leader, demo):
    page = reported(leader).get("/counties/?year=2024&sort=result").content.decode()
    codes = re.findall(r'<tr data-code="(\d+)">', page)
    data = {a.area.code: a for a in compliance(year=2024).areas}
    reaching = [c for c in codes if data[c].reaches_standard]
    assert codes[: len(reaching)] == reaching


def test_a_county_officer_sees_other_counties_only_when_approved(jiaocheng_officer, demo):
    client = logged_in(jiaocheng_officer)
    page = client.get("/counties/?year=2024").content.decode()
    assert re.search(r'<tr data-code="141122">.*?s-met', page, re.S)
    assert "未公开（本年度尚未审核通过）" in page
    assert page.count("未公开（本年度尚未审核通过）") == 12
    approve_directly("141181", 2024)
    page = client.get("/counties/?year=2024").content.decode()
    assert page.count("未公开（本年度尚未审核通过）") == 11
    row = re.search(r'<tr data-code="141181">(.*?)</tr>', page, re.S).group(1)
    assert "s-met" in row and "/submissions/141181/" not in row  # statuses, not values


def test_a_county_officer_opens_only_their_own_county_page(jiaocheng_officer, demo):
    client = logged_in(jiaocheng_officer)
    assert client.get("/counties/141122/").status_code == 200
    response = client.get("/counties/141123/")
    assert response.status_code == 403 and "无权查看兴县的详细数据" in response.content.decode()
    assert client.get("/quality/").status_code == 403
    assert client.get("/exports/table1.xlsx?area=141123&year=2024").status_code == 403
    assert client.get("/exports/table1.xlsx?area=141122&year=2024").status_code == 200


def test_an_officer_sees_only_own_county_and_city_values_on_an_indicator_page(
    jiaocheng_officer, demo
):
    page = logged_in(jiaocheng_officer).get("/indicators/28/").content.decode()
    assert js("交城县") in page and js("吕梁市") in page
    assert js("兴县") not in page
    assert "县区分局只能看到本县和吕梁市的数值" in page


def test_the_county_page(bureau_user, demo):
    page = logged_in(bureau_user).get("/counties/141122/").content.decode()
    assert "交城县（141122）" in page
    assert "规划发布实施：计划2024年" in page
    assert "多县共同实施均摊" in page and "（估算）" in page
    assert 'id="ind-7.1"' in page and 'id="trend-table"' in page
    assert 'id="chart-met-by-year"' in page


def test_the_county_page_reports_the_chosen_year_not_the_latest(bureau_user, demo):
    client = logged_in(bureau_user)
    for year in (2022, 2024):
        result = compliance(year=year, area_codes=["141122"]).areas[0]
        page = client.get(f"/counties/141122/?year={year}").content.decode()
        headline = page.split('<p class="muted">')[1].split("</p>")[0]
        assert f"{year}年：达标 {result.summary['met']} / 40" in headline
        reached = "达到建设标准" if result.reaches_standard else "未达到建设标准"
        assert reached in headline
        assert f"{year}年判定原因" in page and f"area=141122&year={year}" in page
    # The demo's 交城县 does not reach the standard in 2022 and does in 2024.
    assert not compliance(year=2022, area_codes=["141122"]).areas[0].reaches_standard


def test_the_indicator_page(leader, demo):
    page = reported(leader).get("/indicators/28/").content.decode()
    assert "28. 城镇污水处理率" in page and "判定规则：≥95" in page
    assert js("指标值 95") in page  # the standard line on the chart
    assert "深化城镇污水治理" in page and "1,000,000" in page
    assert (
        reported(leader).get("/indicators/7.1/").status_code == 200
    )  # a sub-indicator shows its parent


def test_an_indicator_with_sub_indicators_draws_one_chart_each_under_its_own_id(leader, demo):
    page = reported(leader).get("/indicators/7/").content.decode()
    for code in ("7-1", "7-2"):
        assert page.count(f'id="chart-indicator-{code}"') == 1
        assert f'data-target="chart-indicator-{code}"' in page


def test_a_trend_chart_puts_the_years_in_order_whoever_reports_which_year():
    series = [  # the city reported 2022 as text only: its first point is 2023
        {"name": "吕梁市", "city": True, "points": [(2023, 1), (2024, 2)]},
        {"name": "交城县", "points": [(2022, 1), (2024, 3)]},
    ]
    html = indicator_values(series, unit="%", lines=[], title="t", element_id="c")
    assert '"categoryarray":["2022","2023","2024"]' in html.replace(" ", "")


def test_the_investment_page_rebuilds_table_3(leader, demo):
    page = reported(leader).get("/investment/").content.decode()
    row = re.search(r'<tr data-domain="生态制度">(.*?)</tr>', page, re.S).group(1)
    assert "4,164" in row and "4,146" in row and "不一致" in row
    row = re.search(r'<tr data-domain="生态安全">(.*?)</tr>', page, re.S).group(1)
    assert "538,203" in row and "514,703" in row and "一致" in row
    assert '<div class="big">兴县</div>' in page
    for chart in [
        "chart-domain-investment",
        "chart-government-split",
        "chart-county-investment",
        "chart-investment-years",
        "chart-funding",
        "chart-progress",
    ]:
        assert f'id="{chart}"' in page, chart
    assert "特变电工新能源股份有限公司兴县200MW" in page  # the largest row


def test_the_data_quality_page(bureau_user, demo):
    page = logged_in(bureau_user).get("/quality/").content.decode()
    assert "其中约束性指标22项" in page and "binding_count" not in page and "不一致" in page
    assert "其他自然保护地等" in page
    assert "条演示指标值（非真实上报）" in page
    assert "尚未审核通过的县区年度" in page and "离石区、文水县" in page


def test_the_table_1_export_follows_the_documents_layout(bureau_user):
    response = logged_in(bureau_user).get("/exports/table1.xlsx?area=141100&year=2022")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[2]][:6] == ["领域", "任务", "序号", "指标名称", "单位", "指标值"]
    rows = {str(r[2].value): r for r in sheet.iter_rows(min_row=3) if r[2].value is not None}
    assert rows["22"][6].value == "-4.03" and rows["22"][7].value == "未达标"
    assert rows["19"][7].value == "达标（记录的判断）"
    assert "未达到建设标准" in sheet.cell(row=sheet.max_row, column=1).value


def test_the_table_3_export(leader):
    response = reported(leader).get("/exports/table3.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == (1, "生态制度建设工程", 4164)
    assert rows[0][6] == 4146 and rows[0][8] == 18
    assert rows[-1][0] == "合计" and rows[-1][2] == 16329006


@pytest.mark.parametrize("persona", ["bureau_user", "jiaocheng_officer"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_reads_in_a_fixed_number_of_queries(
    request, url, persona, demo, no_page_cache, django_assert_max_num_queries
):
    # The officer's pages also filter other counties by their approved years.
    client = logged_in(request.getfixturevalue(persona))
    client.get(url)
    with django_assert_max_num_queries(60) as first:
        client.get(url)
    # More counties, more values, more years: the same number of queries.
    add_counties(5)
    with django_assert_max_num_queries(len(first)) as second:
        client.get(url)
    assert len(second) == len(first), url


def test_other_counties_tooltips_carry_no_values(jiaocheng_officer, demo):
    approve_directly("141123", 2024)
    page = logged_in(jiaocheng_officer).get("/counties/?year=2024").content.decode()
    row = re.search(r'<tr data-code="141123">(.*?)</tr>', page, re.S).group(1)
    assert "≥" not in row and "较上年" not in row  # no reasons, which quote the values
    own = re.search(r'<tr data-code="141122">(.*?)</tr>', page, re.S).group(1)
    assert "≥" in own or "较上年" in own


def test_sorting_does_not_reveal_hidden_results(jiaocheng_officer, demo):
    page = logged_in(jiaocheng_officer).get("/counties/?year=2024&sort=result").content.decode()
    codes = re.findall(r'<tr data-code="(\d+)">', page)
    assert codes[0] == "141122"  # the officer's own county, the only visible one
    hidden = codes[1:]
    assert hidden == sorted(hidden, key=lambda c: Area.objects.get(code=c).order)


def test_the_investment_page_without_counties(leader):
    from projects.models import InvestmentRow

    InvestmentRow.counties.through.objects.all().delete()
    Area.objects.counties().update(order=0)
    response = reported(leader).get("/investment/")
    assert response.status_code == 200


def matrix_codes(page: str) -> list[str]:
    return re.findall(r'<tr data-code="(\d+)">', page)


@pytest.fixture
def pages_of_ten(monkeypatch):
    """Pages of 10 counties: the plan's 13 and a few more span two or three pages."""
    from lvliang_eco import selectors

    monkeypatch.setattr(selectors, "COMPARISON_PAGE_SIZE", 10)


def test_the_comparison_pages_counties_so_the_page_stays_small(leader, demo, pages_of_ten):
    plan = matrix_codes(reported(leader).get("/counties/?year=2024").content.decode())
    added = add_counties(5)  # 18 counties: pages of 10 and 8
    client = reported(leader)
    first = client.get("/counties/?year=2024").content.decode()
    assert len(plan) == 10 and matrix_codes(first) == plan
    assert "共 18 个县（市、区）；本页第 1–10 个" in first
    assert '<strong aria-current="page">1</strong>' in first and 'href="?page=2"' in first
    second = client.get("/counties/?year=2024&page=2").content.decode()
    assert matrix_codes(second)[-5:] == added and len(matrix_codes(second)) == 8
    assert "本页第 11–18 个" in second
    assert matrix_codes(client.get("/counties/?year=2024&page=99").content.decode())[-5:] == added
    assert matrix_codes(client.get("/counties/?year=2024&page=x").content.decode()) == plan
    # Each page has its own rows' cells only.
    assert second.count('<td class="s-') == 8 * 40 and first.count('<td class="s-') == 10 * 40


def test_the_comparison_filters_by_name_and_by_result(leader, demo):
    client = reported(leader)
    page = client.get("/counties/?year=2024&q=交城").content.decode()
    assert matrix_codes(page) == ["141122"]
    assert "筛选出 1 个县（市、区），共 13 个" in page and "清除筛选" in page
    data = {a.area.code: a for a in compliance(year=2024).areas if not a.area.is_city}
    for status in ("reaches", "binding", "misses"):
        page = client.get(f"/counties/?year=2024&status={status}&sort=result").content.decode()
        codes = matrix_codes(page)
        expected = {
            c for c, a in data.items()
            if ("reaches" if a.reaches_standard else "binding"
                if a.summary["binding_met"] == a.summary["binding_total"] else "misses") == status
        }  # fmt: skip
        assert set(codes) == expected, status
        assert f'<option value="{status}" selected>' in page
        if not codes:
            assert "没有符合筛选条件的县（市、区）" in page
    assert sum(len(matrix_codes(client.get(f"/counties/?year=2024&status={s}").content.decode()))
               for s in ("reaches", "binding", "misses")) == 13  # fmt: skip
    # A filter that is not one: every county, the form reset.
    assert len(matrix_codes(client.get("/counties/?year=2024&status=evil").content.decode())) == 13
    # The links keep the filter and the sort, and start again at page 1.
    page = client.get("/counties/?year=2024&q=县&sort=result&page=1").content.decode()
    assert 'href="?q=%E5%8E%BF"' in page  # 按行政区划 keeps q
    assert '<input type="hidden" name="sort" value="result">' in page


def test_an_officer_pages_and_filters_without_seeing_other_counties(
    jiaocheng_officer, demo, pages_of_ten
):
    added = add_counties(5, approved=False)
    client = logged_in(jiaocheng_officer)
    for url in ["/counties/?year=2024", "/counties/?year=2024&page=2",
                "/counties/?year=2024&sort=result&page=2"]:  # fmt: skip
        page = client.get(url).content.decode()
        for code in matrix_codes(page):
            if code != "141122":
                row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S).group(1)
                assert "s-met" not in row and "/submissions/" not in row, (url, code)
    # Filtering by result does not reveal whom the officer cannot see.
    for status in ("reaches", "binding", "misses"):
        codes = matrix_codes(client.get(f"/counties/?year=2024&status={status}").content.decode())
        assert set(codes) <= {"141122"}, status
    unseen = matrix_codes(client.get("/counties/?year=2024&status=unseen").content.decode())
    unseen += matrix_codes(client.get("/counties/?year=2024&status=unseen&page=2").content.decode())
    assert len(unseen) == 12 + len(added) and "141122" not in unseen


def test_the_comparison_reads_each_page_in_the_same_number_of_queries(
    bureau_user, demo, pages_of_ten, no_page_cache, django_assert_max_num_queries
):
    client = logged_in(bureau_user)
    client.get("/counties/?year=2024")
    with django_assert_max_num_queries(60) as seed:
        client.get("/counties/?year=2024")
    add_counties(5)
    for url in ["/counties/?year=2024", "/counties/?year=2024&page=2&sort=result"]:
        with django_assert_max_num_queries(len(seed)):
            client.get(url)


def test_the_overview_stays_light_for_the_intranet(bureau_user, demo):
    """The maps carry each county's address once and its boundary to 3 decimals: the page was
    1 MB when every boundary point carried the address and 10 decimals."""
    page = logged_in(bureau_user).get("/?year=2024").content.decode()
    assert len(page.encode()) < 400_000
    maps = re.findall(r'<div id="chart-map-status".*?</script>', page, re.S)
    points = re.findall(r'"[xy]":\[([^\]]*)\]', maps[0])
    assert len(points) > 20 and not re.search(r"\d\.\d{4,}", ",".join(points))  # 3 decimals
