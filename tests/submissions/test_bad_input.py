# ruff: noqa: E501 (the expected messages read best whole)
"""Every bad input gets a clear Chinese message naming where and why, and changes nothing."""

import io
import zipfile

import pytest

from counties.models import Area
from submissions.models import Submission, Upload
from submissions.services import (
    SubmissionError,
    submission_get_or_create,
    upload_confirm,
    upload_preview,
)
from tests.conftest import PASSWORD  # noqa: F401  (personas)

from .helpers import GOOD, fill, state, template

pytestmark = pytest.mark.django_db
JIAOCHENG = "141122"


def preview(
    user, content: bytes, *, code: str = JIAOCHENG, year: int = 2025, name: str = "交城.xlsx"
) -> Upload:
    return upload_preview(
        user=user, area=Area.objects.get(code=code), year=year, name=name, content=content
    )


def refused(user, content: bytes, message: str, **kwargs) -> Upload:
    before = state()
    upload = preview(user, content, **kwargs)
    assert upload.status == Upload.Status.REJECTED
    assert any(message in error for error in upload.errors), upload.errors
    assert state() == before
    return upload


@pytest.fixture
def officer(jiaocheng_officer):
    return jiaocheng_officer


def test_a_renamed_csv_is_refused(officer):
    refused(
        officer,
        "编码,本年数值\n28,96.5\n".encode(),
        "纯文本（如 CSV，可能改了扩展名），不是 Excel 工作簿：请在 Excel 或 WPS 表格中打开它，点“文件 → 另存为”",
    )


def test_a_pdf_is_refused(officer):
    refused(officer, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "文件是 PDF")


def test_random_bytes_are_refused(officer):
    refused(officer, bytes(range(256)) * 20, "文件不是 Excel .xlsx 工作簿")


def test_a_corrupted_workbook_is_refused(officer):
    content = template()
    refused(officer, content[: len(content) // 2], "已损坏")


def test_a_password_protected_workbook_is_refused(officer):
    # Excel stores an encrypted .xlsx in an OLE compound file.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    encrypted = ole + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    refused(officer, encrypted, "文件设置了打开密码（加密的工作簿）")


def test_an_xls_file_is_answered_with_how_to_save_an_xlsx(officer):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "Workbook".encode("utf-16-le")
    refused(officer, ole, "旧版 Excel（.xls）或 WPS（.et）格式：请在 Excel 或 WPS 表格中打开它")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    refused(officer, buffer.getvalue(), "疑似压缩炸弹")


def test_a_file_over_the_size_limit_is_refused(officer, settings):
    settings.SUBMISSION_MAX_UPLOAD_BYTES = 10_000
    upload = refused(officer, template(), "超过上限0 MB")
    assert not upload.file  # an oversized file is not kept


def test_a_missing_sheet_is_refused(officer):
    content = fill(template(), edit=lambda wb: wb.remove(wb["项目进展"]))
    refused(officer, content, "缺少工作表“项目进展”")


def test_columns_in_another_order_are_refused(officer):
    def swap(workbook):
        sheet = workbook["指标填报"]
        sheet["G3"], sheet["H3"] = "状态或是否完成", "本年数值"

    refused(
        officer,
        fill(template(), edit=swap),
        "第3行 G列：表头应为“本年数值”，实际为“状态或是否完成”",
    )


def test_a_missing_column_is_refused(officer):
    refused(
        officer,
        fill(template(), edit=lambda wb: wb["指标填报"].delete_cols(9)),
        "第3行 I列：表头应为“备注”",
    )


def test_content_in_an_extra_column_is_refused(officer):
    content = fill(
        template(), GOOD, edit=lambda wb: wb["指标填报"].cell(row=10, column=11, value="补充")
    )
    refused(officer, content, "第10行 K列：模板之外的列有内容“补充”")


def test_an_extra_row_with_an_unknown_indicator_is_refused(officer):
    def extra(workbook):
        sheet = workbook["指标填报"]
        sheet.cell(row=sheet.max_row + 1, column=1, value="41")
        sheet.cell(row=sheet.max_row, column=7, value=12)

    refused(officer, fill(template(), GOOD, edit=extra), "A列：未知的指标编码“41”")


def test_merged_cells_are_refused(officer):
    content = fill(template(), edit=lambda wb: wb["指标填报"].merge_cells("G10:G11"))
    refused(officer, content, "第10–11行 G10:G11 是合并单元格")


def test_a_formula_is_refused_and_says_so(officer):
    content = fill(template(), {"28": ("=95+1.5", None, None)})
    upload = refused(officer, content, "G列：单元格是公式（=95+1.5），系统不读取公式")
    assert "工作表“指标填报” 第" in upload.errors[0]


def test_text_where_a_number_is_expected_is_refused(officer):
    upload = refused(
        officer, fill(template(), {"28": ("九十", None, None)}), "应为数字，实际为“九十”"
    )
    row = next(e for e in upload.errors if "九十" in e)
    assert row.startswith("工作表“指标填报” 第") and " G列：" in row


def test_a_negative_amount_is_refused(officer):
    refused(
        officer,
        fill(template(), progress={"1-1-3": ("在建", -5, None)}),
        "K列：累计完成投资不能为负数，实际为-5",
    )


def test_a_percentage_outside_0_to_100_is_refused(officer):
    refused(
        officer, fill(template(), {"28": (120, None, None)}), "G列：百分比应在0–100之间，实际为120"
    )


def test_a_rate_of_change_may_be_negative(officer):
    upload = preview(officer, fill(template(), {"22": (-4.03, None, None)}))
    assert upload.status == Upload.Status.PREVIEW, upload.errors


def test_a_state_not_in_the_list_is_refused(officer):
    refused(
        officer,
        fill(template(), {"9": (None, "完成了", None)}),
        "H列：应为“是”、“否”之一，实际为“完成了”",
    )
    refused(
        officer,
        fill(template(), {"J": None} if False else {"1": (None, "编制中", None)}),
        "应为“制定实施”、“否”之一，实际为“编制中”",
    )


def test_a_status_outside_the_list_is_refused(officer):
    refused(
        officer,
        fill(template(), progress={"1-1-3": ("快完工了", None, None)}),
        "J列：应为“未开工”、“在建”、“已完工”、“已取消”之一",
    )


def test_a_duplicate_row_is_refused(officer):
    def duplicate(workbook):
        sheet = workbook["指标填报"]
        sheet.cell(row=sheet.max_row + 1, column=1, value="28")
        sheet.cell(row=sheet.max_row, column=7, value=97)

    refused(officer, fill(template(), edit=duplicate), "A列：指标“28”重复出现")


def test_a_project_row_of_another_county_is_refused(officer):
    # 4-4-12 is 兴县's solar line: it does not cover 交城县.
    def foreign(workbook):
        sheet = workbook["项目进展"]
        sheet.cell(row=sheet.max_row + 1, column=1, value="4-4-12")
        sheet.cell(row=sheet.max_row, column=10, value="在建")

    refused(officer, fill(template(), edit=foreign), "投资明细“4-4-12”不存在或不涉及交城县")


def test_a_template_of_another_county_is_refused(bureau_user):
    refused(
        bureau_user,
        template("141123"),
        "这是兴县的模板，不能上传到交城县：请下载交城县2025年的模板后填写",
    )


def test_a_template_of_another_year_is_refused(officer):
    refused(officer, template(year=2024), "这是交城县2024年的模板，不能上传到2025年")


def test_a_workbook_that_is_not_our_template_is_refused(officer):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    refused(officer, buffer.getvalue(), "不是本系统下载的模板")


def test_an_upload_into_an_approved_year_is_refused(officer, bureau_user):
    submission = submission_get_or_create(area=Area.objects.get(code=JIAOCHENG), year=2025)
    Submission.objects.filter(pk=submission.pk).update(state=Submission.State.APPROVED)
    before = state()
    with pytest.raises(SubmissionError, match="交城县2025年的数据已审核通过并锁定，不能修改"):
        preview(officer, fill(template(), GOOD))
    assert state() == before


def test_two_uploads_at_the_same_moment_do_not_lose_an_update(officer, bureau_user):
    first = preview(officer, fill(template(), {"28": (96.5, None, None)}))
    second = preview(bureau_user, fill(template(), {"28": (97.5, None, None)}))
    assert first.base_version == second.base_version
    upload_confirm(user=officer, upload=first)
    after_first = state()
    with pytest.raises(SubmissionError, match="已被他人更新"):
        upload_confirm(user=bureau_user, upload=second)
    assert state() == after_first
    second.refresh_from_db()
    assert second.status == Upload.Status.STALE


def test_a_20000_row_sheet_is_refused(officer):
    def many(workbook):
        sheet = workbook["指标填报"]
        for row in range(100, 20_100):
            sheet.cell(row=row, column=1, value=f"x{row}")

    refused(officer, fill(template(), edit=many), "工作表“指标填报”有内容的行超过上限2000行")


def test_errors_are_listed_for_every_row_at_once(officer):
    content = fill(
        template(), {"28": ("九十", None, None), "29": (150, None, None), "9": (None, "好", None)}
    )
    upload = refused(officer, content, "九十")
    assert len(upload.errors) == 3
    assert upload.rejected == 3


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        # 8.3 黑臭水体消除比例 and 11.1 (林草覆盖率's condition row) print no unit: still shares.
        ("8.3", 9500, "G列：百分比应在0–100之间，实际为9500"),
        ("11.1", 9500, "G列：百分比应在0–100之间，实际为9500"),
        # 8.2 劣V类水体比例下降幅度: a fall may be negative, never above 100%.
        ("8.2", 9500, "G列：下降幅度（%）不能超过100，实际为9500（上升请填负数）"),
        # 32 城镇人均公园绿地面积 (平方米/人) and 20 (吨标准煤/万元) are levels: never negative.
        ("32", -12, "G列：本指标的数值是水平值，不能为负数，实际为-12"),
        ("20", "-0.5", "G列：本指标的数值是水平值，不能为负数，实际为-0.5"),
    ],
)
def test_a_share_or_a_fall_without_a_printed_unit_keeps_its_range(officer, code, typed, message):
    refused(officer, fill(template(), {code: (typed, None, None)}), message)


def test_a_rate_may_be_negative_and_the_template_shows_the_unit(officer):
    from openpyxl import load_workbook

    upload = preview(
        officer, fill(template(), {"8.2": (-3.5, None, None), "8.3": (100, None, None)})
    )
    assert upload.status == Upload.Status.PREVIEW, upload.errors
    sheet = load_workbook(io.BytesIO(template()))["指标填报"]
    units = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=3).value for r in range(4, 60)
    }
    assert (units["8.2"], units["8.3"], units["11.1"], units["28"]) == ("%", "%", "%", "%")
    assert units["20"] == "吨标准煤/万元"
