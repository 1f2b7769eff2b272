"""The three roles of the application and how a login maps to one."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import caches
from django.db import connection


class Role(StrEnum):
    BUREAU = "bureau"
    COUNTY = "county"
    LEADERSHIP = "leadership"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def group_name(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.BUREAU: "市生态环境局",
    Role.COUNTY: "县区分局",
    Role.LEADERSHIP: "领导小组",
}


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The user's role; a superuser counts as bureau staff. Cached on the user object."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_lvliang_role", "unset")
    if cached != "unset":
        return cached
    names = set() if user.is_superuser else _group_names(user)
    user._lvliang_role = role_from(is_superuser=user.is_superuser, group_names=names)
    return user._lvliang_role


def _group_names(user: AbstractBaseUser) -> set[str]:
    """The names of the user's groups, kept per data version (user_kept): a change of any
    group or membership renews the version (lvliang_eco.pagecache.connect_signals), so a
    changed role counts from the next request on."""
    return set(
        user_kept(user, "groups", lambda: frozenset(user.groups.values_list("name", flat=True)))
    )


def user_kept(user: AbstractBaseUser, kind: str, compute):
    """`compute()`, what the application reads of `user` on every request (their groups,
    their county assignment), kept in the "roles" cache per user and data version: every
    change of what it reads renews the version (lvliang_eco.pagecache), and no user is ever
    given another's. Computed on every call when pages are not kept (PAGE_CACHE_SECONDS 0).
    Queries: the data version (shared with the pages, once per request) and compute()'s
    only when not kept. `compute` may return None, which is kept too."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    from lvliang_eco.pagecache import current_version

    key = f"{kind}:{connection.alias}:{user.pk}:{current_version()}"
    held = caches["roles"].get(key)
    if held is None:
        held = (compute(),)
        caches["roles"].set(key, held, settings.PAGE_CACHE_SECONDS)
    return held[0]


def role_from(*, is_superuser: bool, group_names: set[str]) -> Role | None:
    """The role of a user who is (not) a superuser and in the groups `group_names`: a
    superuser is bureau staff; of several role groups the bureau's, then the leadership's."""
    if is_superuser:
        return Role.BUREAU
    for candidate in (Role.BUREAU, Role.LEADERSHIP, Role.COUNTY):
        if candidate.group_name in group_names:
            return candidate
    return None
