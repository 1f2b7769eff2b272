"""A whole reporting year in the browser: the county fills every row of its form with the
keyboard, attaches a PDF and submits; the bureau asks a question, approval waits; the county
answers; the bureau reviews and approves."""

import pytest
from playwright.sync_api import expect

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from indicators.models import IndicatorValue
from projects.models import ProjectProgress
from submissions.models import Evidence, Question, Submission
from submissions.selectors import catalogue
from tests.submissions.helpers import PDF

from .conftest import PASSWORD, log_in, screenshot

pytestmark = pytest.mark.browser
DETAIL = "/submissions/141122/2025/"
FORM = "/submissions/141122/2025/form/"
FIELDS = """Array.from(document.querySelectorAll(
  '#entry-form input[type=text]:not([disabled]), #entry-form select:not([disabled])'
)).map(e => e.name)"""


def fill_every_row_with_the_keyboard(page) -> int:
    """Type into every field from the first, moving on with Enter as a county officer does:
    50 in each number, the first choice of each list, 已完工 and 1 万元 for each project row.
    Returns the number of fields passed."""
    names = page.evaluate(FIELDS)
    page.locator(f'[name="{names[0]}"]').focus()
    for name in names:
        if name.endswith("-text"):
            page.keyboard.type("50")
        elif name.endswith("-choice"):
            page.keyboard.press("ArrowDown")  # the first choice after （未选）
        elif name.endswith("-status"):
            for _ in range(3):  # 未开工, 在建, 已完工
                page.keyboard.press("ArrowDown")
        elif name.endswith("-amount"):
            page.keyboard.type("1")
        expect(page.locator(f'[name="{name}"]')).to_be_focused()
        page.keyboard.press("Enter")
    return len(names)


def test_a_county_reports_its_whole_year_and_the_bureau_questions_and_approves(
    page, browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    area = Area.objects.get(code="141122")
    user_create(
        username="jiaocheng", password=PASSWORD, role=Role.COUNTY, area=area, full_name="张科员"
    )
    user_create(username="reviewer", password=PASSWORD, role=Role.BUREAU, full_name="李审核")
    log_in(page, "jiaocheng")
    page.goto(FORM)
    passed = fill_every_row_with_the_keyboard(page)
    report = tmp_path / "污水处理厂运行报告.pdf"
    report.write_bytes(PDF)
    page.get_by_label("28 附加佐证材料").set_input_files(str(report))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".message.success")).to_contain_text("附加佐证材料 1 个")
    screenshot(page, "50-year-filled")
    book = catalogue(area, 2025)
    assert book.completeness().is_complete, book.completeness().summary
    assert passed > 48 and Evidence.objects.filter(area=area, year=2025).count() == 1
    assert IndicatorValue.objects.get(area=area, year=2025, indicator__code="28").number == 50
    assert ProjectProgress.objects.filter(area=area, year=2025, status="已完工").count() == len(
        book.progress
    )
    # Complete: submitted without the "incomplete" confirmation.
    page.goto(DETAIL)
    expect(page.locator("#completeness")).to_contain_text("已全部填报")
    page.get_by_role("button", name="提交市局审核").click()
    expect(page.locator("#submission-state")).to_have_text("已提交待审核")

    # The bureau asks about 28; approval waits for the answer.
    staff = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    log_in(staff, "reviewer")
    expect(staff).to_have_url(f"{live_server.url}/submissions/todo/")
    staff.get_by_role("link", name="交城县2025年").first.click()
    staff.get_by_label("质询的指标或投资明细").select_option("value:28")
    staff.get_by_label("质询内容").fill("城镇污水处理率50%，较规划基期明显偏低，请核实")
    staff.get_by_role("button", name="提出质询").click()
    expect(staff.locator("#approve-blocked")).to_contain_text("1 个质询等待县区答复")
    expect(staff.locator("form.step-approve")).to_have_count(0)
    staff.locator("#questions").scroll_into_view_if_needed()
    screenshot(staff, "51-question-asked")

    # The county finds it on its to-do page and answers under the row (values stay locked).
    page.goto("/submissions/todo/")
    expect(page.locator("#todo-questions")).to_contain_text("1 个质询待答复")
    page.locator("#todo-questions").get_by_role("link", name="交城县2025年").click()
    expect(page.locator("#form-questions")).to_contain_text("市局对 1 项提出了质询")
    expect(page.get_by_label("28 城镇污水处理率 本年数值")).to_be_disabled()
    answer = page.get_by_label("答复 28 的质询")
    answer.fill("2025年新建管网尚未接入，统计口径为建成区，附运行报告")
    answer.scroll_into_view_if_needed()
    screenshot(page, "52-question-in-form")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".message.success")).to_contain_text("答复质询 1 个")
    assert Question.objects.get().state == Question.State.ANSWERED

    # The bureau reads the answer and approves; approving accepts it.
    staff.goto("/submissions/todo/")
    expect(staff.locator("#todo-questions")).to_contain_text("1 个答复待确认")
    staff.goto(DETAIL)
    expect(staff.locator("#questions")).to_contain_text("新建管网尚未接入")
    expect(staff.locator("#approve-blocked")).to_have_count(0)
    staff.locator("#questions").scroll_into_view_if_needed()
    screenshot(staff, "53-answer-read")
    staff.get_by_role("button", name="审核通过").click()
    expect(staff.locator("#submission-state")).to_have_text("已审核通过（锁定）")
    expect(staff.locator("#questions")).to_contain_text("审核通过时确认答复")
    screenshot(staff, "54-approved", full_page=True)
    assert Submission.objects.get(area=area, year=2025).state == Submission.State.APPROVED
    assert Question.objects.get().state == Question.State.CLOSED
