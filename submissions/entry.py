"""The browser entry form of one county-year: the same rows as the template, read into the same
reports the upload produces (reporting.ValueReport / ProgressReport), saved by the same write
path. Pure: no ORM, no request; the view passes the catalogue and the posted fields.

Field names: `v-<code>-text|choice|note|base` for an indicator, `p-<row id>-status|amount|note|
base` for a progress row, `<prefix>-evidence` for the files attached to a row; `base` holds
what the form showed (the three fields joined by a unit separator), so a change made meanwhile
by another route is kept, as for a re-uploaded file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .catalogue import WITHDRAW, Catalogue, IndicatorLine, ProgressLine
from .evidence import EvidenceFile
from .reporting import PlanError, ProgressReport, ValueReport, plain

SEPARATOR = "\x1f"  # joins the three shown fields in the hidden `base` input


@dataclass
class Row:
    """One row of the form: what is on record (or what was just posted), the errors beside it."""

    line: IndicatorLine | ProgressLine
    kind: str  # "value" or "progress"
    fields: dict[str, str]
    base: str
    errors: dict[str, str] = field(default_factory=dict)
    status: object = None  # the row's computed result (IndicatorResult), after saving
    warnings: list = field(default_factory=list)  # plausibility.Warning of the value on record
    evidence: list = field(default_factory=list)  # the row's supporting documents (Evidence)
    questions: list = field(default_factory=list)  # the reviewer's questions not yet closed

    @property
    def key(self) -> str:
        """The row's key among the evidence (selectors.evidence_for)."""
        return str(self.line.code if self.kind == "value" else self.line.row_id)

    @property
    def prefix(self) -> str:
        return f"{'v' if self.kind == 'value' else 'p'}-{self.key}"


def _shown_value(line: IndicatorLine) -> dict[str, str]:
    current = line.current
    if current is None:
        return {"text": "", "choice": "", "note": ""}
    return {"text": current.reported_text, "choice": current.choice, "note": current.note}


def _shown_progress(line: ProgressLine) -> dict[str, str]:
    current = line.current
    if current is None:
        return {"status": "", "amount": "", "note": ""}
    return {"status": current.status, "amount": plain(current.amount), "note": current.note}


def form_rows(catalogue: Catalogue) -> list[Row]:
    """Every indicator line (parents too, as headings) and every progress line, as on record."""
    rows = []
    for line in catalogue.indicators:
        shown = _shown_value(line)
        rows.append(Row(line, "value", shown, SEPARATOR.join(shown.values())))
    for line in catalogue.progress:
        shown = _shown_progress(line)
        rows.append(Row(line, "progress", shown, SEPARATOR.join(shown.values())))
    return rows


def _base(raw: str) -> tuple[str, str, str] | None:
    parts = raw.split(SEPARATOR)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


@dataclass
class Posted:
    """A posted form: the reports it makes, and every row as posted; `reported[kind][i]` is
    the row of the i-th report of that kind (where the write path's errors belong)."""

    values: list[ValueReport] = field(default_factory=list)
    progress: list[ProgressReport] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    reported: dict[str, list[Row]] = field(default_factory=lambda: {"value": [], "progress": []})

    def attach(self, errors: list[PlanError]) -> None:
        """Put each error of the write path beside the field of the row it is about."""
        for error in errors:
            row = self.reported[error.kind][error.index]
            name = error.field if error.field in row.fields else next(iter(row.fields))
            row.errors[name] = error.message


def _withdrawn(first: str, second: str) -> bool:
    """`撤回` in the value or status cell: take back what was reported (reason in the note)."""
    return WITHDRAW in {first.replace(" ", ""), second.replace(" ", "")}


def read_post(catalogue: Catalogue, data: Mapping[str, str]) -> Posted:
    """The reports a posted form makes, and its rows as posted (to show again with errors).
    Only rows whose fields differ from what the form showed are reported: an untouched row, or
    one the post does not carry, changes nothing. As in the template, an emptied field keeps
    what is on record; 撤回 in the value or status, with the reason in the note, withdraws."""
    posted = Posted()
    for row in form_rows(catalogue):
        if row.kind == "value" and row.line.is_parent:
            posted.rows.append(row)
            continue
        names = ("text", "choice", "note") if row.kind == "value" else ("status", "amount", "note")
        if f"{row.prefix}-base" not in data:
            posted.rows.append(row)
            continue
        fields = {name: data.get(f"{row.prefix}-{name}", "").strip() for name in names}
        base_raw = data[f"{row.prefix}-base"]
        base = _base(base_raw)
        shown = Row(row.line, row.kind, fields, base_raw)
        posted.rows.append(shown)
        if base is not None and tuple(fields.values()) == base:
            continue
        withdraw = _withdrawn(fields[names[0]], fields[names[1]])
        # The reason for a withdrawal is written now: the note the form showed is not one.
        reason = fields["note"] if base is None or fields["note"] != base[2] else ""
        if row.kind == "value":
            posted.values.append(
                ValueReport(row.line.code, withdraw=True, reason=reason)
                if withdraw
                else ValueReport(
                    row.line.code, text=fields["text"], choice=fields["choice"],
                    note=fields["note"], base=base,
                )
            )  # fmt: skip
        else:
            posted.progress.append(
                ProgressReport(row.line.row_id, withdraw=True, reason=reason)
                if withdraw
                else ProgressReport(
                    row.line.row_id, status=fields["status"], amount=fields["amount"],
                    note=fields["note"], base=base,
                )
            )  # fmt: skip
        posted.reported[row.kind].append(shown)
    return posted


def posted_files(rows: list[Row], files) -> list[tuple[Row, EvidenceFile]]:
    """Every file chosen in a row's 佐证材料 input (`files`: the request's FILES, a mapping with
    getlist), with its row; parents take none."""
    found = []
    for row in rows:
        if row.kind == "value" and row.line.is_parent:
            continue
        for upload in files.getlist(f"{row.prefix}-evidence"):
            content = upload.read()
            found.append((row, EvidenceFile(row.kind, row.key, upload.name, content)))
    return found


def posted_answers(questions: list, data: Mapping[str, str]) -> list[tuple[object, str]]:
    """The answers typed under `questions` (field `q-<question id>-answer`), each with its
    question; empty fields are no answer."""
    found = []
    for question in questions:
        text = data.get(f"q-{question.pk}-answer", "").strip()
        if text:
            found.append((question, text))
    return found
