"""rows_insert (the write path's bulk insert of values, history and results) stores what
Django's own save would: JSON with Decimals, nulls, aware datetimes, decimals, across the
statements it splits a large insert into."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counties.models import Area
from indicators.models import AssessmentResult, Indicator, IndicatorValue, Scope
from lvliang_eco.bulk import rows_insert, rows_per_statement

pytestmark = pytest.mark.django_db

NAMES = ("scope", "area", "indicator", "year", "computed_at", "status", "basis", "reason",
         "computed", "value_text", "standard", "rule", "rule_version", "agrees",
         "override_id_used", "group_id_used", "city_bar_note", "progress")  # fmt: skip
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20)


def result_row(area: Area, indicator: Indicator, year: int, **changes) -> tuple:
    fields = {
        "scope": Scope.ALL, "area": area.pk, "indicator": indicator.pk, "year": year,
        "computed_at": timezone.now(), "status": "met", "basis": "rule", "reason": "96 ≥ 95",
        "computed": "met", "value_text": "96", "standard": "≥95",
        "rule": {"kind": "threshold", "op": ">=", "value": Decimal("95")},
        "rule_version": "0123456789abcdef", "agrees": None, "override_id_used": None,
        "group_id_used": None, "city_bar_note": "", "progress": {},
        **changes,
    }  # fmt: skip
    return tuple(fields[name] for name in NAMES)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reason=TEXT,
    agrees=st.none() | st.booleans(),
    ratio=st.decimals(places=4, min_value=-1000, max_value=1000, allow_nan=False),
    override=st.none() | st.integers(1, 2**31 - 1),
)
def test_it_stores_a_row_as_djangos_own_save_does(reason, agrees, ratio, override):
    area, indicator = Area.objects.get(code="141122"), Indicator.objects.get(code="29")
    at = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
    progress = {"2025": {"status": "on_track", "ratio": ratio, "details": [1, "二"]}}
    AssessmentResult.objects.filter(area=area, indicator=indicator, year=2031).delete()
    rows_insert(
        AssessmentResult, NAMES,
        [result_row(area, indicator, 2031, reason=reason, agrees=agrees, computed_at=at,
                    override_id_used=override, progress=progress)],
    )  # fmt: skip
    stored = AssessmentResult.objects.get(area=area, indicator=indicator, year=2031)
    assert (stored.reason, stored.agrees, stored.override_id_used) == (reason, agrees, override)
    assert stored.computed_at == at
    assert stored.rule == {"kind": "threshold", "op": ">=", "value": "95"}
    assert stored.progress == {
        "2025": {"status": "on_track", "ratio": str(ratio), "details": [1, "二"]}
    }
    # the same result saved by Django: every column holds the same
    AssessmentResult.objects.filter(area=area, indicator=indicator, year=2032).delete()
    fields = dict(zip(NAMES, result_row(area, indicator, 2032, reason=reason, agrees=agrees,
                                        computed_at=at, override_id_used=override,
                                        progress=progress), strict=True))  # fmt: skip
    fields.update(area=area, indicator=indicator)
    AssessmentResult.objects.create(**fields)
    ours, django = (
        AssessmentResult.objects.filter(area=area, indicator=indicator, year=year)
        .values(*(f for f in NAMES if f != "year"))
        .get()
        for year in (2031, 2032)
    )
    assert ours == django


def test_it_splits_a_large_insert_into_statements_and_every_row_arrives():
    area = Area.objects.get(code="141122")
    indicators = list(Indicator.objects.all())
    per = rows_per_statement(connection, len(NAMES))
    years = range(2100, 2100 + (per * 2 + 7) // len(indicators) + 1)
    rows = [result_row(area, i, y) for y in years for i in indicators]
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert rows_insert(AssessmentResult, NAMES, rows) == len(rows)
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == -(-len(rows) // per)
    assert AssessmentResult.objects.filter(year__in=years).count() == len(rows)


def test_it_writes_decimals_and_foreign_keys_by_id_to_their_columns():
    area, indicator = Area.objects.get(code="141123"), Indicator.objects.get(code="28")
    IndicatorValue.objects.filter(area=area, indicator=indicator, year=2031).delete()
    now = timezone.now()
    rows_insert(
        IndicatorValue,
        ("area", "year", "indicator", "value_text", "number", "state", "flag", "note",
         "judgement", "judgement_printed", "source", "source_detail", "updated_at",
         "updated_by_id"),
        [(area.pk, 2031, indicator.pk, "96.1250", Decimal("96.1250"), "", None, "", "", "",
          "form", "", now, None)],
    )  # fmt: skip
    stored = IndicatorValue.objects.get(area=area, indicator=indicator, year=2031)
    assert stored.number == Decimal("96.1250") and stored.updated_at == now


def test_it_refuses_a_statement_that_breaks_a_constraint_whole_and_keeps_earlier_ones():
    area, indicator = Area.objects.get(code="141122"), Indicator.objects.get(code="29")
    other = Indicator.objects.get(code="28")
    rows_insert(AssessmentResult, NAMES, [result_row(area, other, 2032)])
    row = result_row(area, indicator, 2032)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(AssessmentResult, NAMES, [row, row])  # one result per scope, area, year
    kept = AssessmentResult.objects.filter(year=2032).values_list("indicator__code", flat=True)
    assert list(kept) == ["28"]  # the earlier statement stays, no row of the refused one
