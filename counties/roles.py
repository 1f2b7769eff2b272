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
    role: Role | None = None
    if user.is_superuser:
        role = Role.BUREAU
    else:
        names = set(user.groups.values_list("name", flat=True))
        for candidate in (Role.BUREAU, Role.LEADERSHIP, Role.COUNTY):
            if candidate.group_name in names:
                role = candidate
                break
    user._lvliang_role = role
    return role
