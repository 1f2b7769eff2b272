"""The completeness and timeliness report (报送情况): rates per year, filled of required per
area-year equal to the county-year page's completeness, who sees which areas, the export."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import load_workbook

from counties.models import Area
from projects.models import InvestmentRow
from submissions.models import ReportingPeriod
from submissions.reporting import ProgressReport, ValueReport
from submissions.selectors import catalogue, filled_counts, reporting_rates
from submissions.services import report_save
from tests.conftest import logged_in

from .helpers import jiaocheng
from .test_reporting_periods import submit

pytestmark = pytest.mark.django_db


def _some_values(area: Area, year: int, user, count: int) -> None:
    book = catalogue(area, year)
    leaves = [line for line in book.indicators if not line.is_parent and line.spec.number]
    rows = [line.row_id for line in book.progress][:2]
    report_save(
        area=area, year=year, user=user, route="form",
        values=[ValueReport(line.code, text="1") for line in leaves[:count]],
        progress=[ProgressReport(row, status="在建") for row in rows],
    )  # fmt: skip


def test_it_counts_filled_of_required_as_the_county_year_page_does(bureau_user):
    area = jiaocheng()
    _some_values(area, 2024, bureau_user, 5)
    filled = filled_counts([area], [2024])[(area.pk, 2024)]
    page = catalogue(area, 2024).completeness()
    assert (filled.indicators, filled.indicators_total) == (
        page.indicators_filled,
        page.indicators_total,
    )
    assert (filled.progress, filled.progress_total) == (page.progress_filled, page.progress_total)
    assert filled.indicators == 5 and filled.progress == 2
    assert filled.progress_total == InvestmentRow.objects.filter(counties=area).count()


# Examples accumulate in one database: each compares the two counts on whatever is there.
@hsettings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.integers(min_value=0, max_value=12), year=st.sampled_from([2023, 2024]))
def test_it_agrees_with_the_page_for_any_filling(bureau_user, count, year):
    area = Area.objects.get(code="141123")
    _some_values(area, year, bureau_user, count)
    filled = filled_counts(Area.objects.all(), [year])[(area.pk, year)]
    assert filled.indicators == catalogue(area, year).completeness().indicators_filled


def test_the_report_gives_each_years_reporting_and_timeliness_rates(bureau_user):
    ReportingPeriod.objects.create(year=2024, due_on=date(2025, 3, 31))
    counties = list(Area.objects.counties())
    submit(counties[0], 2024, date(2025, 3, 30))  # on time
    submit(counties[1], 2024, date(2025, 4, 2))  # late
    _, summary = reporting_rates(counties, [2023, 2024])
    y2024 = next(y for y in summary if y.year == 2024)
    assert (y2024.expected, y2024.submitted, y2024.on_time) == (13, 2, 1)
    assert y2024.texts["reporting_rate"] == "15.4%" and y2024.texts["timeliness_rate"] == "7.7%"
    y2023 = next(y for y in summary if y.year == 2023)
    assert y2023.timeliness_rate is None and y2023.texts["timeliness_rate"] == "—"


def test_its_query_count_does_not_grow_with_areas_or_years(bureau_user):
    areas = list(Area.objects.all())
    with CaptureQueriesContext(connection) as few:
        reporting_rates(areas[:2], [2024])
    with CaptureQueriesContext(connection) as many:
        reporting_rates(areas, [2022, 2023, 2024, 2025])
    assert len(many) == len(few)


def test_the_page_shows_the_rates_to_bureau_and_leadership(bureau_user, leader):
    ReportingPeriod.objects.create(year=2024, due_on=date(2025, 3, 31))
    submit(jiaocheng(), 2024, date(2025, 3, 30))
    for user in (bureau_user, leader):
        page = logged_in(user).get("/submissions/rates/").content.decode()
        row = page.split('data-year="2024"')[1].split("</tr>")[0]
        assert "2025-03-31" in row and "7.1%" in row  # 1 of 14 areas (the city included)
        assert 'data-code="141123"' in page  # 兴县 is listed


def test_a_county_officer_sees_only_their_own_county(jiaocheng_officer, xingxian_officer):
    submit(Area.objects.get(code="141123"), 2024, date(2025, 3, 30))
    page = logged_in(jiaocheng_officer).get("/submissions/rates/").content.decode()
    assert 'data-code="141122"' in page
    assert 'data-code="141123"' not in page and "兴县" not in page.split("<main")[1]
    xlsx = logged_in(jiaocheng_officer).get("/submissions/rates/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"交城县"}


def test_the_export_lists_every_area_year_with_its_counts(bureau_user):
    area = jiaocheng()
    _some_values(area, 2024, bureau_user, 3)
    response = logged_in(bureau_user).get("/submissions/rates/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("年份", "县（市、区）", "填报状态", "指标已填")
    mine = next(r for r in rows[1:] if r[0] == 2024 and r[1] == "交城县")
    assert mine[3] == 3 and mine[5] == 2


def test_the_overview_shows_each_countys_reporting_timeliness(bureau_user, jiaocheng_officer):
    ReportingPeriod.objects.create(year=2024, due_on=date(2025, 3, 31))
    _some_values(jiaocheng(), 2024, bureau_user, 3)
    submit(Area.objects.get(code="141123"), 2024, date(2025, 4, 2))
    page = logged_in(bureau_user).get("/?year=2024").content.decode()
    table = page.split('id="county-table"')[1].split("</table>")[0]
    xing = table.split('data-code="141123"')[1].split("</tr>")[0]
    assert "已提交待审核 · " in xing and "逾期提交" in xing
    # an officer sees the reporting state of their own county only
    mine = logged_in(jiaocheng_officer).get("/?year=2024").content.decode()
    table = mine.split('id="county-table"')[1].split("</table>")[0]
    assert "逾期未报" in table.split('data-code="141122"')[1].split("</tr>")[0]
    assert "逾期提交" not in table
