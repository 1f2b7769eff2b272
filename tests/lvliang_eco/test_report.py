"""The annual implementation report (.docx): its figures are the pages' figures in the same
data scope, it says which data it counts, it opens in LibreOffice, and only the bureau and the
leadership group may download it.

Personas: a leader (approved county-years by default, everything reported on request), bureau
staff, the officers of 交城县 and 兴县 (refused), an anonymous visitor (sent to log in)."""

import html
import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from counties.access import visibility
from counties.models import Area
from indicators.compliance import compliance
from indicators.statuses import Status
from lvliang_eco import report_charts
from lvliang_eco.report import NO_FONT_NOTE
from lvliang_eco.selectors import data_as_of
from submissions.models import ReportingPeriod, Submission, SubmissionEvent
from tests.conftest import demo_loaded

from ..conftest import approve_directly, logged_in

pytestmark = pytest.mark.django_db

URL = "/reports/annual.docx"
CITY = "141100"


@pytest.fixture
def demo(db):
    demo_loaded()


def download(client: Client, query: str = "year=2024"):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response
    return response, Document(io.BytesIO(b"".join(response.streaming_content)))


def table(document, *headers: str) -> list[list[str]]:
    """The body rows of the one table whose header row starts with `headers`."""
    found = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][: len(headers)] == [*headers]
    ]
    assert len(found) == 1, headers
    return [[cell.text for cell in row.cells] for row in found[0].rows[1:]]


def key_figures(document) -> dict[str, str]:
    return dict(table(document, "项目", "数值"))


def text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def page_cells(page: str, element_id: str) -> list[list[str]]:
    """The cells (tags stripped) of each body row of the page's table `element_id`."""
    body = re.search(rf'id="{element_id}".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def big(page: str, card: str) -> str:
    return re.search(rf'id="{card}">.*?<div class="big">(.*?)</div>', page, re.S).group(1)


@pytest.mark.parametrize("scope", ["approved", "all"])
def test_it_reports_the_figures_the_pages_show(leader, demo, scope):
    client = logged_in(leader)
    overview = client.get(f"/?year=2024&data={scope}").content.decode()
    investment = client.get("/investment/").content.decode()
    _, document = download(client, f"year=2024&data={scope}")
    figures = key_figures(document)
    results = compliance(year=2024, counts=visibility(leader, scope).counts)
    city = next(a for a in results.areas if a.area.code == CITY)
    reaching = results.goals["reaching_standard"]

    # The city's indicators met of 40 and binding met.
    assert figures["吕梁市达标指标（项）"] == big(overview, "card-city")
    assert figures["吕梁市达标指标（项）"] == f"{city.summary[Status.MET]} / 40"
    binding = f"{city.summary['binding_met']} / {city.summary['binding_total']}"
    assert figures["约束性指标达标（项）"] == binding
    assert f"约束性达标 {binding}" in overview

    # Counties reaching the standard, and their names.
    assert figures["达到建设标准的县（市、区）"] == big(overview, "card-standard")
    assert figures["达到建设标准的县（市、区）"] == f"{reaching['count']} / 13"
    names = "、".join(reaching["names"])
    assert figures["其中"] == (names or "无")
    if names:
        assert f"（{names}）" in overview
    if scope == "approved":  # nothing is approved in the demo: no county counts
        assert reaching["count"] == 0
    else:
        assert reaching["count"] == compliance(year=2024).goals["reaching_standard"]["count"] > 0

    # The indicators the city misses, with the projects and money behind them.
    missed_page = [row[0] for row in page_cells(overview, "missed-table")]
    missed_doc = table(document, "序号", "指标", "属性", "状态")
    assert [row[0] for row in missed_doc] == missed_page
    assert {row[0] for row in missed_doc} == {
        r.indicator.code for r in city.indicators if r.status != Status.MET
    }
    for doc_row, page_row in zip(missed_doc, page_cells(overview, "missed-table"), strict=True):
        assert doc_row[-1] == page_row[-1]  # 计划投资（万元）

    # Investment by domain against Table 3: the investment page's rows, to the 万元.
    domains_doc = table(document, "领域", "工程", "总投资")
    domains_page = page_cells(investment, "table-3")
    assert [r[0] for r in domains_doc] == [r[0] for r in domains_page]
    for doc_row, page_row in zip(domains_doc, domains_page, strict=True):
        # 领域, 工程 (the page leaves the total's blank), total, share, government, Table 3's
        assert doc_row[0] == page_row[0] and doc_row[2] == page_row[3], doc_row
        assert doc_row[1] == page_row[1] or page_row[0] == "合计"
        assert doc_row[3:5] == page_row[4:6]
        assert doc_row[5:7] == page_row[7:9]
    assert figures["规划重点工程计划投资（亿元）"] in big(investment, "card-total")


def test_its_progress_toward_the_targets_is_the_indicator_pages(leader, demo):
    client = logged_in(leader)
    _, document = download(client, "year=2024&data=all")
    rows = table(document, "序号", "指标", "现状值", "2025年目标")
    assert {"退步", "按期可达"} <= {cell.split("\n")[0] for row in rows for cell in row}
    for row in rows:
        code = row[0].split(".")[0]
        page = client.get(f"/indicators/{code}/?year=2024").content.decode()
        line = re.search(rf'<tr data-code="{re.escape(row[0])}">(.*?)</tr>', page, re.S).group(1)
        shown = [re.search(r"<strong>(.*?)</strong>", cell) for cell in line.split("<td>")[-2:]]
        expected = [found.group(1) if found else "—" for found in shown]
        assert [row[4].split("\n")[0], row[6].split("\n")[0]] == expected, row[0]


def test_an_approved_county_year_counts_in_the_approved_scope(leader, demo):
    jiaocheng = Area.objects.get(code="141122")
    approve_directly("141122", 2024)
    _, document = download(logged_in(leader), "year=2024&data=approved")
    # Its unapproved 2023 does not count either (trend indicators then have no previous year).
    counts = visibility(leader, "approved").counts
    expected = next(a for a in compliance(year=2024, counts=counts).areas if a.area == jiaocheng)
    counties = {row[0]: row for row in table(document, "县（市、区）", "达标", "未达标")}
    assert counties["交城县"][1] == str(expected.summary[Status.MET])
    assert counties["交城县"][-1] == ("达到" if expected.reaches_standard else "未达到")
    assert counties["兴县"][-1] == "本年度尚未审核通过，不计入"
    assert key_figures(document)["其中"] == ("交城县" if expected.reaches_standard else "无")
    reporting = {row[0]: row for row in table(document, "县（市、区）", "填报状态")}
    assert reporting["交城县"][1] == "已审核通过（锁定）"
    assert reporting["兴县"][2] == "未审核，不计入"


def test_it_says_which_data_it_counts_and_how_recent(leader, demo):
    client = logged_in(leader)
    response, document = download(client, "year=2024&data=approved")
    words = text(document)
    assert "数据范围：仅市局已审核通过的县区年度（未审核的县区数据不计入任何数字）" in words
    as_of = timezone.localtime(data_as_of(visibility(leader, "approved")))
    assert f"数据截至：{as_of:%Y}年{as_of.month}月{as_of.day}日 {as_of:%H:%M}" in words
    assert "当前数据含演示数据" in words
    assert quote("（仅已审核数据）.docx") in response["Content-Disposition"]
    response, document = download(client, "year=2024&data=all")
    assert "数据范围：全部上报数据，含未审核的县区年度" in text(document)
    assert quote("（全部上报数据）.docx") in response["Content-Disposition"]


def test_it_reports_when_each_county_submitted_and_was_approved(bureau_user, demo):
    xingxian = Area.objects.get(code="141123")
    submission = Submission.objects.create(
        area=xingxian, year=2024, state=Submission.State.APPROVED
    )
    steps = [("submit", "draft", "submitted"), ("return", "submitted", "returned"),
             ("submit", "returned", "submitted"), ("approve", "submitted", "approved")]  # fmt: skip
    start = timezone.make_aware(timezone.datetime(2025, 1, 20, 9, 30))
    for day, (action, before, after) in enumerate(steps):
        event = SubmissionEvent.objects.create(
            submission=submission, action=action, from_state=before, to_state=after
        )
        SubmissionEvent.objects.filter(pk=event.pk).update(at=start + timedelta(days=day))
    _, document = download(logged_in(bureau_user))
    row = {r[0]: r for r in table(document, "县（市、区）", "填报状态")}["兴县"]
    assert row[1:] == ["已审核通过（锁定）", row[2], "2025年1月20日 09:30", "未设截止日期", "20",
                       "2025年1月23日 09:30", "1"]  # fmt: skip
    assert re.fullmatch(r"\d+/40", row[2])


def test_its_charts_are_images_and_its_tables_word_tables(bureau_user, demo):
    _, document = download(logged_in(bureau_user))
    assert len(document.inline_shapes) == 4
    for shape in document.inline_shapes:
        blob = document.part.related_parts[
            shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        ]
        assert blob.blob.startswith(b"\x89PNG")
    assert len(document.tables) == 8
    assert "吕梁市生态文明建设示范区\n2024年度规划实施评估报告" in text(document)
    assert len(table(document, "序号", "指标名称")) > 40  # the 40 indicators and their subs


def test_without_a_chinese_font_the_charts_give_way_to_a_note(bureau_user, demo, monkeypatch):
    monkeypatch.setattr(report_charts, "cjk_font", lambda: None)
    _, document = download(logged_in(bureau_user))
    assert len(document.inline_shapes) == 0
    assert text(document).count(NO_FONT_NOTE) == 4
    assert len(document.tables) == 8


def test_a_year_without_data_falls_back_to_the_latest(bureau_user, demo):
    client = logged_in(bureau_user)
    for query in ["year=1999", "year=abc", ""]:
        _, document = download(client, query)
        assert "2024年度规划实施评估报告" in text(document), query
    _, document = download(client, "year=2022")
    assert "2022年度规划实施评估报告" in text(document)


@pytest.mark.parametrize("persona", ["bureau_user", "leader"])
def test_bureau_and_leadership_download_it_from_the_overview(request, persona, demo):
    client = logged_in(request.getfixturevalue(persona))
    page = client.get("/?year=2024").content.decode()
    assert 'href="/reports/annual.docx?year=2024"' in page
    response = client.get(f"{URL}?year=2024")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("persona", ["jiaocheng_officer", "xingxian_officer"])
def test_a_county_officer_is_refused_in_chinese(request, persona, demo):
    client = logged_in(request.getfixturevalue(persona))
    response = client.get(f"{URL}?year=2024")
    assert response.status_code == 403
    assert "年度实施评估报告仅供市局和领导小组下载" in response.content.decode()
    assert "annual.docx" not in client.get("/?year=2024").content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in():
    response = Client().get(f"{URL}?year=2024")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_it_opens_in_libreoffice(bureau_user, demo, tmp_path):
    response = logged_in(bureau_user).get(f"{URL}?year=2024")
    source = tmp_path / "report.docx"
    source.write_bytes(b"".join(response.streaming_content))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 100_000  # four chart images and eight tables
    if shutil.which("pdftotext"):
        words = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.replace(" ", "")  # pdftotext spaces digits off Chinese
        assert "2024年度规划实施评估报告" in words  # Chinese text, not boxes or blanks
        assert "达到建设标准的县（市、区）" in words
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        assert list(tmp_path.glob("page*.png"))


def test_it_judges_timeliness_against_the_bureaus_due_date(bureau_user, demo):
    ReportingPeriod.objects.create(year=2024, due_on=date(2025, 1, 15))
    for code, day in (("141123", 20), ("141122", 10)):
        submission = Submission.objects.create(
            area=Area.objects.get(code=code), year=2024, state=Submission.State.SUBMITTED
        )
        event = SubmissionEvent.objects.create(
            submission=submission, action="submit", from_state="draft", to_state="submitted"
        )
        moment = timezone.make_aware(timezone.datetime(2025, 1, day, 9, 30))
        SubmissionEvent.objects.filter(pk=event.pk).update(at=moment)
    _, document = download(logged_in(bureau_user))
    rows = {r[0]: r for r in table(document, "县（市、区）", "填报状态")}
    assert rows["兴县"][4] == "逾期提交" and rows["交城县"][4] == "按时"
    assert rows["汾阳市"][4] == "逾期未报"
    assert "市局规定2024年数据于2025年1月15日前报送，1个按时首次提交" in text(document)
