# ruff: noqa: E501 (admin form dicts read best on one line)
"""What a user of each route does that the first write never tries: blank rows, notes as
browsers and Excel write them, exported files imported back, duplicates, a template
downloaded before someone else's correction."""

from __future__ import annotations

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from indicators.models import Indicator, IndicatorValue
from submissions import services
from submissions.models import Submission, Upload, ValueChange
from submissions.reporting import BLANK_REPORT
from submissions.resources import ValueResource
from tests.conftest import logged_in

from .helpers import fill, jiaocheng, template

pytestmark = pytest.mark.django_db

HEADERS = ["area", "year", "indicator", "value_text", "choice", "note", "judgement"]


def preview(user, content: bytes, year: int = 2025) -> Upload:
    return services.upload_preview(
        user=user, area=jiaocheng(), year=year, name="表.xlsx", content=content
    )


def saved(user, values: dict, year: int = 2025) -> Upload:
    upload = preview(user, fill(template(year=year), values), year)
    assert upload.status == Upload.Status.PREVIEW, upload.errors
    return services.upload_confirm(user=user, upload=upload)


def value(code: str, year: int = 2025) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(
        area__code="141122", year=year, indicator__code=code
    ).first()


def admin_edit(client, code: str, **fields):
    record = value(code)
    form = {"value_text": "", "choice": "", "note": "", "judgement": "", **fields}
    if record is None:
        form.update(area=jiaocheng().pk, year=2025, indicator=Indicator.objects.get(code=code).pk)
        return client.post("/admin/indicators/indicatorvalue/add/", form)
    return client.post(f"/admin/indicators/indicatorvalue/{record.pk}/change/", form)


def import_rows(user, rows: list[list], *, dry_run: bool = False):
    data = tablib.Dataset(headers=HEADERS)
    for row in rows:
        data.append(row)
    return ValueResource().import_data(data, dry_run=dry_run, user=user)


def messages(result) -> list[str]:
    return [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]


def test_a_report_without_a_value_or_choice_is_refused_by_every_route(
    jiaocheng_officer, bureau_user
):
    client = logged_in(bureau_user)
    response = admin_edit(client, "28", note="只有备注")
    assert response.status_code == 200 and "没有填写数值或状态" in response.content.decode()
    assert messages(import_rows(bureau_user, [["141122", 2025, "28", "", "", "", ""]])) == [
        BLANK_REPORT
    ]
    saved(jiaocheng_officer, {"28": (96, None, "含开发区")})

    def clear_value(workbook):
        sheet = workbook["指标填报"]
        row = next(r for r in range(4, 70) if sheet.cell(row=r, column=1).value == "28")
        sheet.cell(row=row, column=7).value = None  # the note stays

    upload = preview(jiaocheng_officer, fill(template(), edit=clear_value))
    assert upload.status == Upload.Status.REJECTED
    assert any("G列：没有填写数值或状态" in e for e in upload.errors), upload.errors
    assert value("28").value_text == "96"
    assert not IndicatorValue.objects.filter(area__code="141122", year=2025, value_text="").exists()


def test_a_record_holding_only_a_note_is_not_counted_as_reported(jiaocheng_officer):
    # Left by an earlier version of the product: a record with a note and no value.
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="28"),
        area=jiaocheng(),
        year=2025,
        note="待统计",
        source="upload",
    )
    submission = services.submission_get_or_create(area=jiaocheng(), year=2025)
    with pytest.raises(services.SubmissionError, match="尚未填报任何数据"):
        services.submission_submit(
            user=jiaocheng_officer, submission=submission, incomplete_ok=True
        )


def test_a_multi_line_note_from_the_browser_reads_back_unchanged(jiaocheng_officer, bureau_user):
    response = admin_edit(logged_in(bureau_user), "28", value_text="96", note="第一行\r\n第二行")
    assert response.status_code == 302
    assert value("28").note == "第一行\n第二行"
    upload = preview(jiaocheng_officer, template())
    assert (upload.added, upload.changed) == (0, 0)


def test_a_note_that_begins_with_equals_is_text_everywhere(jiaocheng_officer, bureau_user):
    response = admin_edit(logged_in(bureau_user), "28", value_text="96", note="=1+1")
    assert response.status_code == 302
    upload = preview(jiaocheng_officer, template())
    assert upload.status == Upload.Status.PREVIEW, upload.errors
    assert (upload.added, upload.changed) == (0, 0)

    def typed_as_text(workbook):
        sheet = workbook["指标填报"]
        row = next(r for r in range(4, 70) if sheet.cell(row=r, column=1).value == "29")
        cell = sheet.cell(row=row, column=9)
        cell.value = "=详见附件3"
        cell.data_type = "s"  # Excel and WPS store text typed after a ' as a text cell
        sheet.cell(row=row, column=7).value = 61

    upload = preview(jiaocheng_officer, fill(template(), edit=typed_as_text))
    assert upload.status == Upload.Status.PREVIEW, upload.errors
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    assert value("29").note == "=详见附件3"
    formula = preview(jiaocheng_officer, fill(template(), {"30": ("=A1*2", None, None)}))
    assert any("G列：单元格是公式（=A1*2）" in e for e in formula.errors), formula.errors


def test_control_characters_are_refused_and_never_break_a_workbook(jiaocheng_officer, bureau_user):
    client = logged_in(bureau_user)
    response = admin_edit(client, "28", value_text="96", note="甲\x0b乙")
    assert "含有不可见的控制字符" in response.content.decode()
    # Legacy data written before the check: the template and the history export still work.
    saved(jiaocheng_officer, {"28": (96, None, None)})
    IndicatorValue.objects.filter(pk=value("28").pk).update(note="甲\x0b乙")
    ValueChange.objects.filter(indicator__code="28").update(new="甲\x0b乙")
    officer = logged_in(jiaocheng_officer)
    assert officer.get("/submissions/141122/2025/template/").status_code == 200
    assert officer.get("/submissions/141122/2025/history/").status_code == 200


def test_an_exported_file_imports_back_without_a_change(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, {"28": (96, None, "-同比下降"), "2": (None, "有效开展", "@会议纪要")})
    admin_edit(logged_in(bureau_user), "29", value_text="61", note="=见附件")
    Submission.objects.filter(area__code="141122", year=2025).update(state="approved")
    client = logged_in(bureau_user)
    changes = ValueChange.objects.count()
    # Exported as XLSX (format 0) and CSV (1); imported as CSV (format 0) and XLSX (1).
    for export_format, import_format, name in (("0", "1", "values.xlsx"), ("1", "0", "values.csv")):
        exported = client.post("/admin/indicators/indicatorvalue/export/", {"format": export_format, "resource": "0", **{f"valueresource_{f}": "on" for f in HEADERS}})  # fmt: skip
        assert exported.status_code == 200
        upload = SimpleUploadedFile(name, exported.content)
        response = client.post("/admin/indicators/indicatorvalue/import/", {"resource": "0", "format": import_format, "import_file": upload})  # fmt: skip
        page = response.content.decode()
        assert response.status_code == 200 and "确认导入" in page, page[-3000:]
        assert "锁定" not in page and "应为数字" not in page
        kind = "xlsx" if name.endswith("xlsx") else "csv"
        content = exported.content if kind == "xlsx" else exported.content.decode("utf-8-sig")
        result = ValueResource().import_data(
            tablib.Dataset().load(content, format=kind), dry_run=False, user=bureau_user
        )
        assert not result.has_errors() and not result.has_validation_errors(), messages(result)
        assert result.totals["new"] == result.totals["update"] == 0
    assert ValueChange.objects.count() == changes
    assert value("28").note == "-同比下降" and value("29").note == "=见附件"
    city = IndicatorValue.objects.get(area__code="141100", year=2022, indicator__code="1")
    assert city.value_text == "/"


def test_a_change_to_an_approved_year_in_an_import_is_refused(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, {"28": (96, None, None)})
    Submission.objects.filter(area__code="141122", year=2025).update(state="approved")
    result = import_rows(bureau_user, [["141122", 2025, "28", "97", "", "", ""]])
    assert messages(result) == [
        "交城县2025年的数据已审核通过并锁定，不能修改；如需修改请由市局重新开放"
    ]
    assert value("28").value_text == "96"


def test_an_import_with_the_same_record_twice_is_refused(bureau_user):
    result = import_rows(
        bureau_user,
        [["141122", 2025, "31", "5", "", "", ""], ["141122", 2025, "31", "80", "", "", ""]],
    )
    assert messages(result) == ["交城县2025年指标“31”重复出现（第1行已有）"]


def test_an_import_applies_each_row_to_what_the_rows_before_it_saved(bureau_user):
    result = import_rows(
        bureau_user,
        [["141122", 2025, "31", "5", "", "", ""], ["141122", 2024, "31", "80", "", "", ""]],
    )
    assert not messages(result)
    assert (value("31").value_text, value("31", 2024).value_text) == ("5", "80")


def test_a_template_downloaded_before_a_correction_keeps_the_correction(
    jiaocheng_officer, bureau_user
):
    saved(jiaocheng_officer, {"29": (61, None, None), "28": (96, None, None)})
    old_template = template()
    admin_edit(logged_in(bureau_user), "29", value_text="70", note="市局核实后更正")
    # Untouched in the old file: the bureau's correction stays, and the preview says why.
    upload = preview(jiaocheng_officer, old_template)
    row = next(r for r in upload.preview_rows("indicators") if r["code"] == "29")
    assert (row["action"], row["since"]) == ("kept_newer", ["61", "70；市局核实后更正"])
    assert upload.changed == 0
    page = logged_in(jiaocheng_officer).get(f"/submissions/uploads/{upload.pk}/").content.decode()
    assert "下载模板后，系统中有 1 行数据已被修改" in page and "保留现值" in page
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    assert value("29").value_text == "70"
    # Edited in the old file over the correction: saved as typed, and the preview warns first.
    upload = preview(jiaocheng_officer, fill(old_template, {"29": (65, None, None)}))
    row = next(r for r in upload.preview_rows("indicators") if r["code"] == "29")
    assert row["action"] == "update" and row["since"] == ["61", "70；市局核实后更正"]
    page = logged_in(jiaocheng_officer).get(f"/submissions/uploads/{upload.pk}/").content.decode()
    assert "将改为表中的“65”" in page


def test_the_command_refuses_a_user_without_rights_with_a_message(xingxian_officer, tmp_path):
    path = tmp_path / "交城县.xlsx"
    path.write_bytes(fill(template(), {"28": (96, None, None)}))
    with pytest.raises(CommandError, match="无权为交城县上传或修改数据"):
        call_command(
            "import_submission",
            str(path),
            "--area",
            "141122",
            "--year",
            "2025",
            "--user",
            xingxian_officer.username,
            stdout=io.StringIO(),
        )


def test_bulk_delete_of_a_locked_year_says_why(jiaocheng_officer, bureau_user):
    saved(jiaocheng_officer, {"28": (96, None, None)})
    Submission.objects.filter(area__code="141122", year=2025).update(state="approved")
    ids = [str(v.pk) for v in IndicatorValue.objects.filter(area__code="141122", year=2025)]
    response = logged_in(bureau_user).post(
        "/admin/indicators/indicatorvalue/", {"action": "delete_selected", "_selected_action": ids}
    )
    assert "交城县2025年的数据已审核通过并锁定" in response.content.decode()
    assert IndicatorValue.objects.filter(pk__in=ids).count() == len(ids)
