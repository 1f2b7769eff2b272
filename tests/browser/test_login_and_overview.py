import pytest
from playwright.sync_api import expect

from counties.models import Area
from counties.roles import Role
from counties.services import user_create

from .conftest import PASSWORD, screenshot

pytestmark = pytest.mark.browser


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_leader_logs_in_and_reads_the_plan(page):
    user_create(username="leader", password=PASSWORD, role=Role.LEADERSHIP, full_name="王组长")
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    log_in(page, "leader", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text(
        "用户名或密码不正确，请重新输入。注意区分大小写。"
    )
    screenshot(page, "01-login-error")

    log_in(page, "leader")
    expect(page).to_have_url("/")
    page.get_by_role("link", name="规划数据").click()
    expect(page.get_by_role("heading", name="规划数据", exact=True)).to_be_visible()
    expect(page.locator(".headline")).to_contain_text("40 项考核指标，其中约束性 19 项")
    expect(page.locator(".headline")).to_contain_text("计划投资 1,632.90 亿元")
    expect(page.locator(".who")).to_contain_text("王组长（领导小组）")
    expect(page.get_by_role("link", name="管理后台")).to_have_count(0)
    screenshot(page, "02-overview-leader")

    page.locator(".toc").get_by_role("link", name="生态经济").click()
    section = page.locator("#domain-4")
    expect(section.get_by_role("heading", name="4. 生态经济")).to_be_in_viewport()
    expect(section).to_contain_text("清洁能源产业重点项目")
    expect(section).to_contain_text("14,598,039")
    screenshot(page, "03-overview-economy")

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")


def test_a_county_officer_sees_the_plan_and_no_admin(page):
    area = Area.objects.get(code="141122")
    user_create(username="jiaocheng", password=PASSWORD, role=Role.COUNTY, area=area)
    page.goto("/login/")
    log_in(page, "jiaocheng")
    expect(page.locator(".who")).to_contain_text("县区分局·交城县")
    expect(page.get_by_role("link", name="管理后台")).to_have_count(0)
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login/?next=/admin/")


def test_bureau_staff_reach_the_admin_in_chinese(page):
    user_create(username="bureau", password=PASSWORD, role=Role.BUREAU, full_name="李科长")
    page.goto("/login/")
    log_in(page, "bureau")
    page.get_by_role("link", name="管理后台").click()
    expect(page.get_by_role("heading", name="数据管理")).to_be_visible()
    page.get_by_role("link", name="投资明细").first.click()
    expect(page.locator("#result_list")).to_contain_text("吕梁市")
    screenshot(page, "04-admin-investment-rows")


def test_a_leader_reads_which_counties_reach_the_standard(page):
    from indicators.compliance import compliance
    from tests.conftest import demo_loaded

    demo_loaded()
    user_create(username="leader", password=PASSWORD, role=Role.LEADERSHIP)
    page.goto("/login/")
    log_in(page, "leader")
    expect(page.get_by_role("status")).to_contain_text("演示数据")
    # The leadership reads approved years only until it asks for everything reported.
    expect(page.locator("#data-bar")).to_contain_text("仅市局已审核通过的县区年度")
    page.get_by_role("link", name="改看全部上报数据（含未审核）").click()
    expect(page.get_by_role("heading", name="2024年概览")).to_be_visible()
    names = "、".join(compliance(year=2024).goals["reaching_standard"]["names"])
    expect(page.locator("#county-goal")).to_contain_text(names)
    screenshot(page, "05-overview-compliance-2024")

    page.get_by_label("年份").select_option("2022")
    expect(page.get_by_role("heading", name="2022年概览")).to_be_visible()
    expect(page).to_have_url("/?year=2022")
    expect(page.locator("#city-summary")).to_contain_text(
        "吕梁市：达标 29 / 40 项，约束性达标 13 / 19 项"
    )
    page.locator("#county-table").scroll_into_view_if_needed()
    screenshot(page, "06-overview-county-table-2022")
