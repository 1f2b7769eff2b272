import re
from io import StringIO

import pytest
from django.core.management import call_command

from counties.models import Milestone
from indicators.compliance import compliance
from indicators.models import IndicatorValue, StandardOverride
from tests.conftest import logged_in
from tests.lvliang_eco.test_load_seed import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_environment(settings):
    """The demo commands run only with DEBUG on (make run)."""
    settings.DEBUG = True


def test_it_fills_three_years_for_every_county_marked_as_demo():
    call_command("load_demo", stdout=StringIO())
    demo = IndicatorValue.objects.filter(source="demo")
    counties = set(demo.values_list("area__code", flat=True))
    assert len(counties - {"141100"}) == 13
    assert set(demo.values_list("year", flat=True)) == {2022, 2023, 2024}
    assert not demo.filter(area__code="141100", year=2022).exists()  # the plan's own values
    assert all(v.source_detail == "由 load_demo 命令生成" for v in demo[:50])


def test_some_counties_reach_the_standard_and_some_do_not():
    call_command("load_demo", stdout=StringIO())
    for year in (2022, 2023, 2024):
        counties = [a for a in compliance(year=year).areas if not a.area.is_city]
        reaching = sum(a.reaches_standard for a in counties)
        assert 0 < reaching < 13, year
    gaps = [a for a in compliance(year=2024).areas if a.summary["no_data"]]
    assert gaps, "weak counties leave gaps"


def test_clear_demo_removes_exactly_the_demo_rows():
    before = snapshot()
    milestones = list(Milestone.objects.order_by("pk").values())
    call_command("load_demo", stdout=StringIO())
    assert StandardOverride.objects.filter(is_demo=True).exists()
    out = StringIO()
    call_command("clear_demo", stdout=out)
    assert "已清除演示数据" in out.getvalue()
    assert snapshot() == before
    assert list(Milestone.objects.order_by("pk").values()) == milestones
    assert not StandardOverride.objects.exists()


def test_loading_twice_gives_the_same_data():
    call_command("load_demo", stdout=StringIO())
    first = list(
        IndicatorValue.objects.filter(source="demo").values_list(
            "area__code", "year", "indicator__code", "value_text", "flag"
        )
    )
    call_command("load_demo", stdout=StringIO())
    second = list(
        IndicatorValue.objects.filter(source="demo").values_list(
            "area__code", "year", "indicator__code", "value_text", "flag"
        )
    )
    assert sorted(first) == sorted(second)


def test_every_page_says_demo_data_is_shown(leader):
    client = logged_in(leader)
    assert "演示数据" not in client.get("/").content.decode()
    call_command("load_demo", stdout=StringIO())
    assert "当前数据含<strong>演示数据</strong>" in client.get("/").content.decode()
    call_command("clear_demo", stdout=StringIO())
    assert "演示数据" not in client.get("/").content.decode()


def test_the_overview_shows_the_same_numbers_as_the_command(leader):
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("compliance", "--year", "2024", "--area", "all", stdout=out)
    text = out.getvalue()
    count = re.search(r"2024年达到建设标准的县（市、区）：(\d+)/13（(.*)）", text)
    page = logged_in(leader).get("/?year=2024&data=all").content.decode()
    assert (
        f"达到建设标准的县（市、区）：<strong>{count.group(1)}</strong> / 13（{count.group(2)}）"
        in page
    )
    data = compliance(year=2024)
    for area in data.areas:
        if area.area.is_city:
            continue
        s = area.summary
        row = re.search(rf'<tr data-code="{area.area.code}">(.*?)</tr>', page, re.S).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        counts = [str(s[k]) for k in ("met", "not_met", "no_data", "needs_review")]
        binding = f"{s['binding_met']}/{s['binding_total']}"
        reference = f"{s['reference_met']}/{s['reference_total']}"
        assert cells[1:7] == [*counts, binding, reference]
        assert ("达到" if area.reaches_standard else "未达到") in cells[7]


def test_every_page_honours_the_chosen_year_and_ignores_a_bad_one(leader):
    call_command("load_demo", stdout=StringIO())
    client = logged_in(leader)
    assert "2023年概览" in client.get("/?year=2023").content.decode()
    # The choice is kept while moving between pages, and a year without data is ignored.
    assert "各县对比：2023年" in client.get("/counties/").content.decode()
    assert "2023年概览" in client.get("/?year=1999").content.decode()
    assert "2024年概览" in logged_in(leader).get("/?year=abc").content.decode()


def test_reported_data_is_never_demo_and_survives_the_demo_commands(jiaocheng_officer):
    from counties.models import Area
    from projects.models import ProjectProgress
    from submissions import services
    from tests.submissions.helpers import GOOD, fill, template

    upload = services.upload_preview(
        user=jiaocheng_officer, area=Area.objects.get(code="141122"), year=2024, name="x.xlsx",
        content=fill(template(year=2024), GOOD, {"4-4-2": ("在建", 100, None)}),
    )  # fmt: skip
    services.upload_confirm(user=jiaocheng_officer, upload=upload)
    call_command("load_demo", stdout=StringIO())  # must not collide with reported rows
    call_command("clear_demo", stdout=StringIO())
    assert (
        IndicatorValue.objects.filter(area__code="141122", year=2024, source="upload").count() == 4
    )
    assert (
        ProjectProgress.objects.filter(area__code="141122", year=2024, is_demo=False).count() == 1
    )


def test_the_admin_says_demo_data_is_shown_too(bureau_user):
    client = logged_in(bureau_user)
    assert "演示数据" not in client.get("/admin/").content.decode()
    call_command("load_demo", stdout=StringIO())
    assert "当前数据含<strong>演示数据</strong>" in client.get("/admin/").content.decode()


def test_the_tests_bulk_copy_of_the_demo_equals_what_demo_load_writes(monkeypatch):
    """tests.conftest.demo_loaded() stands in for demo_load() in many tests: the rows it copies
    must be the rows demo_load() writes (times of writing and generated keys aside)."""
    from django.db import models, transaction

    from lvliang_eco.demo import demo_load
    from tests import conftest

    kept = transaction.savepoint()
    tables = list(conftest.demo_loaded())  # run, or copied if this state was met before
    transaction.savepoint_rollback(kept)
    assert {m.__name__ for m in tables} >= {"IndicatorValue", "ValueChange"}

    def state() -> dict:
        found = {}
        for model in tables:
            if model._meta.label == "lvliang_eco.DataVersion":
                continue  # a random token by design
            _, rows = conftest._rows(model)
            # Left out: times of writing, and the keys of rows written (PostgreSQL's
            # sequences do not roll back with the savepoint, so they differ run to run).
            moments = [
                n for n, f in enumerate(model._meta.concrete_fields)
                if isinstance(f, models.DateTimeField) or f.primary_key
                or (f.is_relation and f.related_model in tables)
                or f.name.endswith("_id_used")  # keys of overrides, kept as numbers
            ]  # fmt: skip
            found[model] = sorted(
                (tuple(v for n, v in enumerate(r) if n not in moments) for r in rows), key=repr
            )
        return found

    kept = transaction.savepoint()
    demo_load()
    written = state()
    transaction.savepoint_rollback(kept)

    def refuse():
        raise AssertionError("demo_loaded ran demo_load instead of copying its rows")

    monkeypatch.setattr(conftest, "demo_load", refuse)  # read when demo_loaded runs
    conftest.demo_loaded()
    copied = state()
    assert copied == written and sum(map(len, copied.values())) > 1000
    # Rows written afterwards get new keys (the sequences follow the copy).
    value = IndicatorValue.objects.filter(source="demo").first()
    value.pk = None
    value.year = 2031
    value.save()
    assert value.pk > max(IndicatorValue.objects.exclude(pk=value.pk).values_list("pk", flat=True))
