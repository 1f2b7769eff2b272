# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3.11
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev browser lint

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .

install-dev: $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e ".[dev]"

# Debian's Chromium and CJK fonts for the browser tests (Playwright's own download does not
# work on the bureau's network); installed only when missing.
browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/opentype/noto || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_users
	@echo "打开 http://$(HOST)/ 用上面的演示账号登录"
	$(PY) manage.py runserver $(HOST)

test: install-dev browser
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
