"""A county corrects and withdraws what it reported, through the pages, while the bureau
corrects a value in between: what the preview promises is what the pages show afterwards."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from counties.models import Area
from counties.roles import Role
from counties.services import user_create

from .conftest import screenshot
from .test_county_submission import PASSWORD, log_in

pytestmark = pytest.mark.browser


def edit(path, tmp_path, name: str, cells: dict[str, tuple]) -> str:
    """cells: code → (G value, I note); None leaves a cell as it is."""
    workbook = load_workbook(path)
    sheet = workbook["指标填报"]
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(4, sheet.max_row + 1)}
    for code, (number, note) in cells.items():
        if number is not None:
            sheet.cell(row=rows[code], column=7).value = number
        if note is not None:
            sheet.cell(row=rows[code], column=9).value = note
    target = tmp_path / name
    workbook.save(target)
    return str(target)


def download(page, tmp_path, name: str):
    page.goto("/submissions/141122/2025/")
    with page.expect_download() as event:
        page.get_by_role("link", name="下载2025年填报模板").click()
    path = tmp_path / name
    event.value.save_as(path)
    return path


def upload(page, path: str) -> None:
    page.goto("/submissions/141122/2025/")
    page.locator('input[type="file"]').set_input_files(path)
    page.get_by_role("button", name="上传并预览").click()


def test_a_county_corrects_withdraws_and_keeps_the_bureaus_correction(page, browser, tmp_path):
    area = Area.objects.get(code="141122")
    user_create(username="jiaocheng", password=PASSWORD, role=Role.COUNTY, area=area)
    user_create(username="bureau", password=PASSWORD, role=Role.BUREAU)
    log_in(page, "jiaocheng")
    page.goto("/submissions/141122/2025/")
    first = download(page, tmp_path, "first.xlsx")
    upload(page, edit(first, tmp_path, "a.xlsx", {"3": (50, None), "29": (61, None)}))
    page.get_by_role("button", name="确认保存").click()

    # The correction: 50 → 10 is previewed and then judged as 10 everywhere.
    second = download(page, tmp_path, "second.xlsx")
    upload(page, edit(second, tmp_path, "b.xlsx", {"3": (10, None)}))
    row = page.locator('#preview-table tr[data-code="3"]')
    expect(row).to_contain_text("数值：50 → 10")
    expect(row).to_contain_text("未达标")
    screenshot(page, "30-correction-preview", full_page=False)
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator('#value-table tr[data-code="3"]')).to_contain_text("10 ＜ 20")
    page.goto("/counties/141122/?year=2025")
    expect(page.get_by_text("10 ＜ 20").first).to_be_visible()

    # The bureau corrects 29 after the county downloaded its third template.
    third = download(page, tmp_path, "third.xlsx")
    staff = browser.new_context(base_url=page.url.split("/counties")[0], locale="zh-CN").new_page()
    log_in(staff, "bureau")
    from indicators.models import IndicatorValue

    record = IndicatorValue.objects.get(area=area, year=2025, indicator__code="29")
    staff.goto(f"/admin/indicators/indicatorvalue/{record.pk}/change/")
    staff.get_by_label("数值").fill("70")
    staff.get_by_label("备注").fill("市局核实后更正")
    staff.get_by_role("button", name="保存", exact=True).click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.context.close()

    # The county withdraws 3 with the old template, which still says 61 for 29.
    upload(page, edit(third, tmp_path, "c.xlsx", {"3": ("撤回", "口径与统计局不一致")}))
    expect(page.locator("#changed-since")).to_contain_text(
        "下载时为“61”，现为“70；市局核实后更正”——保留现值"
    )
    expect(page.locator('#preview-table tr[data-code="3"]')).to_contain_text(
        "理由：口径与统计局不一致"
    )
    page.locator("#blank-rows summary").first.click()
    screenshot(page, "31-withdrawal-and-changed-since", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(page.get_by_role("button", name="确认保存")).to_be_visible()
    expect(page.locator("#changed-since")).to_be_visible()
    screenshot(page, "31b-preview-on-a-phone")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator('#value-table tr[data-code="29"]')).to_contain_text("70")
    expect(page.locator('#value-table tr[data-code="3"]')).to_contain_text("无数据")
    expect(page.locator("#completeness")).to_contain_text("指标已填 1/48 项")
    screenshot(page, "32-completeness-after-withdrawal", full_page=True)
    page.goto("/submissions/141122/2025/values/3/")
    expect(page.locator("#change-table")).to_contain_text("口径与统计局不一致")
    screenshot(page, "33-value-history")
