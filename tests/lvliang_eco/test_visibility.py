"""Other counties count only once approved: a county officer's pages (aggregates included) read
another county's data only for the years the bureau has approved; bureau staff and the
leadership group see drafts at once.

Personas: 交城县's officer (whose pages must not move), 兴县 (the other county, saving a draft
through the ORM: the write service is not what is tested here), bureau staff and a leader."""

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from counties.access import Visibility, visibility
from counties.models import Area
from indicators.compliance import compliance
from indicators.models import IndicatorValue
from projects.models import InvestmentRow, ProjectProgress
from submissions.catalogue import choice_of
from submissions.models import Submission
from submissions.reporting import ProgressReport, ValueReport
from submissions.services import report_save
from tests.conftest import demo_loaded

from ..conftest import approve_directly, logged_in

pytestmark = pytest.mark.django_db

# Every dashboard page and export 交城县's officer can request (the data-quality page refuses
# them, and must keep refusing the same way).
OFFICER_URLS = [
    "/",
    "/?year=2024",
    "/?year=2023",
    "/counties/",
    "/counties/?year=2024&sort=result",
    "/counties/141122/",
    "/indicators/",
    "/indicators/28/",
    "/indicators/7/",  # sub-indicators 7.1 and 7.2
    "/indicators/12/",
    "/investment/",
    "/quality/",
    "/plan/",
    "/exports/table1.xlsx?area=141122&year=2024",
    "/exports/table1.xlsx?area=141100&year=2024",
    "/exports/table3.xlsx",
    "/submissions/",
    "/submissions/141122/2024/",
]
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')
DRAFT_AMOUNT = Decimal("50000")  # 万元: 5.00 亿元, visible on every total it reaches
NOTE = "其他县（市、区）仅计入市局已审核通过的年度"


@pytest.fixture
def demo(db):
    demo_loaded()


def snapshot(client: Client, url: str):
    """What the user receives: the page with the CSRF tokens blanked (Django masks them anew
    for every response), or a workbook's cell values (the zip carries timestamps)."""
    response = client.get(url)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]
        return response.status_code, cells
    return response.status_code, CSRF.sub(r'\1"', response.content.decode())


def snapshots(user) -> dict:
    client = logged_in(user)  # a fresh session: no year remembered from an earlier round
    return {url: snapshot(client, url) for url in OFFICER_URLS}


def xingxian_saves_a_draft() -> None:
    """兴县 redoes 2023 (returned to it) and 2024 (填报中) with figures that reach the
    construction standard (交城县's, which do), starts 2025 (submitted, not yet reviewed: a
    year nobody else has), and reports a completed amount on a row it never reported on; all
    through the one write path, as its uploads would."""
    jiaocheng, xingxian = Area.objects.get(code="141122"), Area.objects.get(code="141123")
    for year in (2023, 2024):
        own = IndicatorValue.objects.filter(area=xingxian, year=year).select_related("indicator")
        copies = IndicatorValue.objects.filter(area=jiaocheng, year=year).select_related(
            "indicator"
        )
        withdrawn = [ValueReport(v.indicator.code, withdraw=True, reason="重填") for v in own]
        report_save(area=xingxian, year=year, values=withdrawn, route="upload")
        report_save(
            area=xingxian,
            year=year,
            values=[
                ValueReport(
                    v.indicator.code,
                    text="" if v.value_text == choice_of(v.state, v.flag) else v.value_text,
                    choice=choice_of(v.state, v.flag),
                    note=v.note,
                    judgement=v.judgement,
                )
                for v in copies
            ],
            progress=[
                ProgressReport(
                    InvestmentRow.objects.filter(counties=xingxian)
                    .exclude(progress__area=xingxian)
                    .first()
                    .pk,
                    status=ProjectProgress.Status.IN_PROGRESS,
                    amount=str(DRAFT_AMOUNT),
                )
            ]
            if year == 2024
            else [],
            route="upload",
        )
    report_save(area=xingxian, year=2025, values=[ValueReport("28", text="97")], route="upload")
    for year, state in (
        (2023, Submission.State.RETURNED),
        (2024, Submission.State.DRAFT),
        (2025, Submission.State.SUBMITTED),
    ):
        Submission.objects.update_or_create(area=xingxian, year=year, defaults={"state": state})


def approve(code: str, *years: int) -> None:
    approve_directly(code, *years)


def reaching(page: str) -> str:
    """The overview's count of counties reaching the construction standard: `N / 13`."""
    card = re.search(r'id="card-standard">.*?<div class="big">(.*?)</div>', page, re.S)
    return card.group(1)


def matrix_row(page: str, code: str) -> str:
    return re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S).group(1)


def completed_card(page: str) -> str:
    """The investment page's card of completed investment reported by the counties."""
    return re.search(r'id="card-completed">(.*?)</div></div>', page, re.S).group(1)


def yi(amount: Decimal) -> str:
    return f"{amount / 10000:,.2f}"


def test_it_counts_own_county_city_and_approved_years_only():
    officer = Visibility(
        everything=False, own_area_id=2, city_ids=frozenset({1}), approved=frozenset({(3, 2024)})
    )
    cases = [
        ((1, 2024), True),  # the city
        ((2, 2025), True),  # the officer's own county, any state
        ((3, 2024), True),  # another county's approved year
        ((3, 2023), False),  # the same county, a year not approved
        ((4, 2024), False),  # a county with nothing approved
    ]
    for (area_id, year), expected in cases:
        assert officer.counts(area_id, year) is expected, (area_id, year)
        assert Visibility(everything=True).counts(area_id, year)
    assert officer.restricted and not Visibility(everything=True).restricted


def test_it_keeps_an_officers_pages_unmoved_by_another_countys_draft(jiaocheng_officer, demo):
    before = snapshots(jiaocheng_officer)
    assert before["/quality/"][0] == 403
    assert all(status == 200 for url, (status, _) in before.items() if url != "/quality/")
    xingxian_saves_a_draft()
    after = snapshots(jiaocheng_officer)
    for url in OFFICER_URLS:
        assert after[url] == before[url], url


def test_it_tells_an_officer_and_only_an_officer_that_others_count_once_approved(
    jiaocheng_officer, bureau_user, leader, demo
):
    for url in ["/", "/counties/", "/investment/"]:
        assert NOTE in logged_in(jiaocheng_officer).get(url).content.decode(), url
        for user in [bureau_user, leader]:
            assert NOTE not in logged_in(user).get(url).content.decode(), url


def test_it_counts_another_countys_years_once_approved(jiaocheng_officer, demo):
    jiaocheng, xingxian = Area.objects.get(code="141122"), Area.objects.get(code="141123")
    xingxian_saves_a_draft()
    client = logged_in(jiaocheng_officer)
    own = list(ProjectProgress.objects.filter(area=jiaocheng))
    own_total = sum((p.completed_amount or 0 for p in own), Decimal("0"))
    card = completed_card(client.get("/investment/").content.decode())
    assert f"{len(own)} 条项目进展" in card and f"{yi(own_total)} 亿元" in card
    page = client.get("/?year=2024").content.decode()
    assert reaching(page) == "1 / 13"  # 交城县 alone: every other county is unapproved
    assert "兴县" not in re.search(r'<p id="county-goal">(.*?)</p>', page, re.S).group(1)

    approve("141123", 2023, 2024)

    theirs = list(ProjectProgress.objects.filter(area=xingxian, year=2024))
    total = own_total + sum((p.completed_amount or 0 for p in theirs), Decimal("0"))
    card = completed_card(client.get("/investment/").content.decode())
    assert f"{len(own) + len(theirs)} 条项目进展" in card and f"{yi(total)} 亿元" in card
    page = client.get("/?year=2024").content.decode()
    assert reaching(page) == "2 / 13"
    assert "（交城县、兴县）" in re.search(r'<p id="county-goal">(.*?)</p>', page, re.S).group(1)
    assert '<option value="2025"' not in page  # 2025 is only submitted
    row = matrix_row(client.get("/counties/?year=2024").content.decode(), "141123")
    assert '<span class="status-met">达到</span>' in row and "未公开" not in row


@pytest.mark.parametrize("persona", ["bureau_user", "leader"])
def test_it_shows_bureau_and_leadership_a_draft_at_once(request, persona, demo):
    """... once they ask for everything reported (the leadership's default is approved only)."""
    client = logged_in(request.getfixturevalue(persona))
    client.get("/?data=all")
    reports = ProjectProgress.objects.count()
    completed = sum((p.completed_amount or 0 for p in ProjectProgress.objects.all()), Decimal(0))
    count = compliance(year=2024).goals["reaching_standard"]["count"]
    assert reaching(client.get("/?year=2024").content.decode()) == f"{count} / 13"

    xingxian_saves_a_draft()

    card = completed_card(client.get("/investment/").content.decode())
    assert f"{reports + 1} 条项目进展" in card
    assert f"{yi(completed + DRAFT_AMOUNT)} 亿元" in card
    page = client.get("/?year=2024").content.decode()
    assert reaching(page) == f"{count + 1} / 13"
    assert '<option value="2025"' in page
    row = matrix_row(client.get("/counties/?year=2024").content.decode(), "141123")
    assert '<span class="status-met">达到</span>' in row
    # Without a viewer (the compliance command, exports for staff), drafts count too.
    assert "141123" in compliance(year=2024).goals["reaching_standard"]["codes"]


def test_leadership_reads_approved_figures_by_default_and_may_switch_to_all(
    leader, bureau_user, demo
):
    """No county-year is approved in the demo: approved-only counts no county at all."""
    everything = compliance(year=2024).goals["reaching_standard"]["count"]
    assert everything > 0
    client = logged_in(leader)
    page = client.get("/").content.decode()
    assert "仅市局已审核通过的县区年度" in page and "改看全部上报数据（含未审核）" in page
    assert '<div class="big">0 / 13</div>' in page
    page = client.get("/?data=all").content.decode()
    assert "全部上报数据，含未审核的县区年度" in page
    assert f'<div class="big">{everything} / 13</div>' in page
    # The choice is remembered, like the year; the bureau starts from everything reported.
    assert "全部上报数据" in client.get("/counties/").content.decode()
    assert (
        f'<div class="big">{everything} / 13</div>'
        in logged_in(bureau_user).get("/").content.decode()
    )


def test_an_approved_year_counts_for_leadership_once_approved(leader, bureau_user, demo):
    jiaocheng = Area.objects.get(code="141122")
    Submission.objects.create(area=jiaocheng, year=2024, state=Submission.State.APPROVED)
    counts = visibility(leader).counts  # approved years only: 2023's trends do not count
    assert counts(jiaocheng.pk, 2024) and not counts(jiaocheng.pk, 2023)
    approved = compliance(year=2024, area_codes=["141122"], counts=counts).areas[0]
    approved = approved.reaches_standard
    page = logged_in(leader).get("/counties/?year=2024").content.decode()
    row = page.split('data-code="141122"')[1].split("</tr>")[0]
    expected = '"status-met">达到<' if approved else '"status-not_met">未达到<'
    assert expected in row
    other = page.split('data-code="141123"')[1].split("</tr>")[0]
    assert "本年度尚未审核通过，不计入" in other


def test_every_data_page_says_how_recent_its_data_is(leader, jiaocheng_officer, demo):
    latest = IndicatorValue.objects.latest("updated_at").updated_at
    shown = timezone.localtime(latest).strftime("%Y年%-m月%-d日 %H:%M")
    for url in ["/", "/counties/", "/investment/", "/indicators/28/", "/counties/141122/"]:
        page = logged_in(leader).get(f"{url}?data=all").content.decode()
        assert f"数据截至：{shown}" in page, url
    # An officer's date counts what the officer's figures count.
    own = IndicatorValue.objects.filter(area__code__in=["141122", "141100"]).latest("updated_at")
    page = logged_in(jiaocheng_officer).get("/").content.decode()
    assert timezone.localtime(own.updated_at).strftime("%Y年%-m月%-d日 %H:%M") in page
