"""Shared fixtures: the plan's seed in the test database and the fixed personas.

Personas (as in every view test): a bureau officer (市生态环境局), a county officer of 交城县, a
county officer of 兴县 (who must never see or change 交城县's data), a leadership viewer, and an
anonymous visitor (the plain `client`).
"""

from __future__ import annotations

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
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
