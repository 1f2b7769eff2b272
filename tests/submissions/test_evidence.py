"""Supporting documents (佐证材料): checked by content, attached through the form or the value
page, served only to those who may see the value, deletable by the uploader until review, kept
in the history, and gathered in the county-year's dossier."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue
from submissions import services
from submissions.evidence import EvidenceRefused, evidence_check, kind_of
from submissions.models import Evidence, Submission, ValueChange
from tests.conftest import logged_in

from .helpers import PDF, PNG, docx, jiaocheng, xlsx

YEAR = 2025
FORM = f"/submissions/141122/{YEAR}/form/"
ATTACH = f"/submissions/141122/{YEAR}/evidence/"
DOSSIER = f"/submissions/141122/{YEAR}/dossier.zip"
# LibreOffice's CSV filter: comma, quote, UTF-8, …, the second sheet (指标) only.
CSV_OPTIONS = "44,34,76,1,,0,false,true,false,false,false,2"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def attach(user, code="28", name="监测报告.pdf", content=PDF, area=None, year=YEAR):
    return services.evidence_attach(
        user=user, area=area or jiaocheng(), year=year,
        files=[services.EvidenceFile("value", code, name, content)],
    )[0]  # fmt: skip


# -- what is accepted -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "pdf"), (PNG, "png"), (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"), (docx(), "docx"),
     (xlsx(), "xlsx")],
)  # fmt: skip
def test_it_tells_the_type_by_content(content, kind):
    assert kind_of(content) == kind
    checked = evidence_check("随便叫什么.bin", content)
    assert (checked.kind, checked.size) == (kind, len(content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("报告.pdf", b"MZ\x90\x00 a program", "不是可接受的文件类型"),
        ("照片.jpg", b"<html><script>alert(1)</script>", "不是可接受的文件类型"),
        ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Office/WPS 格式"),
        ("压缩包.docx", b"PK\x03\x04 not really a zip", "不是可接受的文件类型"),
        ("空.pdf", b"", "是空文件"),
    ],
)
def test_it_refuses_what_is_not_a_document_whatever_its_name(name, content, expected):
    with pytest.raises(EvidenceRefused) as refused:
        evidence_check(name, content)
    assert f"佐证材料“{name}”" in str(refused.value) and expected in str(refused.value)


def test_a_zip_that_is_neither_workbook_nor_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("readme.txt", "hello")
    with pytest.raises(EvidenceRefused):
        evidence_check("材料.xlsx", buffer.getvalue())


@given(st.binary(min_size=1, max_size=64))
def test_bytes_without_a_known_signature_are_refused(content):
    if content.startswith((b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04")):
        return
    with pytest.raises(EvidenceRefused):
        evidence_check("x.pdf", content)


def test_a_file_over_the_limit_is_refused_with_the_sizes(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(EvidenceRefused, match=r"超过 0\.0 MB 的上限"):
        evidence_check("扫描件.pdf", PDF + b" " * 100)


# -- attaching through the form, with the values, all or nothing ----------------------------


@pytest.mark.django_db
def test_the_form_saves_a_value_and_its_document_together(jiaocheng_officer, media):
    client = logged_in(jiaocheng_officer)
    response = client.post(FORM, {
        "v-28-text": "75", "v-28-choice": "", "v-28-note": "", "v-28-base": "\x1f\x1f",
        "v-28-evidence": SimpleUploadedFile("监测报告.pdf", PDF, "application/octet-stream"),
    })  # fmt: skip
    assert response.status_code == 302
    value = IndicatorValue.objects.get(area=jiaocheng(), year=YEAR, indicator__code="28")
    assert value.value_text == "75"
    (document,) = Evidence.objects.filter(area=jiaocheng(), year=YEAR)
    assert (document.indicator.code, document.original_name, document.kind) == (
        "28", "监测报告.pdf", "pdf",
    )  # fmt: skip
    assert document.file.name.startswith(f"evidence/141122/{YEAR}/")
    assert "监测报告" not in document.file.name  # generated, not the county's name
    assert Path(document.file.path).read_bytes() == PDF
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    change = ValueChange.objects.get(evidence=document)
    assert (change.field, change.old, change.via, change.changed_by) == (
        "佐证材料", "", ValueChange.Via.FORM, jiaocheng_officer,
    )  # fmt: skip
    assert change.new.startswith("监测报告.pdf（")
    page = client.get(FORM).content.decode()
    row = page.split('id="row-28"')[1].split("</tr>")[0]
    assert f"/submissions/evidence/{document.pk}/" in row and "监测报告.pdf" in row
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.django_db
def test_a_refused_document_saves_nothing_not_even_the_values(jiaocheng_officer, media):
    client = logged_in(jiaocheng_officer)
    response = client.post(FORM, {
        "v-28-text": "75", "v-28-choice": "", "v-28-note": "", "v-28-base": "\x1f\x1f",
        "v-28-evidence": SimpleUploadedFile("报告.pdf", b"MZ not a pdf"),
        "v-29-evidence": SimpleUploadedFile("照片.png", PNG),
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    row = page.split('id="row-28"')[1].split("</tr>")[0]
    assert "佐证材料“报告.pdf”不是可接受的文件类型" in row
    assert 'id="v-28-evidence-error"' in row
    assert not IndicatorValue.objects.filter(area=jiaocheng(), year=YEAR, indicator__code="28")
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_refused_value_keeps_the_documents_out_and_says_to_choose_them_again(
    jiaocheng_officer, media
):
    response = logged_in(jiaocheng_officer).post(FORM, {
        "v-28-text": "很多", "v-28-choice": "", "v-28-note": "", "v-28-base": "\x1f\x1f",
        "v-29-evidence": SimpleUploadedFile("照片.png", PNG),
    })  # fmt: skip
    assert response.status_code == 400
    assert "已选择的佐证材料也未保存，改正后请重新选择文件" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_too_many_files_in_one_save_are_refused(jiaocheng_officer, settings, media):
    settings.EVIDENCE_MAX_FILES_PER_SAVE = 2
    files = [services.EvidenceFile("value", "28", f"{i}.pdf", PDF) for i in range(3)]
    with pytest.raises(services.SubmissionError, match="一次最多附加 2 个佐证材料"):
        services.evidence_attach(user=jiaocheng_officer, area=jiaocheng(), year=YEAR, files=files)
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_parent_indicator_or_another_countys_row_takes_no_document(jiaocheng_officer):
    from projects.models import InvestmentRow

    with pytest.raises(services.SubmissionError, match="不在本年度的填报表中"):
        attach(jiaocheng_officer, code="7")  # filled through its sub-indicators
    elsewhere = InvestmentRow.objects.exclude(counties__code="141122").first()
    with pytest.raises(services.SubmissionError, match="不涉及交城县"):
        services.evidence_attach(
            user=jiaocheng_officer, area=jiaocheng(), year=YEAR,
            files=[services.EvidenceFile("progress", elsewhere.pk, "a.pdf", PDF)],
        )  # fmt: skip
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_quota_counts_documents_too(jiaocheng_officer, settings):
    settings.SUBMISSION_USER_QUOTA_BYTES = len(PDF) * 2
    attach(jiaocheng_officer)
    attach(jiaocheng_officer)
    with pytest.raises(services.SubmissionError, match="上传文件和佐证材料已占用"):
        attach(jiaocheng_officer)


# -- the value page, downloads, deletion ----------------------------------------------------


@pytest.mark.django_db
def test_the_value_page_attaches_and_lists_documents(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    page_url = f"/submissions/141122/{YEAR}/values/28/"
    response = client.post(ATTACH, {
        "target": "value:28", "next": page_url, "file": SimpleUploadedFile("现场照片.png", PNG),
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == page_url
    page = client.get(page_url).content.decode()
    section = page.split('id="evidence"')[1].split("</section>")[0]
    assert "现场照片.png" in section and "删除" in section
    history = page.split('id="change-table"')[1]
    assert "佐证材料" in history and "现场照片.png" in history


@pytest.mark.django_db
def test_a_foreign_next_is_not_followed(jiaocheng_officer):
    response = logged_in(jiaocheng_officer).post(ATTACH, {
        "target": "value:28", "next": "https://evil.example/",
        "file": SimpleUploadedFile("a.png", PNG),
    })  # fmt: skip
    assert response["Location"] == f"/submissions/141122/{YEAR}/"


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [
    ("jiaocheng_officer", 200), ("bureau_user", 200), ("leader", 200), ("xingxian_officer", 403),
])  # fmt: skip
def test_a_document_is_served_only_to_those_who_may_see_the_value(
    request, jiaocheng_officer, persona, status
):
    document = attach(jiaocheng_officer)
    response = logged_in(request.getfixturevalue(persona)).get(
        f"/submissions/evidence/{document.pk}/"
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("inline")


@pytest.mark.django_db
def test_an_office_file_is_downloaded_and_an_anonymous_visitor_logs_in(client, jiaocheng_officer):
    document = attach(jiaocheng_officer, name="台账.xlsx", content=xlsx())
    response = logged_in(jiaocheng_officer).get(f"/submissions/evidence/{document.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert client.get(f"/submissions/evidence/{document.pk}/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["xingxian_officer", "leader"])
def test_another_county_and_the_leadership_cannot_attach(request, persona):
    client = logged_in(request.getfixturevalue(persona))
    response = client.post(ATTACH, {"target": "value:28", "file": SimpleUploadedFile("a.png", PNG)})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_uploader_deletes_and_the_history_keeps_it(jiaocheng_officer, bureau_user, media):
    document = attach(jiaocheng_officer)
    other = attach(bureau_user, name="市局补充.pdf")
    url = f"/submissions/evidence/{document.pk}/delete/"
    assert logged_in(bureau_user).post(url).status_code == 403  # not the uploader
    assert (
        logged_in(jiaocheng_officer).post(f"/submissions/evidence/{other.pk}/delete/").status_code
        == 403
    )
    assert logged_in(jiaocheng_officer).post(url).status_code == 302
    document.refresh_from_db()
    assert document.is_deleted and document.deleted_by == jiaocheng_officer
    assert Path(document.file.path).exists()  # kept for the history
    removal = ValueChange.objects.get(evidence=document, new="")
    assert (removal.old, removal.comment) == ("监测报告.pdf", "删除佐证材料")
    # Gone from the county's view, still open to the reviewers.
    assert (
        logged_in(jiaocheng_officer).get(f"/submissions/evidence/{document.pk}/").status_code == 404
    )
    assert logged_in(bureau_user).get(f"/submissions/evidence/{document.pk}/").status_code == 200
    assert logged_in(jiaocheng_officer).post(url).status_code == 404  # a second time


@pytest.mark.django_db
def test_another_county_cannot_delete_by_id(jiaocheng_officer, xingxian_officer):
    document = attach(jiaocheng_officer)
    response = logged_in(xingxian_officer).post(f"/submissions/evidence/{document.pk}/delete/")
    assert response.status_code == 403
    document.refresh_from_db()
    assert not document.is_deleted


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Submission.State.SUBMITTED, Submission.State.APPROVED])
def test_nothing_is_attached_or_deleted_in_review_or_after_approval(
    jiaocheng_officer, media, state
):
    document = attach(jiaocheng_officer)
    Submission.objects.filter(area=jiaocheng(), year=YEAR).update(state=state)
    before = stored_files(media)
    with pytest.raises(services.SubmissionError):
        attach(jiaocheng_officer, name="迟到.pdf")
    with pytest.raises(services.SubmissionError):
        services.evidence_delete(user=jiaocheng_officer, evidence=document)
    assert stored_files(media) == before and Evidence.objects.count() == 1
    page = logged_in(jiaocheng_officer).get(f"/submissions/141122/{YEAR}/values/28/")
    assert 'id="evidence-form"' not in page.content.decode()
    assert "删除佐证材料" not in page.content.decode()


# -- the dossier -----------------------------------------------------------------------------


def dossier_of(client) -> zipfile.ZipFile:
    response = client.get(DOSSIER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_the_dossier_holds_a_folder_per_indicator_and_an_index_of_all(jiaocheng_officer):
    from projects.models import InvestmentRow

    attach(jiaocheng_officer, code="28", name="监测报告.pdf")
    attach(jiaocheng_officer, code="28", name="监测报告.pdf")  # the same name twice
    attach(jiaocheng_officer, code="2", name="会议纪要.docx", content=docx())
    gone = attach(jiaocheng_officer, code="29", name="作废.png", content=PNG)
    services.evidence_delete(user=jiaocheng_officer, evidence=gone)
    row = InvestmentRow.objects.filter(counties__code="141122").first()
    services.evidence_attach(
        user=jiaocheng_officer, area=jiaocheng(), year=YEAR,
        files=[services.EvidenceFile("progress", row.pk, "进度照片.png", PNG)],
    )  # fmt: skip
    bundle = dossier_of(logged_in(jiaocheng_officer))
    files = [n for n in bundle.namelist() if n != "目录.xlsx"]
    assert len(files) == Evidence.objects.filter(deleted_at__isnull=True).count() == 4
    name_28 = Indicator.objects.get(code="28").display_name
    assert any(n.startswith(f"28 {name_28[:10]}") and n.endswith("监测报告 (2).pdf") for n in files)
    assert any(n.startswith("项目进展/") and n.endswith("进度照片.png") for n in files)
    assert not any("作废" in n for n in files)
    assert bundle.read(next(n for n in files if n.endswith("监测报告.pdf"))) == PDF
    index = load_workbook(io.BytesIO(bundle.read("目录.xlsx")))
    sheet = index["指标"]
    codes = [str(r[0].value) for r in sheet.iter_rows(min_row=2)]
    assert {i.code for i in Indicator.objects.filter(parent__isnull=True)} <= set(codes)
    by_code = {str(r[0].value): [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    assert by_code["28"][10] == 2 and by_code["40"][10] == 0
    assert by_code["28"][8]  # the status every page computes
    assert index["项目进展"].max_row >= 2


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [
    ("xingxian_officer", 403), ("leader", 200), ("bureau_user", 200),
])  # fmt: skip
def test_the_dossier_is_for_those_who_may_see_the_county(request, persona, status):
    assert logged_in(request.getfixturevalue(persona)).get(DOSSIER).status_code == status


@pytest.mark.django_db
def test_the_county_year_page_lists_documents_and_links_the_dossier(
    jiaocheng_officer, xingxian_officer
):
    attach(jiaocheng_officer)
    page = logged_in(jiaocheng_officer).get(f"/submissions/141122/{YEAR}/").content.decode()
    section = page.split('id="evidence"')[1].split("</section>")[0]
    assert "佐证材料（1）" in section and "监测报告.pdf" in section and "dossier.zip" in section
    assert logged_in(xingxian_officer).get(f"/submissions/141122/{YEAR}/").status_code == 403


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_the_dossier_index_opens_in_libreoffice_with_all_40_indicators(jiaocheng_officer, tmp_path):
    attach(jiaocheng_officer)
    bundle = dossier_of(logged_in(jiaocheng_officer))
    folder = tmp_path / "dossier"
    bundle.extractall(folder)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}",
         "--outdir", str(tmp_path / "csv"), str(folder / "目录.xlsx")],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    sheet = next((tmp_path / "csv").glob("*指标*.csv"))
    rows = list(csv.reader(sheet.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:3] == ["编码", "指标", "单位"]
    codes = {row[0] for row in rows[1:]}
    assert {str(n) for n in range(1, 41)} <= codes
    assert len(list((folder).rglob("*.pdf"))) == 1
