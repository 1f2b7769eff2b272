"""Writes for county submissions: the one write path of reported values (`report_save`),
uploads with preview and confirmation, and the review workflow.

`report_save` is the only code that writes IndicatorValue and ProjectProgress rows: uploads,
the command line, the admin's form, delete and import, the demo loader and the seed loader all
call it. It checks every report with the indicator's one input specification, refuses a locked
(approved) county-year, derives every stored field from the reported texts, clears the demo
mark of what it writes, records one history row per field that really changed (who, when,
old → new, route) and bumps the county-year's version.

An upload's file is read once, at the preview (openpyxl read-only, spreadsheet/reader.py):
the reports read are kept with the upload (Upload.reports) and the preview is the plan of
those reports against the catalogue (reporting.plan: nothing is written, no dry run);
confirmation hands the same reports to `report_save`, so what is saved is exactly what was
previewed, or nothing. Confirmation saves only if the county-year is still at the version the
preview saw: of two uploads previewed at the same moment only the first can be confirmed.
The county upload does not go through django-import-export's per-row machinery (instance
loading, per-row diffs and savepoints): its rows are reports, checked and saved in bulk by the
one write path, as the admin's import's rows are (resources.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from counties.access import (
    bound_by_closing_date,
    can_delete_evidence,
    require_report,
    require_review,
    require_step,
)
from counties.models import Area
from indicators.assessment import Observation, assess
from indicators.compliance import compliance_years, observation_of
from indicators.models import IndicatorValue
from indicators.results import results_refresh, value_change_scopes
from indicators.services import standards_watch
from jobs.services import rebuild_results
from lvliang_eco.bulk import rows_insert
from lvliang_eco.pagecache import data_changed
from projects.models import ProjectProgress

from . import workflow
from .catalogue import Catalogue, IndicatorLine
from .evidence import EvidenceFile, evidence_check, size_text
from .models import (
    Evidence,
    Question,
    QuestionReply,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    Upload,
    ValueChange,
    preview_pack,
)
from .reporting import (
    NEW,
    UPDATE,
    WITHDRAWN,
    Plan,
    PlanError,
    ProgressFields,
    ProgressReport,
    ValueFields,
    ValueReport,
    plan,
    reports_dump,
    reports_load,
)
from .selectors import catalogue as build_catalogue
from .selectors import locked_message
from .spreadsheet import FileRefused, Reading, check_file, read_workbook
from .storage import QuotaExceeded, upload_quota_check

Via = ValueChange.Via
SOURCES = {
    Via.UPLOAD: IndicatorValue.Source.UPLOAD,
    Via.COMMAND: IndicatorValue.Source.UPLOAD,
    Via.FORM: IndicatorValue.Source.UPLOAD,  # a county's report, stored as an upload's is
    Via.ADMIN: IndicatorValue.Source.MANUAL,
    Via.ADMIN_IMPORT: IndicatorValue.Source.MANUAL,
    Via.DEMO: IndicatorValue.Source.DEMO,
    Via.SEED: IndicatorValue.Source.SEED,
}
# Routes that are not a person's report: they never move a returned year back to 填报中.
SYSTEM_ROUTES = {Via.DEMO, Via.SEED}
# Routes of the county's own report: closed while the bureau reviews it.
REPORT_ROUTES = {Via.UPLOAD, Via.FORM, Via.COMMAND}


class SubmissionError(Exception):
    """A refusal to show the user, in Chinese."""


class ReportRefused(SubmissionError):
    """Reports that cannot be saved; `errors` holds each one (nothing was written)."""

    def __init__(self, message: str, errors: Sequence[PlanError] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


class StaleReport(SubmissionError):
    """The county-year changed after the preview this save was based on."""


def _locked_message(area: Area, year: int) -> str:
    return locked_message(area.name, year)


def _in_review_message(area: Area, year: int) -> str:
    return f"{area.name}{year}年的数据已提交审核，审核期间不能修改；如需修改请联系市局退回"


def report_save(
    *,
    area: Area,
    year: int,
    values: Sequence[ValueReport] = (),
    progress: Sequence[ProgressReport] = (),
    route: str,
    user=None,
    upload: Upload | None = None,
    source_detail: str = "",
    strict: bool = True,
    expected_version: int | None = None,
) -> Plan:
    """The one write path of reported indicator values and project progress of one area-year.

    `values`, `progress`: the reports (texts as reported; see reporting.py). `route`: a
    ValueChange.Via. `strict=False` only for the plan's own printed values (the seed).
    `expected_version`: save only if the county-year is still at this version (an upload's
    preview). Everything is saved in one transaction, or nothing.
    Returns the plan that was carried out (counts, steps with their changes).
    Raises ReportRefused (any report does not fit: every problem listed), SubmissionError (the
    county-year is approved and locked, or in review for a county route), StaleReport."""
    with transaction.atomic():
        bumped = 0
        if expected_version is not None:
            # A conditional update before any read: it takes the write lock at once, so of two
            # confirmations of previews of the same version only the first passes (SQLite too).
            bumped = (
                Submission.objects.filter(area=area, year=year, version=expected_version)
                .exclude(state=Submission.State.APPROVED)
                .update(version=F("version") + 1)
            )
        submission = Submission.objects.select_for_update().filter(area=area, year=year).first()
        _refuse_unless_reportable(submission, area, year, user=user, route=route)
        if expected_version is not None and not bumped:
            raise StaleReport(
                "预览之后这一县区年度的数据已被他人更新，这次上传未保存："
                "请重新下载模板或重新上传预览"
            )
        outcome = plan(build_catalogue(area, year), values=values, progress=progress, strict=strict)
        if outcome.errors:
            raise ReportRefused("；".join(e.message for e in outcome.errors[:5]), outcome.errors)
        written = _write(
            outcome,
            area=area,
            year=year,
            route=route,
            user=user,
            upload=upload,
            source_detail=source_detail,
        )
        if written:
            data_changed()
            approved = submission is not None and submission.state == Submission.State.APPROVED
            scopes = value_change_scopes(area, approved=approved)
            results_refresh(area_ids=[area.pk], from_year=year, scopes=scopes)
        if written and submission is not None:
            if expected_version is None:
                Submission.objects.filter(pk=submission.pk).update(version=F("version") + 1)
            if submission.state == Submission.State.RETURNED and route not in SYSTEM_ROUTES:
                comment = f"通过“{Via(route).label}”保存了修改"
                _step(submission, workflow.Action.RESUME, user=user, comment=comment)
    return outcome


HISTORY_COLUMNS = (
    "area", "year", "indicator", "investment_row", "field", "old", "new", "via", "comment",
    "upload", "evidence", "changed_by", "changed_at",
)  # fmt: skip


def _write(
    outcome: Plan, *, area: Area, year: int, route: str, user, upload, source_detail: str
) -> bool:
    """Carry out a checked plan: every derived field written, one history row per change.
    Returns whether anything was written."""
    actor_id = getattr(user, "pk", None)  # None: no user (the seed, a command)
    now = timezone.now()
    stamp = {"updated_at": now, "updated_by_id": actor_id}
    history: list[tuple] = []
    upload_id = upload.pk if upload is not None else None

    def record(step, indicator_id: int | None, row_id: int | None) -> None:
        history.extend(
            (
                area.pk, year, indicator_id, row_id, change.label, change.old, change.new,
                route, step.report.reason, upload_id, None, actor_id, now,
            )
            for change in step.changes
        )  # fmt: skip

    def value_fields(step) -> dict:
        after = step.after
        return {
            "value_text": after.value_text, "number": after.number, "state": after.state,
            "flag": after.flag, "note": after.note, "judgement": after.judgement,
            "judgement_printed": after.judgement_printed, "source": SOURCES[route],
            "source_detail": source_detail[:200], **stamp,
        }  # fmt: skip

    def progress_fields(step) -> dict:
        after = step.after
        return {
            "status": after.status, "completed_amount": after.completed_amount,
            "note": after.note, "is_demo": route == Via.DEMO, **stamp,
        }  # fmt: skip

    written = _carry_out(
        IndicatorValue, outcome.values, area=area, year=year, key="indicator",
        key_of=lambda step: step.line.indicator_id, stored=value_fields,
        record=lambda step, target: record(step, target, None),
    )  # fmt: skip
    written |= _carry_out(
        ProjectProgress, outcome.progress, area=area, year=year, key="investment_row",
        key_of=lambda step: step.line.row_id, stored=progress_fields,
        record=lambda step, target: record(step, None, target),
    )  # fmt: skip
    rows_insert(ValueChange, HISTORY_COLUMNS, history)
    return written


def _carry_out(model, steps, *, area: Area, year: int, key: str, key_of, stored, record) -> bool:
    """Create, update (every stored field) and delete the records of one model as the steps
    say, in bulk. `key`: the model's foreign key that tells records of an area-year apart."""
    attname = model._meta.get_field(key).attname
    existing = {getattr(r, attname): r for r in model.objects.filter(area=area, year=year)}
    created, updated, removed, names = [], [], [], []
    for step in steps:
        if step.action not in {NEW, UPDATE, WITHDRAWN}:
            continue
        target = key_of(step)
        instance = existing.get(target)
        if step.action == WITHDRAWN:
            removed.append(instance.pk)
        else:
            fields = stored(step)
            names = list(fields)
            if instance is None:
                created.append((area.pk, year, target, *fields.values()))
            else:
                for name, value in fields.items():
                    setattr(instance, name, value)
                updated.append(instance)
        record(step, target)
    if created:
        rows_insert(model, ("area", "year", key, *names), created)
    if updated:
        model.objects.bulk_update(updated, names, batch_size=1000)
    model.objects.filter(pk__in=removed).delete()
    return bool(created or updated or removed)


def reporting_refusal(
    submission: Submission | None, area: Area, year: int, *, user, route: str = Via.FORM
) -> str:
    """Why the user may not change the area-year's report now (values, progress, evidence),
    or "" if they may: approved (locked); for the county's own routes in review; after the
    closing date for a county officer. Whether the user may report for the area at all is
    counties.access's question. At most one query."""
    if submission is not None and submission.is_locked:
        return _locked_message(area, year)
    if (
        submission is not None
        and submission.state == Submission.State.SUBMITTED
        and route in REPORT_ROUTES
    ):
        return _in_review_message(area, year)
    return closed_refusal(year, user=user) if route in REPORT_ROUTES else ""


def _refuse_unless_reportable(
    submission: Submission | None, area: Area, year: int, *, user, route: str
) -> None:
    if refusal := reporting_refusal(submission, area, year, user=user, route=route):
        raise SubmissionError(refusal)


def closed_refusal(year: int, *, user) -> str:
    """Why the user may no longer change or submit the year: after its closing date
    (ReportingPeriod.closes_on) a county officer's reports and submission are refused (the
    bureau may still correct, or move the date). "" while open. One query."""
    if not bound_by_closing_date(user):
        return ""
    period = ReportingPeriod.objects.filter(year=year, closes_on__isnull=False).first()
    if period is None or timezone.localdate() <= period.closes_on:
        return ""
    return (
        f"{year}年的县区填报已于{period.closes_on:%Y年%-m月%-d日}关闭，不能再修改或提交；"
        "如确需修改，请联系市局延后关闭日期"
    )


def submission_get_or_create(*, area: Area, year: int) -> Submission:
    submission, _ = Submission.objects.get_or_create(area=area, year=year)
    return submission


def _refuse_if_in_review(submission: Submission) -> None:
    if submission.state == Submission.State.SUBMITTED:
        raise SubmissionError(_in_review_message(submission.area, submission.year))


def _refuse_if_locked(submission: Submission) -> None:
    if submission.is_locked:
        raise SubmissionError(_locked_message(submission.area, submission.year))


def _read(content: bytes, catalogue: Catalogue) -> Reading:
    check_file(
        content,
        max_bytes=settings.SUBMISSION_MAX_UPLOAD_BYTES,
        max_uncompressed=settings.SUBMISSION_MAX_UNCOMPRESSED_BYTES,
    )
    return read_workbook(content, catalogue, max_rows=settings.SUBMISSION_MAX_ROWS)


def _plan_errors(reading: Reading, outcome: Plan) -> list[str]:
    """The plan's errors located in the sheet (the reader has already checked each cell with
    the same functions, so these are rare: e.g. a value for a parent indicator)."""
    rows = {"value": reading.value_rows(), "progress": reading.progress_rows()}
    sheets = {"value": "指标填报", "progress": "项目进展"}
    messages = []
    for error in outcome.errors:
        lines = rows[error.kind]
        row = lines[error.index] if error.index < len(lines) else None
        where = f"工作表“{sheets[error.kind]}”" + (f" 第{row}行" if row else "")
        messages.append(f"{where}：{error.message}")
    return messages


def _observation(fields: ValueFields | None, year: int) -> Observation | None:
    if fields is None:
        return None
    return observation_of(
        fields.value_text,
        year=year,
        number=fields.number,
        state=fields.state,
        flag=fields.flag,
        judgement=fields.judgement,
    )


def _status(line: IndicatorLine, after: ValueFields | None, year: int):
    """The status the row would get, judged as every page judges it: the area's own rule, the
    previous year's value as on record."""
    previous = ValueFields.of(line.previous_value)
    return assess(line.rule, _observation(after, year), _observation(previous, year - 1))


def _shown(fields) -> str:
    if fields is None:
        return ""
    seen = fields.seen()
    if "status" in seen:
        amount = seen["completed_amount"]
        return "；".join(p for p in [seen["status"], f"{amount}万元" if amount else ""] if p)
    return "；".join(p for p in [seen["value_text"], seen["choice"]] if p)


def _preview_rows(reading: Reading, catalogue: Catalogue, outcome: Plan) -> dict:
    """Row by row: what is on record, what the file says, and the status it would get; blank
    rows listed with what stays on record for them."""
    steps = iter(outcome.values)
    indicator_rows = []
    for entry in reading.indicators:
        line = catalogue.indicator(entry.code)
        step = next(steps) if entry.report is not None else None
        after = step.after if step else ValueFields.of(line.current)
        result = _status(line, after, catalogue.year)
        indicator_rows.append(
            {
                "row": entry.row,
                "code": entry.code,
                "name": line.name,
                "standard": line.standard,
                "current": _shown(ValueFields.of(line.current)),
                "new": _shown(step.after) if step else "",
                "note": step.after.note if step and step.after else "",
                "status": result.status,
                "status_label": result.label,
                "reason": result.reason,
                "action": step.action if step else "blank",
                "changed": bool(step and step.action in {NEW, UPDATE, WITHDRAWN}),
                "changes": [[c.label, c.old, c.new] for c in step.changes] if step else [],
                "withdraw_reason": step.report.reason if step else "",
                "since": list(step.changed_since) if step and step.changed_since else None,
                "empty": step is None,
                "on_record": line.current is not None,
                "normalised": entry.normalised,
            }
        )
    steps = iter(outcome.progress)
    progress_rows = []
    for entry in reading.progress:
        line = catalogue.progress_line(entry.key)
        step = next(steps) if entry.report is not None else None
        progress_rows.append(
            {
                "row": entry.row,
                "key": entry.key,
                "group": line.group,
                "content": line.content[:60],
                "current": _shown(ProgressFields.of(line.current)),
                "new": _shown(step.after) if step else "",
                "note": step.after.note if step and step.after else "",
                "action": step.action if step else "blank",
                "changed": bool(step and step.action in {NEW, UPDATE, WITHDRAWN}),
                "changes": [[c.label, c.old, c.new] for c in step.changes] if step else [],
                "withdraw_reason": step.report.reason if step else "",
                "since": list(step.changed_since) if step and step.changed_since else None,
                "empty": step is None,
                "on_record": line.current is not None,
                "normalised": entry.normalised,
            }
        )
    return {"indicators": indicator_rows, "progress": progress_rows}


def upload_preview(
    *, user, area: Area, year: int, name: str, content: bytes, via: str = Via.UPLOAD
) -> Upload:
    """Keep the file, read it, and either list its errors or prepare its preview. Changes no
    value."""
    require_report(user, area)
    submission = submission_get_or_create(area=area, year=year)
    _refuse_if_locked(submission)
    _refuse_if_in_review(submission)
    upload = Upload(
        submission=submission,
        original_name=name[:255],
        size=len(content),
        uploaded_by=user,
        base_version=submission.version,
        status=Upload.Status.REJECTED,
    )
    if len(content) <= settings.SUBMISSION_MAX_UPLOAD_BYTES:
        try:
            upload_quota_check(user=user, size=len(content))
        except QuotaExceeded as error:
            raise SubmissionError(str(error)) from None
        upload.file.save(name[-100:] or "upload.xlsx", ContentFile(content), save=False)
    catalogue = build_catalogue(area, year)
    try:
        reading = _read(content, catalogue)
    except FileRefused as refusal:
        upload.errors = [str(refusal)]
        upload.save()
        return upload
    for key, value in reading.signature.items():
        setattr(upload, key, value)
    if reading.errors:
        upload.errors = [str(e) for e in reading.errors]
        upload.rejected = reading.rejected_rows
        upload.save()
        return upload
    outcome = plan(catalogue, values=reading.value_reports(), progress=reading.progress_reports())
    errors = _plan_errors(reading, outcome)
    if errors:
        upload.errors = errors
        upload.rejected = len(errors)
        upload.save()
        return upload
    upload.status = Upload.Status.PREVIEW
    upload.preview = preview_pack(_preview_rows(reading, catalogue, outcome))
    upload.reports = reports_dump(
        values=reading.value_reports(), progress=reading.progress_reports()
    )
    for key, value in outcome.counts().items():
        setattr(upload, key, value)
    upload.save()
    return upload


def upload_confirm(*, user, upload: Upload, via: str = Via.UPLOAD) -> Upload:
    """Save a previewed upload, all of it in one transaction, or nothing."""
    submission = upload.submission
    require_report(user, submission.area)
    if upload.status != Upload.Status.PREVIEW:
        raise SubmissionError(f"这次上传的状态为“{upload.get_status_display()}”，不能再保存")
    area, year = submission.area, submission.year
    reports = reports_load(upload.reports) or _reports_from_file(upload, area, year)
    upload.reports = {}  # read: not held twice while saving (stored empty once saved)
    try:
        outcome = report_save(
            area=area,
            year=year,
            **reports,
            route=via,
            user=user,
            upload=upload,
            source_detail=f"上传：{upload.original_name}",
            expected_version=upload.base_version,
        )
    except StaleReport:
        Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.STALE, reports={})
        raise
    except ReportRefused as refusal:
        raise SubmissionError("保存失败，未做任何修改：" + str(refusal)) from None
    for key, value in outcome.counts().items():
        setattr(upload, key, value)
    upload.status = Upload.Status.CONFIRMED
    # its reports are kept no longer (emptied above): the history holds what changed
    upload.confirmed_at = timezone.now()
    upload.save(
        update_fields=["added", "changed", "unchanged", "status", "confirmed_at", "reports"]
    )
    return upload


def _reports_from_file(upload: Upload, area: Area, year: int) -> dict[str, list]:
    """The reports of an upload previewed before previews kept them: its file read again."""
    upload.file.open("rb")
    try:
        content = upload.file.read()
    finally:
        upload.file.close()
    reading = _read(content, build_catalogue(area, year))
    if reading.errors:
        raise SubmissionError("文件内容与预览时不一致，未保存")
    return {"values": reading.value_reports(), "progress": reading.progress_reports()}


# --------------------------------------------------------------------------------------------
# Standards that change under approved years


def _approved_results(submissions: list[Submission]) -> dict[tuple[str, int], dict[str, str]]:
    """(area code, year) → indicator code → status label, plus the construction standard."""
    wanted = {(s.area.code, s.year) for s in submissions}
    results = compliance_years(
        years=sorted({year for _, year in wanted}),
        area_codes=sorted({code for code, _ in wanted}),
        goals=False,
        progress=False,
    )
    out: dict[tuple[str, int], dict[str, str]] = {}
    for year, result in results.items():
        for area in result.areas:
            if (area.area.code, year) not in wanted:
                continue
            statuses = {r.indicator.code: r.assessment.label for r in area.all_results()}
            statuses["建设标准"] = "达到" if area.reaches_standard else "未达到"
            out[(area.area.code, year)] = statuses
    return out


@contextmanager
def approved_results_watch(*, user, what: str, via: str):
    """Around a change of standards (an area's override, a group's bar, an indicator's rule,
    the construction standard rule): each changed field is recorded (StandardChange, through
    route `via`), and every approved county-year whose result the change alters gets an event
    (标准变更影响已审核结果) naming the change and each status that moved, dated and signed, so
    an approved year never changes silently. `what` names the change in Chinese."""
    approved = list(
        Submission.objects.filter(state=Submission.State.APPROVED).select_related("area")
    )
    before = _approved_results(approved) if approved else {}
    with standards_watch(user=user, via=via):
        yield
        rebuild_results(user=user)
    if not approved:
        return
    after = _approved_results(approved)
    events = []
    for submission in approved:
        key = (submission.area.code, submission.year)
        old, new = before.get(key, {}), after.get(key, {})
        moved = [
            f"{code if code == '建设标准' else '指标' + code} "
            f"{old.get(code, '—')} → {new.get(code, '—')}"
            for code in new
            if old.get(code) != new.get(code)
        ]
        if moved:
            events.append(
                SubmissionEvent(
                    submission=submission,
                    action=SubmissionEvent.Action.STANDARD,
                    from_state=submission.state,
                    to_state=submission.state,
                    comment=f"{what}：" + "；".join(moved),
                    by=user if getattr(user, "pk", None) else None,
                )
            )
    SubmissionEvent.objects.bulk_create(events)


# --------------------------------------------------------------------------------------------
# Review workflow: every step from workflow.TRANSITIONS, recorded as a SubmissionEvent


def _state_refusal(submission: Submission, step: workflow.Transition) -> str:
    return (
        f"{submission.area.name}{submission.year}年当前状态为“{submission.get_state_display()}”，"
        f"不能{step.label}"
    )


def _step(submission: Submission, action: str, *, user, comment: str = "") -> Submission:
    """Take a transition of the table (the caller has checked who may), recording it."""
    step = workflow.transition(action)
    locked = Submission.objects.select_for_update().select_related("area").get(pk=submission.pk)
    if locked.state not in step.sources:
        raise SubmissionError(_state_refusal(locked, step))
    SubmissionEvent.objects.create(
        submission=locked,
        action=action,
        from_state=locked.state,
        to_state=step.target,
        comment=comment,
        by=user if getattr(user, "pk", None) else None,
    )
    was_approved = locked.state == Submission.State.APPROVED
    locked.state = step.target
    if action in {workflow.Action.RETURN, workflow.Action.APPROVE}:
        locked.comment = comment
    locked.save(update_fields=["state", "comment", "updated_at"])
    if was_approved != (locked.state == Submission.State.APPROVED):  # the approved scope moved
        results_refresh(area_ids=[locked.area_id], from_year=locked.year)
    return locked


def entered_by(submission: Submission) -> frozenset[int]:
    """Who entered or submitted an area-year's figures: the users of its history (any route),
    of its uploads and of its submit events. Three queries."""
    writers = ValueChange.objects.filter(
        area_id=submission.area_id, year=submission.year, changed_by__isnull=False
    ).values_list("changed_by_id", flat=True)
    submitters = submission.events.filter(
        action=workflow.Action.SUBMIT, by__isnull=False
    ).values_list("by_id", flat=True)
    uploaders = submission.uploads.filter(uploaded_by__isnull=False).values_list(
        "uploaded_by_id", flat=True
    )  # whoever uploaded a file for the year had a hand in it, confirmed by anyone
    return frozenset(writers) | frozenset(submitters) | frozenset(uploaders)


def submission_act(
    *, user, submission: Submission, action: str, comment: str = "", incomplete_ok: bool = False
) -> Submission:
    """Take a review step of workflow.TRANSITIONS for `user`.

    Submitting needs something reported, and `incomplete_ok` when indicators or project rows
    are still blank; approving needs something reported. Raises PermissionDenied (the user may
    not take the step) or SubmissionError (the state, a missing comment, an empty report)."""
    try:
        step = workflow.transition(action)
    except KeyError:
        raise SubmissionError(f"未知操作“{action}”") from None
    if step.actor == workflow.SYSTEM:
        raise SubmissionError(f"“{step.label}”由系统在保存修改时记录，不能手动操作")
    require_step(user, submission.area, step, entered=entered_by(submission))
    with transaction.atomic():
        current = (
            Submission.objects.select_for_update().select_related("area").get(pk=submission.pk)
        )
        return _act(current, step, user=user, comment=comment, incomplete_ok=incomplete_ok)


def _act(
    submission: Submission, step: workflow.Transition, *, user, comment: str, incomplete_ok: bool
) -> Submission:
    action = step.action
    if submission.state not in step.sources:
        raise SubmissionError(_state_refusal(submission, step))
    comment = comment.strip()
    if step.comment_required and not comment:
        raise SubmissionError(step.comment_required)
    if step.actor == workflow.REPORTER and (refusal := closed_refusal(submission.year, user=user)):
        raise SubmissionError(refusal)
    if action == workflow.Action.APPROVE:
        _refuse_if_unanswered(submission)
    if action in {workflow.Action.SUBMIT, workflow.Action.APPROVE}:
        completeness = build_catalogue(submission.area, submission.year).completeness()
        name = f"{submission.area.name}{submission.year}年"
        if completeness.is_empty:
            verb = "提交审核" if action == workflow.Action.SUBMIT else "审核通过"
            raise SubmissionError(f"{name}尚未填报任何数据，不能{verb}")
        if action == workflow.Action.SUBMIT and not completeness.is_complete and not incomplete_ok:
            raise SubmissionError(
                f"{name}还有{len(completeness.indicators_missing)}项指标、"
                f"{len(completeness.progress_missing)}行项目进展未填报（{completeness.summary}）："
                "请补全，或勾选“确认在缺项的情况下提交”后再提交"
            )
    done = _step(submission, action, user=user, comment=comment)
    if action == workflow.Action.APPROVE:  # approving accepts the answers given
        Question.objects.filter(
            area_id=submission.area_id, year=submission.year, state=Question.State.ANSWERED
        ).update(
            state=Question.State.CLOSED, closed_by=user, closed_at=timezone.now(),
            closing_note="审核通过时确认答复",
        )  # fmt: skip
    return done


def submission_submit(
    *, user, submission: Submission, comment: str = "", incomplete_ok: bool = False
) -> Submission:
    return submission_act(
        user=user,
        submission=submission,
        action=workflow.Action.SUBMIT,
        comment=comment,
        incomplete_ok=incomplete_ok,
    )


def submission_approve(*, user, submission: Submission, comment: str = "") -> Submission:
    return submission_act(
        user=user, submission=submission, action=workflow.Action.APPROVE, comment=comment
    )


def submission_return(*, user, submission: Submission, comment: str) -> Submission:
    return submission_act(
        user=user, submission=submission, action=workflow.Action.RETURN, comment=comment
    )


def submission_reopen(*, user, submission: Submission, reason: str) -> Submission:
    return submission_act(
        user=user, submission=submission, action=workflow.Action.REOPEN, comment=reason
    )


def submissions_approve_many(
    *, user, submissions: list[Submission], comment: str = ""
) -> list[Submission]:
    """Approve several county-years at once: all of them, or none when one cannot be."""
    require_review(user)
    with transaction.atomic():
        return [submission_approve(user=user, submission=s, comment=comment) for s in submissions]


# -- supporting documents (佐证材料) ----------------------------------------------------------


def _row_target(book: Catalogue, kind: str, key: str, *, purpose: str) -> dict:
    """The ReportRow fields of an area-year's indicator (kind "value", key its code) or project
    row (kind "progress", key its id). Raises SubmissionError naming `purpose` when the row is
    not in the year's report (a parent indicator, another county's project row)."""
    key = str(key)
    if kind == "value":
        line = book.indicator(key)
        if line is None or line.is_parent:
            raise SubmissionError(f"指标“{key}”不在本年度的填报表中，不能{purpose}")
        return {"indicator_id": line.indicator_id}
    row = book.progress_by_row(int(key)) if key.isdigit() and len(key) < 18 else None
    if row is None:
        raise SubmissionError(f"投资明细“{key}”不涉及{book.area_name}，不能{purpose}")
    return {"investment_row_id": row.row_id}


def evidence_attach(
    *, user, area: Area, year: int, files: Sequence[EvidenceFile], route: str = Via.FORM
) -> list[Evidence]:
    """Attach supporting documents to an area-year's values or project rows, all or none.

    Each file is checked by content (evidence.evidence_check: type, EVIDENCE_MAX_BYTES), stored
    under a generated name (Evidence.file), and recorded in the history (field 佐证材料, the
    route). At most EVIDENCE_MAX_FILES_PER_SAVE files; the user's quota counts them.
    Raises PermissionDenied (may not report for the area), EvidenceRefused (a file; nothing
    kept), SubmissionError (approved, in review, closed, an unknown row, too many files)."""
    require_report(user, area)
    if not files:
        return []
    if len(files) > settings.EVIDENCE_MAX_FILES_PER_SAVE:
        raise SubmissionError(
            f"一次最多附加 {settings.EVIDENCE_MAX_FILES_PER_SAVE} 个佐证材料，这次选择了"
            f" {len(files)} 个：请分几次保存"
        )
    checked = [evidence_check(item.name, item.content) for item in files]
    try:
        upload_quota_check(user=user, size=sum(c.size for c in checked))
    except QuotaExceeded as error:
        raise SubmissionError(str(error)) from error
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            submission = Submission.objects.select_for_update().filter(area=area, year=year).first()
            _refuse_unless_reportable(submission, area, year, user=user, route=route)
            book = build_catalogue(area, year)
            targets = [_row_target(book, i.kind, i.key, purpose="附加佐证材料") for i in files]
            history = []
            for item, check, target in zip(files, checked, targets, strict=True):
                evidence = Evidence(
                    area=area, year=year, original_name=item.name[:255], kind=check.kind,
                    size=check.size, sha256=check.sha256, uploaded_by=user, **target,
                )  # fmt: skip
                evidence.file.save(f"file{check.suffix}", ContentFile(item.content), save=False)
                stored.append(evidence)
                evidence.save()
                new = f"{evidence.original_name}（{size_text(check.size)}）"
                change = ValueChange(
                    area=area, year=year, field="佐证材料", old="", new=new, via=route,
                    evidence=evidence, changed_by=user, **target,
                )  # fmt: skip
                history.append(change)
            ValueChange.objects.bulk_create(history)
            if submission is None:
                submission_get_or_create(area=area, year=year)
    except BaseException:
        for evidence in stored:  # the rows are rolled back: leave no file without its record
            evidence.file.delete(save=False)
        raise
    return stored


def evidence_delete(*, user, evidence: Evidence, route: str = Via.FORM) -> Evidence:
    """Delete a supporting document: marked deleted (who, when) and recorded in the history;
    the file stays for the history (reviewers may still open it). Only its uploader, and only
    while the year may be changed. Raises PermissionDenied, SubmissionError."""
    if not can_delete_evidence(user, evidence):
        raise PermissionDenied("只有上传人可以删除这份佐证材料")
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(area=evidence.area, year=evidence.year)
            .first()
        )
        _refuse_unless_reportable(submission, evidence.area, evidence.year, user=user, route=route)
        done = Evidence.objects.filter(pk=evidence.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), deleted_by=user
        )
        if not done:
            raise SubmissionError("这份佐证材料已被删除")
        data_changed()
        ValueChange.objects.create(
            area=evidence.area, year=evidence.year, indicator_id=evidence.indicator_id,
            investment_row_id=evidence.investment_row_id, field="佐证材料",
            old=evidence.original_name, new="", comment="删除佐证材料", via=route,
            evidence=evidence, changed_by=user,
        )  # fmt: skip
    evidence.refresh_from_db()
    return evidence


# -- questions on a value (数值质询) ---------------------------------------------------------

QUESTION_MAX_CHARS = 2000


def _question_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SubmissionError(f"请填写{what}")
    if len(text) > QUESTION_MAX_CHARS:
        raise SubmissionError(f"{what}最多 {QUESTION_MAX_CHARS} 字，现在有 {len(text)} 字")
    return text


def _refuse_if_unanswered(submission: Submission) -> None:
    waiting = Question.objects.filter(
        area_id=submission.area_id, year=submission.year, state=Question.State.OPEN
    ).count()
    if waiting:
        raise SubmissionError(
            f"{submission.area.name}{submission.year}年还有 {waiting} 个质询等待县区答复，"
            "不能审核通过：请等待答复，或在“数值质询”中关闭不再需要的质询"
        )


def _question_locked(question: Question) -> Question:
    """The question, locked for the step, refused when closed or its year approved."""
    locked = Question.objects.select_for_update().select_related("area").get(pk=question.pk)
    if locked.is_closed:
        raise SubmissionError("这个质询已关闭，不能再答复或追问；如有新的问题请重新提出质询")
    submission = Submission.objects.filter(area_id=locked.area_id, year=locked.year).first()
    if submission is not None and submission.is_locked:
        raise SubmissionError(_locked_message(locked.area, locked.year))
    return locked


def question_ask(*, user, area: Area, year: int, kind: str, key: str, text: str) -> Question:
    """A reviewer asks about one value (`kind` "value", `key` the indicator code) or project
    row (`kind` "progress", `key` the investment row id) of an area-year. The year's approval
    waits until the county answers (or the question is closed). Raises PermissionDenied (not a
    reviewer), SubmissionError (empty or overlong text, an unknown row, an approved year)."""
    require_review(user)
    text = _question_text(text, "质询内容")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(area=area, year=year).first()
        if submission is not None and submission.is_locked:
            raise SubmissionError(
                f"{area.name}{year}年已审核通过并锁定，不能再提出质询；如需修改请先重新开放"
            )
        target = _row_target(build_catalogue(area, year), kind, key, purpose="提出质询")
        question = Question(area=area, year=year, text=text, asked_by=user, **target)
        question.full_clean()
        question.save()
    return question


def question_answerable_by(user, question: Question) -> bool:
    """Whether `user` may answer `question` as far as the thread goes: not its asker nor anyone
    who followed it up, so a reviewer cannot answer their own question and then approve (the
    city's year, where bureau users report, included). Uses the prefetched replies."""
    askers = {question.asked_by_id}
    askers.update(r.by_id for r in question.replies.all() if r.kind == QuestionReply.Kind.FOLLOW_UP)
    return user.pk not in askers


def question_answer(*, user, question: Question, text: str, via: str = Via.FORM) -> QuestionReply:
    """The county answers a question (a note; a changed value is saved through report_save
    beside it). Allowed while the year is in review, too: answering changes no value. Raises
    PermissionDenied (may not report for the area), SubmissionError (empty, closed, approved)."""
    require_report(user, question.area)
    if not question_answerable_by(user, question):
        raise SubmissionError(
            f"“{question.row_label}”的质询是您提出或追问的，不能由您自己答复：请由填报人员答复，"
            "或关闭不再需要的质询。"
        )
    text = _question_text(text, "答复内容")
    with transaction.atomic():
        locked = _question_locked(question)
        reply = QuestionReply.objects.create(
            question=locked, kind=QuestionReply.Kind.ANSWER, text=text, by=user, via=via
        )
        locked.state = Question.State.ANSWERED
        locked.save(update_fields=["state"])
    return reply


def question_follow_up(*, user, question: Question, text: str) -> QuestionReply:
    """A reviewer asks again on a question: it waits for the county's answer once more (and
    blocks approval). Raises PermissionDenied, SubmissionError."""
    require_review(user)
    text = _question_text(text, "追问内容")
    with transaction.atomic():
        locked = _question_locked(question)
        reply = QuestionReply.objects.create(
            question=locked, kind=QuestionReply.Kind.FOLLOW_UP, text=text, by=user
        )
        locked.state = Question.State.OPEN
        locked.save(update_fields=["state"])
    return reply


def question_close(*, user, question: Question, note: str = "") -> Question:
    """A reviewer closes a question (answer accepted, or no longer needed), with an optional
    note. Raises PermissionDenied, SubmissionError (already closed, approved year)."""
    require_review(user)
    note = note.strip()[:QUESTION_MAX_CHARS]
    with transaction.atomic():
        locked = _question_locked(question)
        locked.state = Question.State.CLOSED
        locked.closed_by = user
        locked.closed_at = timezone.now()
        locked.closing_note = note
        locked.save(update_fields=["state", "closed_by", "closed_at", "closing_note"])
    return locked
