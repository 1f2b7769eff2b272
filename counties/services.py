"""Writes for the counties app: roles, groups and users."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

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
PROJECT_APPS = ("counties", "indicators", "projects")


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
    groups[Role.BUREAU].permissions.set(project_permissions)
    groups[Role.LEADERSHIP].permissions.set(
        project_permissions.filter(codename__startswith="view_")
    )
    groups[Role.COUNTY].permissions.clear()
    return groups


@transaction.atomic
def user_create(
    *, username: str, password: str, role: Role, area: Area | None = None, full_name: str = ""
) -> User:
    """Create or reset a user with exactly one role (and, for a county officer, one county)."""
    if role == Role.COUNTY and (area is None or area.is_city):
        raise ValueError("县区分局用户必须指定一个县（市、区）")
    groups = role_groups_ensure()
    user, _ = User.objects.get_or_create(username=username)
    user.first_name = full_name
    user.is_staff = role == Role.BUREAU
    user.is_superuser = False
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set([groups[role]])
    if role == Role.COUNTY:
        CountyAssignment.objects.update_or_create(user=user, defaults={"area": area})
    else:
        CountyAssignment.objects.filter(user=user).delete()
    return user


def demo_users_create(*, password: str) -> list[DemoUser]:
    created = [
        user_create(username="bureau", password=password, role=Role.BUREAU, full_name="市局演示"),
        user_create(
            username="leader", password=password, role=Role.LEADERSHIP, full_name="领导演示"
        ),
    ]
    result = [DemoUser("bureau", Role.BUREAU.label), DemoUser("leader", Role.LEADERSHIP.label)]
    for area in Area.objects.counties():
        username = DEMO_OFFICER_LOGINS[area.code]
        created.append(
            user_create(
                username=username,
                password=password,
                role=Role.COUNTY,
                area=area,
                full_name=f"{area.short_name}分局演示",
            )
        )
        result.append(DemoUser(username, f"{Role.COUNTY.label}（{area.name}）"))
    return result


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
