"""What each role sees of the counties' reported data on the dashboards.

The rule (a bureau decision, documented in the README):
- bureau staff and the leadership group see every county, drafts included;
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

    @property
    def restricted(self) -> bool:
        """Are other counties' unapproved years left out of what the user sees?"""
        return not self.everything

    def counts(self, area_id: int, year: int) -> bool:
        """Does this area's data for the year count in anything the user sees (aggregates
        included)? The filter every page's loaders apply."""
        return (
            self.everything
            or area_id == self.own_area_id
            or area_id in self.city_ids
            or (area_id, year) in self.approved
        )

    def values(self, area) -> bool:
        """May the user see this area's values (numbers, texts, history)?"""
        return self.everything or area.is_city or area.pk == self.own_area_id

    def statuses(self, area, year: int) -> bool:
        """May the user see this area's statuses for the year?"""
        return self.values(area) or (self.approved_results and (area.pk, year) in self.approved)


def visibility(user) -> Visibility:
    role = role_of(user)
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return Visibility(everything=True)
    own = getattr(getattr(user, "county_assignment", None), "area_id", None)
    approved = Submission.objects.filter(state=Submission.State.APPROVED).values_list(
        "area_id", "year"
    )
    return Visibility(
        everything=False,
        own_area_id=own,
        city_ids=frozenset(Area.objects.filter(kind=Area.Kind.CITY).values_list("pk", flat=True)),
        approved=frozenset(approved),
        approved_results=getattr(settings, "COUNTY_OFFICERS_SEE_APPROVED_RESULTS", True),
    )
