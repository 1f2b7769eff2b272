# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev browser lint serve

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)）：apt-get install python3.11 python3.11-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installed once, and again only when pyproject.toml changes: `make run` and `make test` then
# work without a package index.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Debian's Chromium and CJK fonts for the browser tests (Playwright's own download does not
# work on the bureau's network); installed only when missing.
# LibreOffice (Writer and Calc) and poppler open the generated report and make test files.
browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/opentype/noto -a -x /usr/bin/soffice -a -x /usr/bin/pdftoppm || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk \
			libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null)

# The demo: always with DEBUG on (demo data and demo logins are refused with DEBUG off).
run: install
	@case "$${DEBUG:-1}" in 0|false|False|no|off) \
		echo "make run 是演示（演示数据、公开密码的演示账号），只在 DEBUG 开启时运行；生产配置请用 make serve，部署见 README“生产部署”" >&2; exit 1;; esac
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_seed
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py create_demo_users
	@echo "打开 http://$(HOST)/ 用上面的演示账号登录（后台任务进程随之启动，Ctrl+C 一并停止）"
	DEBUG=1 $(PY) manage.py jobs_worker --no-reload --interval 2 -v 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver $(HOST)

# The suite runs on every core (pytest-xdist; each worker has its own test database and live
# server): TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install-dev browser
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The production configuration on this machine: DEBUG off, static files collected, gunicorn,
# no demo data, its own database (serve.sqlite3 unless DATABASE_URL is set). Create a login
# first: .venv/bin/python manage.py create_user NAME --role bureau (with the same variables).
serve: export DEBUG = 0
serve: export SECRET_KEY ?= $(shell cat .serve-secret-key 2>/dev/null || \
	python3 -c 'import secrets; print(secrets.token_urlsafe(50))' | tee .serve-secret-key)
serve: export DATABASE_URL ?= sqlite:///$(CURDIR)/serve.sqlite3
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export GUNICORN_BIND ?= $(HOST)
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py check --deploy --fail-level ERROR
	@echo "生产配置（DEBUG=0）：http://$(HOST)/ ；登录账号用 manage.py create_user 创建"
	$(PY) manage.py jobs_worker --no-reload --interval 2 -v 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py lvliang_eco.wsgi
