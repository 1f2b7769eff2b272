"""What each role sees of the counties' reported data on the dashboards.

The rule (a bureau decision, documented in the README):
- bureau staff and the leadership group see every county; the leadership group sees approved
  county-years only by default and may switch to everything reported (drafts included), bureau
  staff the other way round (`?data=approved|all`, remembered in the session);
- a county officer sees everything of their own county and the city; of another county only
  the years the bureau has approved count, in everything the officer's pages show (aggregates
  included): any other year is not loaded at all (`counts`), so a neighbour's draft never moves
  an officer's page. Of those approved years the officer sees statuses, never values, when
  COUNTY_OFFICERS_SEE_APPROVED_RESULTS is on (the default); counts over all counties include
  them either way, names only as allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from counties.models import Area
from counties.roles import Role, role_of
from submissions.models import Submission


@dataclass(frozen=True)
class Visibility:
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


def default_scope(user) -> str:
    """The leadership group reads approved figures unless it asks for more; staff, who
    review the drafts, see everything reported."""
    return "approved" if role_of(user) == Role.LEADERSHIP else "all"


def visibility(user, scope: str | None = None) -> Visibility:
    """What `user` sees; `scope` (approved/all, the user's choice) applies to bureau and
    leadership, whose default is default_scope(user)."""
    role = role_of(user)
    approved = Submission.objects.filter(state=Submission.State.APPROVED).values_list(
        "area_id", "year"
    )
    city_ids = frozenset(Area.objects.filter(kind=Area.Kind.CITY).values_list("pk", flat=True))
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        if (scope if scope in DATA_SCOPES else default_scope(user)) == "all":
            return Visibility(everything=True)
        return Visibility(
            everything=True, city_ids=city_ids, approved=frozenset(approved), approved_only=True
        )
    own = getattr(getattr(user, "county_assignment", None), "area_id", None)
    return Visibility(
        everything=False,
        own_area_id=own,
        city_ids=city_ids,
        approved=frozenset(approved),
        approved_results=getattr(settings, "COUNTY_OFFICERS_SEE_APPROVED_RESULTS", True),
    )
