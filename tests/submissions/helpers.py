"""Building and filling templates in tests, as a county officer would with Excel, and reporting
one value of 交城县 by each route (upload, admin form, admin import, command line)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import tablib
from django.core.management import call_command
from openpyxl import load_workbook

from counties.models import Area
from indicators.models import IndicatorValue
from projects.models import ProjectProgress
from submissions import services
from submissions.models import ValueChange
from submissions.resources import ValueResource
from submissions.selectors import catalogue
from submissions.spreadsheet import FIRST_ROW, INDICATOR, PROGRESS, build_template
from tests.conftest import logged_in

ROUTES = ("upload", "form", "admin", "import", "command")
YEAR = 2025  # the year the route helpers report for 交城县


@dataclass(frozen=True)
class Typed:
    """What a person types: the value cell's text, the choice, the note; or a withdrawal."""

    text: str = ""
    choice: str = ""
    note: str = ""
    withdraw: bool = False


def template(code: str = "141122", year: int = 2025) -> bytes:
    area = Area.objects.get(code=code)
    return build_template(catalogue(area, year), generated_at=datetime(2026, 1, 5, 9, 0))


def rows_by_key(sheet) -> dict[str, int]:
    return {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value is not None
    }


def fill(
    content: bytes,
    values: dict[str, tuple] | None = None,
    progress: dict[str, tuple] | None = None,
    edit=None,
) -> bytes:
    """values: code → (G number, H choice, I note); progress: key → (J status, K amount, L
    note). None leaves a cell as it is. `edit(workbook)` may do anything else."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["指标填报"]
    rows = rows_by_key(sheet)
    for code, cells in (values or {}).items():
        columns = [INDICATOR.index(c.key) for c in INDICATOR.inputs]
        for column, value in zip(columns, cells, strict=False):
            if value is not None:
                sheet.cell(row=rows[code], column=column, value=value)
    sheet = workbook["项目进展"]
    rows = rows_by_key(sheet)
    for key, cells in (progress or {}).items():
        columns = [PROGRESS.index(c.key) for c in PROGRESS.inputs]
        for column, value in zip(columns, cells, strict=False):
            if value is not None:
                sheet.cell(row=rows[key], column=column, value=value)
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state() -> tuple:
    """Everything an upload may change, to prove that a refused one changed nothing."""
    return (
        sorted(
            IndicatorValue.objects.values_list(
                "area_id", "year", "indicator_id", "value_text", "state", "flag", "note"
            )
        ),
        sorted(
            ProjectProgress.objects.values_list(
                "investment_row_id", "area_id", "year", "status", "completed_amount", "note"
            )
        ),
        ValueChange.objects.count(),
    )


GOOD = {
    "28": (96.5, None, None),
    "2": (None, "有效开展", None),
    "9": (None, "是", None),
    "29": (61, None, "农村污水"),
}


# --------------------------------------------------------------------------------------------
# Routes


def _cells(typed: Typed) -> tuple:
    if typed.withdraw:
        return ("撤回", None, "数据有误，撤回")
    if re.fullmatch(r"-?[\d.]+", typed.text):
        return (float(Decimal(typed.text)), None, typed.note)  # typed into Excel: a number cell
    return (typed.text or None, typed.choice or None, typed.note)


def by_upload(officer, code: str, typed: Typed) -> None:
    content = fill(template("141122", YEAR), {code: _cells(typed)})
    upload = services.upload_preview(
        user=officer, area=jiaocheng(), year=YEAR, name="交城.xlsx", content=content
    )
    assert upload.errors == [], upload.errors
    services.upload_confirm(user=officer, upload=upload)


def by_form(officer, code: str, typed: Typed) -> None:
    """The browser entry form: what the form shows (its hidden base) and the typed fields."""
    client = logged_in(officer)
    url = f"/submissions/141122/{YEAR}/form/"
    page = client.get(url).content.decode()
    base = html.unescape(re.search(rf'name="v-{re.escape(code)}-base" value="([^"]*)"', page)[1])
    if typed.withdraw:
        fields = {"text": "撤回", "choice": "", "note": "数据有误，撤回"}
    else:
        fields = {"text": typed.text, "choice": typed.choice, "note": typed.note}
    data = {f"v-{code}-{name}": value for name, value in fields.items()}
    response = client.post(url, {**data, f"v-{code}-base": base})
    assert response.status_code == 302, re.findall(
        r'class="field-error"[^>]*>(.*?)</div>', response.content.decode()
    )


def by_command(officer, code: str, typed: Typed, tmp_path: Path) -> None:
    path = tmp_path / "交城县.xlsx"
    path.write_bytes(fill(template("141122", YEAR), {code: _cells(typed)}))
    call_command(
        "import_submission", str(path), "--area", "141122", "--year", str(YEAR),
        "--user", officer.username, stdout=io.StringIO(),
    )  # fmt: skip


def by_admin(bureau, code: str, typed: Typed) -> None:
    client = logged_in(bureau)
    value = IndicatorValue.objects.filter(
        area__code="141122", year=YEAR, indicator__code=code
    ).first()
    if typed.withdraw:
        response = client.post(
            f"/admin/indicators/indicatorvalue/{value.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        return
    form = {"value_text": typed.text, "choice": typed.choice, "note": typed.note, "judgement": ""}
    if value is None:
        from indicators.models import Indicator

        form.update(area=jiaocheng().pk, year=YEAR, indicator=Indicator.objects.get(code=code).pk)
        url = "/admin/indicators/indicatorvalue/add/"
    else:
        url = f"/admin/indicators/indicatorvalue/{value.pk}/change/"
    response = client.post(url, form)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode()
    )


def by_import(bureau, code: str, typed: Typed) -> None:
    data = tablib.Dataset(
        headers=["area", "year", "indicator", "value_text", "choice", "note", "judgement"]
    )
    if typed.withdraw:
        data.append(["141122", YEAR, code, "撤回", "", "数据有误，撤回", ""])
    else:
        data.append(["141122", YEAR, code, typed.text, typed.choice, typed.note, ""])
    result = ValueResource().import_data(data, dry_run=False, user=bureau)
    assert not result.has_errors() and not result.has_validation_errors(), [
        e.error_dict for e in result.invalid_rows
    ]


def jiaocheng() -> Area:
    return Area.objects.get(code="141122")


def report(route: str, code: str, typed: Typed, *, officer, bureau, tmp_path) -> None:
    if route == "upload":
        by_upload(officer, code, typed)
    elif route == "form":
        by_form(officer, code, typed)
    elif route == "command":
        by_command(officer, code, typed, tmp_path)
    elif route == "admin":
        by_admin(bureau, code, typed)
    else:
        by_import(bureau, code, typed)


# Supporting documents as the counties' programs make them (the content decides the type).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = (  # a 1×1 white pixel
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx() -> bytes:
    """The parts of a .docx that tell it from other zips (as Word and WPS write them)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("[Content_Types].xml", "<Types/>")
        bundle.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()
