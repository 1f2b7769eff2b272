"""Reads for the projects app: where the money of Table 2 goes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from counties.models import Area
from indicators.models import DeclaredFigure, Domain

from .models import InvestmentRow, ProjectGroup, ProjectProgress
from .parsing import is_government

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass
class AmountBlock:
    """A printed amount and the rows it covers: the row that prints it and the rows below
    whose amount cell Word merged into it."""

    head: InvestmentRow
    rows: list[InvestmentRow] = field(default_factory=list)

    @property
    def amount(self) -> Decimal | None:
        return self.head.amount

    @property
    def county_codes(self) -> set[str]:
        return {area.code for row in self.rows for area in row.counties.all()}

    @property
    def scope(self) -> str:
        scopes = {row.scope for row in self.rows}
        if scopes == {InvestmentRow.Scope.COUNTIES}:
            return "counties"
        if scopes == {InvestmentRow.Scope.CITY}:
            return "city"
        return "unresolved"


def investment_rows() -> list[InvestmentRow]:
    return list(
        InvestmentRow.objects.select_related("group__domain")
        .prefetch_related("counties")
        .order_by("group__domain__order", "group__order", "order")
    )


def amount_blocks(rows: list[InvestmentRow]) -> list[AmountBlock]:
    blocks: list[AmountBlock] = []
    for row in rows:
        merged = row.amount_kind == InvestmentRow.AmountKind.MERGED
        if merged and blocks and blocks[-1].head.group_id == row.group_id:
            blocks[-1].rows.append(row)
        else:
            blocks.append(AmountBlock(head=row, rows=[row]))
    return blocks


def _declared() -> dict[str, Decimal]:
    return dict(DeclaredFigure.objects.values_list("key", "value"))


def investment_summary() -> dict:
    """Totals in 万元 by domain, by county (alone / even share of shared rows) and city-wide.

    Amounts printed `--` are unknown and count in no total (only in `not_given_rows`); a row
    whose place did not resolve counts in the domain totals but in no county."""
    rows = investment_rows()
    blocks = amount_blocks(rows)
    declared = _declared()
    counties = list(Area.objects.counties())
    group_counts: dict[int, int] = defaultdict(int)
    for domain_id in ProjectGroup.objects.values_list("domain_id", flat=True):
        group_counts[domain_id] += 1

    domains = []
    for domain in Domain.objects.order_by("order"):
        domain_blocks = [b for b in blocks if b.head.group.domain_id == domain.pk]
        given = [b for b in domain_blocks if b.amount is not None]
        domains.append(
            {
                "domain": domain.name,
                "groups": group_counts[domain.pk],
                "rows": sum(len(b.rows) for b in domain_blocks),
                "total": sum((b.amount for b in given), ZERO),
                "government": sum(
                    (b.amount for b in given if is_government(b.head.funding_kind)), ZERO
                ),
                "enterprise": sum(
                    (b.amount for b in given if b.head.funding_kind == "enterprise"), ZERO
                ),
                "not_given_rows": sum(
                    1
                    for r in rows
                    if r.group.domain_id == domain.pk and r.amount_kind == "not_given"
                ),
                "declared_total": declared.get(f"investment_total:{domain.name}"),
                "declared_government": declared.get(f"government_investment_total:{domain.name}"),
            }
        )

    sole: dict[str, Decimal] = defaultdict(Decimal)
    shared: dict[str, Decimal] = defaultdict(Decimal)
    row_counts: dict[str, int] = defaultdict(int)
    city_wide = unresolved = ZERO
    unresolved_rows = 0
    for row in rows:
        for area in row.counties.all():
            row_counts[area.code] += 1
        if row.scope in {InvestmentRow.Scope.PARTIAL, InvestmentRow.Scope.UNRESOLVED}:
            unresolved_rows += 1
    for block in blocks:
        if block.amount is None:
            continue
        if block.scope == "city":
            city_wide += block.amount
        elif block.scope == "unresolved":
            unresolved += block.amount
        else:
            codes = block.county_codes
            for code in codes:
                if len(codes) == 1:
                    sole[code] += block.amount
                else:
                    shared[code] += block.amount / len(codes)

    total = sum((d["total"] for d in domains), ZERO)
    return {
        "unit": "万元",
        "domains": domains,
        "counties": [
            {
                "code": area.code,
                "name": area.name,
                "sole": sole[area.code],
                "shared_estimate": shared[area.code].quantize(CENT),
                "rows": row_counts[area.code],
            }
            for area in counties
        ],
        "city_wide": city_wide,
        "unresolved": unresolved,
        "unresolved_rows": unresolved_rows,
        "total": total,
        "government": sum((d["government"] for d in domains), ZERO),
        "enterprise": sum((d["enterprise"] for d in domains), ZERO),
        "declared_total": declared.get("investment_total"),
        "declared_government": declared.get("government_investment_total"),
    }


def unresolved_rows() -> list[InvestmentRow]:
    return [
        row
        for row in investment_rows()
        if row.scope in {InvestmentRow.Scope.PARTIAL, InvestmentRow.Scope.UNRESOLVED}
    ]


def investment_by_year(blocks: list[AmountBlock]) -> list[dict]:
    """Planned amounts spread evenly over their implementation years (an estimate: the plan
    gives a total per row, not a yearly schedule)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for block in blocks:
        head = block.head
        if block.amount is None or head.first_year is None:
            continue
        years = range(head.first_year, (head.last_year or head.first_year) + 1)
        for year in years:
            totals[year] += block.amount / len(years)
    return [{"year": year, "amount": totals[year].quantize(CENT)} for year in sorted(totals)]


def funding_sources(blocks: list[AmountBlock]) -> list[dict]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    government: dict[str, bool] = {}
    for block in blocks:
        if block.amount is None:
            continue
        source = block.head.funding_source or "未注明"
        totals[source] += block.amount
        government[source] = is_government(block.head.funding_kind)
    return [
        {"source": source, "amount": amount, "government": government[source]}
        for source, amount in sorted(totals.items(), key=lambda item: -item[1])
    ]


def largest_rows(blocks: list[AmountBlock], count: int = 10) -> list[AmountBlock]:
    given = [b for b in blocks if b.amount is not None]
    return sorted(given, key=lambda b: b.amount, reverse=True)[:count]


def progress_reports(
    *, area: Area | None = None, counts: Callable[[int, int], bool] | None = None
) -> list[ProjectProgress]:
    """The counties' progress reports (of one area, or all) for the (area_id, year)s that
    `counts` accepts (a viewer's filter, see counties/access.py; None: all). One query."""
    reports = ProjectProgress.objects.all()
    if area is not None:
        reports = reports.filter(area=area)
    return [p for p in reports if counts is None or counts(p.area_id, p.year)]


def progress_totals(blocks: list[AmountBlock], progress: list[ProjectProgress]) -> dict:
    """Planned (the rows' amounts) against completed (what counties reported, latest year per
    county and row), by domain and by county."""
    latest: dict[tuple[int, int], ProjectProgress] = {}
    for item in sorted(progress, key=lambda p: p.year):
        latest[(item.investment_row_id, item.area_id)] = item
    completed_by_row: dict[int, Decimal] = defaultdict(Decimal)
    completed_by_area: dict[int, Decimal] = defaultdict(Decimal)
    for item in latest.values():
        if item.completed_amount is not None:
            completed_by_row[item.investment_row_id] += item.completed_amount
            completed_by_area[item.area_id] += item.completed_amount
    domains: dict[str, dict] = {}
    for block in blocks:
        domain = block.head.group.domain.name
        entry = domains.setdefault(domain, {"label": domain, "planned": ZERO, "completed": ZERO})
        entry["planned"] += block.amount or ZERO
        entry["completed"] += sum((completed_by_row[r.pk] for r in block.rows), ZERO)
    return {
        "domains": list(domains.values()),
        "by_area": completed_by_area,
        "reports": len(latest),
    }


def county_investment(blocks: list[AmountBlock], area: Area) -> dict:
    """Investment in one county: rows in it alone, and its even share of shared rows (an
    estimate), by domain and by implementation year."""
    by_domain: dict[str, dict] = {}
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    rows = []
    for block in blocks:
        codes = block.county_codes
        if block.amount is None or block.scope != "counties" or area.code not in codes:
            continue
        share = block.amount / len(codes)
        sole = len(codes) == 1
        domain = block.head.group.domain.name
        entry = by_domain.setdefault(
            domain, {"domain": domain, "sole": ZERO, "shared_estimate": ZERO}
        )
        entry["sole" if sole else "shared_estimate"] += share
        head = block.head
        if head.first_year:
            years = range(head.first_year, (head.last_year or head.first_year) + 1)
            for year in years:
                by_year[year] += share / len(years)
        rows.append(
            {"block": block, "share": share.quantize(CENT), "sole": sole, "shared_with": len(codes)}
        )
    return {
        "by_domain": [
            {
                **d,
                "sole": d["sole"].quantize(CENT),
                "shared_estimate": d["shared_estimate"].quantize(CENT),
            }
            for d in by_domain.values()
        ],
        "by_year": [{"year": y, "amount": by_year[y].quantize(CENT)} for y in sorted(by_year)],
        "rows": sorted(rows, key=lambda r: -r["share"]),
        "sole": sum((d["sole"] for d in by_domain.values()), ZERO).quantize(CENT),
        "shared_estimate": sum((d["shared_estimate"] for d in by_domain.values()), ZERO).quantize(
            CENT
        ),
    }
