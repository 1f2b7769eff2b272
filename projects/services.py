"""Writes for the projects app: deriving what Table 2 leaves implicit, once, at load."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from counties.models import Area
from indicators.models import Indicator

from .models import InvestmentRow, ProjectGroup, ProjectIndicatorLink
from .parsing import classify_funding, parse_years
from .places import CountyName, resolve_place


@dataclass
class ResolveReport:
    changed: int = 0
    unchanged: int = 0
    locked: int = 0
    unresolved: list[InvestmentRow] = field(default_factory=list)


@transaction.atomic
def investment_rows_resolve() -> ResolveReport:
    """Fill each row's merged cells from the row above (Word merged them vertically), resolve
    its place to counties and classify its funding. Rows staff have corrected are left alone.
    Saves only rows whose derived values changed, so running it twice changes nothing."""
    counties = list(Area.objects.counties())
    names = [CountyName(c.code, c.name, c.short_name) for c in counties]
    by_code = {c.code: c for c in counties}
    report = ResolveReport()
    rows = InvestmentRow.objects.select_related("group").prefetch_related("counties")
    previous: InvestmentRow | None = None
    previous_place = ""
    for row in rows.order_by("group__domain__order", "group__order", "order"):
        same_group = previous is not None and previous.group_id == row.group_id
        place = row.place or (previous_place if same_group else "")
        years = row.years_printed or (
            previous.years_text if same_group and previous is not None else ""
        )
        funding = row.funding_source_printed or (previous.funding_source if same_group else "")
        unit = row.responsible_unit_printed or (previous.responsible_unit if same_group else "")
        first, last = parse_years(years)
        updates = {
            "first_year": first,
            "last_year": last,
            "funding_source": funding,
            "funding_kind": classify_funding(funding),
            "responsible_unit": unit,
        }
        if not row.resolution_locked:
            resolution = resolve_place(place, names)
            note = resolution.note
            if not row.place and place:
                note = "实施地点与上行合并；" + note if note else "实施地点与上行合并"
            updates["scope"] = resolution.scope
            updates["resolution_note"] = note[:200]
            wanted = {by_code[code] for code in resolution.codes}
        else:
            report.locked += 1
            wanted = set(row.counties.all())
        changed = [name for name, value in updates.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, updates[name])
        if changed:
            row.full_clean()
            row.save(update_fields=changed)
        if set(row.counties.all()) != wanted:
            row.counties.set(wanted)
            changed.append("counties")
        if changed:
            report.changed += 1
        else:
            report.unchanged += 1
        if row.scope in {InvestmentRow.Scope.PARTIAL, InvestmentRow.Scope.UNRESOLVED}:
            report.unresolved.append(row)
        previous, previous_place = row, place
    return report


@transaction.atomic
def project_indicator_links_rebuild() -> int:
    """Link each project group to the indicators its benefit text (效益分析) names, by the
    indicator's name or one of its listed aliases. Returns the number of links."""
    indicators = list(Indicator.objects.all())
    wanted: set[tuple[int, int, str]] = set()
    for group in ProjectGroup.objects.prefetch_related("rows"):
        text = "".join(row.benefit.replace("\n", "") for row in group.rows.all())
        for indicator in indicators:
            for phrase in [indicator.display_name, *indicator.aliases()]:
                if phrase and phrase in text:
                    wanted.add((group.pk, indicator.pk, phrase))
                    break
    existing = {
        (link.group_id, link.indicator_id, link.phrase)
        for link in ProjectIndicatorLink.objects.all()
    }
    stale = existing - wanted
    for group_id, indicator_id, phrase in stale:
        ProjectIndicatorLink.objects.filter(
            group_id=group_id, indicator_id=indicator_id, phrase=phrase
        ).delete()
    ProjectIndicatorLink.objects.bulk_create(
        [
            ProjectIndicatorLink(group_id=g, indicator_id=i, phrase=p)
            for g, i, p in wanted - existing
        ]
    )
    return len(wanted)
