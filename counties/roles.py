"""The three roles of the application and how a login maps to one."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


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
    names = set() if user.is_superuser else set(user.groups.values_list("name", flat=True))
    user._lvliang_role = role_from(is_superuser=user.is_superuser, group_names=names)
    return user._lvliang_role


def role_from(*, is_superuser: bool, group_names: set[str]) -> Role | None:
    """The role of a user who is (not) a superuser and in the groups `group_names`: a
    superuser is bureau staff; of several role groups the bureau's, then the leadership's."""
    if is_superuser:
        return Role.BUREAU
    for candidate in (Role.BUREAU, Role.LEADERSHIP, Role.COUNTY):
        if candidate.group_name in group_names:
            return candidate
    return None
