"""Shared fixtures: the plan's seed in the test database and the fixed personas.

Personas (as in every view test): a bureau officer (市生态环境局), a county officer of 交城县, a
county officer of 兴县 (who must never see or change 交城县's data), a leadership viewer, and an
anonymous visitor (the plain `client`).
"""

from __future__ import annotations

import os

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from hypothesis import settings as hypothesis_settings

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from lvliang_eco.demo import demo_load
from lvliang_eco.seed import seed_load

PASSWORD = "test-password-123"

# Property tests that write to the database are slow per example: a modest default, and many
# more with HYPOTHESIS_PROFILE=thorough.
hypothesis_settings.register_profile("default", max_examples=25)
hypothesis_settings.register_profile("thorough", max_examples=300)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the plan's data once; each test runs in a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        seed_load()


def _persona(username: str, role: Role, area_code: str | None = None):
    area = Area.objects.get(code=area_code) if area_code else None
    return user_create(username=username, password=PASSWORD, role=role, area=area)


@pytest.fixture
def bureau_user(db):
    return _persona("alice-bureau", Role.BUREAU)


@pytest.fixture
def jiaocheng_officer(db):
    return _persona("bob-jiaocheng", Role.COUNTY, "141122")


@pytest.fixture
def xingxian_officer(db):
    return _persona("carol-xingxian", Role.COUNTY, "141123")


@pytest.fixture
def leader(db):
    return _persona("dave-leader", Role.LEADERSHIP)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with no cached page content (lvliang_eco.pagecache): the rolled-back
    transactions of earlier tests return to data versions whose content is not this test's;
    nor any kept groups (counties.roles) or header fragments."""
    from django.core.cache import caches

    for alias in ("default", "roles", "template_fragments"):
        caches[alias].clear()


@pytest.fixture
def no_page_cache(settings):
    """Pages rendered in full each time: for tests that count a render's queries before and
    after the data grows (the kept content has its own tests, test_pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def approve_directly(code: str, *years: int) -> None:
    """Mark an area's years approved without the workflow (no values needed), and bring the
    stored results up to date as the workflow's approval does."""
    from indicators.results import results_refresh
    from submissions.models import Submission

    area = Area.objects.get(code=code)
    for year in years:
        Submission.objects.update_or_create(
            area=area, year=year, defaults={"state": Submission.State.APPROVED}
        )
    results_refresh(area_ids=[area.pk], from_year=min(years))


# The project's apps: the tables a kept load may copy.
PROJECT_APPS = {"counties", "indicators", "projects", "submissions", "lvliang_eco"}
# Per test process and loader, each state it was run from: (every project table's rows
# before, {model: rows after} of the tables the load changed).
_kept_rows: dict[str, list[tuple[dict, dict]]] = {}


def _rows(model) -> tuple[list[str], list[tuple]]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return fields, list(model._base_manager.order_by("pk").values_list(*fields))


def _state() -> dict:
    """Every project table's rows."""
    return {
        m: _rows(m)
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in PROJECT_APPS and not m._meta.proxy
    }


def _replayed(name: str, load) -> dict:
    """`load()`'s rows in a fraction of its time: run from a state not met before in this
    test process, it runs and the rows of every table it changed are kept; run again from a
    state met before (every project table exactly as then: what the load read included), the
    kept rows are written in bulk (same primary keys, sequences reset). Returns the kept
    {model: (fields, rows)}."""
    before = _state()
    variants = _kept_rows.setdefault(name, [])
    found = next((kept for start, kept in variants if start == before), None)
    if found is None:
        load()
        kept = {}
        for model, rows in _state().items():
            if rows != before[model]:
                kept[model] = rows
        variants.append((before, kept))
        return kept
    with transaction.atomic():  # foreign keys are checked at its end
        for model, (fields, rows) in found.items():
            model._base_manager.all()._raw_delete(connection.alias)
            model._base_manager.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500
            )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(found)):
                cursor.execute(sql)
    return found


def demo_loaded() -> dict:
    """The demo set as lvliang_eco.demo.demo_load() writes it (_replayed; a test proves the
    copy equals a fresh load)."""
    return _replayed("demo", demo_load)


def seed_loaded() -> None:
    """The plan's data as lvliang_eco.seed.seed_load() writes it, for the browser tests, whose
    database is emptied after each test (_replayed)."""
    _replayed("seed", seed_load)
