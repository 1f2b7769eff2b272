"""Assessment results as data (indicators.results): after every kind of change, by every route,
the stored results equal a fresh computation; a viewer's stored results equal the computation
with that viewer's filter; drift is reported and repaired by the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from counties.access import visibility
from counties.models import Area
from indicators.compliance import compliance_years, years_with_values
from indicators.models import AssessmentResult, Indicator, Scope, StandardOverride
from indicators.results import results_drift, stored_compliance_years
from submissions import services
from submissions.reporting import ValueReport
from submissions.services import approved_results_watch
from tests.conftest import approve_directly, logged_in
from tests.lvliang_eco.test_admin import indicator_form
from tests.submissions.helpers import ROUTES, YEAR, Typed, jiaocheng, report

pytestmark = pytest.mark.django_db


def assert_no_drift() -> None:
    drift = results_drift()
    assert drift == [], [str(d) for d in drift[:5]]


def statuses(data) -> dict:
    """(area, year, indicator) → (status, basis, reason, value text, standard, progress)."""
    out = {}
    for year, result in data.items():
        for area in result.areas:
            out[(area.area.code, year, "*")] = (area.summary, area.reaches_standard)
            for item in area.all_results():
                out[(area.area.code, year, item.indicator.code)] = (
                    item.status, item.assessment.basis, item.assessment.reason,
                    item.value.value_text if item.value else None, item.standard,
                    {y: (p.status, p.reason, p.gap) for y, p in item.progress.items()},
                    item.override.pk if item.override else None,
                )  # fmt: skip
        out[(year, "goals")] = result.goals
    return out


def test_the_seed_is_stored_and_equals_a_fresh_computation():
    years = years_with_values()
    assert years and AssessmentResult.objects.filter(year=years[0], scope=Scope.ALL).count() == (
        Area.objects.count() * Indicator.objects.count()
    )
    assert_no_drift()


@pytest.mark.parametrize("route", ROUTES)
def test_a_report_its_correction_and_withdrawal_by_every_route_keep_the_store_right(
    route, jiaocheng_officer, bureau_user, tmp_path
):
    people = {"officer": jiaocheng_officer, "bureau": bureau_user, "tmp_path": tmp_path}
    stored = AssessmentResult.objects.filter(
        scope=Scope.ALL, area=jiaocheng(), year=YEAR, indicator__code="28"
    )
    report(route, "28", Typed(text="96.5"), **people)  # the year's first value: a new year
    assert_no_drift()
    assert stored.get().status == "met"
    report(route, "28", Typed(text="80"), **people)  # a correction
    assert_no_drift()
    assert (stored.get().status, stored.get().value_text) == ("not_met", "80")
    report(route, "28", Typed(withdraw=True), **people)  # the year's last value withdrawn
    assert_no_drift()
    assert not AssessmentResult.objects.filter(year=YEAR).exists()


def test_a_change_reaches_the_following_years_trends_and_the_approved_scope(
    jiaocheng_officer, bureau_user
):
    for year, text in ((2024, "90"), (2025, "96.5")):
        services.report_save(
            area=jiaocheng(), year=year, values=[ValueReport("28", text=text)],
            route="form", user=jiaocheng_officer,
        )  # fmt: skip
    submission = services.submission_submit(
        user=jiaocheng_officer,
        submission=services.submission_get_or_create(area=jiaocheng(), year=2025),
        incomplete_ok=True,
    )
    approved = AssessmentResult.objects.filter(
        scope=Scope.APPROVED, area=jiaocheng(), year=2025, indicator__code="28"
    )
    assert approved.get().status == "no_data"  # not approved: other counties see nothing
    services.submission_approve(user=bureau_user, submission=submission)
    assert_no_drift()
    assert (approved.get().status, approved.get().value_text) == ("met", "96.5")
    services.submission_reopen(user=bureau_user, submission=submission, reason="核实")
    assert_no_drift()
    assert approved.get().status == "no_data"
    # 2024 corrected: 2025's progress (read from the series up to 2025) moves with it.
    services.report_save(
        area=jiaocheng(), year=2024, values=[ValueReport("28", text="40")],
        route="form", user=jiaocheng_officer,
    )  # fmt: skip
    assert_no_drift()


def test_rule_override_group_and_area_edits_rebuild_the_store(bureau_user, jiaocheng_officer):
    services.report_save(
        area=jiaocheng(), year=YEAR, values=[ValueReport("29", text="45")],
        route="form", user=jiaocheng_officer,
    )  # fmt: skip
    row = AssessmentResult.objects.filter(
        scope=Scope.ALL, area=jiaocheng(), year=YEAR, indicator__code="29"
    )
    assert row.get().status == "not_met"  # 45 < 50
    indicator = Indicator.objects.get(code="29")
    client = logged_in(bureau_user)
    rule = '{"kind": "threshold", "op": ">=", "value": "40"}'
    url = f"/admin/indicators/indicator/{indicator.pk}/change/"
    assert client.post(url, indicator_form(indicator, standard_rule=rule)).status_code == 302
    assert_no_drift()
    assert row.get().status == "met"
    with approved_results_watch(user=bureau_user, what="测试", via="admin"):
        override = StandardOverride.objects.create(
            indicator=indicator, area=jiaocheng(), standard="≥60",
            rule={"kind": "threshold", "op": ">=", "value": "60"}, reason="本县标准",
        )  # fmt: skip
    assert_no_drift()
    assert (row.get().status, row.get().override_id_used) == ("not_met", override.pk)
    area = jiaocheng()
    response = client.post(
        f"/admin/counties/area/{area.pk}/change/",
        {
            "code": area.code, "name": area.name, "short_name": area.short_name,
            "kind": area.kind, "terrain": "中山区" if area.terrain != "中山区" else "平川区",
            "climate_zone": area.climate_zone, "parent": area.parent_id or "",
            "order": area.order,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_no_drift()


def test_a_viewers_stored_results_equal_the_computation_with_their_filter(
    jiaocheng_officer, xingxian_officer, bureau_user, leader
):
    """Each persona reads, area by area, one scope of the store: the same statuses, values,
    progress and goal counts as computing with their own filter (another county's unapproved
    year counts for nobody but that county and the bureau)."""
    for officer, code in ((jiaocheng_officer, "141122"), (xingxian_officer, "141123")):
        services.report_save(
            area=Area.objects.get(code=code), year=YEAR,
            values=[ValueReport("28", text="96.5")], route="form", user=officer,
        )  # fmt: skip
    submission = services.submission_submit(
        user=xingxian_officer,
        submission=services.submission_get_or_create(
            area=Area.objects.get(code="141123"), year=YEAR
        ),
        incomplete_ok=True,
    )
    services.submission_approve(user=bureau_user, submission=submission)
    for user, scope in (
        (jiaocheng_officer, None), (xingxian_officer, None), (bureau_user, None),
        (bureau_user, "approved"), (leader, None), (leader, "all"),
    ):  # fmt: skip
        vis = visibility(user, scope)
        years = years_with_values(counts=vis.counts)
        fresh = compliance_years(years=years, counts=vis.counts)
        stored = stored_compliance_years(years=years, scope_of=vis.result_scope, counts=vis.counts)
        assert statuses(stored) == statuses(fresh), (user.username, scope)


def test_the_command_reports_drift_and_the_rebuild_repairs_it():
    out = io.StringIO()
    call_command("results", "--verify", stdout=out)
    assert "完全一致" in out.getvalue()
    AssessmentResult.objects.filter(indicator__code="28", area__code="141100").update(
        status="not_met", reason="改动"
    )
    with pytest.raises(CommandError, match=r"有 \d+ 处与重新计算不一致"):
        call_command("results", "--verify", stdout=(out := io.StringIO()))
    assert "141100" in out.getvalue() and "status" in out.getvalue()
    call_command("results", "--rebuild", stdout=io.StringIO())
    assert_no_drift()


def test_reading_the_store_costs_the_same_queries_for_one_year_or_all():
    years = years_with_values()
    counts = []
    for wanted in (years[:1], years):
        with CaptureQueriesContext(connection) as queries:
            stored_compliance_years(years=wanted, scope_of=lambda _: Scope.ALL)
        counts.append(len(queries))
    assert counts[0] == counts[1]


TEXTS = st.sampled_from(["96.5", "80", "0", "100", "≥95", "撤回"])


@hypothesis_settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["141122", "141123", "141100"]),
            st.sampled_from([2023, 2024, 2025]),
            st.sampled_from(["28", "29", "5"]),
            TEXTS,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_of_reports_and_withdrawals_leaves_no_drift(steps, bureau_user):
    """Counties' years approved and not, and the city, whose values the approved scope always
    counts: a report to a county's unapproved year refreshes only the `all` scope, and the
    approved scope must still equal a fresh computation."""
    approve_directly("141123", 2023)
    for code, year, indicator, text in steps:
        area = Area.objects.get(code=code)
        withdraw = text == "撤回"
        try:
            services.report_save(
                area=area, year=year, route="form", user=bureau_user,
                values=[ValueReport(
                    indicator, text=text, note="数据有误，撤回" if withdraw else "",
                )],
            )  # fmt: skip
        except services.ReportRefused:
            pass  # withdrawing what was never reported: refused, nothing changes
        except services.SubmissionError:
            assert (code, year) == ("141123", 2023)  # approved: locked
    assert_no_drift()


@pytest.mark.parametrize(
    "reports",
    [
        [(2023, "≥95"), (2024, "≥95")],
        [(2024, "≥95"), (2023, "≥95")],
        [(2025, "≥95"), (2023, "≥95")],
        [(2023, "≥95"), (2024, "96.5"), (2025, "≥95")],
    ],
)
def test_a_bound_reported_in_several_years_is_read_year_by_year(reports, bureau_user):
    """A year's progress reads the latest bound up to that year, never a later one: storing the
    earlier year first (the refresh writes it alone) and computing all years together agree."""
    area = Area.objects.get(code="141123")
    for year, text in reports:
        services.report_save(
            area=area, year=year, route="form", user=bureau_user, values=[ValueReport("29", text)]
        )
    assert_no_drift()
    stored = AssessmentResult.objects.get(
        scope=Scope.ALL, area=area, indicator__code="29", year=2023
    )
    assert stored.progress["2030"]["status"] == "target_achieved"
    assert "（2023年）" in stored.progress["2030"]["reason"]


def test_the_flagged_results_equal_every_results_disagreements_and_judgements(
    jiaocheng_officer, bureau_user, leader
):
    """The data-quality page reads only the flagged rows (results_flagged): the same list and
    count as going through every result, for each viewer."""
    from indicators.results import results_flagged, results_years

    for code in ("141100", "141122", "141123"):  # recorded 达标 beside a value that is not
        services.report_save(
            area=Area.objects.get(code=code), year=YEAR, user=bureau_user, route="admin",
            values=[ValueReport("28", text="50", judgement="met")],
        )  # fmt: skip
    for user, scope in ((bureau_user, None), (bureau_user, "approved"), (leader, None),
                        (jiaocheng_officer, None)):  # fmt: skip
        vis = visibility(user, scope)
        years = years_with_values(counts=vis.counts)
        expected, judged = [], 0
        for year, data in results_years(vis, years=years).items():
            for area in data.areas:
                expected += [(year, area.area.code, r.indicator.code, r.status, r.value.judgement)
                             for r in area.disagreements()]  # fmt: skip
                judged += len(area.judged())
        rows, count = results_flagged(vis, years=years)
        found = [(d["year"], d["area"].code, d["indicator"].code, d["assessment"].status,
                  d["judgement"]) for d in rows]  # fmt: skip
        assert found == expected and count == judged, (user.username, scope)
        assert judged > 0
        seen = {code for _, code, *_ in found}
        assert "141100" in seen
        assert ("141122" in seen) == (scope != "approved" and user != leader), user.username
