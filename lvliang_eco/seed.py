"""Loading the plan's data from fixtures/ through the import-export resources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tablib
from django.db import transaction

from counties.resources import AreaResource, PlanGoalResource
from counties.services import plan_milestones_from_table_2
from indicators.models import StandardChange
from indicators.resources import (
    DeclaredFigureResource,
    DomainResource,
    IndicatorResource,
    IndicatorRuleResource,
    StatedFigureResource,
    TaskAreaResource,
)
from projects.resources import InvestmentRowResource, ProjectGroupResource
from projects.services import investment_rows_resolve, project_indicator_links_rebuild
from submissions.resources import SeedValueResource
from submissions.services import approved_results_watch

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"

# Order matters: every file refers only to rows of the files before it.
SEED_FILES = [
    ("areas.csv", AreaResource),
    ("domains.csv", DomainResource),
    ("task_areas.csv", TaskAreaResource),
    ("indicators.csv", IndicatorResource),
    ("indicator_rules.csv", IndicatorRuleResource),
    ("indicator_values.csv", SeedValueResource),
    ("declared_figures.csv", DeclaredFigureResource),
    ("prose_figures.csv", StatedFigureResource),
    ("project_groups.csv", ProjectGroupResource),
    ("investment_rows.csv", InvestmentRowResource),
    ("plan_goals.csv", PlanGoalResource),
]


class SeedError(Exception):
    pass


@dataclass
class FileReport:
    name: str
    new: int
    updated: int
    unchanged: int


@dataclass
class SeedReport:
    files: list[FileReport]
    rows_changed: int
    unresolved_rows: list
    links: int


def read_csv(path: Path) -> tablib.Dataset:
    # utf-8-sig: a CSV saved again from Excel starts with a BOM.
    return tablib.Dataset().load(path.read_text(encoding="utf-8-sig"), format="csv")


def _errors(result) -> list[str]:
    messages = []
    for row_number, errors in result.row_errors():
        messages.extend(f"第{row_number}行：{error.error}" for error in errors)
    for invalid in result.invalid_rows:
        for field_name, field_errors in invalid.error_dict.items():
            messages.extend(f"第{invalid.number}行 {field_name}：{e}" for e in field_errors)
    messages.extend(str(error.error) for error in result.base_errors)
    return messages


@transaction.atomic
def seed_load(directory: Path = FIXTURES_DIR) -> SeedReport:
    """Import every seed file; any error rolls the whole load back. Rules changed by a reload
    are recorded on the approved years whose results they alter."""
    reports = []
    with approved_results_watch(user=None, what="重新加载规划数据", via=StandardChange.Via.SEED):
        for name, resource_class in SEED_FILES:
            result = resource_class().import_data(read_csv(directory / name), dry_run=False)
            if result.has_errors() or result.has_validation_errors():
                raise SeedError(f"{name} 导入失败：\n" + "\n".join(_errors(result)))
            totals = result.totals
            reports.append(FileReport(name, totals["new"], totals["update"], totals["skip"]))
    resolve = investment_rows_resolve()
    links = project_indicator_links_rebuild()
    plan_milestones_from_table_2()
    return SeedReport(reports, resolve.changed, resolve.unresolved, links)
