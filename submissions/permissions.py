"""Who may see and change which county's submissions. One place, used by every route."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from counties.models import Area
from counties.roles import Role, role_of

from .workflow import REPORTER, REVIEWER, Action, Transition


def assigned_area_id(user: AbstractBaseUser) -> int | None:
    assignment = getattr(user, "county_assignment", None)
    return assignment.area_id if assignment else None


def can_view(user: AbstractBaseUser, area: Area) -> bool:
    role = role_of(user)
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return True
    return role == Role.COUNTY and assigned_area_id(user) == area.pk


def can_upload(user: AbstractBaseUser, area: Area) -> bool:
    """Bureau staff report for any county and for the city itself; a county officer for their
    own county only."""
    role = role_of(user)
    if role == Role.BUREAU:
        return True
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
    """The areas whose submissions the user sees: the city and every county for the bureau
    and the leadership, the own county for a county officer."""
    role = role_of(user)
    areas = Area.objects.counties()
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return Area.objects.order_by("order", "code")
    if role == Role.COUNTY:
        return areas.filter(pk=assigned_area_id(user))
    return areas.none()


def can_take(
    user: AbstractBaseUser, area: Area, step: Transition, *, entered: frozenset[int] = frozenset()
) -> bool:
    """May the user take this step of the review workflow (workflow.TRANSITIONS)? No higher
    level reviews the city's own figures here, so the city's year is approved by a bureau user
    who did not enter or submit it (`entered`: the ids of those who did)."""
    if step.actor == REPORTER:
        return can_upload(user, area)
    if step.actor == REVIEWER:
        four_eyes = area.is_city and step.action == Action.APPROVE and user.pk in entered
        return can_review(user) and not four_eyes
    return False  # steps the write path records itself


def require_step(
    user: AbstractBaseUser, area: Area, step: Transition, *, entered: frozenset[int] = frozenset()
) -> None:
    if not can_take(user, area, step, entered=entered):
        if area.is_city and step.action == Action.APPROVE and can_review(user):
            raise PermissionDenied(
                f"{area.name}本级数据须由未参与填报和提交的另一位市局工作人员审核通过"
            )
        who = "市生态环境局工作人员" if step.actor == REVIEWER else f"{area.name}的填报人员"
        raise PermissionDenied(f"只有{who}可以{step.label}")
