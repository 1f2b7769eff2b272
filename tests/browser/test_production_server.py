"""The production path as the README documents it: migrate, load the plan, collectstatic,
create a real user, gunicorn with DEBUG off; then Chromium on a non-localhost name over plain
HTTP logs in, uploads a spreadsheet and downloads it back. Then the HTTPS combination behind a
proxy (nginx's headers, sent by hand): redirect, HSTS, Secure cookies, `check --deploy` clean.

On PostgreSQL (DATABASE_URL=postgres://…) the server gets a fresh database of its own on the
same PostgreSQL; otherwise a SQLite file."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from .conftest import SERVER_NAME, screenshot
from .test_county_submission import upload_filled_template

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "Jiaocheng-river-2031"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A fresh database for the server: PostgreSQL when the suite runs on it, else SQLite."""
    outer = os.environ.get("DATABASE_URL", "")
    if not outer.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path_factory.mktemp('prod') / 'prod.sqlite3'}"
        return
    parts = urlsplit(outer)
    name = f"lvliang_prod_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])


@pytest.fixture(scope="module")
def installed(database_url, tmp_path_factory) -> dict:
    """The environment file of the README's plain-HTTP combination, and the installation
    steps run with it, each timed."""
    folder = tmp_path_factory.mktemp("server")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "HTTPS", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lvliang_eco.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=SERVER_NAME,
        DATABASE_URL=database_url,
        STATIC_ROOT=str(folder / "staticfiles"),
        MEDIA_ROOT=str(folder / "media"),
        HTTPS="0",
        PROXY_COUNT="0",
        GUNICORN_WORKERS="2",
    )
    timings = {}
    for step, args, stdin in [
        ("migrate", ["migrate", "--noinput"], None),
        ("load_seed", ["load_seed"], None),
        ("collectstatic", ["collectstatic", "--noinput"], None),
        ("create_user", ["create_user", "jiaocheng", "--role", "county", "--area", "141122"],
         PASSWORD + "\n"),
    ]:  # fmt: skip
        started = time.monotonic()
        manage(env, *args, stdin=stdin)
        timings[step] = round(time.monotonic() - started, 1)
    print("installation steps (s):", timings)
    return env


class Gunicorn:
    """gunicorn as deploy/lvliang-eco.service starts it, stopped at the end."""

    def __init__(self, env: dict) -> None:
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.process = subprocess.Popen(
            [GUNICORN, "--config", "deploy/gunicorn.conf.py", "lvliang_eco.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped: {self.process.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start within 30 s")

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        return out

    def request(self, method: str, path: str, headers: dict | None = None, body: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(
            method, path, body=body, headers={"Host": SERVER_NAME, **(headers or {})}
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


def test_it_serves_the_production_configuration_to_chromium_over_plain_http(
    installed, browser, tmp_path
):
    server = Gunicorn(installed)
    base = f"http://{SERVER_NAME}:{server.port}"
    context = browser.new_context(base_url=base, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/")
        expect(page.get_by_role("heading", name="登录")).to_be_visible()
        page.get_by_label("用户名").fill("jiaocheng")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出登录")).to_be_visible()
        cookies = {c["name"]: c for c in context.cookies()}
        assert not cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        assert page.evaluate("getComputedStyle(document.body).fontFamily")  # CSS was served
        screenshot(page, "40-production-overview", full_page=True)

        page.goto("/submissions/141122/2025/")
        filled = upload_filled_template(page, tmp_path)
        expect(page.locator("#upload-counts")).to_contain_text("将新增 6 项")
        page.get_by_role("button", name="确认保存").click()
        expect(page.get_by_role("status").filter(has_text="已保存")).to_contain_text("新增 6 项")
        screenshot(page, "41-production-saved", full_page=True)

        with page.expect_download() as original:
            page.locator("a[href*='/file/']").first.click()
        assert Path(original.value.path()).read_bytes() == filled.read_bytes()
        icon = page.goto("/favicon.ico")
        assert icon.ok and icon.url.endswith(".ico") and "/static/favicon." in icon.url
        assert not [p for p in problems if "Content Security Policy" in p], problems
    finally:
        context.close()
        log = server.stop()
    assert "Traceback" not in log, log
    assert '"POST /submissions/uploads/' in log


def test_it_serves_the_https_combination_behind_a_proxy(installed):
    env = {**installed, "HTTPS": "1", "PROXY_COUNT": "1"}
    check = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in check.stdout
    server = Gunicorn(env)
    try:
        plain = server.request("GET", "/login/")
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://{SERVER_NAME}/login/"
        proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.2.3.4"}
        page = server.request("GET", "/login/", proxied)
        assert page.status == 200
        assert page.getheader("Strict-Transport-Security").startswith("max-age=31536000")
        assert "script-src 'self'" in page.getheader("Content-Security-Policy")
        csrf = page.getheader("Set-Cookie")
        assert "csrftoken=" in csrf and "Secure" in csrf
        token = csrf.split("csrftoken=")[1].split(";")[0]
        login = server.request(
            "POST",
            "/login/",
            {
                **proxied,
                "Cookie": f"csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{SERVER_NAME}/login/",
            },
            f"csrfmiddlewaretoken={token}&username=jiaocheng&password={PASSWORD}",
        )
        assert login.status == 302, login.status
        session = [v for k, v in login.getheaders() if k == "Set-Cookie" and "sessionid=" in v]
        assert session and "Secure" in session[0] and "HttpOnly" in session[0]
    finally:
        server.stop()
