"""Writes for county submissions: upload with preview, confirm, and the review workflow.

An upload is read twice from its stored file: once to preview (a dry run through the same
resources, rolled back), once on confirmation (for real), so what is saved is exactly what was
previewed, or nothing. Confirmation bumps the county-year's version only if it is still the one
the preview saw: of two uploads previewed at the same moment only the first can be confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from counties.models import Area
from indicators.assessment import Observation, assess

from .catalogue import Catalogue
from .models import Submission, SubmissionEvent, Upload
from .permissions import require_review, require_upload
from .resources import ProgressResource, SubmissionValueResource
from .selectors import catalogue as build_catalogue
from .workbook import FileRefused, Reading, check_file, choice_fields, read_workbook


class SubmissionError(Exception):
    """A refusal to show the user, in Chinese."""


def submission_get_or_create(*, area: Area, year: int) -> Submission:
    if area.is_city:
        raise SubmissionError("县区填报只针对13个县（市、区），全市数据由市局维护")
    submission, _ = Submission.objects.get_or_create(area=area, year=year)
    return submission


def _refuse_if_in_review(submission: Submission) -> None:
    if submission.state == Submission.State.SUBMITTED:
        raise SubmissionError(
            f"{submission.area.name}{submission.year}年的数据已提交审核，审核期间不能上传；"
            "如需修改请联系市局退回"
        )


def _refuse_if_locked(submission: Submission) -> None:
    if submission.is_locked:
        raise SubmissionError(
            f"{submission.area.name}{submission.year}年的数据已审核通过并锁定，不能再上传；"
            "如需修改请联系市局重新开放"
        )


@dataclass
class Outcome:
    reading: Reading
    value_result: object | None = None
    progress_result: object | None = None


def _datasets(
    reading: Reading, catalogue: Catalogue, *, source_detail: str
) -> tuple[tablib.Dataset, tablib.Dataset]:
    values = tablib.Dataset(
        headers=[
            "area",
            "year",
            "indicator",
            "value_text",
            "state",
            "flag",
            "note",
            "source",
            "source_detail",
        ]
    )
    for entry in reading.indicators:
        if entry.is_empty:
            continue
        state, flag = choice_fields(entry.choice)
        text = entry.number_text or state
        values.append(
            [
                catalogue.area_code,
                catalogue.year,
                entry.code,
                text,
                state,
                "" if flag is None else ("1" if flag else "0"),
                entry.note,
                "upload",
                source_detail,
            ]
        )
    progress = tablib.Dataset(
        headers=["investment_row", "area", "year", "status", "completed_amount", "note"]
    )
    for entry in reading.progress:
        if entry.is_empty:
            continue
        line = catalogue.progress_line(entry.key)
        progress.append(
            [
                line.row_id,
                catalogue.area_code,
                catalogue.year,
                entry.status,
                "" if entry.amount is None else str(entry.amount),
                entry.note,
            ]
        )
    return values, progress


def _import(
    reading: Reading,
    catalogue: Catalogue,
    *,
    dry_run: bool,
    user,
    upload: Upload | None,
    via: str,
    source_detail: str,
) -> Outcome:
    values, progress = _datasets(reading, catalogue, source_detail=source_detail)
    options = {"dry_run": dry_run, "user": user, "upload": upload, "via": via}
    value_result = SubmissionValueResource().import_data(values, **options)
    progress_result = ProgressResource().import_data(progress, **options)
    return Outcome(reading, value_result, progress_result)


def _result_errors(outcome: Outcome) -> list[str]:
    """Errors of the model validation, each with the sheet row it came from."""
    reading = outcome.reading
    rows = {
        "指标填报": [e.row for e in reading.indicators if not e.is_empty],
        "项目进展": [e.row for e in reading.progress if not e.is_empty],
    }

    def where(sheet: str, number: int) -> str:
        lines = rows[sheet]
        row = lines[number - 1] if 0 < number <= len(lines) else None
        return f"工作表“{sheet}” 第{row}行" if row else f"工作表“{sheet}”"

    messages = []
    for sheet, result in (
        ("指标填报", outcome.value_result),
        ("项目进展", outcome.progress_result),
    ):
        for row_number, errors in result.row_errors():
            messages.extend(f"{where(sheet, row_number)}：{e.error}" for e in errors)
        for invalid in result.invalid_rows:
            for messages_list in invalid.error_dict.values():
                messages.extend(f"{where(sheet, invalid.number)}：{m}" for m in messages_list)
    return messages


def _counts(outcome: Outcome) -> dict[str, int]:
    totals = {"new": 0, "update": 0, "skip": 0}
    for result in (outcome.value_result, outcome.progress_result):
        for key in totals:
            totals[key] += result.totals.get(key, 0)
    return {"added": totals["new"], "changed": totals["update"], "unchanged": totals["skip"]}


def _preview_rows(reading: Reading, catalogue: Catalogue) -> dict:
    indicator_rows = []
    for entry in reading.indicators:
        line = catalogue.indicator(entry.code)
        current = line.current
        state, flag = choice_fields(entry.choice)
        new_text = "；".join(p for p in [entry.number_text, entry.choice] if p)
        current_text = (
            ""
            if current is None
            else "；".join(
                p for p in [current.text if current.number is not None else "", current.choice] if p
            )
            or (current.text if current else "")
        )
        changed = (
            current is None
            or entry.number != current.number
            or state != current.state
            or flag != current.flag
            or entry.note != current.note
        )
        observation = Observation(
            text=entry.number_text or state,
            number=entry.number,
            comparator="",
            state=state,
            flag=flag,
        )
        previous = (
            Observation(text=str(line.previous_number), number=line.previous_number)
            if line.previous_number is not None
            else None
        )
        result = assess(line.rule, None if entry.is_empty else observation, previous)
        indicator_rows.append(
            {
                "row": entry.row,
                "code": entry.code,
                "name": line.name,
                "standard": line.standard,
                "current": current_text,
                "new": new_text,
                "note": entry.note,
                "status": result.status,
                "status_label": result.label,
                "reason": result.reason,
                "changed": bool(changed and not entry.is_empty),
                "empty": entry.is_empty,
                "normalised": entry.normalised,
            }
        )
    progress_rows = []
    for entry in reading.progress:
        line = catalogue.progress_line(entry.key)
        current = line.current
        new = "；".join(
            p for p in [entry.status, "" if entry.amount is None else f"{entry.amount}万元"] if p
        )
        old = ""
        if current:
            old = "；".join(
                p
                for p in [current.status, "" if current.amount is None else f"{current.amount}万元"]
                if p
            )
        changed = current is None or (current.status, current.amount, current.note) != (
            entry.status,
            entry.amount,
            entry.note,
        )
        progress_rows.append(
            {
                "row": entry.row,
                "key": entry.key,
                "group": line.group,
                "content": line.content[:60],
                "current": old,
                "new": new,
                "note": entry.note,
                "changed": bool(changed and not entry.is_empty),
                "empty": entry.is_empty,
                "normalised": entry.normalised,
            }
        )
    return {"indicators": indicator_rows, "progress": progress_rows}


def _read(content: bytes, catalogue: Catalogue) -> Reading:
    check_file(
        content,
        max_bytes=settings.SUBMISSION_MAX_UPLOAD_BYTES,
        max_uncompressed=settings.SUBMISSION_MAX_UNCOMPRESSED_BYTES,
    )
    return read_workbook(content, catalogue, max_rows=settings.SUBMISSION_MAX_ROWS)


def upload_preview(
    *, user, area: Area, year: int, name: str, content: bytes, via: str = "upload"
) -> Upload:
    """Keep the file, read it, and either list its errors or prepare its preview. Changes no
    value."""
    require_upload(user, area)
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
        upload.file.save(name[-100:] or "upload.xlsx", ContentFile(content), save=False)
    catalogue = build_catalogue(area, year)
    try:
        reading = _read(content, catalogue)
    except FileRefused as refusal:
        upload.errors = [str(refusal)]
        upload.save()
        return upload
    if reading.errors:
        upload.errors = [str(e) for e in reading.errors]
        upload.rejected = reading.rejected_rows
        upload.save()
        return upload
    outcome = _import(
        reading,
        catalogue,
        dry_run=True,
        user=user,
        upload=None,
        via=via,
        source_detail=f"上传：{name}",
    )
    errors = _result_errors(outcome)
    if errors:
        upload.errors = errors
        upload.rejected = len(errors)
        upload.save()
        return upload
    upload.status = Upload.Status.PREVIEW
    upload.preview = _preview_rows(reading, catalogue)
    for key, value in _counts(outcome).items():
        setattr(upload, key, value)
    upload.save()
    return upload


def upload_confirm(*, user, upload: Upload, via: str = "upload") -> Upload:
    """Save a previewed upload, all of it in one transaction, or nothing."""
    submission = upload.submission
    require_upload(user, submission.area)
    if upload.status != Upload.Status.PREVIEW:
        raise SubmissionError(f"这次上传的状态为“{upload.get_status_display()}”，不能再保存")
    upload.file.open("rb")
    try:
        content = upload.file.read()
    finally:
        upload.file.close()
    with transaction.atomic():
        bumped = (
            Submission.objects.filter(pk=submission.pk, version=upload.base_version)
            .exclude(state__in=[Submission.State.APPROVED, Submission.State.SUBMITTED])
            .update(version=F("version") + 1)
        )
        if bumped:
            _confirm(user=user, upload=upload, content=content, via=via)
            return upload
    submission.refresh_from_db()
    _refuse_if_locked(submission)
    _refuse_if_in_review(submission)
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.STALE)
    raise SubmissionError(
        "预览之后这一县区年度的数据已被他人更新，这次上传未保存：请重新下载模板或重新上传预览"
    )


def _confirm(*, user, upload: Upload, content: bytes, via: str) -> None:
    submission = upload.submission
    catalogue = build_catalogue(submission.area, submission.year)
    reading = _read(content, catalogue)
    if reading.errors:
        raise SubmissionError("文件内容与预览时不一致，未保存")
    outcome = _import(
        reading,
        catalogue,
        dry_run=False,
        user=user,
        upload=upload,
        via=via,
        source_detail=f"上传：{upload.original_name}",
    )
    errors = _result_errors(outcome)
    if errors:
        raise SubmissionError("保存失败，未做任何修改：" + "；".join(errors[:5]))
    for key, value in _counts(outcome).items():
        setattr(upload, key, value)
    upload.status = Upload.Status.CONFIRMED
    upload.confirmed_at = timezone.now()
    upload.save()
    if submission.state == Submission.State.RETURNED:
        Submission.objects.filter(pk=submission.pk).update(state=Submission.State.DRAFT)


# --------------------------------------------------------------------------------------------
# Review workflow


def _transition(
    *, user, submission: Submission, action: str, to: str, allowed_from: set[str], comment: str = ""
) -> Submission:
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state not in allowed_from:
            raise SubmissionError(
                f"{locked.area.name}{locked.year}年当前状态为“{locked.get_state_display()}”，不能"
                f"{dict(SubmissionEvent.Action.choices)[action]}"
            )
        SubmissionEvent.objects.create(
            submission=locked,
            action=action,
            from_state=locked.state,
            to_state=to,
            comment=comment,
            by=user,
        )
        locked.state = to
        if action in {SubmissionEvent.Action.RETURN, SubmissionEvent.Action.APPROVE}:
            locked.comment = comment
        locked.save(update_fields=["state", "comment", "updated_at"])
    return locked


def submission_submit(*, user, submission: Submission, comment: str = "") -> Submission:
    require_upload(user, submission.area)
    if not submission.uploads.filter(status=Upload.Status.CONFIRMED).exists():
        raise SubmissionError(
            f"{submission.area.name}{submission.year}年尚未保存任何数据，不能提交审核"
        )
    return _transition(
        user=user,
        submission=submission,
        action=SubmissionEvent.Action.SUBMIT,
        to=Submission.State.SUBMITTED,
        allowed_from={Submission.State.DRAFT, Submission.State.RETURNED},
        comment=comment,
    )


def submission_approve(*, user, submission: Submission, comment: str = "") -> Submission:
    require_review(user)
    return _transition(
        user=user,
        submission=submission,
        action=SubmissionEvent.Action.APPROVE,
        to=Submission.State.APPROVED,
        allowed_from={Submission.State.SUBMITTED},
        comment=comment,
    )


def submission_return(*, user, submission: Submission, comment: str) -> Submission:
    require_review(user)
    if not comment.strip():
        raise SubmissionError("退回时须填写退回意见，说明需要修改的内容")
    return _transition(
        user=user,
        submission=submission,
        action=SubmissionEvent.Action.RETURN,
        to=Submission.State.RETURNED,
        allowed_from={Submission.State.SUBMITTED},
        comment=comment.strip(),
    )


def submission_reopen(*, user, submission: Submission, reason: str) -> Submission:
    require_review(user)
    if not reason.strip():
        raise SubmissionError("重新开放已审核的数据须填写理由")
    return _transition(
        user=user,
        submission=submission,
        action=SubmissionEvent.Action.REOPEN,
        to=Submission.State.DRAFT,
        allowed_from={Submission.State.APPROVED},
        comment=reason.strip(),
    )


def submissions_approve_many(
    *, user, submissions: list[Submission], comment: str = ""
) -> list[Submission]:
    """Approve several county-years at once: all of them, or none when one cannot be."""
    require_review(user)
    with transaction.atomic():
        return [submission_approve(user=user, submission=s, comment=comment) for s in submissions]
