"""County submission pages: list, county-year detail, template, upload, preview, review,
history. Thin: permissions from counties/access.py, reads from selectors.py, writes from
services.py."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from counties.access import (
    assigned_area_id,
    can_delete_evidence,
    can_report,
    can_review,
    can_take,
    can_view_evidence,
    require_report,
    require_review,
    require_view,
    visible_areas,
)
from counties.models import Area
from counties.roles import Role, role_of
from indicators.compliance import compliance
from indicators.models import Indicator, IndicatorValue
from lvliang_eco.formats import safe_cell

from . import entry, plausibility, services, workflow
from .catalogue import PROGRESS_STATUSES
from .dossier import dossier_build
from .evidence import (
    ACCEPT_ATTRIBUTE,
    CONTENT_TYPES,
    INLINE_KINDS,
    EvidenceFile,
    EvidenceRefused,
    evidence_check,
    size_text,
)
from .forms import CommentForm, UploadForm
from .models import Evidence, Question, Submission, Upload, ValueChange
from .selectors import (
    catalogue,
    changes_for,
    completed_totals,
    evidence_for,
    question_counts,
    questions_by_row,
    questions_for,
    submission_for,
    submissions_overview,
)
from .selectors import reporting_rates as rates_of
from .spreadsheet import build_template

FIRST_YEAR = 2022
YEAR = re.compile(r"\d{4}", re.ASCII)
# A primary key the database can hold (bigint): longer digit strings are nobody's id, and
# passing them on would overflow in the database driver (a 500 instead of "nothing chosen").
DB_ID = re.compile(r"[1-9]\d{0,17}", re.ASCII)


def _years() -> list[int]:
    return list(range(FIRST_YEAR, date.today().year + 1))


def _area_year(code: str, year: int) -> tuple[Area, int]:
    area = get_object_or_404(Area, code=code)
    if year not in _years():
        raise Http404("没有这一年度的填报")
    return area, year


def submission_list(request: HttpRequest) -> HttpResponse:
    years = _years()
    raw = request.GET.get("year", "")
    raw = raw if YEAR.fullmatch(raw) else ""
    year = (
        int(raw)
        if raw.isdigit() and int(raw) in years
        else years[-2]
        if len(years) > 1
        else years[-1]
    )
    rows = submissions_overview(visible_areas(request.user), [year])
    return render(
        request,
        "submissions/list.html",
        {"rows": rows, "year": year, "years": years, "can_review": can_review(request.user)},
    )


def submission_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    area, year = _area_year(code, year)
    require_view(request.user, area)
    submission = submission_for(area, year)
    result = next(iter(compliance(year=year, area_codes=[area.code]).areas), None)
    lines = catalogue(area, year)
    state = submission.state if submission else Submission.State.DRAFT
    entered = services.entered_by(submission) if submission and area.is_city else frozenset()
    closed = services.closed_refusal(year, user=request.user)
    questions = questions_for(area, year)
    questions_open = sum(q.state == Question.State.OPEN for q in questions)
    return render(
        request,
        "submissions/detail.html",
        {
            "area": area,
            "year": year,
            "submission": submission,
            "state": submission.get_state_display() if submission else "未开始",
            "result": result,
            "catalogue": lines,
            "completeness": lines.completeness(),
            "warnings": sorted(
                plausibility.warnings_of(lines)
                + (
                    plausibility.shared_warnings(
                        lines.progress,
                        completed_totals([line.row_id for line in lines.progress], year),
                    )
                    if can_review(request.user)
                    else []
                ),
                key=lambda w: (w.noted, w.code),
            ),
            "steps": workflow.offered(
                state,
                lambda step: (
                    (submission is not None or not lines.completeness().is_empty)
                    and can_take(request.user, area, step, entered=entered)
                    and not (closed and step.actor == workflow.REPORTER)
                    and not (questions_open and step.action == workflow.Action.APPROVE)
                ),
            ),
            "approve_blocked": questions_open
            and state == Submission.State.SUBMITTED
            and can_review(request.user),
            **_question_context(request, area, year, submission, questions),
            "uploads": submission.uploads.select_related("uploaded_by") if submission else [],
            "events": submission.events.select_related("by") if submission else [],
            "can_upload": can_report(request.user, area)
            and not (submission and submission.is_locked)
            and not closed,
            "closed": closed,
            "can_review": can_review(request.user),
            "upload_form": UploadForm(),
            "comment_form": CommentForm(),
            **_evidence_rows(request, area, year, lines, submission),
        },
    )


def _question_context(request: HttpRequest, area: Area, year: int, submission, questions):
    """What the questions section (_questions.html) needs; marks each question's `may_answer`."""
    may_answer = can_report(request.user, area)
    for question in questions:
        question.may_answer = may_answer and services.question_answerable_by(request.user, question)
    return {
        "questions": questions,
        "questions_open": sum(q.state == Question.State.OPEN for q in questions),
        "may_ask": can_review(request.user),
        "may_answer": can_report(request.user, area),
        "may_change": can_report(request.user, area)
        and not services.reporting_refusal(submission, area, year, user=request.user),
    }


def _deletable(request: HttpRequest, documents: list, submission: Submission | None, area, year):
    """Mark which of `documents` the user may delete now (its uploader, the year open)."""
    refusal = services.reporting_refusal(submission, area, year, user=request.user)
    for document in documents:
        document.deletable = not refusal and can_delete_evidence(request.user, document)
    return documents


def _evidence_rows(request: HttpRequest, area: Area, year: int, lines, submission) -> dict:
    """The county-year page's 佐证材料 table: each row with documents, in the form's order."""
    documents = evidence_for(area, year)
    rows = []
    for line in lines.indicators:
        if found := documents.get(("value", line.code)):
            rows.append({"label": f"{line.code} {line.name}", "documents": found})
    for line in lines.progress:
        if found := documents.get(("progress", str(line.row_id))):
            rows.append({"label": f"{line.key} {line.group}", "documents": found})
    _deletable(request, [d for row in rows for d in row["documents"]], submission, area, year)
    return {"evidence_rows": rows, "evidence_count": sum(len(r["documents"]) for r in rows)}


def template_download(request: HttpRequest, code: str, year: int) -> HttpResponse:
    area, year = _area_year(code, year)
    require_report(request.user, area)
    content = build_template(catalogue(area, year), generated_at=timezone.now())
    name = f"{area.name}{year}年填报模板.xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@require_POST
def upload_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    area, year = _area_year(code, year)
    require_report(request.user, area)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("submissions:detail", code=code, year=year)
    uploaded = form.cleaned_data["file"]
    try:
        upload = services.upload_preview(
            user=request.user,
            area=area,
            year=year,
            name=uploaded.name,
            content=uploaded.read(),
        )
    except services.SubmissionError as error:
        messages.error(request, str(error))
        return redirect("submissions:detail", code=code, year=year)
    return redirect("submissions:upload", pk=upload.pk)


def _upload_for(request: HttpRequest, pk: int, *, preview: bool = True) -> Upload:
    """The upload, if the user may see its area (404, 403). `preview=False` leaves its preview
    (row by row, large for a large file) unread."""
    uploads = Upload.objects.select_related("submission__area", "uploaded_by")
    upload = get_object_or_404(uploads if preview else uploads.defer("preview"), pk=pk)
    require_view(request.user, upload.submission.area)
    return upload


def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_for(request, pk)
    rows = upload.preview_rows("indicators")
    progress = upload.preview_rows("progress")
    filled = [r for r in [*rows, *progress] if not r["empty"]]
    blank = [r for r in rows if r["empty"]]
    blank_progress = [r for r in progress if r["empty"]]
    return render(
        request,
        "submissions/upload.html",
        {
            "upload": upload,
            "area": upload.submission.area,
            "year": upload.submission.year,
            "rows": [r for r in rows if not r["empty"]],
            "progress": [r for r in progress if not r["empty"]],
            "changes": any(r["changed"] for r in filled),
            "changed_since": [r for r in filled if r.get("since")],
            "withdrawn": sum(1 for r in filled if r.get("action") == "withdraw"),
            "blank_indicators": blank,
            "blank_progress": blank_progress,
            "unreported_indicators": [r for r in blank if not r.get("on_record", True)],
            "kept_indicators": [r for r in blank if r.get("on_record", True)],
            "unreported_progress": [r for r in blank_progress if not r.get("on_record", True)],
            "kept_progress": [r for r in blank_progress if r.get("on_record", True)],
            "can_confirm": upload.status == Upload.Status.PREVIEW
            and can_report(request.user, upload.submission.area),
        },
    )


@require_POST
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_for(request, pk, preview=False)
    try:
        services.upload_confirm(user=request.user, upload=upload)
    except services.SubmissionError as error:
        messages.error(request, str(error))
        return redirect("submissions:upload", pk=pk)
    upload.refresh_from_db(fields=["added", "changed", "unchanged"])
    messages.success(
        request,
        f"已保存：新增 {upload.added} 项，修改 {upload.changed} 项，未变 {upload.unchanged} 项。",
    )
    submission = upload.submission
    return redirect("submissions:detail", code=submission.area.code, year=submission.year)


def upload_file(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_for(request, pk)
    if not upload.file:
        raise Http404("这次上传的原件未保存（超过大小上限）或已按保留期限删除")
    return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)


@require_POST
def submission_action(request: HttpRequest, code: str, year: int, action: str) -> HttpResponse:
    area, year = _area_year(code, year)
    require_view(request.user, area)
    step = workflow.TRANSITIONS.get(action)
    if step is None or step.actor == workflow.SYSTEM:
        return HttpResponseBadRequest("未知操作")
    submission = submission_for(area, year)
    if submission is None and step.action == workflow.Action.SUBMIT:
        # Data on record without a submission record (the plan's or the demo's, an admin
        # edit): the year is being reported all the same, and may be submitted.
        if not catalogue(area, year).completeness().is_empty:
            submission = services.submission_get_or_create(area=area, year=year)
    if submission is None:
        messages.error(request, f"{area.name}{year}年尚未填报任何数据，不能{step.label}")
        return redirect("submissions:detail", code=code, year=year)
    try:
        services.submission_act(
            user=request.user,
            submission=submission,
            action=action,
            comment=request.POST.get("comment", ""),
            incomplete_ok=request.POST.get("incomplete_ok") == "1",
        )
    except services.SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{area.name}{year}年：已{step.label}")
    return redirect("submissions:detail", code=code, year=year)


@require_POST
def approve_many(request: HttpRequest) -> HttpResponse:
    require_review(request.user)
    ids = [int(i) for i in request.POST.getlist("submission") if DB_ID.fullmatch(i)]
    submissions = list(Submission.objects.filter(pk__in=ids).select_related("area"))
    if not submissions:
        messages.error(request, "请先勾选要审核通过的县（市、区）")
    else:
        try:
            services.submissions_approve_many(user=request.user, submissions=submissions)
        except (services.SubmissionError, PermissionDenied) as error:
            # e.g. the city's own year, which its enterer may not approve: said, not a bare 403
            messages.error(request, f"批量审核未执行（全部未改动）：{error}")
        else:
            names = "、".join(s.area.name for s in submissions)
            messages.success(request, f"已审核通过：{names}")
    year = request.POST.get("year", "")
    if not YEAR.fullmatch(year):
        year = ""
    return redirect(f"/submissions/?year={year}")


def value_history(request: HttpRequest, code: str, year: int, indicator: str) -> HttpResponse:
    area, year = _area_year(code, year)
    require_view(request.user, area)
    indicator = get_object_or_404(Indicator, code=indicator)
    line = catalogue(area, year).indicator(indicator.code)
    current = line.current
    submission = submission_for(area, year)
    documents = evidence_for(area, year, deleted=can_review(request.user))
    documents = documents.get(("value", indicator.code), [])
    asked = [q for q in questions_for(area, year) if q.indicator_id == indicator.pk]
    return render(
        request,
        "submissions/value.html",
        {
            "area": area,
            "year": year,
            "indicator": indicator,
            "standard": line.standard,
            "value": IndicatorValue.objects.filter(
                area=area, year=year, indicator=indicator
            ).first(),
            "shown": "；".join(p for p in [current.reported_text, current.choice] if p)
            if current
            else "",
            "submission": submission,
            "changes": changes_for(area, year, indicator=indicator),
            "evidence": _deletable(request, documents, submission, area, year),
            "can_attach": can_report(request.user, area)
            and not line.is_parent
            and not services.reporting_refusal(submission, area, year, user=request.user),
            "accept": ACCEPT_ATTRIBUTE,
            "evidence_limit": size_text(settings.EVIDENCE_MAX_BYTES),
            "ask_target": f"value:{indicator.code}",
            **_question_context(request, area, year, submission, asked),
        },
    )


HISTORY_HEADERS = [
    "时间", "修改人", "途径", "指标或投资明细", "字段", "原值", "新值", "说明", "上传文件",
]  # fmt: skip


def history_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    area, year = _area_year(code, year)
    require_view(request.user, area)
    rows = []
    for change in changes_for(area, year):
        target = (
            f"{change.indicator.code} {change.indicator.display_name}"
            if change.indicator
            else str(change.investment_row)
        )
        rows.append(
            [
                timezone.localtime(change.changed_at).strftime("%Y-%m-%d %H:%M:%S"),
                change.changed_by.get_username() if change.changed_by else "",
                change.get_via_display(),
                target,
                change.field,
                change.old,
                change.new,
                change.comment,
                change.upload.original_name if change.upload else "",
            ]
        )
    name = f"{area.name}{year}年修改记录"
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HISTORY_HEADERS)
        writer.writerows([[safe_cell(c) for c in row] for row in rows])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.csv"
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "修改记录"
    sheet.append(HISTORY_HEADERS)
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return FileResponse(io.BytesIO(buffer.getvalue()), as_attachment=True, filename=f"{name}.xlsx")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def entry_form(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Report a county-year in the browser: the template's rows, saved through the one write
    path (route 网页填报), as often as the county likes until it submits; errors beside the
    cells, nothing saved while there is one. The answers to the reviewer's questions are saved
    with the values (all or nothing); while the year is in review, the answers alone."""
    area, year = _area_year(code, year)
    require_report(request.user, area)
    closed = services.closed_refusal(year, user=request.user)
    submission = submission_for(area, year)
    editable = not closed and (
        submission is None
        or submission.state in {Submission.State.DRAFT, Submission.State.RETURNED}
    )
    book = catalogue(area, year)
    rows = entry.form_rows(book)
    waiting = [q for q in questions_for(area, year) if not q.is_closed]
    for question in waiting:
        question.may_answer = services.question_answerable_by(request.user, question)
    if request.method == "POST":
        posted = entry.read_post(book, request.POST)
        rows = posted.rows
        files = entry.posted_files(rows, request.FILES)
        refused_files = _refused_files(files)
        answers = entry.posted_answers([q for q in waiting if q.may_answer], request.POST)
        try:
            if not editable and (posted.values or posted.progress or files):
                raise services.SubmissionError(
                    closed or services.reporting_refusal(submission, area, year, user=request.user)
                )
            with transaction.atomic():  # values, documents and answers of one save, or nothing
                outcome = services.report_save(
                    area=area, year=year, values=posted.values, progress=posted.progress,
                    route=ValueChange.Via.FORM, user=request.user,
                ) if editable else None  # fmt: skip
                if refused_files:
                    raise services.ReportRefused("佐证材料有误")
                attached = services.evidence_attach(
                    user=request.user, area=area, year=year, files=[f for _, f in files]
                )
                for question, text in answers:
                    services.question_answer(user=request.user, question=question, text=text)
        except services.ReportRefused as refusal:
            posted.attach(refusal.errors)
            count = len(refusal.errors) + len(refused_files)
            again = "；已选择的佐证材料也未保存，改正后请重新选择文件" if files else ""
            messages.error(request, f"有 {count} 处需要修改，全部未保存：见标红的单元格{again}")
        except services.SubmissionError as error:
            messages.error(request, f"全部未保存：{error}")
        else:
            if outcome is not None and outcome.has_changes:  # now 填报中, as after an upload
                services.submission_get_or_create(area=area, year=year)
            _saved_message(request, area, year, outcome, attached, answers)
            return redirect("submissions:form", code=area.code, year=year)
        for question in waiting:  # show what was typed again
            question.draft = request.POST.get(f"q-{question.pk}-answer", "")
    result = next(iter(compliance(year=year, area_codes=[area.code]).areas), None)
    statuses = {item.indicator.code: item for item in result.all_results()} if result else {}
    flagged = defaultdict(list)
    for warning in plausibility.warnings_of(book):
        flagged[warning.code].append(warning)
    documents = evidence_for(area, year)
    asked = questions_by_row(waiting)
    for row in rows:
        if row.kind == "value":
            row.status = statuses.get(row.line.code)
        row.warnings = flagged.get(row.line.code if row.kind == "value" else row.line.key, [])
        row.evidence = documents.get((row.kind, row.key), [])
        row.questions = asked.get((row.kind, row.key), [])
    return render(
        request,
        "submissions/form.html",
        {
            "area": area,
            "year": year,
            "submission": submission,
            "value_rows": [r for r in rows if r.kind == "value"],
            "progress_rows": [r for r in rows if r.kind == "progress"],
            "statuses": PROGRESS_STATUSES,
            "accept": ACCEPT_ATTRIBUTE,
            "evidence_limit": size_text(settings.EVIDENCE_MAX_BYTES),
            "evidence_per_save": settings.EVIDENCE_MAX_FILES_PER_SAVE,
            "closed": closed,
            "editable": editable,
            "questions_waiting": waiting,
            "answerable": any(q.may_answer for q in waiting)
            and not (submission and submission.is_locked),
        },
        status=400 if request.method == "POST" else 200,
    )


def _saved_message(request, area: Area, year: int, outcome, attached: list, answers: list):
    """The form's success message (and a warning for flagged values left unexplained)."""
    parts = []
    if outcome is not None:
        counts = outcome.counts()
        parts.append(f"新增 {counts['added']} 项，修改 {counts['changed']} 项")
        unexplained = [w for w in plausibility.warnings_of(catalogue(area, year)) if not w.noted]
        if unexplained:
            messages.warning(
                request, f"有 {len(unexplained)} 项数值需核实（见各行的提示），请在备注中说明原因"
            )
    if attached:
        parts.append(f"附加佐证材料 {len(attached)} 个")
    if answers:
        parts.append(f"答复质询 {len(answers)} 个")
    draft = "（草稿，可随时继续填写；填完后在填报页提交审核）" if outcome is not None else ""
    messages.success(request, f"已保存：{'，'.join(parts) or '没有改动'}{draft}")


def _refused_files(files: list[tuple[entry.Row, EvidenceFile]]) -> list[str]:
    """Check each chosen file by content; a refused one's message goes beside its row."""
    refused = []
    for row, item in files:
        try:
            evidence_check(item.name, item.content)
        except EvidenceRefused as error:
            row.errors["evidence"] = str(error)
            refused.append(str(error))
    return refused


def todo(request: HttpRequest) -> HttpResponse:
    """Where each role starts after logging in: a county sees its years due, returned or in
    review; the bureau sees what waits for its review (the city's years it may approve among
    them) and the county-years overdue; the leadership goes to the overview."""
    role = Role.BUREAU if can_review(request.user) else role_of(request.user)
    if role != Role.BUREAU and assigned_area_id(request.user) is None:
        return redirect("overview")
    years = _years()
    areas = visible_areas(request.user)
    rows = submissions_overview(areas, years)
    state = Question.State.OPEN if role == Role.COUNTY else Question.State.ANSWERED
    counts = question_counts(areas, state)
    questioned = []
    for row in rows:
        if found := counts.get((row["area"].pk, row["year"])):
            questioned.append({**row, "questions": found})
    if role == Role.COUNTY:
        open_rows = [r for r in rows if r["state_code"] in {"none", "draft", "returned"}]
        context = {
            "returned": [r for r in rows if r["state_code"] == "returned"],
            "due": [
                r
                for r in open_rows
                if r["state_code"] != "returned"
                and r["period"]
                and r["timeliness"].code in {"open", "overdue"}
            ],
            "in_review": [r for r in rows if r["state_code"] == "submitted"],
        }
    else:
        waiting = [r for r in rows if r["state_code"] == "submitted"]
        for row in waiting:
            row["may_approve"] = not row["area"].is_city or request.user.pk not in (
                services.entered_by(row["submission"])
            )
        context = {
            "waiting": waiting,
            "overdue": [r for r in rows if r["timeliness"].code == "overdue"],
        }
    context["questioned"] = questioned
    return render(request, "submissions/todo.html", {"role": role, **context})


RATES_HEADERS = [
    "年份", "县（市、区）", "填报状态", "指标已填", "指标应填", "项目进展已填", "项目进展应填",
    "完整率", "报送截止日期", "首次提交日期", "及时性",
]  # fmt: skip


def reporting_rates(request: HttpRequest) -> HttpResponse:
    """The completeness and timeliness report (DHIS2's reporting rates): per year, how many of
    the areas the user sees submitted, on time, complete and approved; per area and year, filled
    of required and on time or not. `?format=xlsx` downloads the same table."""
    years = _years()
    rows, summary = rates_of(visible_areas(request.user), years)
    if request.GET.get("format") == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "报送情况"
        sheet.append(RATES_HEADERS)
        for row in rows:
            filled = row["filled"]
            sheet.append(
                [
                    row["year"],
                    row["area"].name,
                    row["state"],
                    filled.indicators,
                    filled.indicators_total,
                    filled.progress,
                    filled.progress_total,
                    round(filled.share * 100, 1) if filled.share is not None else None,
                    row["period"].due_on if row["period"] else None,
                    row["submitted_on"],
                    row["timeliness"].label,
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return FileResponse(
            io.BytesIO(buffer.getvalue()), as_attachment=True, filename="各县区报送情况.xlsx"
        )
    by_area: dict[int, dict] = {}
    for row in rows:
        entry_row = by_area.setdefault(row["area"].pk, {"area": row["area"], "years": []})
        entry_row["years"].append(row)
    return render(
        request,
        "submissions/rates.html",
        {"summary": summary, "areas": list(by_area.values()), "years": years},
    )


# -- supporting documents (佐证材料) and the dossier ------------------------------------------


def _back(request: HttpRequest, area: Area, year: int) -> str:
    """Where to go after attaching or deleting: the page the user came from (this site only),
    else the county-year page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("submissions:detail", args=[area.code, year])


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("area"), pk=pk)
    if not can_view_evidence(request.user, evidence):
        require_view(request.user, evidence.area)  # 403 for another county's document
        raise Http404("这份佐证材料已被删除")
    return evidence


def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A supporting document, to those who may see its area's values: PDF and images shown in
    the browser, Office files downloaded; always with the type told by its content."""
    evidence = _evidence(request, pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=evidence.kind not in INLINE_KINDS,
        filename=evidence.original_name,
        content_type=CONTENT_TYPES[evidence.kind],
    )
    response["Cache-Control"] = "private, max-age=0"
    return response


@require_POST
def evidence_attach(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Attach files to one value (`target` = value:<code>) or project row (progress:<row id>)."""
    area, year = _area_year(code, year)
    require_report(request.user, area)
    kind, _, key = request.POST.get("target", "").partition(":")
    chosen = request.FILES.getlist("file")
    if kind not in {"value", "progress"} or not key:
        messages.error(request, "未指明要附加到哪一项指标或投资明细")
    elif not chosen:
        messages.error(request, "请先选择要附加的文件")
    else:
        files = [EvidenceFile(kind, key, f.name, f.read()) for f in chosen]
        try:
            stored = services.evidence_attach(user=request.user, area=area, year=year, files=files)
        except (services.SubmissionError, EvidenceRefused) as error:
            messages.error(request, f"佐证材料未保存：{error}")
        else:
            messages.success(request, f"已附加佐证材料 {len(stored)} 个")
    return redirect(_back(request, area, year))


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a supporting document (its uploader, until the year is submitted or approved)."""
    evidence = _evidence(request, pk)
    try:
        services.evidence_delete(user=request.user, evidence=evidence)
    except services.SubmissionError as error:
        messages.error(request, f"未删除：{error}")
    else:
        messages.success(request, f"已删除佐证材料“{evidence.original_name}”（修改记录中仍可查）")
    return redirect(_back(request, evidence.area, evidence.year))


def dossier_download(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The area-year's dossier (.zip: a folder per indicator with its documents, and the index
    目录.xlsx), to those who may see the area's values."""
    area, year = _area_year(code, year)
    require_view(request.user, area)
    archive, _ = dossier_build(area, year)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"{area.name}{year}年佐证材料.zip",
        content_type="application/zip",
    )


# -- questions on a value (数值质询) ---------------------------------------------------------


@require_POST
def question_ask(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A reviewer asks about one value (`target` = value:<code>) or project row
    (progress:<row id>) of the area-year."""
    area, year = _area_year(code, year)
    require_review(request.user)
    kind, _, key = request.POST.get("target", "").partition(":")
    if kind not in {"value", "progress"} or not key:
        messages.error(request, "请选择要质询的指标或投资明细")
    else:
        try:
            services.question_ask(
                user=request.user, area=area, year=year, kind=kind, key=key,
                text=request.POST.get("text", ""),
            )  # fmt: skip
        except services.SubmissionError as error:
            messages.error(request, f"质询未提出：{error}")
        else:
            messages.success(request, "已提出质询：县区答复前本年度不能审核通过")
    return redirect(_back(request, area, year))


QUESTION_STEPS = {
    "answer": (services.question_answer, "已提交答复"),
    "follow-up": (services.question_follow_up, "已追问，等待县区答复"),
    "close": (services.question_close, "已关闭质询"),
}


@require_POST
def question_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Answer (the county), follow up or close (a reviewer) a question."""
    if action not in QUESTION_STEPS:
        raise Http404("没有这个操作")
    question = get_object_or_404(Question.objects.select_related("area"), pk=pk)
    require_view(request.user, question.area)  # 403 for another county's question
    step, done = QUESTION_STEPS[action]
    text = request.POST.get("text", "")
    try:
        if action == "close":
            services.question_close(user=request.user, question=question, note=text)
        else:
            step(user=request.user, question=question, text=text)
    except services.SubmissionError as error:
        messages.error(request, f"未保存：{error}")
    else:
        messages.success(request, done)
    return redirect(_back(request, question.area, question.year))
