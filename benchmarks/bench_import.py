# ruff: noqa: E501 (report lines read best whole)
"""Benchmark of county uploads (not a test): prints numbers, asserts nothing.

    python benchmarks/bench_import.py [--rows 20000]

1. An ordinary county file (every indicator of the plan and the county's project rows), end to
   end through the pages: upload → preview page → confirm, timed with Django's test client.
2. A generated file of N indicator rows (a synthetic catalogue of N indicators in a throw-away
   database) through the same code path (preview, then confirm), against the time openpyxl
   alone needs to read that file.

It uses its own SQLite database in a temporary folder unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(rows: int) -> None:
    folder = tempfile.mkdtemp(prefix="lvliang-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", f"{folder}/media")
    os.environ.setdefault("SUBMISSION_MAX_ROWS", str(rows + 100))
    os.environ.setdefault("SUBMISSION_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvliang_eco.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from lvliang_eco.seed import seed_load

    seed_load()


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def ordinary_file() -> None:
    from django.test import Client
    from openpyxl import load_workbook

    from counties.models import Area
    from counties.roles import Role
    from counties.services import user_create
    from submissions.models import Upload
    from submissions.spreadsheet import FIRST_ROW, INDICATOR, PROGRESS

    user = user_create(
        username="bench-officer",
        password="bench-pass-123",
        role=Role.COUNTY,
        area=Area.objects.get(code="141122"),
    )
    client = Client()
    client.force_login(user)
    template = b"".join(client.get("/submissions/141122/2025/template/").streaming_content)
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["指标填报"]
    filled = 0
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=INDICATOR.index("value")).protection.locked is False:
            sheet.cell(row=row, column=INDICATOR.index("value"), value=80 + row % 20)
            filled += 1
        if sheet.cell(row=row, column=INDICATOR.index("choice")).protection.locked is False:
            sheet.cell(row=row, column=INDICATOR.index("choice"), value="否")
    progress = workbook["项目进展"]
    for row in range(FIRST_ROW, progress.max_row + 1):
        progress.cell(row=row, column=PROGRESS.index("status"), value="在建")
        progress.cell(row=row, column=PROGRESS.index("amount"), value=100 + row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    from django.core.files.uploadedfile import SimpleUploadedFile

    start = time.perf_counter()
    response = client.post(
        "/submissions/141122/2025/upload/", {"file": SimpleUploadedFile("交城.xlsx", content)}
    )
    preview_page = client.get(response["Location"])
    upload_done = time.perf_counter()
    upload = Upload.objects.latest("pk")
    client.post(f"/submissions/uploads/{upload.pk}/confirm/")
    end = time.perf_counter()
    upload.refresh_from_db()
    assert upload.status == "confirmed", upload.errors
    print("1. 普通县区文件（交城县2025年）")
    print(
        f"   指标行 {sheet.max_row - 3}（填写数值 {filled}），项目进展行 {progress.max_row - 3}，文件 {len(content) / 1024:.0f} KB"
    )
    print(
        f"   上传+预览页 {upload_done - start:.3f} s，确认保存 {end - upload_done:.3f} s，合计 {end - start:.3f} s"
    )
    print(
        f"   结果：新增 {upload.added}，修改 {upload.changed}，未变 {upload.unchanged}；预览页 {preview_page.status_code}"
    )


def generated_file(rows: int) -> None:
    from datetime import datetime

    from django.contrib.auth.models import User
    from openpyxl import load_workbook

    from counties.models import Area
    from counties.roles import Role
    from counties.services import user_create
    from indicators.models import Indicator, TaskArea
    from submissions import services
    from submissions.selectors import catalogue
    from submissions.spreadsheet import FIRST_ROW, INDICATOR, build_template

    task = TaskArea.objects.get(number="（十）")
    Indicator.objects.bulk_create(
        Indicator(
            code=f"B{n:05d}", number=1000 + n, task=task, order=1000 + n, name=f"生成指标{n}",
            unit="%", standard="≥50", attribute="参考性",
            standard_rule={"kind": "threshold", "op": ">=", "value": "50"},
        )
        for n in range(1, rows - 55 + 1)
    )  # fmt: skip
    area = Area.objects.get(code="141123")
    user = User.objects.filter(username="bench-bureau").first() or user_create(
        username="bench-bureau", password="bench-pass-123", role=Role.BUREAU
    )
    content, build_seconds = timed(
        build_template, catalogue(area, 2025), generated_at=datetime(2026, 1, 1)
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["指标填报"]
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=INDICATOR.index("value")).protection.locked is False:
            sheet.cell(row=row, column=INDICATOR.index("value"), value=40 + row % 30)
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled = buffer.getvalue()
    _, read_seconds = timed(load_workbook, io.BytesIO(filled), data_only=False)
    upload, preview_seconds = timed(
        services.upload_preview,
        user=user,
        area=area,
        year=2025,
        name="generated.xlsx",
        content=filled,
    )
    assert upload.status == "preview", upload.errors[:3]
    _, confirm_seconds = timed(services.upload_confirm, user=user, upload=upload)
    upload.refresh_from_db()
    total = preview_seconds + confirm_seconds
    print(
        f"2. 生成的 {sheet.max_row - 3} 行文件（{len(filled) / 1024 / 1024:.1f} MB），同一代码路径"
    )
    print(f"   生成模板 {build_seconds:.2f} s")
    print(f"   仅 openpyxl 读取：{read_seconds:.2f} s")
    print(f"   预览（检查文件、读取、逐格校验、试导入）：{preview_seconds:.2f} s")
    print(f"   确认保存（再次读取、导入、修改记录）：{confirm_seconds:.2f} s")
    print(
        f"   合计 {total:.2f} s，约 {upload.added / total:.0f} 行/秒；合计为 openpyxl 读取的 {total / read_seconds:.1f} 倍"
    )
    print(f"   结果：新增 {upload.added}，修改 {upload.changed}，未变 {upload.unchanged}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    setup(args.rows)
    from django.db import connection

    print(f"数据库：{connection.vendor}")
    ordinary_file()
    generated_file(args.rows)
