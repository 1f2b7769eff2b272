import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from counties.models import Area
from indicators.models import DeclaredFigure, Domain, Indicator, IndicatorValue, TaskArea
from lvliang_eco.seed import FIXTURES_DIR, SeedError, seed_load
from projects.models import InvestmentRow, ProjectGroup, ProjectIndicatorLink

MODELS = [
    Area,
    Domain,
    TaskArea,
    Indicator,
    IndicatorValue,
    DeclaredFigure,
    ProjectGroup,
    InvestmentRow,
    ProjectIndicatorLink,
    InvestmentRow.counties.through,
]


def snapshot() -> dict:
    data = {}
    for model in MODELS:
        rows = list(model.objects.order_by("pk").values())
        for row in rows:
            row.pop("updated_at", None)
        data[model._meta.label] = rows
    return data


pytestmark = pytest.mark.django_db


def test_it_loads_every_table_of_the_plan():
    assert Area.objects.count() == 14
    assert Area.objects.counties().count() == 13
    assert Domain.objects.count() == 6
    assert TaskArea.objects.count() == 10
    assert Indicator.objects.filter(parent__isnull=True).count() == 40
    assert Indicator.objects.filter(parent__isnull=False).count() == 15
    assert IndicatorValue.objects.filter(area__code="141100", year=2022).count() == 48
    assert ProjectGroup.objects.count() == 65
    assert InvestmentRow.objects.count() == 134


def test_it_parses_numbers_and_judgements_while_keeping_the_text():
    value = IndicatorValue.objects.get(indicator__code="7.1", area__code="141100", year=2022)
    assert value.value_text == "87.4，考核要求持续改善"
    assert value.number == Decimal("87.4")
    assert value.judgement == IndicatorValue.Judgement.MET
    assert value.source == IndicatorValue.Source.SEED
    negative = IndicatorValue.objects.get(indicator__code="22", year=2022)
    assert (negative.number, negative.judgement) == (Decimal("-4.03"), "not_met")
    unknown = IndicatorValue.objects.get(indicator__code="24", year=2022)
    assert (unknown.number, unknown.judgement, unknown.judgement_printed) == (None, "", "--")


def test_it_keeps_not_given_amounts_apart_from_zero():
    not_given = InvestmentRow.objects.filter(amount_kind="not_given")
    assert not_given.count() == 14
    assert not not_given.filter(amount__isnull=False).exists()
    assert InvestmentRow.objects.filter(amount=0).count() == 0


def test_it_fills_merged_cells_from_the_row_above():
    row = InvestmentRow.objects.get(group__domain__name="生态安全", group__order=11, order=2)
    assert (row.funding_source_printed, row.funding_source) == ("", "企业自筹")
    assert row.funding_kind == "enterprise"
    assert (row.first_year, row.last_year) == (2025, 2025)
    wind = InvestmentRow.objects.get(group__domain__name="生态经济", group__order=4, order=3)
    assert (wind.responsible_unit_printed, wind.responsible_unit) == ("", "交城县能源局")


def test_running_it_twice_changes_nothing():
    before = snapshot()
    report = seed_load()
    assert all(f.new == 0 and f.updated == 0 for f in report.files)
    assert report.rows_changed == 0
    assert snapshot() == before


def test_the_command_reports_counts_and_unresolved_places():
    from io import StringIO

    out = StringIO()
    call_command("load_seed", stdout=out)
    text = out.getvalue()
    assert "investment_rows.csv      新增    0  更新    0  未变  134" in text
    assert "实施地点未能完全识别的投资明细 5 行" in text
    assert "其他自然保护地等" in text


def test_a_bad_file_changes_nothing_and_says_which_row(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, directory)
    path = directory / "investment_rows.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",392,", ",-392,", 1), encoding="utf-8"
    )
    indicators = directory / "indicators.csv"
    indicators.write_text(
        indicators.read_text(encoding="utf-8").replace("河长制", "河长制（改）"), encoding="utf-8"
    )
    before = snapshot()
    with pytest.raises(SeedError) as error:
        seed_load(directory)
    assert "investment_rows.csv 导入失败" in str(error.value)
    assert "第4行" in str(error.value)
    assert "投资概算不能为负数" in str(error.value)
    assert snapshot() == before
