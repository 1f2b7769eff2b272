"""Who may see and change which county's submissions. One place, used by every route."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from counties.models import Area
from counties.roles import Role, role_of

from .workflow import REPORTER, REVIEWER, Transition


def assigned_area_id(user: AbstractBaseUser) -> int | None:
    assignment = getattr(user, "county_assignment", None)
    return assignment.area_id if assignment else None


def can_view(user: AbstractBaseUser, area: Area) -> bool:
    role = role_of(user)
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return True
    return role == Role.COUNTY and assigned_area_id(user) == area.pk


def can_upload(user: AbstractBaseUser, area: Area) -> bool:
    role = role_of(user)
    if role == Role.BUREAU:
        return not area.is_city
    return role == Role.COUNTY and assigned_area_id(user) == area.pk


def can_review(user: AbstractBaseUser) -> bool:
    return role_of(user) == Role.BUREAU


def require_view(user: AbstractBaseUser, area: Area) -> None:
    if not can_view(user, area):
        raise PermissionDenied(f"无权查看{area.name}的填报数据")


def require_upload(user: AbstractBaseUser, area: Area) -> None:
    if not can_upload(user, area):
        raise PermissionDenied(f"无权为{area.name}上传或修改数据")


def require_review(user: AbstractBaseUser) -> None:
    if not can_review(user):
        raise PermissionDenied("只有市生态环境局工作人员可以审核")


def visible_areas(user: AbstractBaseUser):
    role = role_of(user)
    areas = Area.objects.counties()
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return areas
    if role == Role.COUNTY:
        return areas.filter(pk=assigned_area_id(user))
    return areas.none()


def can_take(user: AbstractBaseUser, area: Area, step: Transition) -> bool:
    """May the user take this step of the review workflow (workflow.TRANSITIONS)?"""
    if step.actor == REPORTER:
        return can_upload(user, area)
    if step.actor == REVIEWER:
        return can_review(user)
    return False  # steps the write path records itself


def require_step(user: AbstractBaseUser, area: Area, step: Transition) -> None:
    if not can_take(user, area, step):
        who = "市生态环境局工作人员" if step.actor == REVIEWER else f"{area.name}的填报人员"
        raise PermissionDenied(f"只有{who}可以{step.label}")
