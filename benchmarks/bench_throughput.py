# ruff: noqa: E501 (report lines read best whole)
"""Benchmark of throughput under load (not a test): the overview against the login page.

    python benchmarks/bench_throughput.py [--counties 120] [--years 9] [--duration 10] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvliang_bench python benchmarks/bench_throughput.py

The production configuration (gunicorn with 2 sync workers, DEBUG=0, static files collected)
serves the plan's seed with the demo data, then a generated province (bench_pages.province);
wrk (`apt-get install wrk`) on loopback asks for the login page (anonymous: the reference) and
the overview (a bureau user's session), alternately, `--runs` times each for `--duration`
seconds. Printed: requests per second and median latency of each, and the ratio
overview ÷ login page (goal ≥ 0.25): the median of each run's ratio to the login run just
before it, with their range.

Uses its own SQLite database in a temporary folder unless DATABASE_URL is set; a PostgreSQL
database named there must have "bench" in its name: it is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def fresh_postgres(url: str) -> None:
    """Drop and create the PostgreSQL database of `url` (its name must contain "bench")."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if "bench" not in name:
        sys.exit(f"数据库名 {name} 不含 bench：本基准会删除并重建它，请换一个专用的数据库名")
    admin = psycopg2.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie(login: str) -> str:
    """A bureau user's session, as the browser holds it after logging in."""
    from django.conf import settings
    from django.test import Client

    from counties.roles import Role
    from counties.services import user_create

    user = user_create(username=login, password="bench-pass-123", role=Role.BUREAU)
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Server:
    """gunicorn as `make serve` runs it (deploy/gunicorn.conf.py), 2 sync workers."""

    def __init__(self) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "0",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "deploy/gunicorn.conf.py",
             "--access-logfile", "/dev/null", "lvliang_eco.wsgi"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn 未能启动：" + self.process.stderr.read().decode()[-2000:])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(url: str, duration: int, cookie: str | None) -> tuple[float, float]:
    """(requests per second, median latency in ms) of wrk against `url`: 2 threads, 8
    connections; every answer must be 200."""
    command = ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError("有非 200 的应答：\n" + output)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", output).groups()
    return rate, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def measure(label: str, args, login: str) -> float:
    """Run the server and wrk; print each figure; return the ratio overview ÷ login page."""
    cookie = session_cookie(login)
    server = Server()
    base = f"http://127.0.0.1:{server.port}"
    try:
        for _ in range(4):  # each worker renders the overview once and keeps it
            request = urllib.request.Request(base + "/", headers={"Cookie": cookie})
            assert urllib.request.urlopen(request, timeout=120).status == 200
        results = {"login": [], "overview": []}
        for _ in range(args.runs):
            results["login"].append(wrk(base + "/login/", args.duration, None))
            results["overview"].append(wrk(base + "/", args.duration, cookie))
    finally:
        server.stop()
    print(label)
    medians = {}
    for name, text in (("login", "登录页（参照）"), ("overview", "首页（局用户）")):
        rate = statistics.median(r for r, _ in results[name])
        latency = statistics.median(p50 for _, p50 in results[name])
        medians[name] = rate
        print(f"   {text:<10} {rate:8.1f} 次/秒   p50 {latency:7.1f} ms")
    # Each run's overview against the login run just before it (the machine's load drifts
    # between runs): the goal is judged on the median of these, their range shows the noise.
    pairs = zip(results["login"], results["overview"], strict=True)
    ratios = sorted(overview[0] / login[0] for login, overview in pairs)
    ratio = statistics.median(ratios)
    print(
        f"   首页 ÷ 登录页 = {ratio:.3f}（各次 {ratios[0]:.3f}–{ratios[-1]:.3f}；"
        f"目标 ≥ 0.25：{'达到' if ratio >= 0.25 else '未达到'}）"
    )
    return ratio


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=120)
    parser.add_argument("--years", type=int, default=9)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("需要 wrk：apt-get install -y wrk")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        fresh_postgres(os.environ["DATABASE_URL"])
    folder = tempfile.mkdtemp(prefix="lvliang-throughput-")
    os.environ.setdefault("STATIC_ROOT", f"{folder}/static")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import bench_pages

    bench_pages.setup()  # the seed and the demo data, static files collected
    from django.db import connection

    print(
        f"数据库：{connection.vendor}；gunicorn 2 个同步 worker，DEBUG=0；wrk 2 线程 8 连接，每次 {args.duration} 秒，{args.runs} 次取中位数"
    )
    measure("1. 规划数据 + 演示数据（13个县，2022–2024年）", args, "bench-seed")
    bench_pages.province(args.counties, args.years)
    measure(
        f"2. 生成的省级规模（{args.counties}个县 × 40项指标 × {args.years}年）",
        args,
        "bench-province",
    )
