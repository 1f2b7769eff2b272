# ruff: noqa: E501 (report lines read best whole)
"""Benchmark of the dashboard pages (not a test): server time of each page, rendered in full and
from the kept content.

    python benchmarks/bench_pages.py [--counties 120] [--years 9] [--runs 3]

1. The plan's seed with the demo county data (13 counties, 2022–2024).
2. A generated province: N counties × the 40 indicators (55 with sub-indicators) × Y years.

Uses its own SQLite database in a temporary folder unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = [
    ("首页", "/"),
    ("各县对比", "/counties/"),
    ("县区页面", "/counties/141122/"),
    ("指标页面", "/indicators/28/"),
    ("投资", "/investment/"),
    ("数据核对", "/quality/"),
]


def setup() -> None:
    folder = tempfile.mkdtemp(prefix="lvliang-pages-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvliang_eco.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("STATIC_ROOT", f"{folder}/static")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from lvliang_eco.demo import demo_load
    from lvliang_eco.seed import seed_load

    seed_load()
    demo_load()


def measure(label: str, runs: int, login: str) -> dict[str, tuple[float, float]]:
    """Median time (s) of each page for a bureau user, rendered in full (the data version
    renewed before each request, as after any change: nothing kept applies) and from the kept
    content (lvliang_eco.pagecache); printed with the full render's queries and the size.
    Returns {page: (full, kept)}."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from counties.roles import Role
    from counties.services import user_create
    from lvliang_eco.pagecache import data_changed

    user = user_create(username=login, password="bench-pass-123", role=Role.BUREAU)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    print(label)
    medians = {}
    for name, url in PAGES:
        client.get(url)  # warm caches (templates, compiled regexes)
        full, warm = [], []
        for _ in range(runs):
            data_changed()
            start = time.perf_counter()
            response = client.get(url)
            full.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            start = time.perf_counter()
            client.get(url)
            warm.append(time.perf_counter() - start)
        data_changed()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        medians[name] = (statistics.median(full), statistics.median(warm))
        print(
            f"   {name:<6}{url:<22} 完整渲染 {medians[name][0] * 1000:7.0f} ms   已缓存 {medians[name][1] * 1000:6.1f} ms   查询 {len(queries):>3} 次   页面 {len(response.content) / 1024:6.0f} KB"
        )
    return medians


def province(counties: int, years: int) -> None:
    from counties.models import Area
    from indicators.models import Indicator, IndicatorValue

    city = Area.objects.get(code="141100")
    Area.objects.bulk_create(
        Area(
            code=f"15{n:04d}",
            name=f"生成县{n}",
            short_name=f"生{n}",
            kind="county",
            parent=city,
            order=100 + n,
            terrain="丘陵区",
        )
        for n in range(counties - 13)
    )
    areas = list(Area.objects.counties())
    leaves = [i for i in Indicator.objects.prefetch_related("subs") if not i.subs.all()]
    generator = random.Random(7)
    first = 2024 - years + 1
    existing = set(IndicatorValue.objects.values_list("area_id", "indicator_id", "year"))
    rows = [
        IndicatorValue(
            indicator=leaf,
            area=area,
            year=year,
            value_text=f"{generator.uniform(40, 100):.2f}",
            number=None,
            source="demo",
        )
        for area in areas
        for leaf in leaves
        for year in range(first, 2025)
        if (area.pk, leaf.pk, year) not in existing
    ]
    for row in rows:
        row.number = row.value_text
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    from indicators.results import results_rebuild

    start = time.perf_counter()
    written = results_rebuild()  # as after a bulk import: every stored result recomputed
    print(f"重建存储的达标计算结果：{written} 条，{time.perf_counter() - start:.1f} s")
    print(
        f"生成：{len(areas)} 个县（市、区）× {len(leaves)} 项可填报指标 × {years} 年（{first}–2024），共 {IndicatorValue.objects.count()} 条指标值"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=120)
    parser.add_argument("--years", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup()
    from django.db import connection

    print(f"数据库：{connection.vendor}")
    seed = measure("1. 规划数据 + 演示数据（13个县，2022–2024年）", args.runs, "bench-seed")
    province(args.counties, args.years)
    scaled = measure(
        f"2. 生成的省级规模（{args.counties}个县 × 40项指标 × {args.years}年）",
        args.runs,
        "bench-province",
    )
    print("3. 省级规模 / 规划数据（同一次运行；目标 ≤ 3×）：完整渲染 · 已缓存")
    for name, _url in PAGES:
        full, warm = (scaled[name][n] / seed[name][n] for n in (0, 1))
        print(
            f"   {name:<6} {full:5.1f}× {'达到' if full <= 3 else '未达到'} · {warm:5.1f}× {'达到' if warm <= 3 else '未达到'}"
        )
