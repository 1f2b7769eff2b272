import json
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from counties.models import Area
from indicators.models import Domain
from projects.models import InvestmentRow, ProjectGroup
from projects.selectors import amount_blocks, investment_rows, investment_summary
from tests.fixtures.seedfiles import read

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("investment_summary", *args, stdout=out)
    return out.getvalue()


def test_it_totals_each_domain_as_the_rows_add_up():
    expected: dict[str, int] = defaultdict(int)
    for row in read("investment_rows.csv"):
        if row["amount"].isdigit():
            expected[row["domain"]] += int(row["amount"])
    data = json.loads(run("--format", "json"))
    assert {d["domain"]: d["total"] for d in data["domains"]} == expected
    assert data["total"] == sum(expected.values()) == 16329006


def test_it_shows_the_documents_declared_figures_beside_the_sums():
    data = json.loads(run("--format", "json"))
    system = next(d for d in data["domains"] if d["domain"] == "生态制度")
    assert (system["total"], system["declared_total"]) == (4164, 4146)
    assert (system["groups"], system["rows"], system["not_given_rows"]) == (11, 32, 9)
    safety = next(d for d in data["domains"] if d["domain"] == "生态安全")
    # Government = budget-funded rows (merged funding cells filled from the row above).
    assert (safety["government"], safety["declared_government"]) == (514703, 514703)
    assert safety["enterprise"] == 8000 + 5000 + 3000 + 7500
    economy = next(d for d in data["domains"] if d["domain"] == "生态经济")
    assert economy["government"] == economy["declared_government"] == 318000
    assert (data["declared_total"], data["declared_government"]) == (16328988, 2025449)


def test_it_splits_money_into_sole_shared_city_wide_and_unresolved():
    data = investment_summary()
    by_name = {c["name"]: c for c in data["counties"]}
    # 兴县 alone: solar 7000000, wind 76000, solid waste 108000, forest rights 48.
    assert by_name["兴县"]["sole"] == Decimal("7184048")
    assert data["city_wide"] == 1500 + 30 + 12000 + 7500 + 3000 + 9800 + 10000
    assert data["unresolved"] == 500 + 1000 + 5000 + 15000 + 240000
    assert data["unresolved_rows"] == 5
    spread = sum(c["sole"] + c["shared_estimate"] for c in data["counties"])
    accounted = spread + data["city_wide"] + data["unresolved"]
    assert abs(accounted - data["total"]) < Decimal("0.1")  # shares are rounded to 0.01


def test_a_merged_amount_is_shared_by_every_row_it_covers():
    blocks = amount_blocks(investment_rows())
    clear_water = next(b for b in blocks if b.amount == Decimal("132330"))
    assert len(clear_water.rows) == 4
    assert {a.short_name for r in clear_water.rows for a in r.counties.all()} == {
        "文水",
        "汾阳",
        "交城",
        "孝义",
    }


def test_not_given_amounts_count_in_no_total():
    row = InvestmentRow.objects.get(group__domain__name="生态制度", group__order=1, order=1)
    assert (row.amount_printed, row.amount) == ("--", None)
    data = investment_summary()
    assert sum(d["not_given_rows"] for d in data["domains"]) == 14


def test_it_prints_a_table_in_chinese():
    text = run("--format", "table")
    assert "按领域（万元）" in text
    assert "兴县" in text and "7,184,048" in text
    assert "全市性（不分县）：43,830 万元" in text


def test_it_reads_in_a_fixed_number_of_queries_whatever_the_rows(django_assert_num_queries):
    with django_assert_num_queries(6):
        investment_summary()
    group = ProjectGroup.objects.create(
        domain=Domain.objects.get(name="生态文化"), order=99, number="99", name="测试工程"
    )
    counties = list(Area.objects.counties())
    for order in range(1, 31):
        row = InvestmentRow.objects.create(
            group=group,
            order=order,
            amount_printed="10",
            amount=10,
            amount_kind="given",
            place="测试",
            scope="counties",
            funding_kind="government",
        )
        row.counties.set(counties[: order % 13 + 1])
    with django_assert_num_queries(6):
        data = investment_summary()
    assert data["total"] == 16329006 + 300
