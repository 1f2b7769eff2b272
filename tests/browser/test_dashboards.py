"""The leadership group reads the dashboards at 1366×768: charts visible and labelled."""

import pytest
from playwright.sync_api import expect

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from indicators.compliance import compliance
from tests.conftest import demo_loaded

from .conftest import PASSWORD, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def leader_page(page):
    demo_loaded()
    user_create(username="leader", password=PASSWORD, role=Role.LEADERSHIP, full_name="王组长")
    log_in(page, "leader")
    page.get_by_role("link", name="改看全部上报数据（含未审核）").click()
    expect(page.locator("#data-bar")).to_contain_text("全部上报数据，含未审核的县区年度")
    return page


def chart(page, element_id: str, title: str):
    figure = page.locator(f"#{element_id}")
    expect(figure.locator(".main-svg").first).to_be_visible()
    expect(figure.locator(".gtitle")).to_contain_text(title)
    return figure


def test_the_overview_answers_the_leaders_questions(leader_page):
    page = leader_page
    data = compliance(year=2024)
    expect(page.get_by_role("heading", name="2024年概览")).to_be_visible()
    count = data.goals["reaching_standard"]["count"]
    expect(page.locator("#card-standard .big")).to_have_text(f"{count} / 13")
    expect(page.locator("#card-money")).to_contain_text("1,632.90 亿元")
    figure = chart(page, "chart-counties-standard", "达到建设标准的县（市、区）数")
    expect(figure.locator(".xtitle")).to_have_text("年份")
    expect(figure).to_contain_text("2025年目标：4个")
    chart(page, "chart-domain-investment", "各领域计划投资（亿元）")
    screenshot(page, "21-overview")
    expect(page.locator("#missed-table")).to_be_visible()
    page.locator("#missed-table").scroll_into_view_if_needed()
    screenshot(page, "22-overview-missed")


def test_the_county_comparison_matrix(leader_page):
    page = leader_page
    page.get_by_role("link", name="各县对比").click()
    expect(page.get_by_role("heading", name="各县对比：2024年")).to_be_visible()
    expect(page.locator("#matrix tbody tr")).to_have_count(13)
    expect(page.locator("#matrix tbody tr").first.locator("td.s-met").first).to_be_visible()
    page.get_by_role("link", name="按达标结果").click()
    first = page.locator("#matrix tbody tr").first
    expect(first).to_contain_text("达到")
    screenshot(page, "23-comparison")
    # Filtering by result keeps the sort; a name narrows it to one county.
    page.get_by_label("建设标准").select_option(label="达到建设标准")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#comparison-count")).to_contain_text("筛选出")
    rows = page.locator("#matrix tbody tr")
    for n in range(rows.count()):
        expect(rows.nth(n).locator("td.area").first).to_have_text("达到")
    expect(page.get_by_role("link", name="按行政区划")).to_be_visible()  # still by result
    page.get_by_label("县区名称").fill("交城")
    page.get_by_label("建设标准").select_option(label="全部")
    page.get_by_label("县区名称").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("交城县")
    screenshot(page, "23a-comparison-filtered")
    page.get_by_role("link", name="清除筛选").click()
    expect(rows).to_have_count(13)
    first = page.locator("#matrix tbody tr").first
    first.locator("th.area a").click()
    expect(page.locator("#trend-table")).to_be_visible()
    chart(page, "chart-met-by-year", "各年达标指标数")
    screenshot(page, "24-county")


def test_an_indicator_page(leader_page):
    page = leader_page
    page.goto("/indicators/28/")
    expect(page.get_by_role("heading", name="28. 城镇污水处理率")).to_be_visible()
    figure = chart(page, "chart-indicator-28", "各地区历年数值")
    expect(figure).to_contain_text("指标值 95")
    expect(figure.locator(".ytitle")).to_have_text("数值（%）")
    expect(page.locator("#indicator-projects")).to_contain_text("深化城镇污水治理")
    screenshot(page, "25-indicator")
    figure.scroll_into_view_if_needed()
    screenshot(page, "25b-indicator-chart")
    # Each sub-indicator has its own chart, and every one is drawn.
    page.goto("/indicators/7/")
    chart(page, "chart-indicator-7-1", "7.1 优良天数比例")
    second = chart(page, "chart-indicator-7-2", "7.2 PM2.5浓度下降幅度")
    ticks = second.locator(".xtick text").evaluate_all("els => els.map(e => e.textContent)")
    assert ticks == sorted(ticks) and len(ticks) >= 2, ticks


def test_the_investment_page(leader_page):
    page = leader_page
    page.get_by_role("link", name="投资").click()
    expect(page.locator("#table-3")).to_contain_text("生态制度")
    expect(page.locator('#table-3 tr[data-domain="生态制度"]')).to_contain_text("不一致")
    expect(page.locator("#card-top-county .big")).to_have_text("兴县")
    chart(page, "chart-domain-investment", "各领域计划投资（亿元）")
    chart(page, "chart-government-split", "各领域政府与企业投资")
    screenshot(page, "26-investment")
    page.locator("#chart-county-investment").scroll_into_view_if_needed()
    chart(page, "chart-county-investment", "各县（市、区）计划投资")
    screenshot(page, "27-investment-counties")


def test_the_data_quality_page_and_printing(page):
    demo_loaded()
    user_create(username="bureau", password=PASSWORD, role=Role.BUREAU, full_name="李科长")
    log_in(page, "bureau")
    page.get_by_role("link", name="数据核对").click()
    expect(page.locator("#reconcile")).to_contain_text("其中约束性指标22项")
    expect(page.locator("#prose")).to_contain_text("保障一般工业固体废物综合利用率≥80%")
    expect(page.locator("#unresolved")).to_contain_text("其他自然保护地等")
    screenshot(page, "28-quality")
    city_bar = page.locator("#city-bar")
    city_bar.scroll_into_view_if_needed()
    expect(city_bar).to_contain_text("兴县")  # 丘陵区: no group bar for 11.1 yet
    expect(city_bar).to_contain_text("尚未设定丘陵区的标准，暂按全市标准（≥50）判定")
    expect(city_bar).not_to_contain_text("交城县丘陵区")
    screenshot(page, "28b-quality-city-bar")
    page.goto("/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()
    screenshot(page, "29-overview-print", full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_matrix_on_a_phone_on_paper_and_from_the_keyboard(leader_page):
    page = leader_page
    page.goto("/counties/?year=2024")
    # One Tab stop for the whole matrix; the arrow keys move between the cells.
    cells = page.locator("#matrix tbody a[tabindex]")
    expect(page.locator('#matrix tbody a[tabindex="0"]')).to_have_count(1)
    cells.first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("文水县 2 "), focused  # one row down, one column right
    # Printed (A4 landscape, 277 mm ≈ 1047 px at 96 dpi): all 40 indicator columns on the page.
    page.set_viewport_size({"width": 1047, "height": 740})
    page.emulate_media(media="print")
    headers = page.locator("#matrix th.ind")
    expect(headers).to_have_count(40)
    last = headers.nth(39).bounding_box()
    assert last["x"] + last["width"] <= 1047, last
    screenshot(page, "30-comparison-print", full_page=True)
    # On a phone the header stays short, logout stays on screen, the county column stays put.
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 200, header
    logout = page.get_by_role("button", name="退出登录").bounding_box()
    assert logout["x"] + logout["width"] <= 390
    page.locator("#matrix").evaluate("t => t.parentElement.scrollLeft = 600")
    county = page.locator("#matrix tbody th.area").first.bounding_box()
    assert 0 <= county["x"] < 40, county
    screenshot(page, "31-comparison-phone")


def test_the_map_opens_a_county_and_the_county_table_sorts(leader_page):
    page = leader_page
    page.goto("/?year=2024")
    figure = chart(page, "chart-map-status", "建设标准达标情况")
    expect(page.locator("#chart-map-investment .main-svg").first).to_be_visible()
    figure.scroll_into_view_if_needed()
    screenshot(page, "32-overview-maps")
    # Sort the county table by indicators met, highest first (two clicks).
    header = page.locator("#county-table thead th", has_text="达标").first
    header.click()
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    met = page.locator("#county-table tbody tr td:nth-child(2)").all_text_contents()
    assert [int(m) for m in met] == sorted((int(m) for m in met), reverse=True)
    # 兴县's label sits inside its shape: a click there opens its page.
    label = figure.locator(".textpoint text", has_text="兴县")
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] + 8
    page.mouse.click(x, y)
    expect(page).to_have_url("/counties/141123/")


@pytest.mark.parametrize(
    ("url", "name"),
    [("/?year=2024", "33-print-overview"), ("/counties/141122/?year=2024", "34-print-county"),
     ("/investment/", "35-print-investment")],
)  # fmt: skip
def test_printed_pages_clip_no_chart(leader_page, url, name):
    """A4 portrait (190 mm of text ≈ 718 px): every chart is redrawn to the paper's width."""
    page = leader_page
    page.goto(url)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    page.wait_for_timeout(300)  # plotly redraws on the media change
    for chart in page.locator("figure.chart").all():
        box = chart.bounding_box()
        svg = chart.locator(".main-svg").first.bounding_box()
        assert box["x"] + box["width"] <= 718 + 1, (url, box)
        assert svg["x"] + svg["width"] <= box["x"] + box["width"] + 1, (url, svg, box)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 718 + 1, url  # no table runs off the paper
    screenshot(page, name, full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


ROLE_PAGES = {
    "bureau": ["/?year=2024", "/counties/?year=2024", "/counties/141122/", "/indicators/28/",
               "/investment/", "/quality/", "/submissions/"],
    "leader": ["/?year=2024", "/counties/?year=2024", "/counties/141123/", "/investment/"],
    "jiaocheng": ["/?year=2024", "/counties/?year=2024", "/counties/141122/", "/submissions/",
                  "/submissions/141122/2024/"],
}  # fmt: skip


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("role", ["bureau", "leader", "jiaocheng"])
def test_every_role_reads_its_pages_on_a_desktop_and_a_phone(page, role, width):
    """Nothing runs off the side of the screen (wide tables scroll inside their box), the
    header stays short and logging out is always within reach."""
    demo_loaded()
    roles = {"bureau": Role.BUREAU, "leader": Role.LEADERSHIP, "jiaocheng": Role.COUNTY}
    user_create(
        username=role, password=PASSWORD, role=roles[role],
        area=Area.objects.get(code="141122") if role == "jiaocheng" else None,
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 768})
    log_in(page, role)
    for url in ROLE_PAGES[role]:
        page.goto(url)
        expect(page.locator("main h1").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (role, url)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < (200 if width == 390 else 120), (role, url, header)
        logout = page.get_by_role("button", name="退出登录").bounding_box()
        assert logout["x"] + logout["width"] <= width, (role, url)
    screenshot(page, f"36-{role}-{width}")
