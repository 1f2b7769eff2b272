"""deploy/backup.sh and restore.sh on PostgreSQL: a filled installation (plan, demo values, a
user, an upload with its file) is backed up, restored into a fresh database and an empty media
folder, and the restored copy holds the same rows in every table and the same files.

Runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://…, as in CI's second run)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTER = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not OUTER.startswith(("postgres://", "postgresql://")),
    reason="backup and restore are for PostgreSQL: run the suite with DATABASE_URL=postgres://…",
)
PASSWORD = "Backup-restore-2031"
UPLOAD = """
import django; django.setup()
from datetime import datetime
from django.contrib.auth.models import User
from counties.models import Area
from submissions import services
from submissions.selectors import catalogue
from submissions.spreadsheet import build_template
area = Area.objects.get(code="141122")
content = build_template(catalogue(area, 2025), generated_at=datetime(2026, 1, 5, 9, 0))
services.upload_preview(
    user=User.objects.get(username="jiaocheng"), area=area, year=2025, name="交城.xlsx",
    content=content,
)
"""


def database(name: str) -> str:
    return urlunsplit(urlsplit(OUTER)._replace(path=f"/{name}"))


def psql(command: str) -> None:
    subprocess.run(["psql", database("postgres"), "-qc", command], check=True)


def counts(url: str) -> dict[str, int]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = sorted(row[0] for row in cursor.fetchall())
        result = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            result[table] = cursor.fetchone()[0]
    connection.close()
    return result


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def databases():
    names = (f"lvliang_backup_src_{os.getpid()}", f"lvliang_backup_dst_{os.getpid()}")
    for name in names:
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
    yield [database(name) for name in names]
    for name in names:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_it_restores_a_backup_into_a_fresh_database_with_the_same_rows_and_files(
    databases, tmp_path
):
    source, target = databases
    media, restored = tmp_path / "media", tmp_path / "restored-media"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "lvliang_eco.settings",
        "DEBUG": "1",  # the demo values fill every table the bureau would have
        "DATABASE_URL": source,
        "MEDIA_ROOT": str(media),
        "ENV_FILE": str(tmp_path / "none.env"),
    }

    def run(*args: str, stdin: str | None = None, **extra: str) -> str:
        return subprocess.run(
            args, cwd=ROOT, env={**env, **extra}, input=stdin, capture_output=True, text=True,
            timeout=300, check=True,
        ).stdout  # fmt: skip

    manage = [sys.executable, "manage.py"]
    run(*manage, "migrate", "--noinput")
    run(*manage, "load_seed")
    run(*manage, "load_demo")
    run(*manage, "create_user", "jiaocheng", "--role", "county", "--area", "141122",
        stdin=PASSWORD + "\n")  # fmt: skip
    run(sys.executable, "-c", UPLOAD)
    assert files(media), "the upload kept no file"

    written = run("bash", "deploy/backup.sh", str(tmp_path / "backups")).split()
    dump, tarball = written
    assert dump.endswith(".dump") and tarball.endswith(".tar.gz")

    run("bash", "deploy/restore.sh", dump, tarball, DATABASE_URL=target, MEDIA_ROOT=str(restored))

    before, after = counts(source), counts(target)
    assert before["indicators_indicatorvalue"] > 100 and before["submissions_upload"] == 1
    assert after == before
    assert files(restored) == files(media)
    check = (
        "import django; django.setup(); from django.contrib.auth.models import User; "
        f"print(User.objects.get(username='jiaocheng').check_password('{PASSWORD}'))"
    )
    assert run(sys.executable, "-c", check, DATABASE_URL=target).strip() == "True"
    run(*manage, "migrate", "--check", DATABASE_URL=target)  # nothing left to apply
