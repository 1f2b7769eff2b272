"""Writes for the counties app: roles, groups and users."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import ProtectedError, QuerySet

from .models import CITY_CODE, Area, CountyAssignment, Milestone
from .roles import Role

# Pinyin logins for the demo officers, by county code.
DEMO_OFFICER_LOGINS = {
    "141102": "lishi",
    "141121": "wenshui",
    "141122": "jiaocheng",
    "141123": "xingxian",
    "141124": "linxian",
    "141125": "liulin",
    "141126": "shilou",
    "141127": "lanxian",
    "141128": "fangshan",
    "141129": "zhongyang",
    "141130": "jiaokou",
    "141181": "xiaoyi",
    "141182": "fenyang",
}
# submissions too: staff set the reporting periods (填报期限); its records are read-only anyway.
PROJECT_APPS = ("counties", "indicators", "projects", "submissions")
# Bureau staff manage users and their county assignments in the admin.
USER_ADMIN_PERMISSIONS = (
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "view_group"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accessfailurelog"),
)
# The demo logins belong to this group besides their role: they are refused at login and
# removed by clear_demo whenever DEBUG is off (their password is published).
DEMO_GROUP = "演示账号"


class UserExists(ValueError):
    """create_user was asked to create a login that exists, without --update."""


@dataclass
class DemoUser:
    username: str
    role_label: str


@transaction.atomic
def role_groups_ensure() -> dict[Role, Group]:
    """The three role groups; bureau staff get every permission on the project's models,
    leadership only the view permissions, county officers none in the admin."""
    groups = {role: Group.objects.get_or_create(name=role.group_name)[0] for role in Role}
    project_permissions = Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)
    user_admin = Permission.objects.none()
    for app_label, codename in USER_ADMIN_PERMISSIONS:
        user_admin |= Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    groups[Role.BUREAU].permissions.set(project_permissions | user_admin)
    groups[Role.LEADERSHIP].permissions.set(
        project_permissions.filter(codename__startswith="view_")
    )
    groups[Role.COUNTY].permissions.clear()
    return groups


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    area: Area | None = None,
    full_name: str = "",
    update: bool = False,
) -> User:
    """Create a user with exactly one role (and, for a county officer, one county); with
    `update`, reset an existing one instead. The password must pass AUTH_PASSWORD_VALIDATORS.
    Raises UserExists for an existing login without `update`, ValidationError for a bad
    password or name."""
    if role == Role.COUNTY and (area is None or area.is_city):
        raise ValueError("县区分局用户必须指定一个县（市、区）")
    existing = User.objects.filter(username=username).first()
    if existing is not None and not update:
        raise UserExists(f"用户 {username} 已存在；如要修改其角色、所属县或密码，请加 --update")
    user = existing or User(username=username)
    user.first_name = full_name
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user_role_set(user=user, role=role, area=area)
    return user


@transaction.atomic
def user_role_set(*, user: User, role: Role, area: Area | None = None) -> User:
    """Give a saved user exactly one role: its group, admin access for bureau staff only, and
    for a county officer the one county (CountyAssignment); other roles lose any county."""
    if role == Role.COUNTY and (area is None or area.is_city):
        raise ValueError("县区分局用户必须指定一个县（市、区）")
    groups = role_groups_ensure()
    user.is_staff = role == Role.BUREAU
    user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    kept = list(user.groups.filter(name=DEMO_GROUP))
    user.groups.set([groups[role], *kept])
    if role == Role.COUNTY:
        CountyAssignment.objects.update_or_create(user=user, defaults={"area": area})
    else:
        CountyAssignment.objects.filter(user=user).delete()
    user._lvliang_role = role
    return user


def demo_users() -> QuerySet[User]:
    """The demo logins (members of the 演示账号 group)."""
    return User.objects.filter(groups__name=DEMO_GROUP)


@transaction.atomic
def demo_users_delete() -> int:
    """Delete the demo logins; returns how many. Their sessions end with them. A demo login
    that history still names (an upload, a review step, a change) cannot go: it is deactivated,
    its password made unusable, so it can never log in again."""
    removed = 0
    for user in demo_users():
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
        else:
            removed += 1
    return removed


@transaction.atomic
def demo_users_create(*, password: str) -> list[DemoUser]:
    """Create or reset the demo logins, all with one password, marked as demo."""
    logins = [
        ("bureau", Role.BUREAU, None, "市局演示", Role.BUREAU.label),
        ("leader", Role.LEADERSHIP, None, "领导演示", Role.LEADERSHIP.label),
    ]
    for area in Area.objects.counties():
        label = f"{Role.COUNTY.label}（{area.name}）"
        logins.append(
            (DEMO_OFFICER_LOGINS[area.code], Role.COUNTY, area, f"{area.short_name}分局演示", label)
        )
    created = [
        user_create(
            username=username, password=password, role=role, area=area, full_name=name, update=True
        )
        for username, role, area, name, _ in logins
    ]
    Group.objects.get_or_create(name=DEMO_GROUP)[0].user_set.add(*created)
    return [DemoUser(username, label) for username, _, _, _, label in logins]


@transaction.atomic
def plan_milestones_from_table_2() -> int:
    """Each area's planned year for publishing its own plan, from Table 2 生态制度 group 1
    (生态文明建设规划: 吕梁市 2024; 方山、交口、中阳、岚县、文水 2023; …). Creates or updates the
    planned year of seed milestones; actual dates entered by staff are never touched."""
    from projects.models import InvestmentRow  # projects depends on counties, not the reverse

    rows = InvestmentRow.objects.filter(
        group__domain__name="生态制度", group__order=1
    ).prefetch_related("counties")
    city = Area.objects.get(code=CITY_CODE)
    planned: dict[int, tuple[Area, int, int]] = {}
    for row in rows:
        areas = [city] if row.scope == InvestmentRow.Scope.CITY else list(row.counties.all())
        for area in areas:
            planned[area.pk] = (area, row.first_year, row.source_line)
    changed = 0
    for area, year, line in planned.values():
        milestone, created = Milestone.objects.get_or_create(
            area=area,
            kind=Milestone.Kind.PLAN_PUBLISHED,
            defaults={"planned_year": year, "source": Milestone.Source.SEED},
        )
        note = f"表2 生态制度1“生态文明建设规划”（第{line}行）：计划{year}年制定实施"
        if (milestone.planned_year, milestone.note) != (year, note):
            milestone.planned_year = year
            milestone.note = note
            milestone.save(update_fields=["planned_year", "note"])
            changed += 1
        changed += created
    return changed
