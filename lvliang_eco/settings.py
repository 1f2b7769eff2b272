"""Settings for lvliang-eco, read from environment variables.

Every setting that differs between a laptop and the bureau's server is an environment variable
with a safe development default; a malformed value stops the start instead of being guessed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats import base_formats

from lvliang_eco import formats as export_formats
from lvliang_eco.env import env_bool, env_float, env_int, env_list, env_origins, env_str
from lvliang_eco.static_headers import cache_headers

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS", [])

# Two documented combinations (deploy/lvliang-eco.env.example): a plain-HTTP intranet address
# (HTTPS=0, the usual case: Secure cookies would be dropped by the browser and nobody could log
# in) and HTTPS terminated by nginx (HTTPS=1). Each setting below can still be set on its own.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# nginx sets X-Forwarded-Proto; trust it only when a proxy that overwrites it is in front.
if env_bool("SECURE_PROXY_SSL_HEADER", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of reverse proxies in front of gunicorn (nginx: 1), so that login throttling sees the
# visitor's address from X-Forwarded-For instead of nginx's.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # An intranet host name cannot be on the browsers' preload list.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Idle timeout: a session ends after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 120, minimum=1) * 60
# Renewed at most once in this many seconds (lvliang_eco.middleware.IdleSessionMiddleware), not
# on every request: a session ends between SESSION_COOKIE_AGE − this and SESSION_COOKIE_AGE.
SESSION_REFRESH_SECONDS = 60
# Django's database sessions, read in one written-out query (lvliang_eco/sessions.py).
SESSION_ENGINE = "lvliang_eco.sessions"

INSTALLED_APPS = [
    "lvliang_eco.apps.AdminConfig",  # django.contrib.admin asking counties/access.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lvliang_eco",
    "counties",
    "indicators",
    "projects",
    "submissions",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lvliang_eco.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lvliang_eco.middleware.ChineseNotFoundMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page is behind login unless its view opts out (the login page does).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lvliang_eco.urls"
WSGI_APPLICATION = "lvliang_eco.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvliang_eco.context_processors.role",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Connections kept between requests in production (gunicorn's sync workers serve one
        # request at a time); the development server and the tests open one per request.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60, minimum=0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "counties.passwords.ChineseMinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "counties.backends.AccountBackend",
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one login from
# one address, that pair is locked for LOGIN_LOCKOUT_MINUTES; bureau staff unlock in the admin
# (访问失败) or with `python manage.py axes_reset_username NAME`. Locking the pair rather than
# the login alone keeps a stranger from locking a county officer out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，已暂时锁定，请稍后再试或联系市生态环境局解锁。"
# nginx overwrites X-Forwarded-For with the visitor's address (deploy/nginx-lvliang-eco.conf).
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "submissions:todo"  # each role's to-do page (leadership: the overview)
LOGOUT_REDIRECT_URL = "login"

# The product speaks Chinese whatever the browser asks for (no LocaleMiddleware): an
# English-locale browser gets the same Chinese admin as everyone else.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "lvliang_eco.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# plotly.js is cached for a year under `make run` too (its URL carries its version).
WHITENOISE_ADD_HEADERS_FUNCTION = cache_headers
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Content Security Policy (django-csp): scripts only from our own static files, no inline
# script anywhere (charts carry their figure as JSON, drawn by static/js/charts.js). plotly.js
# sets style attributes on the elements it draws, hence inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# django-import-export: the admin imports inside one transaction and shows Chinese messages.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Spreadsheet exports escape cells that Excel would run as formulas (=, +, -, @).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# One line per record on standard error (journald keeps it under systemd). Django's own
# "django" logger is emptied so that its records reach the root handler once, not twice; a
# refused request (403, 404) is one line with the reason and the user, never a traceback.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "lvliang_eco.logs.OneLineRefusals"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["one_line_refusals"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # django-axes writes four INFO lines per login; its failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}

# Staff exchange spreadsheets: Excel first, CSV for scripts.
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
EXPORT_FORMATS = [export_formats.XLSX, export_formats.CSV]

# Progress toward targets, the Open SDG compound-growth method: observed growth divided by the
# growth required to reach the target in time. ≥ high: on track; ≥ med: acceleration needed;
# ≥ low: limited progress; below: deterioration (sdg-build ProgressMeasure defaults).
PROGRESS_THRESHOLDS = {
    "high": env_float("PROGRESS_THRESHOLD_HIGH", 0.95),
    "med": env_float("PROGRESS_THRESHOLD_MED", 0.6),
    "low": env_float("PROGRESS_THRESHOLD_LOW", 0.0),
}

# County uploads: a spreadsheet larger than this, or with more rows on a sheet, is refused
# before it is read; the uncompressed size guards against zip bombs.
SUBMISSION_MAX_UPLOAD_BYTES = env_int("SUBMISSION_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
SUBMISSION_MAX_ROWS = env_int("SUBMISSION_MAX_ROWS", 2000)
SUBMISSION_MAX_UNCOMPRESSED_BYTES = env_int("SUBMISSION_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
# Files of uploads that were refused are deleted this many days after the upload
# (`python manage.py purge_uploads`, daily from deploy/lvliang-eco-purge.timer); the record of
# the upload and its errors stay. 0 keeps them forever.
SUBMISSION_REJECTED_KEEP_DAYS = env_int("SUBMISSION_REJECTED_KEEP_DAYS", 30, minimum=0)
# Disk space one user's kept upload files may take; an upload over it is refused.
SUBMISSION_USER_QUOTA_BYTES = env_int("SUBMISSION_USER_QUOTA_BYTES", 200 * 1024 * 1024, minimum=0)
# Supporting documents (佐证材料): the largest file accepted, and how many one save of the entry
# form may carry (nginx's client_max_body_size must be at least their product plus 1 MB).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_FILES_PER_SAVE = env_int("EVIDENCE_MAX_FILES_PER_SAVE", 5)
FILE_UPLOAD_MAX_MEMORY_SIZE = SUBMISSION_MAX_UPLOAD_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = SUBMISSION_MAX_UPLOAD_BYTES + 1024 * 1024
COUNTY_OFFICERS_SEE_APPROVED_RESULTS = env_bool("COUNTY_OFFICERS_SEE_APPROVED_RESULTS", True)

# The dashboards' rendered content is kept per data version and visibility (lvliang_eco.
# pagecache) for this many seconds (0: never kept). Each gunicorn worker keeps its own, in
# memory; the version lives in the database, so every worker drops stale content at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=0)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lvliang-eco-pages",
        # a province's page is up to about 1 MB: at most some 100 MB per worker
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 100, minimum=1)},
    },
    # Each user's groups (their role), kept per data version (counties.roles): small entries,
    # apart from the pages so that many users do not push kept pages out.
    "roles": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lvliang-eco-roles",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # The header's fragments that are the same for every request of a kind ({% cache %} in
    # base.html: the static links, the menu per set of permissions, the year choice per years
    # and year): rendering them on every request cost a third of a kept page's time.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lvliang-eco-fragments",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Background jobs (jobs app): django-tasks' database backend, so that the queue and the jobs'
# progress live in the application's own database (no other service; they survive a restart).
# The worker is `manage.py jobs_worker` (deploy/lvliang-eco-worker.service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A job whose last step is older than this is taken to have lost its worker and is re-queued
# (every step takes far less: one year of a few areas, or one county-year of an import).
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 120, minimum=1)
JOBS_REBUILD_AREAS_PER_STEP = env_int("JOBS_REBUILD_AREAS_PER_STEP", 5, minimum=1)
# A change of rules or standards rebuilds the results at once up to this many area-years
# (the plan's 14 areas × a few years), in the background beyond.
RESULTS_REBUILD_INLINE_AREA_YEARS = env_int("RESULTS_REBUILD_INLINE_AREA_YEARS", 200, minimum=0)
# An admin import of more rows than this runs in the background after its preview.
ADMIN_IMPORT_BACKGROUND_ROWS = env_int("ADMIN_IMPORT_BACKGROUND_ROWS", 500, minimum=0)
