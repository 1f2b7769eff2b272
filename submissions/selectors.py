"""Reads for the submission pages and the spreadsheet."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Prefetch, Q, Sum
from django.utils import timezone

from counties.models import Area
from indicators.models import Indicator, IndicatorValue
from indicators.standards import Standards
from projects.models import InvestmentRow, ProjectProgress

from .catalogue import (
    Catalogue,
    Current,
    IndicatorLine,
    InputSpec,
    ProgressCurrent,
    ProgressLine,
    input_spec,
)
from .models import (
    Evidence,
    Question,
    QuestionReply,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    Upload,
    ValueChange,
)
from .timeliness import timeliness


def row_key(row: InvestmentRow) -> str:
    return f"{row.group.domain.order}-{row.group.order}-{row.order}"


CURRENT_FIELDS = (
    "indicator_id", "year", "value_text", "number", "state", "flag", "note", "judgement",
    "source", "judgement_printed",
)  # fmt: skip


def _current(value: IndicatorValue | None) -> Current | None:
    if value is None:
        return None
    return Current(
        text=value.value_text,
        number=value.number,
        state=value.state,
        flag=value.flag,
        note=value.note,
        judgement=value.judgement,
        is_demo=value.source == IndicatorValue.Source.DEMO,
        judgement_printed=value.judgement_printed,
    )


def catalogue(area: Area, year: int) -> Catalogue:
    """The indicator lines and the investment rows covering `area`, with what is on record for
    `year` and the year before. Each line carries the standard and rule that apply to the
    area: its own (StandardOverride, of the indicator or of its parent) first, as on every
    page. A fixed number of queries."""
    # What the lines read (a large catalogue: not the targets, notes and aliases).
    read = ("code", "number", "name", "unit", "standard", "attribute", "standard_rule", "order")
    loaded = (*read, "parent_id", "is_condition", "plausible_change_percent", "parent__parent_id")
    indicators = (
        Indicator.objects.select_related("parent")
        .only(*loaded, *(f"parent__{name}" for name in read))
        .order_by("order")
    )
    parents = set(Indicator.objects.exclude(parent=None).values_list("parent_id", flat=True))
    standards = Standards.load(area=area)
    # What is on record, as Current: no model instance is kept (a catalogue may be large).
    values: dict[tuple[int, int], Current] = {
        (v.year, v.indicator_id): _current(v)
        for v in IndicatorValue.objects.filter(area=area, year__in=[year, year - 1])
        .only(*CURRENT_FIELDS)
        .iterator(chunk_size=2000)
    }
    lines = []
    # Lines share their equal specifications and units, standards and attributes (interned):
    # a catalogue of many lines holds each once.
    specs: dict[InputSpec, InputSpec] = {}
    for indicator in indicators.iterator(chunk_size=2000):
        parent = indicator.parent
        applied = standards.applied(indicator, area)
        rule = applied.rule
        standard = applied.standard.replace("\n", " ")
        if applied.override is not None:
            standard += f"（{area.name}标准）"
        elif applied.group is not None:
            standard += f"（{applied.group.group}标准）"
        elif applied.city_bar_note:
            standard += "（暂按全市标准）"
        previous = values.get((year - 1, indicator.pk))
        lines.append(
            IndicatorLine(
                code=indicator.code,
                name=indicator.label,
                unit=sys.intern(indicator.unit),
                standard=sys.intern(standard),
                attribute=sys.intern((parent or indicator).attribute),
                is_parent=indicator.pk in parents,
                rule=rule,
                spec=specs.setdefault(
                    spec := input_spec(
                        rule,
                        unit=indicator.unit,
                        name=indicator.display_name,
                        parent_name=parent.display_name if parent else "",
                    ),
                    spec,
                ),
                previous=_value_text(previous),
                previous_number=previous.number if previous else None,
                previous_value=previous,
                current=values.get((year, indicator.pk)),
                is_area_standard=applied.is_own,
                indicator_id=indicator.pk,
                change_percent=indicator.plausible_change_percent,
            )
        )
    rows = list(
        InvestmentRow.objects.filter(counties=area)
        .select_related("group__domain")
        .prefetch_related("counties")
        .order_by("group__domain__order", "group__order", "order")
    )
    progress = {
        p.investment_row_id: p for p in ProjectProgress.objects.filter(area=area, year=year)
    }
    progress_lines = []
    for row in rows:
        current = progress.get(row.pk)
        progress_lines.append(
            ProgressLine(
                key=row_key(row),
                row_id=row.pk,
                domain=row.group.domain.name,
                group=row.group.display_name,
                subcategory=row.subcategory,
                content=(row.content or "（同上）").replace("\n", " "),
                place=(row.place or "（同上）").replace("\n", ""),
                amount=row.amount_printed or "（与上行合并）",
                years=row.years_text,
                shared_with=len(row.counties.all()),
                current=ProgressCurrent(
                    current.status, current.completed_amount, current.note, current.is_demo
                )
                if current
                else None,
            )
        )
    names = dict(Area.objects.values_list("code", "name"))
    return Catalogue(area.code, area.name, year, lines, progress_lines, names)


def _value_text(value: Current | None) -> str:
    if value is None:
        return ""
    parts = [value.text.replace("\n", " ")] if value.text else []
    if value.flag is not None:
        parts.append("是" if value.flag else "否")
    elif value.state and value.state != value.text:
        parts.append(value.state)
    return "；".join(parts)


def locked_message(area_name: str, year: int) -> str:
    return f"{area_name}{year}年的数据已审核通过并锁定，不能修改；如需修改请由市局重新开放"


def lock_refusal(area_id: int | None, year: int | None) -> str:
    """Why an area-year cannot be changed (it is approved and locked), or ""."""
    if area_id is None or year is None:
        return ""
    submission = (
        Submission.objects.filter(area_id=area_id, year=year, state=Submission.State.APPROVED)
        .select_related("area")
        .first()
    )
    return locked_message(submission.area.name, year) if submission else ""


def submission_for(area: Area, year: int) -> Submission | None:
    return Submission.objects.filter(area=area, year=year).first()


@dataclass(frozen=True)
class Filled:
    """What an area-year has on record against what its report asks for: the indicators that
    take a value (sub-indicators, not their parents) and the investment rows covering the area.
    The same count as Catalogue.completeness, for many area-years in a fixed number of queries."""

    indicators: int
    indicators_total: int
    progress: int
    progress_total: int

    @property
    def share(self) -> float | None:
        """Filled of required, both kinds together, as a fraction 0–1 (None: nothing asked)."""
        total = self.indicators_total + self.progress_total
        return (self.indicators + self.progress) / total if total else None

    @property
    def is_complete(self) -> bool:
        return self.indicators == self.indicators_total and self.progress == self.progress_total


def completed_totals(row_ids: list[int], year: int) -> dict[int, Decimal]:
    """Completed investment (万元) by investment row id, added over every area that reported
    the year. Other counties' unapproved figures: for reviewers only. One query."""
    return dict(
        ProjectProgress.objects.filter(
            investment_row_id__in=row_ids, year=year, completed_amount__isnull=False
        )
        .values("investment_row_id")
        .annotate(total=Sum("completed_amount"))
        .values_list("investment_row_id", "total")
    )


def filled_counts(areas, years: list[int]) -> dict[tuple[int, int], Filled]:
    """Filled of required per (area pk, year) for `areas` × `years`. Four queries."""
    area_ids = [a.pk for a in areas]
    parents = set(
        Indicator.objects.filter(parent__isnull=False).values_list("parent_id", flat=True)
    )
    leaves = set(Indicator.objects.values_list("pk", flat=True)) - parents
    reported = (
        IndicatorValue.objects.filter(area_id__in=area_ids, year__in=years, indicator_id__in=leaves)
        .filter(~Q(value_text="") | ~Q(state="") | Q(flag__isnull=False))
        .values("area_id", "year")
        .annotate(n=Count("pk"))
    )
    indicators = {(r["area_id"], r["year"]): r["n"] for r in reported}
    rows_total = dict(
        InvestmentRow.counties.through.objects.filter(area_id__in=area_ids)
        .values("area_id")
        .annotate(n=Count("pk"))
        .values_list("area_id", "n")
    )
    progress = {
        (r["area_id"], r["year"]): r["n"]
        for r in ProjectProgress.objects.filter(
            area_id__in=area_ids, year__in=years, investment_row__counties=F("area")
        )
        .values("area_id", "year")
        .annotate(n=Count("pk"))
    }
    return {
        (area_id, year): Filled(
            indicators.get((area_id, year), 0),
            len(leaves),
            progress.get((area_id, year), 0),
            rows_total.get(area_id, 0),
        )
        for area_id in area_ids
        for year in years
    }


def submissions_overview(areas, years: list[int]) -> list[dict]:
    """Each visible area with its submission state, latest upload, values on record, what is
    filled of what is required (`filled`, a Filled), the year's due date and whether it was
    reported on time, per year. Ten queries."""
    areas = list(areas)
    submissions = {
        (s.area_id, s.year): s for s in Submission.objects.filter(area__in=areas, year__in=years)
    }
    latest: dict[int, Upload] = {}
    # Filtered by area and year, not by the submissions found: an empty list of those would
    # skip the query, and the page's query count would then depend on the data.
    for upload in Upload.objects.filter(
        submission__area__in=areas, submission__year__in=years
    ).order_by("uploaded_at", "pk"):
        latest[upload.submission_id] = upload
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for area_id, year in IndicatorValue.objects.filter(area__in=areas, year__in=years).values_list(
        "area_id", "year"
    ):
        counts[(area_id, year)] += 1
    filled = filled_counts(areas, years)
    first_submitted = dict(
        SubmissionEvent.objects.filter(
            submission__area__in=areas,
            submission__year__in=years,
            action=SubmissionEvent.Action.SUBMIT,
        )
        .values("submission_id")
        .annotate(first=Min("at"))
        .values_list("submission_id", "first")
    )
    periods = {p.year: p for p in ReportingPeriod.objects.filter(year__in=years)}
    today = timezone.localdate()
    output = []
    for year in years:
        period = periods.get(year)
        for area in areas:
            submission = submissions.get((area.pk, year))
            submitted_at = first_submitted.get(submission.pk) if submission else None
            submitted_on = timezone.localdate(submitted_at) if submitted_at else None
            output.append(
                {
                    "area": area,
                    "year": year,
                    "submission": submission,
                    "state": submission.get_state_display() if submission else "未开始",
                    "state_code": submission.state if submission else "none",
                    "latest_upload": latest.get(submission.pk) if submission else None,
                    "values": counts[(area.pk, year)],
                    "filled": filled[(area.pk, year)],
                    "period": period,
                    "submitted_on": submitted_on,
                    "submitted_at": submitted_at,
                    "timeliness": timeliness(
                        due_on=period.due_on if period else None,
                        submitted_on=submitted_on, today=today,
                    ),
                }
            )  # fmt: skip
    return output


@dataclass(frozen=True)
class YearRates:
    """DHIS2's reporting rates of one year over the areas a user sees: how many were expected,
    submitted (the first submit counts, whatever happened after), submitted on time, approved,
    and the mean completeness (filled of required, 0–1)."""

    year: int
    expected: int
    submitted: int
    on_time: int
    approved: int
    complete: int
    completeness: float | None
    due_on: object = None  # the year's due date, if set

    @property
    def reporting_rate(self) -> float | None:
        """Submitted of expected, 0–1."""
        return self.submitted / self.expected if self.expected else None

    @property
    def timeliness_rate(self) -> float | None:
        """Submitted on time of expected, 0–1 (None without a due date)."""
        return self.on_time / self.expected if self.expected and self.due_on else None

    def percent(self, name: str) -> str:
        """`reporting_rate`, `timeliness_rate` or `completeness` as `85.7%` (— when none)."""
        share = getattr(self, name)
        return "—" if share is None else f"{share * 100:.1f}%"

    @property
    def texts(self) -> dict[str, str]:
        return {n: self.percent(n) for n in ("reporting_rate", "timeliness_rate", "completeness")}


def reporting_rates(areas, years: list[int]) -> tuple[list[dict], list[YearRates]]:
    """The completeness and timeliness report: submissions_overview's rows for `areas` ×
    `years`, and each year's rates over them. Ten queries."""
    rows = submissions_overview(areas, years)
    summary = []
    for year in years:
        of_year = [r for r in rows if r["year"] == year]
        shares = [r["filled"].share for r in of_year if r["filled"].share is not None]
        period = of_year[0]["period"] if of_year else None
        summary.append(
            YearRates(
                year=year,
                expected=len(of_year),
                submitted=sum(1 for r in of_year if r["submitted_on"]),
                on_time=sum(1 for r in of_year if r["timeliness"].code == "on_time"),
                approved=sum(1 for r in of_year if r["state_code"] == "approved"),
                complete=sum(1 for r in of_year if r["filled"].is_complete),
                completeness=sum(shares) / len(shares) if shares else None,
                due_on=period.due_on if period else None,
            )
        )
    return rows, summary


def changes_for(area: Area, year: int, *, indicator: Indicator | None = None):
    changes = ValueChange.objects.filter(area=area, year=year).select_related(
        "indicator", "investment_row__group__domain", "changed_by", "upload", "evidence"
    )
    if indicator is not None:
        changes = changes.filter(indicator=indicator)
    return changes.order_by("-changed_at", "-pk")


def _row_key(item) -> tuple[str, str]:
    """A ReportRow's key: ("value", indicator code) or ("progress", str(investment row id))."""
    if item.indicator_id:
        return ("value", item.indicator.code)
    return ("progress", str(item.investment_row_id))


def questions_for(area: Area, year: int) -> list[Question]:
    """The area-year's questions, unanswered first, then answered, then closed, each oldest
    first, with their replies (`replies`, oldest first), people and rows. Three queries."""
    replies = QuestionReply.objects.select_related("by")
    found = (
        Question.objects.filter(area=area, year=year)
        .select_related("indicator", "investment_row__group__domain", "asked_by", "closed_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
    order = {Question.State.OPEN: 0, Question.State.ANSWERED: 1, Question.State.CLOSED: 2}
    return sorted(found, key=lambda q: (order[q.state], q.asked_at, q.pk))


def questions_by_row(questions: list[Question]) -> dict[tuple[str, str], list[Question]]:
    """`questions` grouped by their row's key (as evidence_for's)."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    for question in questions:
        found[_row_key(question)].append(question)
    return dict(found)


def question_counts(areas, state: str) -> dict[tuple[int, int], int]:
    """How many questions in `state` each (area id, year) of `areas` (a queryset or ids) has.
    One query."""
    rows = (
        Question.objects.filter(area__in=areas, state=state)
        .values("area_id", "year")
        .annotate(n=Count("pk"))
    )
    return {(r["area_id"], r["year"]): r["n"] for r in rows}


def evidence_for(area: Area, year: int, *, deleted: bool = False) -> dict[tuple[str, str], list]:
    """The area-year's supporting documents by row: ("value", indicator code) or ("progress",
    str(investment row id)) → [Evidence] in upload order; deleted ones only with `deleted`
    (the history, for reviewers). One query."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    documents = Evidence.objects.filter(area=area, year=year).select_related(
        "indicator", "uploaded_by"
    )
    if not deleted:
        documents = documents.filter(deleted_at__isnull=True)
    for document in documents:
        found[_row_key(document)].append(document)
    return dict(found)
