"""Reads for the projects app: where the money of Table 2 goes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from counties.models import Area
from indicators.models import DeclaredFigure, Domain

from .models import InvestmentRow, ProjectGroup
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
