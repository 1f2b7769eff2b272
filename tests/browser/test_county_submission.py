"""A county officer reports through the pages, as a new user would; staff approve."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from submissions.models import Submission
from tests.submissions.helpers import PDF

from .conftest import PASSWORD, log_in, screenshot

pytestmark = pytest.mark.browser


def fill_template(path, tmp_path):
    workbook = load_workbook(path)
    sheet = workbook["指标填报"]
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(4, sheet.max_row + 1)}
    sheet.cell(row=rows["28"], column=7, value="96.5%")
    sheet.cell(row=rows["29"], column=7, value=42)
    sheet.cell(row=rows["2"], column=8, value="有效开展")
    sheet.cell(row=rows["9"], column=8, value="是")
    sheet.cell(row=rows["37"], column=7, value="８５")
    progress = workbook["项目进展"]
    keys = {str(progress.cell(row=r, column=1).value): r for r in range(4, progress.max_row + 1)}
    progress.cell(row=keys["4-4-2"], column=10, value="在建")
    progress.cell(row=keys["4-4-2"], column=11, value="12,000")
    filled = tmp_path / "交城县2025年填报.xlsx"
    workbook.save(filled)
    return filled


def upload_filled_template(page, tmp_path):
    """On 交城县's 2025 page: download the template, fill it, upload it for a preview."""
    with page.expect_download() as download:
        page.get_by_role("link", name="下载2025年填报模板").click()
    assert download.value.suggested_filename == "交城县2025年填报模板.xlsx"
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    filled = fill_template(template, tmp_path)
    page.get_by_label("上传填好的模板（.xlsx，不超过5 MB）").set_input_files(str(filled))
    page.get_by_role("button", name="上传并预览").click()
    return filled


def test_a_county_officer_reports_and_staff_approve(page, browser, live_server, tmp_path):
    user_create(
        username="jiaocheng",
        password=PASSWORD,
        role=Role.COUNTY,
        area=Area.objects.get(code="141122"),
        full_name="交城分局",
    )
    user_create(username="bureau", password=PASSWORD, role=Role.BUREAU, full_name="市局审核员")
    log_in(page, "jiaocheng")
    page.get_by_role("link", name="县区填报").click()
    page.get_by_label("填报年份").select_option("2025")
    expect(page.locator("#submission-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="查看与填报").click()
    expect(page.get_by_role("heading", name="交城县 2025年填报")).to_be_visible()

    filled = upload_filled_template(page, tmp_path)
    expect(page.locator("#upload-counts")).to_contain_text("将新增 6 项")
    expect(page.locator('#preview-table tr[data-code="28"]')).to_have_class("changed")
    expect(page.locator('#preview-table tr[data-code="28"]')).to_contain_text("96.5 ≥ 95")
    expect(page.locator('#preview-table tr[data-code="29"]')).to_contain_text("未达标")
    expect(page.locator('#preview-table tr[data-code="37"]')).to_contain_text(
        "已规范：G列“８５”按 85 读取"
    )
    screenshot(page, "11-upload-preview", full_page=True)

    page.get_by_role("button", name="确认保存").click()
    expect(page.get_by_role("status").filter(has_text="已保存")).to_contain_text("新增 6 项")
    expect(page.locator('#value-table tr[data-code="28"]')).to_contain_text("达标")
    expect(page.locator('#value-table tr[data-code="29"]')).to_contain_text("42 ＜ 50")
    screenshot(page, "12-county-values")

    page.locator('#value-table tr[data-code="28"]').get_by_role("link", name="查看").click()
    expect(page.locator("#change-table")).to_contain_text("交城县2025年填报.xlsx")

    for url in ("/submissions/141123/2025/", "/submissions/141123/2025/template/"):
        response = page.goto(url)
        assert response.status == 403
        expect(page.get_by_role("alert")).to_contain_text("兴县")
    screenshot(page, "13-other-county-refused")

    page.goto("/submissions/141122/2025/")
    page.get_by_label("确认在缺项的情况下提交").check()
    page.get_by_role("button", name="提交市局审核").click()
    expect(page.locator("#submission-state")).to_have_text("已提交待审核")

    staff_context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server.url
    )
    staff = staff_context.new_page()
    log_in(staff, "bureau")
    staff.goto("/submissions/?year=2025")
    staff.get_by_label("选择交城县").check()
    staff.get_by_role("button", name="批量审核通过所选县（市、区）").click()
    expect(staff.get_by_role("status").filter(has_text="已审核通过")).to_contain_text("交城县")
    screenshot(staff, "14-staff-approved")
    staff_context.close()
    assert Submission.objects.get(area__code="141122", year=2025).state == "approved"

    page.goto("/submissions/141122/2025/")
    expect(page.locator("#submission-state")).to_have_text("已审核通过（锁定）")
    expect(page.get_by_role("button", name="上传并预览")).to_have_count(0)
    response = page.request.post(
        "/submissions/141122/2025/upload/",
        multipart={
            "file": {
                "name": "late.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled.read_bytes(),
            }
        },
        headers={
            "X-CSRFToken": next(
                c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"
            ),
            "Referer": live_server.url,
        },
    )
    # The page offers no upload any more; a forged POST is refused too.
    assert response.ok
    assert "已审核通过并锁定，不能修改" in response.text()
    screenshot(page, "15-locked-no-upload")


def test_a_county_reports_its_year_in_the_browser_form_with_the_keyboard(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user_create(
        username="jiaocheng", password=PASSWORD, role=Role.COUNTY,
        area=Area.objects.get(code="141122"), full_name="张科员",
    )  # fmt: skip
    log_in(page, "jiaocheng")
    page.goto("/submissions/141122/2025/")
    page.get_by_role("link", name="在网页上填报").click()
    expect(page.get_by_role("heading", name="交城县 2025年网页填报")).to_be_visible()
    # Type 28, press Enter: the cursor moves on (to 28's note), the form is not sent.
    value = page.get_by_label("28 城镇污水处理率 本年数值")
    value.fill("九十六")
    value.press("Enter")
    expect(page.get_by_label("28 备注")).to_be_focused()
    page.keyboard.type("住建局年报")
    page.get_by_label("2 党委政府对生态文明建设重大目标任务部署情况 状态或是否完成").select_option(
        "有效开展"
    )
    page.get_by_role("button", name="保存草稿").click()
    # A bad cell: its message beside it, focused, and nothing saved.
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("#row-28 .field-error")).to_contain_text("九十六")
    expect(page.get_by_label("28 城镇污水处理率 本年数值")).to_be_focused()
    screenshot(page, "40-form-error")
    page.get_by_label("28 城镇污水处理率 本年数值").fill("96.5")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".message.success")).to_contain_text("已保存：新增 2 项")
    expect(page.locator("#row-28")).to_contain_text("达标")
    expect(page.locator("#row-2")).to_contain_text("达标")
    page.locator("#row-28").scroll_into_view_if_needed()
    screenshot(page, "41-form-saved")
    # A scanned report attached to 28 with the next draft: listed on its row, in the dossier.
    report = tmp_path / "污水处理厂运行报告.pdf"
    report.write_bytes(PDF)
    page.get_by_label("28 附加佐证材料").set_input_files(str(report))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".message.success")).to_contain_text("附加佐证材料 1 个")
    expect(page.locator("#row-28 td.evidence")).to_contain_text("污水处理厂运行报告")
    page.locator("#row-28").scroll_into_view_if_needed()
    screenshot(page, "42-form-evidence")
    # The same values through the other route: the template downloaded now carries them.
    page.goto("/submissions/141122/2025/")
    expect(page.locator("#completeness")).to_contain_text("2/48")
