"""What an operator sees: logs once and refusals as one line, the favicon, bad ids as 404, the
Content Security Policy with no inline script on any page."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client

from lvliang_eco.logs import OneLineRefusals
from tests.conftest import demo_loaded

from ..conftest import logged_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BIG = "9" * 30


def test_it_logs_each_record_once():
    probe = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.request').warning('probe-one'); "
        "logging.getLogger('django.server').info('probe-two'); "
        "logging.getLogger('lvliang_eco').warning('probe-three')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lvliang_eco.settings", "DEBUG": "1"}
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    for probe_name in ("probe-one", "probe-two", "probe-three"):
        assert run.stderr.count(probe_name) == 1, run.stderr
    assert re.search(
        r"^\d{4}-\d\d-\d\d [\d:,]+ WARNING django.request probe-one$", run.stderr, re.M
    )


def format_refusals(caplog) -> list[str]:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    lines = []
    for record in caplog.records:
        if record.name == "django.request" and OneLineRefusals().filter(record):
            lines.append(handler.format(record))
    return lines


def test_it_logs_a_refused_page_as_one_line_with_reason_and_user(
    caplog, jiaocheng_officer, xingxian_officer
):
    client = logged_in(xingxian_officer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/submissions/141122/2025/").status_code == 403
        assert client.get("/indicators/nope/").status_code == 404
    lines = format_refusals(caplog)
    assert len(lines) == 2
    forbidden, missing = lines
    assert "\n" not in forbidden and "Traceback" not in forbidden
    assert forbidden.startswith("WARNING django.request Forbidden (Permission denied): ")
    assert "/submissions/141122/2025/ status=403" in forbidden
    assert f"user={xingxian_officer.username}" in forbidden and "reason='" in forbidden
    assert missing.startswith("WARNING django.request Not Found: /indicators/nope/ status=404")


def test_it_keeps_the_traceback_of_a_server_error():
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert OneLineRefusals().filter(record) and record.exc_info is not None


def test_it_serves_the_favicon_to_anyone_and_links_it_from_every_page(leader):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert (ROOT / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    page = logged_in(leader).get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    assert finders.find("favicon.ico") == str(ROOT / "static" / "favicon.ico")


@pytest.mark.parametrize(
    "url",
    [
        f"/submissions/uploads/{BIG}/",
        f"/submissions/uploads/{BIG}/file/",
        f"/submissions/141122/{BIG}/",
        "/submissions/999999/2024/",
        "/submissions/141122/1999/",
        f"/submissions/141122/2024/values/{BIG * 10}/",
        "/counties/" + "1" * 300 + "/",
        "/indicators/" + "x" * 500 + "/",
    ],
)
def test_it_answers_404_for_bad_ids(bureau_user, url):
    assert logged_in(bureau_user).get(url).status_code == 404


def test_it_answers_an_overlong_posted_id_as_nothing_chosen(bureau_user):
    client = logged_in(bureau_user)
    response = client.post("/submissions/approve/", {"submission": [BIG, "-1", "0"]}, follow=True)
    assert response.status_code == 200
    assert "请先勾选要审核通过的县（市、区）" in response.content.decode()
    response = client.post(f"/submissions/uploads/{BIG}/confirm/")
    assert response.status_code == 404


def test_it_sends_a_content_security_policy_without_inline_scripts(leader):
    demo_loaded()
    client = logged_in(leader)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    for url in ("/", "/counties/", "/counties/141122/", "/indicators/28/", "/investment/"):
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", page), url
    assert "js-chart-figure" in client.get("/indicators/28/").content.decode()


def test_it_escapes_chart_data_so_no_text_can_close_its_block():
    import plotly.graph_objects as go

    from lvliang_eco.charts import _html

    fragment = _html(go.Figure(go.Bar(x=["</script><b>&"], y=[1])), "chart-x")
    data, table = fragment.split('data-target="chart-x">')[1].split("</script>", 1)
    assert "<b>" not in data and "&" not in data and "</" not in data
    # The data table under the chart shows the same text, escaped as HTML.
    assert "<td>&lt;/script&gt;&lt;b&gt;&amp;</td>" in table and "<b>" not in table


def test_it_serves_the_login_page_with_scripts_from_static_only_and_an_idle_timeout():
    page = Client().get("/login/").content.decode()
    assert all('src="/static/' in tag for tag in re.findall(r"<script[^>]*>", page))
    assert django_settings.SESSION_COOKIE_AGE == 120 * 60
    assert django_settings.SESSION_REFRESH_SECONDS == 60


def session_writes(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


def test_it_renews_the_idle_timeout_at_most_once_a_minute(bureau_user, monkeypatch):
    import time

    from django.contrib.sessions.models import Session

    client = logged_in(bureau_user)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert session_writes(client, "/plan/") == 1  # the first request stamps the renewal
    renewed = Session.objects.get(pk=key).expire_date
    assert session_writes(client, "/plan/") == 0  # within the minute: nothing written
    response = client.get("/plan/")
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get("/plan/")
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie.value == key and cookie["max-age"] == 120 * 60
    assert Session.objects.get(pk=key).expire_date > renewed
    assert session_writes(client, "/plan/") == 0


def test_a_session_idle_past_its_expiry_is_logged_out(bureau_user):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = logged_in(bureau_user)
    assert client.get("/plan/").status_code == 200
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/plan/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_anonymous_visitor_gets_no_session_row():
    from django.contrib.sessions.models import Session

    Client().get("/login/")
    assert not Session.objects.exists()


def test_it_answers_a_missing_page_in_chinese_even_with_debug_on(bureau_user, settings):
    settings.DEBUG = True  # `make run`
    response = logged_in(bureau_user).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "Using the URLconf" not in page
    response = logged_in(bureau_user).get("/counties/999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_server_error_page_is_chinese(bureau_user, settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "系统出错" in page and "没有保存" in page


def test_the_admin_speaks_chinese_to_an_english_browser(bureau_user):
    page = logged_in(bureau_user).get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert "站点管理" in text or "管理后台" in text
    assert "Site administration" not in text and "Log out" not in text


def test_plotly_is_cached_for_a_year_under_its_versioned_url():
    from lvliang_eco.static_headers import YEAR, cache_headers

    headers: dict = {}
    cache_headers(headers, "/x/plotly.min.js", "/static/vendor/plotly.min.js")
    assert headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
    other: dict = {}
    cache_headers(other, "/x/app.css", "/static/css/app.css")
    assert other == {}
