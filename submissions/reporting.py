"""What a person reports, checked and compared with what is on record: the pure half of the one
write path (services.report_save is the other half, which writes what the plan says).

Every route (spreadsheet upload, admin form and import, command line, demo loader, seed loader,
browser form) turns its input into `ValueReport`s and `ProgressReport`s holding the texts as
reported. `value_fields` derives everything stored from those texts with the indicator's one
input specification, and refuses what does not fit with the same Chinese message whatever the
route; `plan` compares each report with what is on record, field by field as a person sees them.
Plain functions over a `Catalogue`; no ORM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation

from indicators.parsing import parse_value_text

from .catalogue import (
    NO,
    PROGRESS_STATUSES,
    WITHDRAW,
    YES,
    Catalogue,
    Current,
    IndicatorLine,
    InputSpec,
    ProgressCurrent,
    ProgressLine,
    choice_of,
)

NOTE_MAX = 500
NUMBER_PLACES = 4  # the decimals IndicatorValue.number keeps
AMOUNT_PLACES = 2  # the decimals ProjectProgress.completed_amount keeps
NUMBER_LIMIT = Decimal(10) ** 12

# What a person sees of a value and of a progress record: the history records these fields.
VALUE_FIELDS = {
    "value_text": "数值",
    "choice": "状态或是否完成",
    "note": "备注",
    "judgement": "记录的达标情况",
}
PROGRESS_FIELDS = {"status": "进展状态", "completed_amount": "累计完成投资", "note": "备注"}
JUDGEMENT_TEXT = {"met": "已达标", "not_met": "未达标", "": ""}

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋％，", "0123456789.-+%,")
_BOUND = re.compile(r"^(≥|≤|>=|<=|>|<|＞|＜)?([-+]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?)%?$")
_BOUND_SIGNS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "＞": ">", "<": "<", "＜": "<"}


class InputError(ValueError):
    """One reported input that does not fit; `field` is text, choice, note, status, amount."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ValueReport:
    """An indicator value as reported: the texts of the value and choice cells and the note.

    `withdraw` takes back the value on record (`reason` says why). `judgement` is the recorded
    judgement (met / not_met / ""), reported only by the bureau's routes and the seed; None
    means the route does not report one, and a changed value then drops the old judgement,
    which was about the old value."""

    code: str
    text: str = ""
    choice: str = ""
    note: str = ""
    withdraw: bool = False
    reason: str = ""
    judgement: str | None = None
    judgement_printed: str | None = None  # the plan's printed 达标情况 (the seed only)
    # (text, choice, note) as the template showed them when downloaded; None when unknown.
    base: tuple[str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """A project progress record as reported; `row_id` is the InvestmentRow's id, `amount` the
    completed amount as typed (万元)."""

    row_id: int
    status: str = ""
    amount: str = ""
    note: str = ""
    withdraw: bool = False
    reason: str = ""
    base: tuple[str, str, str] | None = None  # (status, amount, note) as downloaded


_REPORT_FIELDS = {
    kind: [f.name for f in fields(cls)]
    for kind, cls in (("values", ValueReport), ("progress", ProgressReport))
}


def reports_dump(*, values: list[ValueReport], progress: list[ProgressReport]) -> dict:
    """Reports as plain JSON (lists of field values, the field names once): an upload's
    preview keeps what it read for its confirmation."""
    return {
        "fields": _REPORT_FIELDS,
        "values": [[getattr(r, n) for n in _REPORT_FIELDS["values"]] for r in values],
        "progress": [[getattr(r, n) for n in _REPORT_FIELDS["progress"]] for r in progress],
    }


def reports_load(data: dict) -> dict[str, list] | None:
    """The reports of `reports_dump` as the `values` and `progress` arguments of `plan` and
    `services.report_save`; None when there are none or they were kept with other fields (an
    upload previewed by an older version)."""
    if not data or data.get("fields") != _REPORT_FIELDS:
        return None
    loaded: dict[str, list] = {}
    for kind, cls in (("values", ValueReport), ("progress", ProgressReport)):
        names = _REPORT_FIELDS[kind]
        reports = []
        for row in data.get(kind, []):
            report = dict(zip(names, row, strict=True))
            if report["base"] is not None:
                report["base"] = tuple(report["base"])
            reports.append(cls(**report))
        loaded[kind] = reports
    return loaded


@dataclass(frozen=True, slots=True)
class ValueFields:
    """An indicator value as stored; `value_text` is the value as reported (canonical for a
    plain number or bound: `96.5`, `≥60`), the rest is derived from the reported texts."""

    value_text: str = ""
    number: Decimal | None = None
    state: str = ""
    flag: bool | None = None
    note: str = ""
    judgement: str = ""
    judgement_printed: str = ""

    @property
    def choice(self) -> str:
        return choice_of(self.state, self.flag)

    def seen(self) -> dict[str, str]:
        """The fields as a person sees them (the history's and the preview's terms)."""
        return {
            "value_text": "" if self.value_text == self.choice else self.value_text,
            "choice": self.choice,
            "note": self.note,
            "judgement": JUDGEMENT_TEXT.get(self.judgement, self.judgement),
        }

    @classmethod
    def of(cls, current: Current | None) -> ValueFields | None:
        if current is None:
            return None
        return cls(
            current.text,
            current.number,
            current.state,
            current.flag,
            current.note,
            current.judgement,
            current.judgement_printed,
        )


@dataclass(frozen=True, slots=True)
class ProgressFields:
    status: str = ""
    completed_amount: Decimal | None = None
    note: str = ""

    def seen(self) -> dict[str, str]:
        return {
            "status": self.status,
            "completed_amount": plain(self.completed_amount),
            "note": self.note,
        }

    @classmethod
    def of(cls, current: ProgressCurrent | None) -> ProgressFields | None:
        if current is None:
            return None
        return cls(current.status, current.amount, current.note)


def by_kind(reports) -> dict[str, list]:
    """Reports of either kind as the `values` and `progress` arguments of `plan` and
    `services.report_save`."""
    reports = list(reports)
    return {
        "values": [r for r in reports if isinstance(r, ValueReport)],
        "progress": [r for r in reports if isinstance(r, ProgressReport)],
    }


def plain(number: Decimal | None) -> str:
    """A number as a person writes it: no exponent, no trailing zeros (`96.5`, `1200`)."""
    if number is None:
        return ""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_number(raw: str, *, places: int, field: str = "text") -> tuple[str, Decimal | None, str]:
    """(comparator sign, number, canonical text) of a typed number or bound.

    Full-width digits, spaces, thousands separators and a trailing % are accepted; `≥60` is a
    bound. Raises InputError with the Chinese reason otherwise."""
    text = raw.strip().translate(_FULL_WIDTH).replace(" ", "").replace("\u3000", "")
    if not text:
        return "", None, ""
    match = _BOUND.match(text)
    if not match:
        raise InputError(field, f"应为数字，实际为“{raw.strip()}”")
    sign = _BOUND_SIGNS.get(match.group(1) or "", "")
    try:
        number = Decimal(match.group(2).replace(",", "").replace("+", ""))
    except InvalidOperation:
        raise InputError(field, f"应为数字，实际为“{raw.strip()}”") from None
    if number == 0:
        number = Decimal(0)  # `-0` and `0.00` are 0
    number = number.normalize() if number == number.to_integral_value() else number
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise InputError(field, f"最多保留{places}位小数，实际为{plain(number)}")
    if abs(number) >= NUMBER_LIMIT:
        raise InputError(field, f"数值过大：{plain(number)}")
    return sign, number, sign + plain(number)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(raw: str, *, field: str) -> str:
    """A typed text as stored: line breaks as `\n` (a browser sends `\r\n`, Excel `\n`),
    no surrounding spaces. Raises InputError for control characters, which no program shows
    and no workbook can hold."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL.search(text):
        raise InputError(field, "含有不可见的控制字符（通常由复制粘贴带入）：请删除后重新填写")
    return text


BLANK_REPORT = (
    "没有填写数值或状态：只有备注不能保存。留空表示不改动；"
    "要撤回已报的数据，请填“撤回”并在备注写明理由"
)
# The same, where a value is on record and the person emptied its cell (in the form above all).
CLEARED_REPORT = (
    "没有填写数值或状态：清空不会删除已报的数值（留空表示不改动）。要撤回本年已报的数据，"
    "请填“撤回”并在备注写明理由；只改备注时请保留原来的数值"
)


def value_fields(
    spec: InputSpec,
    report: ValueReport,
    *,
    strict: bool = True,
    judgement: str = "",
    text_on_record: str | None = None,
    reported_before: bool = False,
) -> ValueFields:
    """What is stored for a reported value, derived from its texts alone.

    `strict` (every route a person uses) checks the texts against the indicator's input
    specification: a value or a choice is given, the value cell holds a number or a bound
    (`≥60`) where the indicator takes a number, a share lies within 0–100, the choice is one
    the indicator offers, the note is at most 500 characters, no text holds control
    characters. Not strict (the plan's own printed values): the text is kept as printed
    (`87.4，考核要求持续改善`) and its leading number or state wording is read; so is a text
    equal to `text_on_record` (it passed its own route's check when it was stored), so that a
    note can be added to a printed value without retyping it.
    `judgement` is the one to store when the report carries none; `reported_before`: a value
    or choice is on record (an emptied cell is then explained as such).
    Raises InputError (field `text`, `choice` or `note`)."""
    choice = clean_text(report.choice, field="choice").replace(" ", "").replace("\u3000", "")
    note = clean_text(report.note, field="note")
    text = clean_text(report.text, field="text")
    if strict and len(note) > NOTE_MAX:
        raise InputError("note", f"备注不能超过{NOTE_MAX}字，实际{len(note)}字")
    if strict and not (text or choice):
        raise InputError("text", CLEARED_REPORT if reported_before else BLANK_REPORT)
    if strict and text != text_on_record:
        _, number, canonical = read_number(text, places=NUMBER_PLACES)
        if number is not None and not spec.number:
            raise InputError("text", "本指标不填数值，请在“状态或是否完成”中选择")
        if number is not None and spec.percent and not (0 <= number <= 100):
            raise InputError("text", f"百分比应在0–100之间，实际为{plain(number)}")
        if number is not None and not spec.signed and number < 0:
            raise InputError(
                "text",
                f"本指标的数值是水平值，不能为负数，实际为{plain(number)}"
                "（只有“下降幅度”“提高幅度”等变化率指标可以填负数）",
            )
        if number is not None and spec.fall and number > 100:
            raise InputError(
                "text", f"下降幅度（%）不能超过100，实际为{plain(number)}（上升请填负数）"
            )
        text = canonical
    else:
        number = parse_value_text(text).number
    if strict and choice and not spec.choices:
        raise InputError("choice", "本指标不选择状态，请在“本年数值”中填写数值")
    if strict and choice and choice not in spec.choices:
        options = "、".join(f"“{c}”" for c in spec.choices)
        raise InputError("choice", f"应为{options}之一，实际为“{report.choice.strip()}”")
    state, flag = choice_fields(choice)
    if not choice and number is None:
        # A state or 是/否 written in the value text itself (the plan prints them so).
        state, flag = choice_fields(parse_value_text(text).state)
    return ValueFields(
        value_text=text or choice,
        number=number,
        state=state,
        flag=flag,
        note=note,
        judgement=judgement if report.judgement is None else report.judgement,
    )


def choice_fields(choice: str) -> tuple[str, bool | None]:
    """A choice as (state, flag): 是/否 are a yes/no, anything else a state."""
    if choice == YES:
        return "", True
    if choice == NO:
        return "", False
    return choice, None


def progress_fields(report: ProgressReport) -> ProgressFields:
    """What is stored for a reported progress record. Raises InputError (field `status`,
    `amount` or `note`): the status is one of 未开工/在建/已完工/已取消, the completed amount
    (万元) a number ≥ 0 with at most 2 decimals, an amount or note needs a status."""
    status = clean_text(report.status, field="status").replace(" ", "")
    if status and status not in PROGRESS_STATUSES:
        options = "、".join(f"“{s}”" for s in PROGRESS_STATUSES)
        raise InputError("status", f"应为{options}之一，实际为“{report.status.strip()}”")
    raw = clean_text(report.amount, field="amount")
    sign, amount, _ = read_number(raw, places=AMOUNT_PLACES, field="amount")
    if sign or raw.translate(_FULL_WIDTH).endswith("%"):
        raise InputError("amount", f"应为金额（万元），实际为“{raw}”")
    if amount is not None and amount < 0:
        raise InputError("amount", f"累计完成投资不能为负数，实际为{plain(amount)}")
    note = clean_text(report.note, field="note")
    if len(note) > NOTE_MAX:
        raise InputError("note", f"备注不能超过{NOTE_MAX}字，实际{len(note)}字")
    if (amount is not None or note) and not status:
        raise InputError("status", "填写了完成投资或备注，请同时选择进展状态")
    return ProgressFields(status, amount, note)


def withdrawal_check(reason: str, *, field: str = "note") -> None:
    if not reason.strip():
        raise InputError(field, f"“{WITHDRAW}”须在备注中写明理由")


# --------------------------------------------------------------------------------------------
# The plan: each report against what is on record

NEW, UPDATE, UNCHANGED, WITHDRAWN, NOTHING_TO_WITHDRAW = (
    "new",
    "update",
    "unchanged",
    "withdraw",
    "nothing_to_withdraw",
)
# The row is as it was downloaded, and the record changed since: the newer record stays.
KEPT_NEWER = "kept_newer"


@dataclass(frozen=True)
class Change:
    label: str  # the field as a person knows it (数值, 状态或是否完成, 备注 …)
    old: str
    new: str


@dataclass
class ValueStep:
    line: IndicatorLine
    report: ValueReport
    action: str
    before: ValueFields | None
    after: ValueFields | None
    changes: list[Change] = field(default_factory=list)
    # The record changed after the template was downloaded: (as downloaded, as now).
    changed_since: tuple[str, str] | None = None


@dataclass
class ProgressStep:
    line: ProgressLine
    report: ProgressReport
    action: str
    before: ProgressFields | None
    after: ProgressFields | None
    changes: list[Change] = field(default_factory=list)
    changed_since: tuple[str, str] | None = None


@dataclass(frozen=True)
class PlanError:
    kind: str  # "value" or "progress"
    index: int  # position of the report in its list
    field: str
    message: str


@dataclass
class Plan:
    values: list[ValueStep] = field(default_factory=list)
    progress: list[ProgressStep] = field(default_factory=list)
    errors: list[PlanError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """added / changed (withdrawals included) / unchanged, over both kinds."""
        steps = [*self.values, *self.progress]
        return {
            "added": sum(1 for s in steps if s.action == NEW),
            "changed": sum(1 for s in steps if s.action in {UPDATE, WITHDRAWN}),
            "unchanged": sum(
                1 for s in steps if s.action in {UNCHANGED, NOTHING_TO_WITHDRAW, KEPT_NEWER}
            ),
        }

    @property
    def has_changes(self) -> bool:
        return any(s.changes for s in [*self.values, *self.progress])


def _diff(before: dict[str, str], after: dict[str, str], labels: dict[str, str]) -> list[Change]:
    return [
        Change(label, before.get(name, ""), after.get(name, ""))
        for name, label in labels.items()
        if before.get(name, "") != after.get(name, "")
    ]


def _action(before, after, changes: list[Change]) -> str:
    if before is None:
        return NEW
    return UPDATE if changes or before != after else UNCHANGED


def plan(
    catalogue: Catalogue,
    *,
    values: list[ValueReport] = (),
    progress: list[ProgressReport] = (),
    strict: bool = True,
) -> Plan:
    """Check every report and compare it with what is on record for the catalogue's area and
    year. Errors are collected, not raised: a route shows them all, and saves nothing when
    there is one."""
    result = Plan()
    for index, report in enumerate(values):
        line = catalogue.indicator(report.code)
        try:
            if line is None:
                raise InputError("code", f"未知的指标编码“{report.code}”")
            if line.is_parent:
                raise InputError("text", f"指标{report.code}由子指标填报，本行不需要填写")
            result.values.append(_value_step(line, report, strict=strict))
        except InputError as error:
            result.errors.append(PlanError("value", index, error.field, error.message))
    for index, report in enumerate(progress):
        line = catalogue.progress_by_row(report.row_id)
        try:
            if line is None:
                raise InputError(
                    "row", f"投资明细不存在或不涉及{catalogue.area_name}（编号{report.row_id}）"
                )
            result.progress.append(_progress_step(line, report))
        except InputError as error:
            result.errors.append(PlanError("progress", index, error.field, error.message))
    return result


def _three_way(report, before_seen: tuple[str, str, str], typed: tuple[str, str, str]):
    """(kept, changed_since) of a report whose template remembers what it was downloaded
    with: a row left as downloaded keeps a record changed since; a row edited over a record
    changed since is a conflict the preview shows."""
    if report.base is None or tuple(report.base) == before_seen:
        return False, None
    since = ("；".join(p for p in report.base if p), "；".join(p for p in before_seen if p))
    return typed == tuple(report.base), since


def _value_step(line: IndicatorLine, report: ValueReport, *, strict: bool) -> ValueStep:
    before = ValueFields.of(line.current)
    seen = before.seen() if before else {"value_text": "", "choice": "", "note": ""}
    kept, since = _three_way(
        report,
        (seen["value_text"], seen["choice"], seen["note"]),
        (report.text.strip(), report.choice.strip(), report.note.strip()),
    )
    if kept and not report.withdraw:
        return ValueStep(line, report, KEPT_NEWER, before, before, changed_since=since)
    step = _value_change(line, report, before, strict=strict)
    step.changed_since = since
    return step


def _value_change(
    line: IndicatorLine, report: ValueReport, before: ValueFields | None, *, strict: bool
) -> ValueStep:
    if report.withdraw:
        withdrawal_check(report.reason)
        if before is None:
            return ValueStep(line, report, NOTHING_TO_WITHDRAW, None, None)
        changes = _diff(before.seen(), {}, VALUE_FIELDS)
        return ValueStep(line, report, WITHDRAWN, before, None, changes)
    if before is not None and _as_on_record(report, before):
        # What is on record passed its own route's check when it was written (the plan's
        # printed texts included): reporting it again changes nothing.
        return ValueStep(line, report, UNCHANGED, before, before)
    after = value_fields(
        line.spec,
        report,
        strict=strict,
        text_on_record=before.seen()["value_text"] or None if before else None,
        reported_before=before is not None and bool(before.value_text or before.choice),
    )
    judgement = after.judgement
    if before is not None and report.judgement is None:
        # The recorded judgement belongs to the value it judged: it stays only with that value.
        same = (before.value_text, before.number, before.state, before.flag) == (
            after.value_text,
            after.number,
            after.state,
            after.flag,
        )
        judgement = before.judgement if same else ""
    printed = report.judgement_printed
    after = replace(
        after,
        judgement=judgement,
        judgement_printed=(before.judgement_printed if before else "")
        if printed is None
        else printed,
    )
    changes = _diff(before.seen() if before else {}, after.seen(), VALUE_FIELDS)
    return ValueStep(line, report, _action(before, after, changes), before, after, changes)


def _as_on_record(report: ValueReport, before: ValueFields) -> bool:
    seen = before.seen()
    lines = str.maketrans({"\r": None})
    return (
        report.text.strip() == seen["value_text"]
        and report.choice.strip() == seen["choice"]
        and report.note.replace("\r\n", "\n").translate(lines).strip() == before.note
        and report.judgement in {None, before.judgement}
        and report.judgement_printed in {None, before.judgement_printed}
    )


def _progress_step(line: ProgressLine, report: ProgressReport) -> ProgressStep:
    before = ProgressFields.of(line.current)
    seen = before.seen() if before else {"status": "", "completed_amount": "", "note": ""}
    kept, since = _three_way(
        report,
        (seen["status"], seen["completed_amount"], seen["note"]),
        (report.status.strip(), report.amount.strip(), report.note.strip()),
    )
    if kept and not report.withdraw:
        return ProgressStep(line, report, KEPT_NEWER, before, before, changed_since=since)
    step = _progress_change(line, report, before)
    step.changed_since = since
    return step


def _progress_change(
    line: ProgressLine, report: ProgressReport, before: ProgressFields | None
) -> ProgressStep:
    if report.withdraw:
        withdrawal_check(report.reason)
        if before is None:
            return ProgressStep(line, report, NOTHING_TO_WITHDRAW, None, None)
        changes = _diff(before.seen(), {}, PROGRESS_FIELDS)
        return ProgressStep(line, report, WITHDRAWN, before, None, changes)
    after = progress_fields(report)
    if not after.status:
        raise InputError("status", "请选择进展状态")
    changes = _diff(before.seen() if before else {}, after.seen(), PROGRESS_FIELDS)
    return ProgressStep(line, report, _action(before, after, changes), before, after, changes)
