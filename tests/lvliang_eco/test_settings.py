"""Settings from the environment: typed readers that fail loudly, the two documented
combinations (plain HTTP, HTTPS behind a proxy), `check --deploy`, and a start without
collectstatic that says so."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lvliang_eco import env

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / "deploy" / "lvliang-eco.env.example"


def run_django(code: str, **variables: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HTTPS", "SECURE_", "SESSION_", "CSRF_", "DEBUG", "DJANGO_", "DB_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="lvliang_eco.settings", **variables)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.fixture
def production(tmp_path):
    """The variables of a production start, with static files collected (a manifest) and an
    empty database of its own, whatever this checkout holds."""
    static = tmp_path / "staticfiles"
    static.mkdir()
    (static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')

    def variables(**extra: str) -> dict:
        return {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "eco.lvliang.test",
            "STATIC_ROOT": str(static),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            **extra,
        }

    return variables


def check_deploy(**variables: str) -> subprocess.CompletedProcess:
    code = "import django, sys; from django.core.management import call_command; "
    code += "sys.argv = ['manage.py']; django.setup(); call_command('check', deploy=True)"
    return run_django(code, **variables)


@pytest.mark.parametrize(
    ("reader", "raw", "message"),
    [
        (lambda: env.env_bool("X_TEST", False), "maybe", "X_TEST must be a boolean"),
        (lambda: env.env_int("X_TEST", 1), "ten", "X_TEST must be an integer"),
        (lambda: env.env_int("X_TEST", 1, minimum=0), "-5", "X_TEST must be at least 0"),
        (lambda: env.env_float("X_TEST", 1.0), "0,9", "X_TEST must be a number"),
        (lambda: env.env_origins("X_TEST", []), "eco.lvliang.test", "scheme and host"),
        (lambda: env.env_origins("X_TEST", []), "https://a.test/path", "no path"),
    ],
)
def test_it_refuses_a_malformed_variable_naming_it(monkeypatch, reader, raw, message):
    monkeypatch.setenv("X_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        reader()


def test_it_reads_well_formed_variables(monkeypatch):
    monkeypatch.setenv("X_TEST", " Yes ")
    assert env.env_bool("X_TEST", False) is True
    monkeypatch.setenv("X_TEST", "https://a.test, http://b.test:8080")
    assert env.env_origins("X_TEST", []) == ["https://a.test", "http://b.test:8080"]
    monkeypatch.delenv("X_TEST")
    assert env.env_int("X_TEST", 7) == 7


def test_it_stops_the_start_on_a_malformed_setting(production):
    run = run_django("import django; django.setup()", **production(HTTPS="sometimes"))
    assert run.returncode != 0 and "HTTPS must be a boolean" in run.stderr


def test_it_passes_check_deploy_in_the_https_combination(production):
    run = check_deploy(**production(HTTPS="1", CSRF_TRUSTED_ORIGINS="https://eco.lvliang.test"))
    assert run.returncode == 0, run.stderr
    assert "System check identified no issues" in run.stdout + run.stderr


def test_it_warns_in_the_plain_http_combination_exactly_as_documented(production):
    run = check_deploy(**production(HTTPS="0"))
    found = set(re.findall(r"\(security\.(W\d+)\)", run.stdout + run.stderr))
    assert found == {"W004", "W008", "W012", "W016"}
    documented = ENV_EXAMPLE.read_text()
    assert all(code in documented for code in found)


def test_it_sets_cookies_secure_only_in_the_https_combination(production):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    plain = run_django(code, **production(HTTPS="0")).stdout.split()
    assert plain == ["False", "False", "False", "0", "None"]
    https = run_django(code, **production(HTTPS="1")).stdout
    assert https.startswith("True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')")
    mixed = run_django(code, **production(HTTPS="1", SECURE_SSL_REDIRECT="0")).stdout
    assert mixed.startswith("True True False")


def test_it_keeps_database_connections_between_requests_in_production_only(
    production,
):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    assert run_django(code, **production()).stdout.split() == ["60", "True"]
    assert run_django(code, **production(DB_CONN_MAX_AGE="0")).stdout.split() == ["0", "True"]
    development = {"DATABASE_URL": production()["DATABASE_URL"]}
    assert run_django(code, **development).stdout.split() == ["0", "True"]


def test_it_refuses_to_start_gunicorns_application_before_collectstatic(production, tmp_path):
    run = run_django("import lvliang_eco.wsgi", **production(STATIC_ROOT=str(tmp_path / "empty")))
    assert run.returncode != 0
    assert "静态文件尚未收集" in run.stderr and "collectstatic --noinput" in run.stderr


def test_it_documents_every_variable_the_settings_read():
    source = (ROOT / "lvliang_eco" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_0-9]+)"', source))
    gunicorn = set(
        re.findall(r'environ\.get\("([A-Z_]+)"', (ROOT / "deploy" / "gunicorn.conf.py").read_text())
    )
    documented = set(re.findall(r"^#? ?([A-Z_0-9]+)=", ENV_EXAMPLE.read_text(), re.M))
    assert read and (read | gunicorn) - {"GUNICORN_FORWARDED_ALLOW_IPS"} <= documented


def test_it_packages_every_app_of_the_project():
    import tomllib

    from django.conf import settings

    packaged = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    includes = {pattern.rstrip("*") for pattern in packaged["packages"]["find"]["include"]}
    ours = {app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()}
    assert ours and ours <= includes
