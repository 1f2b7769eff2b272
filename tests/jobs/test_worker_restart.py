"""A real worker killed (SIGKILL) in the middle of a rebuild, and a second worker finishing it.

Everything runs in subprocesses against a SQLite file of its own (the suite's test database,
SQLite or PostgreSQL, is not touched): the commands an operator types, and the job's row read
with the sqlite3 module while the worker writes it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 1
# Per call; the whole test takes about 30 s, most of it migrate, load_seed and load_demo.
COMMAND_TIMEOUT = 120
WORKER_TIMEOUT = 60


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        DEBUG="1",
        # one area a step: many steps, so that the kill lands between the first and the last
        JOBS_REBUILD_AREAS_PER_STEP="1",
        JOBS_LEASE_SECONDS=str(LEASE_SECONDS),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )


def job_row(database: Path) -> dict | None:
    """The only job's row as the worker last committed it."""
    connection = sqlite3.connect(database, timeout=10)
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute(
            "SELECT state, steps_done, steps_total, attempts FROM jobs_backgroundjob"
        ).fetchall()
    finally:
        connection.close()
    assert len(rows) <= 1
    return dict(rows[0]) if rows else None


def worker(env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen:
    # A session of its own: the kill takes the worker's whole process group, as systemd does.
    return subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--no-reload", "--no-startup-delay", *extra],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_it_finishes_a_rebuild_whose_worker_was_killed(environment, tmp_path):
    database = tmp_path / "jobs.sqlite3"
    for args in (("migrate", "-v0"), ("load_seed",), ("load_demo",)):
        ran = manage(environment, *args)
        assert ran.returncode == 0, ran.stderr
    queued = manage(environment, "results", "--rebuild", "--background")
    assert queued.returncode == 0, queued.stderr
    assert "已排入后台任务" in queued.stdout
    assert job_row(database)["state"] == "queued"

    first_log = tmp_path / "worker-1.log"
    first = worker(environment, first_log)
    try:
        deadline = time.monotonic() + WORKER_TIMEOUT
        while True:
            job = job_row(database)
            if job["steps_total"] and 0 < job["steps_done"] < job["steps_total"]:
                break
            assert job["state"] != "done", "the rebuild ended before the worker could be killed"
            assert first.poll() is None, first_log.read_text()
            assert time.monotonic() < deadline, first_log.read_text()
            time.sleep(0.01)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL

    killed = job_row(database)
    assert killed["state"] == "running"
    assert 0 < killed["steps_done"] < killed["steps_total"]
    assert killed["attempts"] == 1

    # The second worker re-queues the job only once its lease has run out.
    time.sleep(LEASE_SECONDS + 0.5)
    second_log = tmp_path / "worker-2.log"
    second = worker(environment, second_log, "--batch")
    try:
        second.wait(timeout=WORKER_TIMEOUT)
    finally:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
            second.wait(timeout=10)
    output = second_log.read_text()
    assert second.returncode == 0, output
    assert "继续中断的后台任务：1" in output

    finished = job_row(database)
    assert finished["state"] == "done", output
    assert finished["steps_done"] == finished["steps_total"] == killed["steps_total"]
    assert finished["attempts"] == 2

    verified = manage(environment, "results", "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "存储的达标计算结果与重新计算完全一致" in verified.stdout
