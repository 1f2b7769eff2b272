"""The upload's cost does not grow per row in queries: a confirmation writes values and history
in bulk (the same statements for 50 rows as for 500, apart from the database's batch limit),
and a preview computes its differences without writing anything. Uploading the same file
again, or the template as downloaded, changes nothing (property-based). No wall-clock times
here: benchmarks/bench_import.py measures them."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from math import ceil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from counties.models import Area
from indicators.models import Indicator, IndicatorValue, TaskArea
from lvliang_eco.bulk import rows_per_statement
from submissions import services
from submissions.models import Upload, ValueChange
from submissions.reporting import ValueReport
from submissions.selectors import catalogue
from submissions.spreadsheet import FIRST_ROW, INDICATOR

from .helpers import fill, state, template

pytestmark = pytest.mark.django_db
YEAR = 2025
# A table or column, not a savepoint's or a server-side cursor's name (PostgreSQL's iterator()).
QUOTED = re.compile(r'"(?!s\d+_x\d+")(?!_django_curs_)(\w+)"')


def generated(count: int) -> list[str]:
    """`count` extra indicators that take a share (%), as the benchmark makes them."""
    task = TaskArea.objects.get(number="（十）")
    Indicator.objects.bulk_create(
        Indicator(
            code=f"G{n:04d}", number=5000 + n, task=task, order=5000 + n, name=f"生成指标{n}",
            unit="%", standard="≥50", attribute="参考性",
            standard_rule={"kind": "threshold", "op": ">=", "value": "50"},
        )
        for n in range(1, count + 1)
    )  # fmt: skip
    return [f"G{n:04d}" for n in range(1, count + 1)]


def filled(area_code: str, codes: list[str], value=None) -> bytes:
    return fill(
        template(area_code, YEAR),
        {code: (value if value is not None else 40 + n % 30, None, None)
         for n, code in enumerate(codes)},
    )  # fmt: skip


def preview(user, area_code: str, content: bytes) -> Upload:
    upload = services.upload_preview(
        user=user, area=Area.objects.get(code=area_code), year=YEAR, name="f.xlsx",
        content=content,
    )  # fmt: skip
    assert upload.status == Upload.Status.PREVIEW, upload.errors[:3]
    return upload


def confirm_queries(user, upload: Upload) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        services.upload_confirm(user=user, upload=upload)
    return [q["sql"] for q in queries.captured_queries]


def insert_batches(model, rows: int) -> int:
    """The INSERT statements the write path needs for `rows` new rows of `model` on this
    database (lvliang_eco.bulk: up to 1,000 rows, as many as the parameter limit allows)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return ceil(rows / rows_per_statement(connection, len(fields)))


def update_batches(model, rows: int) -> int:
    """The UPDATE statements Django's bulk_update needs for `rows` rows of `model` on this
    database at most (SQLite caps the parameters of one statement; PostgreSQL needs one)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = min(1000, max(connection.ops.bulk_batch_size(fields, [None] * rows), 1))
    return ceil(rows / size)


def test_it_confirms_50_rows_and_500_rows_with_the_same_statements(bureau_user):
    codes = generated(500)
    # The year's first value anywhere stores results for every area: let another county
    # have it, so both confirmations refresh their own area's results only.
    services.report_save(
        area=Area.objects.get(code="141181"), year=YEAR, route="form", user=bureau_user,
        values=[ValueReport("28", text="96")],
    )  # fmt: skip
    few = preview(bureau_user, "141122", filled("141122", codes[:50]))
    many = preview(bureau_user, "141123", filled("141123", codes))

    few_sql = confirm_queries(bureau_user, few)
    many_sql = confirm_queries(bureau_user, many)

    def others(sqls):  # each statement's kind and first table, in order
        return [(s.split()[0], QUOTED.findall(s)[:1]) for s in sqls if not s.startswith("INSERT")]

    assert others(few_sql) == others(many_sql)
    extra = sum(
        insert_batches(m, 500) - insert_batches(m, 50) for m in (IndicatorValue, ValueChange)
    )
    assert len(many_sql) - len(few_sql) == extra  # 0 on PostgreSQL
    assert (
        IndicatorValue.objects.filter(area__code="141123", indicator__code__in=codes).count() == 500
    )
    assert ValueChange.objects.filter(area__code="141123", indicator__code__in=codes).count() == 500


def test_it_updates_500_rows_in_a_fixed_number_of_statements(bureau_user):
    codes = generated(500)
    for area_code, count in (("141122", 50), ("141123", 500)):
        upload = preview(bureau_user, area_code, filled(area_code, codes[:count]))
        services.upload_confirm(user=bureau_user, upload=upload)
    few = preview(bureau_user, "141122", filled("141122", codes[:50], value=12))
    many = preview(bureau_user, "141123", filled("141123", codes, value=12))
    assert (few.changed, many.changed) == (50, 500)

    few_sql = confirm_queries(bureau_user, few)
    many_sql = confirm_queries(bureau_user, many)

    updates = [s for s in many_sql if s.startswith("UPDATE") and "indicatorvalue" in s]
    assert len(updates) <= ceil(500 / 1000) + update_batches(IndicatorValue, 500)
    assert len(many_sql) < len(few_sql) + 30  # never one statement per row
    assert set(
        IndicatorValue.objects.filter(area__code="141123", indicator__code__in=codes).values_list(
            "value_text", flat=True
        )
    ) == {"12"}


def test_a_preview_writes_nothing_but_its_own_record(bureau_user):
    codes = generated(20)
    first = preview(bureau_user, "141122", filled("141122", codes[:10]))
    services.upload_confirm(user=bureau_user, upload=first)
    before = state()
    content = filled("141122", codes, value=12)  # 10 changed, 10 new

    with CaptureQueriesContext(connection) as queries:
        upload = preview(bureau_user, "141122", content)

    assert (upload.added, upload.changed) == (10, 10)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split(" ", 1)[0] in {"INSERT", "UPDATE", "DELETE"} or "SAVEPOINT" in q["sql"]
    ]
    assert writes and all('"submissions_upload"' in sql.split("(")[0] for sql in writes), writes
    assert state() == before


# --------------------------------------------------------------------------------------------
# Property: uploading again changes nothing


def _number_lines(area_code: str) -> list:
    book = catalogue(Area.objects.get(code=area_code), YEAR)
    return [
        line
        for line in book.indicators
        if not line.is_parent and line.spec.number and not line.spec.choices
    ][:6]


NUMBERS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
# A note typed into Excel; one beginning with "=" would be a formula, refused on its own.
NOTES = st.text(alphabet="吕梁生态 abc123、，（）=", max_size=12).filter(
    lambda t: not t.strip().startswith("=")
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_file_uploaded_twice_or_its_template_re_uploaded_changes_nothing(data, jiaocheng_officer):
    lines = _number_lines("141122")
    chosen = data.draw(st.lists(st.sampled_from(lines), min_size=1, unique_by=lambda x: x.code))
    cells = {}
    for line in chosen:
        number = data.draw(NUMBERS)
        cells[line.code] = (float(number) if number % 1 else int(number), None, data.draw(NOTES))
    content = fill(template("141122", YEAR), cells)

    upload = preview(jiaocheng_officer, "141122", content)
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    stored = state()

    again = preview(jiaocheng_officer, "141122", content)
    assert (again.added, again.changed) == (0, 0)
    services.upload_confirm(user=jiaocheng_officer, upload=again)
    assert state() == stored

    downloaded = template("141122", YEAR)
    back = preview(jiaocheng_officer, "141122", downloaded)
    assert (back.added, back.changed) == (0, 0)
    services.upload_confirm(user=jiaocheng_officer, upload=back)
    assert state() == stored


def test_the_template_shows_what_an_upload_stored(bureau_user):
    codes = generated(3)
    upload = preview(
        bureau_user, "141122", fill(template("141122", YEAR), {codes[0]: (12.5, None, "备注")})
    )
    services.upload_confirm(user=bureau_user, upload=upload)
    sheet = load_workbook(io.BytesIO(template("141122", YEAR)))["指标填报"]
    row = next(r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == codes[0])
    assert Decimal(str(sheet.cell(row, INDICATOR.index("value")).value)) == Decimal("12.5")
    assert sheet.cell(row, INDICATOR.index("note")).value == "备注"
