"""What each role sees of the counties' reported data on the dashboards.

The rule (a bureau decision, documented in the README):
- bureau staff and the leadership group see every county;
- a county officer sees everything of their own county and the city, and of the other counties
  only the statuses (达标 or not, never the values) of years whose submission the bureau has
  approved, when COUNTY_OFFICERS_SEE_APPROVED_RESULTS is on (the default). Aggregates over all
  counties (how many reach the standard) are shown to everyone; names only as allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from counties.roles import Role, role_of
from submissions.models import Submission


@dataclass
class Visibility:
    everything: bool
    own_area_id: int | None = None
    approved: set[tuple[int, int]] = field(default_factory=set)  # (area_id, year)

    def values(self, area) -> bool:
        """May the user see this area's values (numbers, texts, history)?"""
        return self.everything or area.is_city or area.pk == self.own_area_id

    def statuses(self, area, year: int) -> bool:
        """May the user see this area's statuses for the year?"""
        return self.values(area) or (area.pk, year) in self.approved


def visibility(user) -> Visibility:
    role = role_of(user)
    if role in {Role.BUREAU, Role.LEADERSHIP}:
        return Visibility(everything=True)
    own = getattr(getattr(user, "county_assignment", None), "area_id", None)
    approved: set[tuple[int, int]] = set()
    if getattr(settings, "COUNTY_OFFICERS_SEE_APPROVED_RESULTS", True):
        approved = set(
            Submission.objects.filter(state=Submission.State.APPROVED).values_list(
                "area_id", "year"
            )
        )
    return Visibility(everything=False, own_area_id=own, approved=approved)
