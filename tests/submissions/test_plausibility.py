"""Plausibility warnings: shown, asked to be explained, reviewed first; never refused."""

from decimal import Decimal

import pytest

from submissions.catalogue import Current, IndicatorLine, InputSpec, ProgressCurrent, ProgressLine
from submissions.plausibility import progress_warnings, value_warnings
from submissions.reporting import ValueReport
from submissions.services import report_save
from tests.conftest import logged_in

from .helpers import jiaocheng


def line(number, previous=None, *, note="", percent=True, standard="≥50", change=None):
    return IndicatorLine(
        code="29", name="农村生活污水治理率", unit="%", standard=standard, attribute="参考性",
        is_parent=False, rule=None, spec=InputSpec(True, percent=percent),
        current=Current(text=str(number), number=Decimal(number), note=note),
        previous_number=None if previous is None else Decimal(previous), change_percent=change,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("number", "previous", "change", "expected"),
    [
        ("61", "60", None, []),
        ("95", "60", None, ["与上年（60）相差58%，超过±50%"]),
        ("95", "60", Decimal("80"), []),  # the indicator's own setting
        ("0", None, None, ["填报为0%，较少见"]),
        ("100", None, None, ["填报为100%，较少见"]),
    ],
)
def test_it_flags_values_worth_a_second_look(number, previous, change, expected):
    found = [w.message for w in value_warnings(line(number, previous, change=change))]
    assert len(found) == len(expected)
    for message, start in zip(found, expected, strict=True):
        assert message.startswith(start), message


def test_a_standard_of_100_makes_100_usual_and_a_note_counts_as_explained():
    assert value_warnings(line("100", standard="100")) == []
    (warning,) = value_warnings(line("0", note="今年统计口径调整"))
    assert warning.noted


def progress_line(status, amount, *, planned="1,000"):
    return ProgressLine(
        key="4-4-2", row_id=1, domain="生态经济", group="g", subcategory="", content="",
        place="", amount=planned, years="", shared_with=1,
        current=ProgressCurrent(status=status, amount=Decimal(amount)),
    )  # fmt: skip


def test_completed_investment_above_the_plan_is_flagged():
    row = progress_line("在建", "1200")
    (warning,) = progress_warnings(row)
    assert "超过计划投资1000万元" in warning.message
    assert progress_warnings(ProgressLine(**{**row.__dict__, "amount": "--"})) == []


@pytest.mark.django_db
def test_the_form_and_the_review_page_show_the_warnings_unexplained_first(
    jiaocheng_officer, bureau_user
):
    report_save(area=jiaocheng(), year=2024, values=[ValueReport("29", text="40")],
                route="form", user=jiaocheng_officer)  # fmt: skip
    report_save(area=jiaocheng(), year=2025,
                values=[ValueReport("29", text="90"), ValueReport("3", text="0", note="试点")],
                route="form", user=jiaocheng_officer)  # fmt: skip
    form = logged_in(jiaocheng_officer).get("/submissions/141122/2025/form/").content.decode()
    row = form.split('id="row-29"')[1].split("</tr>")[0]
    assert "⚠ 与上年（40）相差125%，超过±50%" in row
    review = logged_in(bureau_user).get("/submissions/141122/2025/").content.decode()
    section = review.split('id="plausibility"')[1].split("</section>")[0]
    assert section.index("29：") < section.index("3：")  # unexplained first
    assert "（已备注说明）" in section and "（未说明）" in section


def test_an_amount_for_a_project_not_started_is_flagged():
    (warning,) = progress_warnings(progress_line("未开工", "30"))
    assert "进展为“未开工”，却填报已完成投资30万元" in warning.message
    assert progress_warnings(progress_line("在建", "30")) == []


@pytest.mark.django_db
def test_the_reviewer_sees_a_shared_row_overrun_across_counties_and_the_counties_do_not(
    jiaocheng_officer, xingxian_officer, bureau_user
):
    from counties.models import Area
    from projects.models import InvestmentRow
    from submissions.reporting import ProgressReport

    row = next(
        r
        for r in InvestmentRow.objects.filter(amount__isnull=False).prefetch_related("counties")
        if {"141122", "141123"} <= {a.code for a in r.counties.all()}
    )
    share = row.amount * Decimal("0.6")  # each below the plan, both together above it
    for code, officer in (("141122", jiaocheng_officer), ("141123", xingxian_officer)):
        progress = [ProgressReport(row.pk, status="在建", amount=str(share))]
        report_save(area=Area.objects.get(code=code), year=2025, user=officer, route="form",
                    progress=progress)  # fmt: skip
    review = logged_in(bureau_user).get("/submissions/141122/2025/").content.decode()
    assert "各县填报的已完成投资合计" in review.split('id="plausibility"')[1]
    own = logged_in(jiaocheng_officer).get("/submissions/141122/2025/").content.decode()
    assert "各县填报的已完成投资合计" not in own  # the sum holds 兴县's unapproved figure
    form = logged_in(jiaocheng_officer).get("/submissions/141122/2025/form/").content.decode()
    assert "各县填报的已完成投资合计" not in form
