"""Questions on a value (数值质询): a reviewer asks, the county answers on its form (with a
changed value or a note) or on the county-year page, an unanswered question blocks approval;
every step is kept, and nobody outside the county and the bureau sees or touches them."""

from __future__ import annotations

import html
import re

import pytest
from django.core.exceptions import PermissionDenied

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from indicators.models import IndicatorValue
from submissions import services
from submissions.models import Question, QuestionReply, Submission, ValueChange
from submissions.reporting import ValueReport
from tests.conftest import logged_in

from .helpers import jiaocheng

pytestmark = pytest.mark.django_db
YEAR = 2025
DETAIL = f"/submissions/141122/{YEAR}/"
FORM = f"/submissions/141122/{YEAR}/form/"
ASK = f"/submissions/141122/{YEAR}/questions/"
VALUE = f"/submissions/141122/{YEAR}/values/28/"


def report(officer, text="96.5", code="28", note=""):
    return services.report_save(
        area=jiaocheng(), year=YEAR, values=[ValueReport(code, text=text, note=note)],
        route=ValueChange.Via.FORM, user=officer,
    )  # fmt: skip


def submitted(officer) -> Submission:
    report(officer)
    submission = services.submission_get_or_create(area=jiaocheng(), year=YEAR)
    return services.submission_submit(user=officer, submission=submission, incomplete_ok=True)


def ask(bureau, code="28", text="较上年下降明显，请说明原因", kind="value") -> Question:
    return services.question_ask(
        user=bureau, area=jiaocheng(), year=YEAR, kind=kind, key=code, text=text
    )


def base_of(page: str, prefix: str) -> str:
    return html.unescape(re.search(rf'name="{re.escape(prefix)}-base" value="([^"]*)"', page)[1])


# -- the service ----------------------------------------------------------------------------


def test_it_blocks_approval_until_the_county_answers(bureau_user, jiaocheng_officer):
    submission = submitted(jiaocheng_officer)
    question = ask(bureau_user)
    with pytest.raises(services.SubmissionError, match="还有 1 个质询等待县区答复"):
        services.submission_approve(user=bureau_user, submission=submission)
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.SUBMITTED
    services.question_answer(user=jiaocheng_officer, question=question, text="统计口径调整")
    services.submission_approve(user=bureau_user, submission=submission)
    question.refresh_from_db()
    # Approving accepts the answers given: the question is closed by the approver, recorded.
    assert (question.state, question.closed_by, question.closing_note) == (
        Question.State.CLOSED, bureau_user, "审核通过时确认答复",
    )  # fmt: skip


def test_a_follow_up_blocks_approval_again(bureau_user, jiaocheng_officer):
    submission = submitted(jiaocheng_officer)
    question = ask(bureau_user)
    services.question_answer(user=jiaocheng_officer, question=question, text="见附件")
    services.question_follow_up(user=bureau_user, question=question, text="附件未上传")
    with pytest.raises(services.SubmissionError, match="等待县区答复"):
        services.submission_approve(user=bureau_user, submission=submission)
    services.question_close(user=bureau_user, question=question, note="电话核实")
    services.submission_approve(user=bureau_user, submission=submission)
    kinds = list(question.replies.values_list("kind", "text", "by__username"))
    assert kinds == [
        ("answer", "见附件", "bob-jiaocheng"),
        ("follow_up", "附件未上传", "alice-bureau"),
    ]


def test_a_batch_approval_with_one_open_question_approves_nothing(
    bureau_user, jiaocheng_officer, xingxian_officer
):
    first = submitted(jiaocheng_officer)
    services.report_save(
        area=Area.objects.get(code="141123"), year=YEAR, values=[ValueReport("28", text="97")],
        route=ValueChange.Via.FORM, user=xingxian_officer,
    )  # fmt: skip
    second = services.submission_submit(
        user=xingxian_officer,
        submission=services.submission_get_or_create(
            area=Area.objects.get(code="141123"), year=YEAR
        ),
        incomplete_ok=True,
    )
    ask(bureau_user)
    with pytest.raises(services.SubmissionError, match="交城县2025年还有 1 个质询"):
        services.submissions_approve_many(user=bureau_user, submissions=[second, first])
    states = set(Submission.objects.values_list("state", flat=True))
    assert states == {Submission.State.SUBMITTED}


@pytest.mark.parametrize("persona", ["jiaocheng_officer", "xingxian_officer", "leader"])
def test_only_reviewers_ask_follow_up_or_close(request, persona, bureau_user):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        ask(user)
    question = ask(bureau_user)
    with pytest.raises(PermissionDenied):
        services.question_follow_up(user=user, question=question, text="？")
    with pytest.raises(PermissionDenied):
        services.question_close(user=user, question=question)
    assert Question.objects.get().state == Question.State.OPEN
    assert not QuestionReply.objects.exists()


@pytest.mark.parametrize("persona", ["xingxian_officer", "leader"])
def test_only_the_county_answers(request, persona, bureau_user):
    question = ask(bureau_user)
    with pytest.raises(PermissionDenied):
        services.question_answer(
            user=request.getfixturevalue(persona), question=question, text="代答"
        )
    assert Question.objects.get().state == Question.State.OPEN


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "  "}, "请填写质询内容"),
        ({"text": "长" * 2001}, "最多 2000 字"),
        ({"code": "7"}, "指标“7”不在本年度的填报表中，不能提出质询"),  # a parent
        ({"code": "99"}, "指标“99”不在本年度的填报表中"),
        ({"kind": "progress", "code": "999999"}, "投资明细“999999”不涉及交城县，不能提出质询"),
        ({"kind": "progress", "code": "9" * 40}, "不涉及交城县"),
    ],
)
def test_a_bad_question_says_why_and_keeps_nothing(bureau_user, kwargs, message):
    with pytest.raises(services.SubmissionError, match=message):
        ask(bureau_user, **kwargs)
    assert not Question.objects.exists()


def test_nothing_is_asked_or_answered_on_an_approved_year(bureau_user, jiaocheng_officer):
    submission = submitted(jiaocheng_officer)
    question = ask(bureau_user)
    services.question_close(user=bureau_user, question=question)
    services.submission_approve(user=bureau_user, submission=submission)
    with pytest.raises(services.SubmissionError, match="已审核通过并锁定，不能再提出质询"):
        ask(bureau_user)
    with pytest.raises(services.SubmissionError, match="已关闭"):
        services.question_answer(user=jiaocheng_officer, question=question, text="补充")


def test_a_closed_question_takes_no_more_replies(bureau_user, jiaocheng_officer):
    question = ask(bureau_user)
    services.question_close(user=bureau_user, question=question, note="不再需要")
    for step in (
        lambda: services.question_answer(user=jiaocheng_officer, question=question, text="a"),
        lambda: services.question_follow_up(user=bureau_user, question=question, text="b"),
        lambda: services.question_close(user=bureau_user, question=question),
    ):
        with pytest.raises(services.SubmissionError, match="已关闭"):
            step()
    assert not QuestionReply.objects.exists()


def test_asking_does_not_make_the_reviewer_one_who_entered_the_citys_figures(bureau_user):
    """The city's year is approved by a bureau user who did not enter it: asking a question
    must not count as entering (else nobody but a third user could approve)."""
    city = Area.objects.get(code="141100")
    entering = user_create(username="wang-bureau", password="x-pass-12345", role=Role.BUREAU)
    services.report_save(
        area=city, year=YEAR, values=[ValueReport("28", text="96")],
        route=ValueChange.Via.FORM, user=entering,
    )  # fmt: skip
    submission = services.submission_submit(
        user=entering,
        submission=services.submission_get_or_create(area=city, year=YEAR),
        incomplete_ok=True,
    )
    question = services.question_ask(
        user=bureau_user, area=city, year=YEAR, kind="value", key="28", text="来源？"
    )
    services.question_answer(user=entering, question=question, text="住建局")
    assert bureau_user.pk not in services.entered_by(submission)
    services.submission_approve(user=bureau_user, submission=submission)
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.APPROVED


def test_a_reviewer_cannot_answer_a_question_of_their_own(bureau_user):
    """On the city's year bureau users both report and review: the one who asked (or followed
    up) may not answer, so nobody answers their own question and then approves."""
    city = Area.objects.get(code="141100")
    entering = user_create(username="wang-bureau", password="x-pass-12345", role=Role.BUREAU)
    services.report_save(
        area=city, year=YEAR, values=[ValueReport("28", text="96")],
        route=ValueChange.Via.FORM, user=entering,
    )  # fmt: skip
    question = services.question_ask(
        user=bureau_user, area=city, year=YEAR, kind="value", key="28", text="来源？"
    )
    with pytest.raises(services.SubmissionError, match="不能由您自己答复"):
        services.question_answer(user=bureau_user, question=question, text="自问自答")
    services.question_answer(user=entering, question=question, text="住建局")
    services.question_follow_up(user=entering, question=question, text="再核实")  # now an asker
    with pytest.raises(services.SubmissionError, match="不能由您自己答复"):
        services.question_answer(user=entering, question=question, text="自问自答")
    assert list(question.replies.values_list("kind", flat=True)) == ["answer", "follow_up"]
    # The pages offer the asker no answer box, on the county-year page nor on the form; a
    # posted answer of theirs is not taken.
    client = logged_in(bureau_user)
    detail = client.get("/submissions/141100/2025/").content.decode()
    assert 'class="question-answer"' not in detail and 'class="question-close"' in detail
    form = client.get("/submissions/141100/2025/form/").content.decode()
    assert f'name="q-{question.pk}-answer"' not in form
    refused = client.post(f"/submissions/questions/{question.pk}/answer/", {"text": "自问自答"})
    assert refused.status_code in {302, 400}
    assert question.replies.count() == 2


# -- the pages ------------------------------------------------------------------------------


def test_the_reviewer_asks_on_the_county_year_page_and_sees_approval_blocked(
    bureau_user, jiaocheng_officer
):
    submitted(jiaocheng_officer)
    client = logged_in(bureau_user)
    page = client.get(DETAIL).content.decode()
    assert 'id="question-form"' in page and '<option value="value:28">' in page
    assert 'option value="value:7"' not in page  # a parent takes no value, so no question
    response = client.post(ASK, {"target": "value:28", "text": "为何下降？", "next": DETAIL})
    assert response.status_code == 302 and response["Location"] == DETAIL
    page = client.get(DETAIL).content.decode()
    questions = page.split('id="questions"')[1].split("</section>")[0]
    assert "为何下降？" in questions and "待县区答复" in questions and "28 " in questions
    assert 'id="approve-blocked"' in page and 'class="step-approve"' not in page
    assert 'class="step-return"' in page  # returning the year is still offered
    assert "已提出质询" in page


def test_a_bad_question_on_the_page_says_why(bureau_user):
    client = logged_in(bureau_user)
    client.post(ASK, {"target": "value:28", "text": ""})
    page = client.get(DETAIL).content.decode()
    assert "质询未提出：请填写质询内容" in page and not Question.objects.exists()
    client.post(ASK, {"target": "", "text": "？"})
    assert "请选择要质询的指标或投资明细" in client.get(DETAIL).content.decode()


def test_the_county_answers_under_the_row_together_with_a_corrected_value(
    bureau_user, jiaocheng_officer
):
    report(jiaocheng_officer, text="80")
    question = ask(bureau_user, text="80% 明显偏低，请核实")
    client = logged_in(jiaocheng_officer)
    page = client.get(FORM).content.decode()
    assert 'id="form-questions"' in page and "80% 明显偏低，请核实" in page
    assert f'name="q-{question.pk}-answer"' in page.split('id="v-28-questions"')[1]
    response = client.post(
        FORM, {"v-28-text": "96.5", "v-28-choice": "", "v-28-note": "录入错误已改正",
               "v-28-base": base_of(page, "v-28"), f"q-{question.pk}-answer": "录入时少一位"},
    )  # fmt: skip
    assert response.status_code == 302
    stored = IndicatorValue.objects.get(area__code="141122", year=YEAR, indicator__code="28")
    assert stored.value_text == "96.5"
    question.refresh_from_db()
    assert question.state == Question.State.ANSWERED
    assert question.replies.get().text == "录入时少一位"
    page = client.get(FORM).content.decode()
    assert "答复质询 1 个" in page and "修改 1 项" in page


def test_a_refused_value_keeps_the_answer_unsaved_and_typed(bureau_user, jiaocheng_officer):
    report(jiaocheng_officer, text="80")
    question = ask(bureau_user)
    client = logged_in(jiaocheng_officer)
    page = client.get(FORM).content.decode()
    response = client.post(
        FORM, {"v-28-text": "九十", "v-28-choice": "", "v-28-note": "",
               "v-28-base": base_of(page, "v-28"), f"q-{question.pk}-answer": "已改正"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "全部未保存" in page and ">已改正</textarea>" in page
    assert not QuestionReply.objects.exists()
    assert Question.objects.get().state == Question.State.OPEN
    stored = IndicatorValue.objects.get(area__code="141122", year=YEAR, indicator__code="28")
    assert stored.value_text == "80"


def test_in_review_the_form_takes_answers_but_no_values(bureau_user, jiaocheng_officer):
    submitted(jiaocheng_officer)
    question = ask(bureau_user)
    client = logged_in(jiaocheng_officer)
    page = client.get(FORM).content.decode()
    assert 'id="save-answers"' in page and 'id="save-draft"' not in page
    assert 'name="v-28-base"' not in page  # nothing to change while in review
    response = client.post(FORM, {f"q-{question.pk}-answer": "数据来自住建局年报"})
    assert response.status_code == 302
    assert Question.objects.get().state == Question.State.ANSWERED
    # A value posted anyway is refused, and so is the answer beside it: nothing half-saved.
    other = ask(bureau_user, text="再问")
    posted = {"v-28-text": "99", "v-28-choice": "", "v-28-note": "", "v-28-base": "\x1f\x1f"}
    response = client.post(FORM, {**posted, f"q-{other.pk}-answer": "x"})
    assert response.status_code == 400
    assert "已提交审核，审核期间不能修改" in response.content.decode()
    assert not other.replies.exists()
    stored = IndicatorValue.objects.get(area__code="141122", year=YEAR, indicator__code="28")
    assert stored.value_text == "96.5"


def test_the_county_answers_on_the_value_page_and_the_reviewer_closes(
    bureau_user, jiaocheng_officer
):
    report(jiaocheng_officer)
    question = ask(bureau_user)
    county = logged_in(jiaocheng_officer)
    page = county.get(VALUE).content.decode()
    assert "较上年下降明显" in page and 'class="question-answer"' in page
    assert 'id="question-form"' not in page and 'class="question-close"' not in page
    answer = f"/submissions/questions/{question.pk}/answer/"
    assert county.post(answer, {"text": "口径变化", "next": VALUE})["Location"] == VALUE
    bureau = logged_in(bureau_user)
    page = bureau.get(VALUE).content.decode()
    assert "口径变化" in page and "确认答复并关闭" in page and 'id="question-form"' in page
    bureau.post(f"/submissions/questions/{question.pk}/close/", {"text": "同意"})
    question.refresh_from_db()
    assert (question.state, question.closing_note) == (Question.State.CLOSED, "同意")
    assert "关闭：同意" in bureau.get(DETAIL).content.decode()


@pytest.mark.parametrize("action", ["answer", "follow-up", "close"])
def test_another_countys_officer_gets_403_by_id(bureau_user, xingxian_officer, action):
    question = ask(bureau_user)
    response = logged_in(xingxian_officer).post(
        f"/submissions/questions/{question.pk}/{action}/", {"text": "我来答"}
    )
    assert response.status_code == 403
    assert Question.objects.get().state == Question.State.OPEN
    assert not QuestionReply.objects.exists()


def test_another_countys_officer_sees_no_question_and_asks_none(bureau_user, xingxian_officer):
    ask(bureau_user, text="只给交城看")
    client = logged_in(xingxian_officer)
    for url in (DETAIL, FORM, VALUE):
        response = client.get(url)
        assert response.status_code == 403 and "只给交城看" not in response.content.decode()
    assert client.post(ASK, {"target": "value:28", "text": "?"}).status_code == 403
    todo = client.get("/submissions/todo/").content.decode()
    assert "只给交城看" not in todo and "交城县" not in todo


def test_leadership_reads_questions_but_writes_none(bureau_user, leader):
    question = ask(bureau_user, text="领导可见")
    client = logged_in(leader)
    page = client.get(DETAIL).content.decode()
    section = page.split('id="questions"')[1].split("</section>")[0]
    assert "领导可见" in page and "<form" not in section
    assert client.post(ASK, {"target": "value:28", "text": "?"}).status_code == 403
    for action in ("answer", "follow-up", "close"):
        url = f"/submissions/questions/{question.pk}/{action}/"
        assert client.post(url, {"text": "x"}).status_code == 403
    assert Question.objects.count() == 1 and not QuestionReply.objects.exists()


def test_an_unknown_step_is_not_found(bureau_user):
    question = ask(bureau_user)
    response = logged_in(bureau_user).post(f"/submissions/questions/{question.pk}/delete/")
    assert response.status_code == 404


def test_the_to_do_pages_list_questions_waiting(bureau_user, jiaocheng_officer):
    question = ask(bureau_user)
    county = logged_in(jiaocheng_officer).get("/submissions/todo/").content.decode()
    waiting = county.split('id="todo-questions"')[1].split("</section>")[0]
    assert "交城县2025年" in waiting and "1 个质询待答复" in waiting
    bureau = logged_in(bureau_user).get("/submissions/todo/").content.decode()
    assert "交城县2025年" not in bureau.split('id="todo-questions"')[1].split("</section>")[0]
    services.question_answer(user=jiaocheng_officer, question=question, text="已说明")
    bureau = logged_in(bureau_user).get("/submissions/todo/").content.decode()
    assert "1 个答复待确认" in bureau.split('id="todo-questions"')[1].split("</section>")[0]
    county = logged_in(jiaocheng_officer).get("/submissions/todo/").content.decode()
    assert "没有待答复的质询" in county


def test_the_detail_page_costs_the_same_with_many_questions(
    bureau_user, jiaocheng_officer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(bureau_user)
    ask(bureau_user)
    with CaptureQueriesContext(connection) as one:
        client.get(DETAIL)
    for code in ("1", "3", "28", "30"):
        question = ask(bureau_user, code=code)
        services.question_answer(user=jiaocheng_officer, question=question, text="答")
    with django_assert_max_num_queries(len(one)):
        client.get(DETAIL)
