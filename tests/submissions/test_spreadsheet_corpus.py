# ruff: noqa: E501 (the expected messages read best whole)
"""Files as county offices' programs make them (tests/submissions/corpus, see make_corpus.py):
each goes through the upload page's service and `import_submission` with the same result,
the value a user expects or a refusal that says what to do."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from counties.models import Area
from submissions import services
from submissions.models import Upload
from submissions.spreadsheet.cells import displayed
from tests.conftest import logged_in

from .helpers import template

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parent / "corpus"

FILLED = {"2": ("", "有效开展", ""), "9": ("", "是", ""), "28": ("96.5", "", ""),
          "29": ("61", "", "农村污水")}  # fmt: skip
SAVE_AS = "另存为”，保存类型选“Excel 工作簿（*.xlsx）”"

# file → what the person who made it expects: the values read (code → text, choice, note) and
# who filled it in, or the refusal (a part of the message).
CORPUS_CASES = {
    "openpyxl-filled.xlsx": ({**FILLED}, {"filled_by": "王芳", "phone": "0358-3220000"}),
    "libreoffice-resaved.xlsx": ({**FILLED}, {"filled_by": "王芳", "phone": "0358-3220000"}),
    "wps-shaped.xlsx": ({**FILLED}, {"filled_by": "王芳"}),
    "percent-formats.xlsx": (
        {**FILLED, "3": ("55.34", "", ""), "22": ("4.6", "", ""), "28": ("96.5", "", "")},
        {},
    ),
    "float-noise.xlsx": ({**FILLED, "22": ("0.3", "", ""), "28": ("96.5", "", "")}, {}),
    "formatted-to-row-3000.xlsx": ({**FILLED}, {}),
    "header-spaces.xlsx": ({**FILLED}, {}),
    "freeform-signature.xlsx": (
        {**FILLED},
        {"filled_by": "李强", "phone": "13912345678", "filled_on": "2026年1月8日"},
    ),
    "text-beginning-with-equals.xlsx": ({**FILLED, "29": ("61", "", "=详见附件3")}, {}),
    "wps-picture-in-cell.xlsx": "I列：单元格里嵌入了图片（WPS 的“嵌入单元格图片”）：图片请作为佐证材料另行提交",
    "array-formula.xlsx": "G列：单元格是公式（=SUM(F4:F5)），系统不读取公式",
    "boolean-cell.xlsx": "G列：应为数字或文字，实际为逻辑值“TRUE”",
    "strict-open-xml.xlsx": "“Strict Open XML 电子表格”格式",
    "libreoffice.xls": "旧版 Excel（.xls）或 WPS（.et）格式：请在 Excel 或 WPS 表格中打开它，点“文件 → " + SAVE_AS,
    "libreoffice.ods": "OpenDocument 表格（.ods）：请在 Excel 或 WPS 表格中打开它，点“文件 → " + SAVE_AS,
    "csv-utf8.csv": "纯文本（如 CSV，可能改了扩展名）",
    "csv-utf8-bom.csv": "纯文本（如 CSV，可能改了扩展名）",
    "csv-gbk.csv": "纯文本（如 CSV，可能改了扩展名）",
    "csv-sample-cuts-a-character.csv": "纯文本（如 CSV，可能改了扩展名）",
}  # fmt: skip


def _via_upload(user, path: Path) -> tuple:
    """Through the upload page, as the county officer's browser sends the file."""
    client = logged_in(user)
    with path.open("rb") as handle:
        response = client.post("/submissions/141122/2025/upload/", {"file": handle})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"]).content.decode()
    upload = Upload.objects.latest("pk")
    assert upload.original_name == path.name
    if upload.status != Upload.Status.PREVIEW:
        assert all(e in page for e in upload.errors)
        return "refused", upload.errors, upload
    return "read", page, upload


def _via_command(user, path: Path) -> tuple:
    out = io.StringIO()
    try:
        call_command(
            "import_submission", str(path), "--area", "141122", "--year", "2025",
            "--user", user.username, "--dry-run", stdout=out,
        )  # fmt: skip
    except CommandError:
        return "refused", out.getvalue()
    return "read", out.getvalue()


@pytest.mark.parametrize("name", sorted(CORPUS_CASES))
def test_every_corpus_file_reads_as_its_maker_expects_by_page_and_command(
    name, jiaocheng_officer, bureau_user
):
    path = CORPUS / name
    expected = CORPUS_CASES[name]
    outcome = _via_upload(jiaocheng_officer, path)
    command = _via_command(bureau_user, path)
    if isinstance(expected, str):
        assert outcome[0] == "refused" and any(expected in e for e in outcome[1]), outcome
        assert command[0] == "refused" and expected in command[1], command
        return
    values, signature = expected
    assert outcome[0] == "read", outcome[1]
    upload = outcome[2]
    assert "确认保存" in outcome[1]
    rows = {r["code"]: r for r in upload.preview_rows("indicators") if not r["empty"]}
    assert sorted(rows) == sorted(values)
    for code, (text, choice, note) in values.items():
        shown = "；".join(p for p in [text, choice] if p)
        assert (rows[code]["new"], rows[code]["note"]) == (shown, note), (code, rows[code])
    for key, value in signature.items():
        assert getattr(upload, key) == value, key
    assert command[0] == "read" and "预览：新增" in command[1], command


def test_the_unmodified_template_of_every_area_and_year_is_accepted_with_no_change(
    bureau_user,
):
    from tests.conftest import demo_loaded

    demo_loaded()
    for area in Area.objects.order_by("order"):
        for year in (2022, 2023, 2024, 2025):
            if area.is_city and year == 2022:
                continue  # the plan's own baseline, printed texts such as `/`: not a report
            upload = services.upload_preview(
                user=bureau_user, area=area, year=year, name="原样.xlsx",
                content=template(area.code, year),
            )  # fmt: skip
            assert upload.status == Upload.Status.PREVIEW, (area.name, year, upload.errors[:2])
            assert (upload.added, upload.changed) == (0, 0), (area.name, year)


NUMBER_FORMATS = ["General", "0", "0.00", "#,##0.00", "0.0%", "0.00%", '0.00"%"', "0.0\\%", "@"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=st.decimals(
        min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False
    ),
    number_format=st.sampled_from(NUMBER_FORMATS),
)
def test_any_number_excel_would_display_reads_back_as_displayed(number, number_format):
    workbook = Workbook()
    cell = workbook.active.cell(row=1, column=1, value=float(number))
    cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active.cell(row=1, column=1)
    text = displayed(read, letter="A", normalised=[])
    percent = number_format.endswith("%") and '"' not in number_format and "\\" not in number_format
    expected = Decimal(f"{float(number):.15g}") * (100 if percent else 1)
    assert Decimal(text) == expected
    assert "E" not in text and "e" not in text
