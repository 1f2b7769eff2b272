"""Reporting periods: due dates, timeliness, the closing date, and each role's to-do page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from submissions.models import ReportingPeriod, Submission, SubmissionEvent
from submissions.reporting import ValueReport
from submissions.services import SubmissionError, report_save
from submissions.timeliness import timeliness
from tests.conftest import logged_in

from .helpers import jiaocheng

pytestmark = pytest.mark.django_db
DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("submitted_on", "today", "label"),
    [
        (date(2026, 3, 31), date(2026, 5, 1), "按时"),  # on the day itself
        (date(2026, 4, 1), date(2026, 5, 1), "逾期提交"),
        (None, date(2026, 4, 1), "逾期未报"),
        (None, date(2026, 3, 31), "未报"),
    ],
)
def test_it_judges_timeliness_against_the_due_date(submitted_on, today, label):
    assert timeliness(due_on=DUE, submitted_on=submitted_on, today=today).label == label
    assert timeliness(due_on=None, submitted_on=submitted_on, today=today).label == "未设截止日期"


def submit(area, year: int, on: date) -> Submission:
    submission = Submission.objects.create(area=area, year=year, state="submitted")
    event = SubmissionEvent.objects.create(
        submission=submission, action="submit", from_state="draft", to_state="submitted"
    )
    moment = timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 10))
    SubmissionEvent.objects.filter(pk=event.pk).update(at=moment)
    return submission


def test_the_list_shows_each_countys_due_date_and_timeliness(bureau_user):
    ReportingPeriod.objects.create(year=2024, due_on=date(2025, 3, 31))
    submit(jiaocheng(), 2024, date(2025, 4, 3))
    page = logged_in(bureau_user).get("/submissions/?year=2024").content.decode()
    row = page.split('data-code="141122"')[1].split("</tr>")[0]
    assert "2025-03-31 · 逾期提交（4月3日提交）" in row
    other = page.split('data-code="141123"')[1].split("</tr>")[0]
    assert "逾期未报" in other  # the date has passed, nothing submitted


def test_after_the_closing_date_a_county_cannot_change_its_year(jiaocheng_officer, bureau_user):
    yesterday = timezone.localdate() - timedelta(days=1)
    ReportingPeriod.objects.create(year=2025, due_on=yesterday, closes_on=yesterday)
    with pytest.raises(SubmissionError, match="关闭"):
        report_save(area=jiaocheng(), year=2025, values=[ValueReport("28", text="96")],
                    route="form", user=jiaocheng_officer)  # fmt: skip
    report_save(area=jiaocheng(), year=2025, values=[ValueReport("28", text="96")],
                route="form", user=bureau_user)  # fmt: skip


def test_a_closed_year_says_so_before_saving_and_refuses_the_counties_submit(
    jiaocheng_officer, bureau_user
):
    yesterday = timezone.localdate() - timedelta(days=1)
    report_save(area=jiaocheng(), year=2025, values=[ValueReport("28", text="96")],
                route="form", user=jiaocheng_officer)  # fmt: skip
    submission = Submission.objects.create(area=jiaocheng(), year=2025)
    ReportingPeriod.objects.create(year=2025, due_on=yesterday, closes_on=yesterday)
    client = logged_in(jiaocheng_officer)
    form = client.get("/submissions/141122/2025/form/").content.decode()
    notice = form.split('id="form-locked"')[1].split("</p>")[0]
    assert "县区填报已于" in notice and "关闭" in notice
    assert 'id="save-draft"' not in form and "disabled" in form.split('id="row-28"')[1]
    detail = client.get("/submissions/141122/2025/").content.decode()
    assert 'id="period-closed"' in detail
    assert "提交市局审核" not in detail and 'id="open-form"' not in detail
    response = client.post("/submissions/141122/2025/submit/", {"incomplete_ok": "1"}, follow=True)
    assert "不能再修改或提交" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT  # refused, with the reason
    # the bureau still corrects and sees no notice
    bureau = logged_in(bureau_user).get("/submissions/141122/2025/form/").content.decode()
    assert 'id="save-draft"' in bureau and "县区填报已于" not in bureau


def test_each_role_lands_on_its_to_do_list(jiaocheng_officer, bureau_user, leader):
    ReportingPeriod.objects.create(year=2024, due_on=date(2025, 3, 31))
    submission = submit(jiaocheng(), 2023, date(2024, 3, 1))
    Submission.objects.filter(pk=submission.pk).update(state="returned", comment="28项缺佐证")
    officer = logged_in(jiaocheng_officer).get("/submissions/todo/").content.decode()
    assert "交城县2023年</a>：28项缺佐证" in officer
    assert "交城县2024年</a>：2025年3月31日前报送" in officer and "逾期未报" in officer
    submit(jiaocheng(), 2025, date(2026, 1, 5))
    bureau = logged_in(bureau_user).get("/submissions/todo/").content.decode()
    assert "交城县2025年</a>，1月5日提交" in bureau.split('id="todo-waiting"')[1]
    assert "兴县2024年" in bureau.split('id="todo-overdue"')[1]
    assert logged_in(leader).get("/submissions/todo/")["Location"] == "/"


def test_logging_in_opens_the_to_do_page(client, jiaocheng_officer):
    jiaocheng_officer.set_password("a-long-password-1")
    jiaocheng_officer.save()
    response = client.post(
        "/login/", {"username": jiaocheng_officer.username, "password": "a-long-password-1"}
    )
    assert response["Location"] == "/submissions/todo/"
