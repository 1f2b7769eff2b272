"""The one write path, tried the second time: every route (upload, admin form, admin import,
command line) × (new value, change, withdrawal) × value kind (number, percentage, state, 是/否,
bound such as `≥96`). Whatever route wrote a value, what is stored is what the reported text
says, every reader (compliance, value page, matrix, indicator chart, Table 1 export) shows it
and judges on it, and the history has one row per field that really changed.

The oracle is written here from the standards themselves (3: ≥20 %, 22: ≥4.5, 28: ≥95 %,
2: 有效开展, 9: 完成上级规定的目标任务), not from the code under test.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from indicators.compliance import compliance
from indicators.models import IndicatorValue
from submissions import services
from submissions.models import ValueChange
from tests.conftest import logged_in

from .helpers import ROUTES, Typed, jiaocheng, report, template

pytestmark = pytest.mark.django_db

JIAOCHENG = "141122"
YEAR = 2025


@dataclass(frozen=True)
class Kind:
    code: str
    number: str  # "value", "bound" or "" (a choice)
    choices: tuple[str, ...] = ()


KINDS = {
    "number": Kind("22", "value"),  # ≥4.5, a rate: may be negative
    "percentage": Kind("3", "value"),  # ≥20, a share: 0–100
    "state": Kind("2", "", ("有效开展", "否")),
    "yes_no": Kind("9", "", ("是", "否")),
    "bound": Kind("28", "bound"),  # ≥95, reported as a bound
}


def _decimal(low: str, high: str):
    return st.decimals(
        min_value=Decimal(low), max_value=Decimal(high), places=2, allow_nan=False
    ).map(lambda d: d.normalize() if d == d.to_integral_value() else d)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@st.composite
def typed_values(draw, kind: Kind) -> Typed:
    note = draw(st.sampled_from(["", "统计局数据", "含开发区"]))
    if kind.number == "value":
        low, high = ("-50", "100") if kind.code == "22" else ("0", "100")  # a fall ≤ 100%
        return Typed(_plain(draw(_decimal(low, high))), note=note)
    if kind.number == "bound":
        sign = draw(st.sampled_from(["≥", "≤"]))
        number = draw(_decimal("95", "100") if sign == "≥" else _decimal("0", "94.99"))
        return Typed(sign + _plain(number), note=note)
    return Typed(choice=draw(st.sampled_from(kind.choices)), note=note)


def expected_status(kind: Kind, typed: Typed) -> str:
    """The standard, read by hand."""
    if kind.code == "22":
        return "met" if Decimal(typed.text) >= Decimal("4.5") else "not_met"
    if kind.code == "3":
        return "met" if Decimal(typed.text) >= 20 else "not_met"
    if kind.code == "28":
        return "met" if typed.text.startswith("≥") else "not_met"  # ≥95..100 / ≤ below 95
    return "met" if typed.choice in {"有效开展", "是"} else "not_met"


def seen() -> dict[str, tuple[str, str, str]]:
    """Every value of 交城县 2025 as a person sees it: (value text, choice, note)."""
    out = {}
    for value in IndicatorValue.objects.filter(area__code=JIAOCHENG, year=YEAR).select_related(
        "indicator"
    ):
        choice = "是" if value.flag is True else "否" if value.flag is False else value.state
        text = "" if value.value_text == choice else value.value_text
        out[value.indicator.code] = (text, choice, value.note)
    return out


# --------------------------------------------------------------------------------------------
# Readers


def assert_read_everywhere(client, kind: Kind, typed: Typed | None) -> None:
    """compliance, the value page, the matrix, the indicator chart and the Table 1 export all
    show `typed` (None: withdrawn, nothing reported) and judge on it."""
    status = "no_data" if typed is None else expected_status(kind, typed)
    label = {"met": "达标", "not_met": "未达标", "no_data": "无数据"}[status]
    area = compliance(year=YEAR, area_codes=[JIAOCHENG]).areas[0]
    result = next(r for r in area.indicators if r.indicator.code == kind.code)
    assert result.status == status, result.assessment.reason
    if typed is not None and kind.number:
        sign = typed.text[0] if typed.text[0] in "≥≤" else ""
        assert result.value.number == Decimal(typed.text.lstrip("≥≤"))
        assert result.value.value_text == typed.text and sign in result.value.value_text
    page = client.get(f"/submissions/{JIAOCHENG}/{YEAR}/values/{kind.code}/").content.decode()
    if typed is not None:
        assert (typed.text or typed.choice) in page
    matrix = client.get(f"/counties/?year={YEAR}").content.decode()
    assert re.search(rf'title="交城县 {kind.code} [^"]*：{label}[（"]', matrix), label
    sheet = load_workbook(
        io.BytesIO(
            b"".join(
                client.get(f"/exports/table1.xlsx?area={JIAOCHENG}&year={YEAR}").streaming_content
            )
        )
    ).active
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if str(r[2]) == kind.code)
    shown = typed.text or typed.choice if typed else ""
    assert (row[6] or "") == shown and row[7].startswith(label), row
    if kind.number and typed is not None:
        chart = client.get(f"/indicators/{kind.code}/").content.decode()
        name = "交城县".encode("unicode_escape").decode()  # plotly escapes non-ASCII in JSON
        series = re.search(rf'"name":"{re.escape(name)}","x":\[([^\]]*)\],"y":\[([^\]]*)\]', chart)
        assert series, "交城县 is charted"
        years = [y.strip('"') for y in series.group(1).split(",")]
        points = dict(zip(years, series.group(2).split(","), strict=True))
        assert Decimal(points[str(YEAR)]) == Decimal(typed.text.lstrip("≥≤"))


# Every first route × value kind is its own test, so each combination runs on every run; the
# second route and the values are drawn. Examples run against the database and render five
# pages each: a few per combination (many more with HYPOTHESIS_PROFILE=thorough, see
# tests/conftest.py), and no shrinking (a failing example prints its draws).
PER_COMBINATION = max(2, settings.default.max_examples // 10)


@pytest.mark.parametrize("kind_name", sorted(KINDS))
@pytest.mark.parametrize("first_route", ROUTES)
@settings(
    max_examples=PER_COMBINATION,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_it_stores_shows_and_judges_what_was_reported_by_every_route(
    first_route, kind_name, data, jiaocheng_officer, bureau_user, leader, tmp_path
):
    with transaction.atomic():  # each example starts from the same database
        _report_twice(
            data, KINDS[kind_name], first_route, jiaocheng_officer, bureau_user, leader, tmp_path
        )
        transaction.set_rollback(True)


def _report_twice(data, kind: Kind, first_route: str, officer, bureau, leader, tmp_path) -> None:
    client = logged_in(leader)
    client.get("/?data=all")  # the leadership reads approved years only unless it asks
    for step in ("first", "second"):
        route = (
            first_route if step == "first" else data.draw(st.sampled_from(ROUTES), label="route")
        )
        withdraw = step == "second" and data.draw(st.booleans(), label="withdraw")
        typed = Typed(withdraw=True) if withdraw else data.draw(typed_values(kind), label=step)
        before = seen()
        history = ValueChange.objects.count()
        report(route, kind.code, typed, officer=officer, bureau=bureau, tmp_path=tmp_path)
        after = seen()
        changed = {c for c in before.keys() | after.keys() if before.get(c) != after.get(c)}
        assert changed <= {kind.code}, f"{route} changed other values: {changed}"
        if withdraw:
            assert kind.code not in after
        else:
            assert after[kind.code] == (typed.text, typed.choice, typed.note)
        old, new = before.get(kind.code, ("", "", "")), after.get(kind.code, ("", "", ""))
        fields = sum(1 for a, b in zip(old, new, strict=True) if a != b)
        assert ValueChange.objects.count() - history == fields, route
        assert_read_everywhere(client, kind, None if withdraw else typed)
    # Whatever route wrote it, the template downloaded now reads back as no change at all.
    history = ValueChange.objects.count()
    upload = services.upload_preview(
        user=officer,
        area=jiaocheng(),
        year=YEAR,
        name="原样.xlsx",
        content=template(JIAOCHENG, YEAR),
    )
    assert (upload.added, upload.changed) == (0, 0), [
        r for r in upload.preview_rows("indicators") if r["changed"]
    ]
    services.upload_confirm(user=officer, upload=upload)
    assert ValueChange.objects.count() == history
