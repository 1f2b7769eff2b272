# ruff: noqa: E501 (admin form dicts read best on one line)
"""Every route of the submission pages, and who is refused by each."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from counties.models import Area
from submissions import services
from submissions.models import Submission, Upload

from ..conftest import logged_in
from .helpers import GOOD, fill, state, template

pytestmark = pytest.mark.django_db


@pytest.fixture
def jiaocheng_upload(jiaocheng_officer) -> Upload:
    content = fill(template(), GOOD, {"4-4-2": ("在建", 1000, None)})
    upload = services.upload_preview(
        user=jiaocheng_officer,
        area=Area.objects.get(code="141122"),
        year=2025,
        name="交城.xlsx",
        content=content,
    )
    return services.upload_confirm(user=jiaocheng_officer, upload=upload)


def routes(upload: Upload) -> dict[str, str]:
    return {
        "detail": "/submissions/141122/2025/",
        "template": "/submissions/141122/2025/template/",
        "upload page": f"/submissions/uploads/{upload.pk}/",
        "original file": f"/submissions/uploads/{upload.pk}/file/",
        "value history": "/submissions/141122/2025/values/28/",
        "history export": "/submissions/141122/2025/history/",
        "history csv": "/submissions/141122/2025/history/?format=csv",
    }


def test_another_countys_officer_is_refused_by_every_route(xingxian_officer, jiaocheng_upload):
    client = logged_in(xingxian_officer)
    for name, url in routes(jiaocheng_upload).items():
        response = client.get(url)
        assert response.status_code == 403, name
        assert "无权" in response.content.decode(), name
    before = state()
    upload = SimpleUploadedFile("x.xlsx", fill(template(), {"28": (10, None, None)}))
    assert client.post("/submissions/141122/2025/upload/", {"file": upload}).status_code == 403
    assert client.post(f"/submissions/uploads/{jiaocheng_upload.pk}/confirm/").status_code == 403
    for action in ("submit", "approve", "return", "reopen"):
        assert (
            client.post(f"/submissions/141122/2025/{action}/", {"comment": "x"}).status_code == 403
        )
    assert state() == before
    assert Submission.objects.get(area__code="141122").state == "draft"


def test_an_officer_lists_only_their_own_county(jiaocheng_officer, xingxian_officer):
    text = logged_in(xingxian_officer).get("/submissions/?year=2025").content.decode()
    assert 'data-code="141123"' in text and 'data-code="141122"' not in text
    assert "批量审核通过" not in text


def test_bureau_staff_see_the_city_and_every_county_and_can_batch_approve(bureau_user):
    text = logged_in(bureau_user).get("/submissions/?year=2025").content.decode()
    assert text.count("<tr data-code=") == 14 and 'data-code="141100"' in text
    assert "批量审核通过所选县（市、区）" in text


def test_leadership_reads_but_cannot_upload_or_review(leader, jiaocheng_upload):
    client = logged_in(leader)
    assert client.get("/submissions/141122/2025/").status_code == 200
    assert client.get(f"/submissions/uploads/{jiaocheng_upload.pk}/").status_code == 200
    assert client.get("/submissions/141122/2025/template/").status_code == 403
    upload = SimpleUploadedFile("x.xlsx", fill(template(), GOOD))
    assert client.post("/submissions/141122/2025/upload/", {"file": upload}).status_code == 403
    assert client.post("/submissions/141122/2025/approve/").status_code == 403
    assert Submission.objects.get(area__code="141122").state == "draft"


def test_an_anonymous_visitor_sees_nothing(jiaocheng_upload):
    for url in routes(jiaocheng_upload).values():
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_officer_uploads_previews_and_confirms_through_the_pages(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    response = client.get("/submissions/141122/2025/template/")
    content = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == "指标填报"
    filled = SimpleUploadedFile(
        "交城2025.xlsx", fill(content, {**GOOD, "32": ("１２．５", None, None)})
    )
    response = client.post("/submissions/141122/2025/upload/", {"file": filled})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "将新增 <strong>5</strong> 项" in page
    assert 'class="changed" data-code="28"' in page
    assert "96.5 ≥ 95" in page and "已规范：G列“１２．５”按 12.5 读取" in page
    upload = Upload.objects.get()
    response = client.post(f"/submissions/uploads/{upload.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "已保存：新增 5 项，修改 0 项，未变 0 项。" in page
    assert '<span class="status-met">达标</span>' in page


def test_a_bad_file_shows_each_error_with_row_and_column(jiaocheng_officer):
    client = logged_in(jiaocheng_officer)
    bad = SimpleUploadedFile("bad.xlsx", fill(template(), {"28": ("九十", None, None)}))
    response = client.post("/submissions/141122/2025/upload/", {"file": bad}, follow=True)
    page = response.content.decode()
    assert "文件有 1 处错误，没有保存任何数据" in page
    assert "G列：应为数字，实际为“九十”" in page
    assert "确认保存" not in page


def test_a_file_over_the_limit_is_refused_on_the_page(jiaocheng_officer, settings):
    settings.SUBMISSION_MAX_UPLOAD_BYTES = 1000
    client = logged_in(jiaocheng_officer)
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + bytes(5000))
    page = client.post(
        "/submissions/141122/2025/upload/", {"file": big}, follow=True
    ).content.decode()
    assert "文件大小为0.0 MB，超过上限0 MB" in page
    assert not Upload.objects.exists()


def test_the_workflow_through_the_pages(jiaocheng_officer, bureau_user, jiaocheng_upload):
    officer, staff = logged_in(jiaocheng_officer), logged_in(bureau_user)
    officer.post("/submissions/141122/2025/submit/", {"incomplete_ok": "1"})
    page = staff.post(
        "/submissions/141122/2025/return/", {"comment": ""}, follow=True
    ).content.decode()
    assert "退回时须填写退回意见" in page
    staff.post("/submissions/141122/2025/approve/", {"comment": "通过"})
    page = officer.get("/submissions/141122/2025/").content.decode()
    assert "已审核通过（锁定）" in page and "上传并预览" not in page
    upload = SimpleUploadedFile("late.xlsx", fill(template(), {"28": (99, None, None)}))
    page = officer.post(
        "/submissions/141122/2025/upload/", {"file": upload}, follow=True
    ).content.decode()
    assert "已审核通过并锁定，不能修改" in page


def test_the_value_page_shows_its_history(jiaocheng_officer, jiaocheng_upload):
    page = logged_in(jiaocheng_officer).get("/submissions/141122/2025/values/28/").content.decode()
    assert "当前数值：96.5" in page
    assert "<td>数值</td><td>（空）</td><td>96.5</td>" in page
    assert "交城.xlsx" in page


def test_the_history_exports_escape_formulas(jiaocheng_officer):
    notes = {"28": (96.5, None, "+cmd|' /C calc'!A0"), "22": (-4.03, None, "@SUM(1)")}
    upload = services.upload_preview(
        user=jiaocheng_officer,
        area=Area.objects.get(code="141122"),
        year=2025,
        name="f.xlsx",
        content=fill(template(), notes),
    )
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    # A text that Excel would run as a formula cannot come in through the template (formulas
    # are refused there); it may come from elsewhere, so write one directly.
    from submissions.models import ValueChange

    ValueChange.objects.filter(field="备注", indicator__code="28").update(
        new='=HYPERLINK("http://x")'
    )
    client = logged_in(jiaocheng_officer)
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get("/submissions/141122/2025/history/").streaming_content))
    ).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(1)" in cells
    assert "-4.03" in cells  # a plain number stays a number
    text = client.get("/submissions/141122/2025/history/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_the_admin_export_escapes_formulas(bureau_user, jiaocheng_upload):
    from indicators.models import IndicatorValue

    IndicatorValue.objects.filter(indicator__code="28", area__code="141122").update(
        note="+cmd|' /C calc'!A0"
    )
    client = logged_in(bureau_user)
    response = client.post(
        "/admin/indicators/indicatorvalue/export/",
        {
            "format": "0",
            "resource": "0",
            "valueresource_note": "on",
            "valueresource_area": "on",
        },
    )
    assert response.status_code == 200, response.content[:500]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "'+cmd|' /C calc'!A0" in cells


def test_admin_edits_are_recorded_and_refused_in_a_locked_year(bureau_user, jiaocheng_upload):
    from indicators.models import IndicatorValue
    from submissions.models import ValueChange

    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="28")
    client = logged_in(bureau_user)
    url = f"/admin/indicators/indicatorvalue/{value.pk}/change/"
    form = {
        "indicator": value.indicator_id, "area": value.area_id, "year": 2025, "value_text": "98",
        "state": "", "flag": "unknown", "judgement": "", "judgement_printed": "", "note": "",
        "source": "manual", "source_detail": "市局核实",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    change = ValueChange.objects.filter(indicator=value.indicator, field="数值").first()
    assert (change.old, change.new, change.via, change.changed_by) == (
        "96.5",
        "98",
        "admin",
        bureau_user,
    )
    Submission.objects.filter(area__code="141122", year=2025).update(state="approved")
    response = client.post(url, {**form, "value_text": "99"})
    assert "交城县2025年的数据已审核通过并锁定，不能修改" in response.content.decode()
    value.refresh_from_db()
    assert value.value_text == "98"
    delete = f"/admin/indicators/indicatorvalue/{value.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_an_admin_edit_makes_a_pending_preview_stale(
    jiaocheng_officer, bureau_user, jiaocheng_upload
):
    from indicators.models import IndicatorValue

    pending = services.upload_preview(
        user=jiaocheng_officer, area=Area.objects.get(code="141122"), year=2025, name="p.xlsx",
        content=fill(template(), {"28": (90, None, None)}),
    )  # fmt: skip
    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="28")
    form = {"value_text": "95", "state": "", "flag": "unknown", "judgement": "", "judgement_printed": "", "note": "", "source": "manual", "source_detail": "市局核实"}  # fmt: skip
    logged_in(bureau_user).post(f"/admin/indicators/indicatorvalue/{value.pk}/change/", form)
    with pytest.raises(services.SubmissionError, match="已被他人更新"):
        services.upload_confirm(user=jiaocheng_officer, upload=pending)
    value.refresh_from_db()
    assert value.value_text == "95"


def test_the_admin_cannot_move_a_value_to_another_county(bureau_user, jiaocheng_upload):
    from indicators.models import IndicatorValue

    value = IndicatorValue.objects.get(area__code="141122", year=2025, indicator__code="28")
    xingxian = Area.objects.get(code="141123")
    form = {"area": xingxian.pk, "year": 2024, "value_text": "96.5", "state": "", "flag": "unknown", "judgement": "", "judgement_printed": "", "note": "", "source": "upload", "source_detail": ""}  # fmt: skip
    logged_in(bureau_user).post(f"/admin/indicators/indicatorvalue/{value.pk}/change/", form)
    value.refresh_from_db()
    assert (value.area.code, value.year) == ("141122", 2025)


def test_bulk_deletion_in_the_admin_is_recorded_and_refused_in_a_locked_year(
    bureau_user, jiaocheng_upload
):
    from indicators.models import IndicatorValue
    from submissions.models import ValueChange

    values = IndicatorValue.objects.filter(area__code="141122", year=2025)
    ids = [str(v.pk) for v in values]
    client = logged_in(bureau_user)
    Submission.objects.filter(area__code="141122", year=2025).update(state="approved")
    client.post(
        "/admin/indicators/indicatorvalue/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert IndicatorValue.objects.filter(pk__in=ids).count() == len(ids)
    Submission.objects.filter(area__code="141122", year=2025).update(state="draft")
    client.post(
        "/admin/indicators/indicatorvalue/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert not IndicatorValue.objects.filter(pk__in=ids).exists()
    deleted = ValueChange.objects.filter(indicator__code="28", field="数值", via="admin").first()
    assert (deleted.old, deleted.new, deleted.changed_by) == ("96.5", "", bureau_user)


def test_odd_years_in_addresses_are_ignored_not_crashed(leader):
    client = logged_in(leader)
    assert client.get("/submissions/?year=²⁰²⁴").status_code == 200
    assert client.get("/?year=²").status_code == 200


def test_a_progress_import_with_a_bad_year_gets_a_message(bureau_user):
    header = "investment_row,area,year,status,completed_amount,note\n"
    upload = SimpleUploadedFile(
        "p.csv", (header + "1,141122,abc,在建,10,\n").encode(), content_type="text/csv"
    )
    response = logged_in(bureau_user).post(
        "/admin/projects/projectprogress/import/",
        {"resource": "0", "format": "0", "import_file": upload},
    )
    assert response.status_code == 200
    assert "year" in response.content.decode()
    from projects.models import ProjectProgress

    assert not ProjectProgress.objects.exists()
