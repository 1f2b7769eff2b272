"""Who may see and do what: the one access module that every page, upload, form, evidence file,
export and admin route asks.

It sits with the roles and the county assignments (counties/); what it reads of the review
workflow (which county-years are approved, who may take a step) it imports from submissions.

The rules (a bureau decision, documented in the README):

- **Bureau staff** (市生态环境局) see everything, report for any county and for the city itself,
  review and approve; the city's own year is approved only by a bureau user who neither entered
  nor submitted it (no higher level reviews it here). Only they use the admin.
- **The leadership group** (领导小组) reads every page and writes nowhere; it sees approved
  county-years only by default and may switch to everything reported (`?data=all`).
- **A county officer** (县区分局) reports for their own county only; sees everything of their own
  county and the city; of another county only the years the bureau has approved count, in
  everything the officer's pages show (aggregates included), and of those only the statuses,
  never values, evidence or questions (COUNTY_OFFICERS_SEE_APPROVED_RESULTS, on by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from .models import Area
from .roles import Role, role_of

User = AbstractBaseUser | AnonymousUser


def assigned_area_id(user: User) -> int | None:
    """The pk of the county a county officer is bound to (None for everyone else)."""
    assignment = getattr(user, "county_assignment", None)
    return assignment.area_id if assignment else None


# -- areas' reported data: values, history, uploads, evidence, questions --------------------


def can_view(user: User, area: Area) -> bool:
    """May the user see this area's reported data (values, texts, history, uploads, evidence,
    questions)? Bureau and leadership: every area; a county officer: their own county."""
    role = role_of(user)
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return True
    return role == Role.COUNTY and assigned_area_id(user) == area.pk


def can_report(user: User, area: Area) -> bool:
    """May the user report (download the template, upload, use the form, attach evidence,
    answer questions) for this area? Bureau staff for any county and the city itself; a county
    officer for their own county only; the leadership never."""
    role = role_of(user)
    if role == Role.BUREAU:
        return True
    return role == Role.COUNTY and assigned_area_id(user) == area.pk


def can_view_evidence(user: User, evidence) -> bool:
    """May the user open this supporting document (a submissions.models.Evidence)? Whoever may
    see the area's values; a deleted one only the reviewers, for the history."""
    return can_view(user, evidence.area) and (not evidence.is_deleted or can_review(user))


def can_delete_evidence(user: User, evidence) -> bool:
    """May the user delete this supporting document? Its uploader, while still reporting for
    the area (the year's state — approved, in review, closed — is the write path's check)."""
    return (
        not evidence.is_deleted
        and evidence.uploaded_by_id == getattr(user, "pk", None)
        and can_report(user, evidence.area)
    )


def can_review(user: User) -> bool:
    """May the user review (approve, return, reopen, ask questions)? Bureau staff only."""
    return role_of(user) == Role.BUREAU


def can_run_jobs(user: User) -> bool:
    """May the user see and start background jobs (the full rebuild of results, large
    imports)? Bureau staff only: the jobs change every area's results."""
    return role_of(user) == Role.BUREAU


def require_jobs(user: User) -> None:
    """Raises PermissionDenied unless can_run_jobs."""
    if not can_run_jobs(user):
        raise PermissionDenied("后台任务仅供市生态环境局工作人员查看和发起")


def can_read_citywide(user: User) -> bool:
    """May the user read the pages about the whole city at once (数据核对, the annual report)?
    The bureau and the leadership, who review the whole city."""
    return role_of(user) in {Role.BUREAU, Role.LEADERSHIP}


def can_use_admin(user: User) -> bool:
    """The admin is the bureau's: indicators, standards, projects, users, reporting periods."""
    return role_of(user) == Role.BUREAU and bool(getattr(user, "is_staff", False))


def bound_by_closing_date(user: User | None) -> bool:
    """Is the user's reporting refused after a year's closing date (ReportingPeriod.closes_on)?
    County officers are; the bureau may still correct, or move the date."""
    return user is not None and role_of(user) == Role.COUNTY


def require_view(user: User, area: Area) -> None:
    """Raises PermissionDenied (403, a Chinese reason) unless can_view."""
    if not can_view(user, area):
        raise PermissionDenied(f"无权查看{area.name}的填报数据")


def require_report(user: User, area: Area) -> None:
    """Raises PermissionDenied unless can_report."""
    if not can_report(user, area):
        raise PermissionDenied(f"无权为{area.name}上传或修改数据")


def require_review(user: User) -> None:
    """Raises PermissionDenied unless can_review."""
    if not can_review(user):
        raise PermissionDenied("只有市生态环境局工作人员可以审核")


def require_citywide(user: User, what: str, *, verb: str = "查看") -> None:
    """Raises PermissionDenied unless can_read_citywide; `what` and `verb` word the reason
    (`年度实施评估报告仅供市局和领导小组下载`)."""
    if not can_read_citywide(user):
        raise PermissionDenied(f"{what}仅供市局和领导小组{verb}")


def visible_areas(user: User):
    """The areas whose submissions the user sees (a queryset): the city and every county for
    the bureau and the leadership, the own county for a county officer, none otherwise."""
    role = role_of(user)
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return Area.objects.order_by("order", "code")
    if role == Role.COUNTY:
        return Area.objects.counties().filter(pk=assigned_area_id(user))
    return Area.objects.none()


# -- the review workflow --------------------------------------------------------------------


def can_take(user: User, area: Area, step, *, entered: frozenset[int] = frozenset()) -> bool:
    """May the user take this step (a submissions.workflow.Transition) of the area's year?
    `entered`: the ids of those who entered or submitted it (services.entered_by), who may not
    approve the city's own year."""
    from submissions.workflow import REPORTER, REVIEWER, Action

    if step.actor == REPORTER:
        return can_report(user, area)
    if step.actor == REVIEWER:
        four_eyes = area.is_city and step.action == Action.APPROVE and user.pk in entered
        return can_review(user) and not four_eyes
    return False  # steps the write path records itself


def require_step(user: User, area: Area, step, *, entered: frozenset[int] = frozenset()) -> None:
    """Raises PermissionDenied with the reason unless can_take."""
    from submissions.workflow import REVIEWER, Action

    if not can_take(user, area, step, entered=entered):
        if area.is_city and step.action == Action.APPROVE and can_review(user):
            raise PermissionDenied(
                f"{area.name}本级数据须由未参与填报和提交的另一位市局工作人员审核通过"
            )
        who = "市生态环境局工作人员" if step.actor == REVIEWER else f"{area.name}的填报人员"
        raise PermissionDenied(f"只有{who}可以{step.label}")


# -- what the dashboards count ----------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """What one user's pages count and show of the areas' data; built by visibility()."""

    everything: bool
    own_area_id: int | None = None
    city_ids: frozenset[int] = frozenset()
    approved: frozenset[tuple[int, int]] = field(default_factory=frozenset)  # (area_id, year)
    approved_results: bool = True  # COUNTY_OFFICERS_SEE_APPROVED_RESULTS
    approved_only: bool = False  # bureau or leadership chose approved county-years only

    @property
    def restricted(self) -> bool:
        """Are other counties' unapproved years left out of what the user sees?"""
        return not self.everything

    @property
    def scope(self) -> str:
        """What the figures include: `approved` (counties' approved years only) or `all`."""
        return "approved" if self.approved_only or not self.everything else "all"

    def counts(self, area_id: int, year: int) -> bool:
        """Does this area's data for the year count in anything the user sees (aggregates
        included)? The filter every page's loaders apply."""
        return (
            (self.everything and not self.approved_only)
            or area_id == self.own_area_id
            or area_id in self.city_ids
            or (area_id, year) in self.approved
        )

    def result_scope(self, area_id: int) -> str:
        """Which stored results (indicators.models.Scope) are this user's of an area: counting
        every value (`all`) or the approved county-years only (`approved`). An area's results
        depend on its own counted values only, so this equals a computation with counts()."""
        if (self.everything and not self.approved_only) or area_id == self.own_area_id:
            return "all"
        return "all" if area_id in self.city_ids else "approved"

    def values(self, area) -> bool:
        """May the user see this area's values (numbers, texts, history)?"""
        return self.everything or area.is_city or area.pk == self.own_area_id

    def statuses(self, area, year: int) -> bool:
        """May the user see this area's statuses for the year (with approved-only chosen, a
        county's unapproved year has none to show)?"""
        if self.approved_only and not area.is_city:
            return (area.pk, year) in self.approved
        return self.values(area) or (self.approved_results and (area.pk, year) in self.approved)


DATA_SCOPES = {"approved", "all"}


def default_scope(user: User) -> str:
    """The leadership group reads approved figures unless it asks for more; staff, who
    review the drafts, see everything reported."""
    return "approved" if role_of(user) == Role.LEADERSHIP else "all"


@dataclass(frozen=True)
class VisibilityFacts:
    """What every viewer's Visibility is made of besides the viewer: the city's own areas and
    the approved county-years. Data, hence the same for everyone until the data change (the
    dashboards keep it per data version, lvliang_eco.pagecache)."""

    city_ids: frozenset[int]
    approved: frozenset[tuple[int, int]]  # (area_id, year)


def visibility_facts() -> VisibilityFacts:
    """The facts as stored now. Two queries."""
    from submissions.models import Submission

    approved = Submission.objects.filter(state=Submission.State.APPROVED)
    return VisibilityFacts(
        city_ids=frozenset(Area.objects.filter(kind=Area.Kind.CITY).values_list("pk", flat=True)),
        approved=frozenset(approved.values_list("area_id", "year")),
    )


def visibility(
    user: User,
    scope: str | None = None,
    *,
    facts: Callable[[], VisibilityFacts] = visibility_facts,
) -> Visibility:
    """What `user` sees; `scope` (approved/all, the user's choice) applies to bureau and
    leadership, whose default is default_scope(user). `facts()` is asked unless the user sees
    everything (visibility_facts: two queries; the dashboards keep them, views._visibility)."""
    role = role_of(user)
    wide = role in {Role.BUREAU, Role.LEADERSHIP}
    if wide and (scope if scope in DATA_SCOPES else default_scope(user)) == "all":
        return Visibility(everything=True)
    facts = facts()
    if wide:
        return Visibility(
            everything=True, city_ids=facts.city_ids, approved=facts.approved, approved_only=True
        )
    return Visibility(
        everything=False,
        own_area_id=assigned_area_id(user),
        city_ids=facts.city_ids,
        approved=facts.approved,
        approved_results=getattr(settings, "COUNTY_OFFICERS_SEE_APPROVED_RESULTS", True),
    )
