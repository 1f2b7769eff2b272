"""Background jobs: start them, run their steps, recover those a stopped worker left.

A job is a fixed list of steps (BackgroundJob.plan). Each step writes through the project's
one write path (indicators.results for a rebuild, submissions.resources → services.report_save
for an import) in its own transaction, and the same transaction counts the step done, so a
worker killed at any moment leaves every step either wholly done and counted or not done at
all. A new worker (or another one, once the job's lease has expired) re-queues the job, which
goes on from the first step not done.

The queue is django-tasks' database backend (settings.TASKS): the queue, the jobs and the data
live in one database, backed up together, with no other service to run. The worker is
`manage.py jobs_worker`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import tablib
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from lvliang_eco.pagecache import data_changed

from .models import BackgroundJob


class JobStepError(Exception):
    """A step refused its data; the message (Chinese) says where and why."""


def _enqueue(job: BackgroundJob) -> None:
    from .tasks import run_job_task

    result = run_job_task.enqueue(job.pk)
    job.task_id = str(result.id)
    job.attempts += 1
    job.save(update_fields=["task_id", "attempts"])
    data_changed()  # the banner on every page (kept per data version) shows the job


# --------------------------------------------------------------------------------------------
# Starting


def start_rebuild(*, user=None) -> BackgroundJob:
    """Queue a full rebuild of the stored results (indicators.results) in steps of one year ×
    settings.JOBS_REBUILD_AREAS_PER_STEP areas. A rebuild already queued or running is
    returned instead of a second one."""
    with transaction.atomic():
        running = (
            BackgroundJob.objects.select_for_update()
            .filter(kind=BackgroundJob.Kind.REBUILD, state__in=BackgroundJob.ACTIVE)
            .first()
        )
        if running is not None:
            return running
        job = BackgroundJob.objects.create(
            kind=BackgroundJob.Kind.REBUILD,
            title=BackgroundJob.Kind.REBUILD.label,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _enqueue(job)
    return job


def rebuild_results(*, user=None) -> BackgroundJob | None:
    """After a change of rules or standards: rebuild the stored results at once when the
    installation is small (at most settings.RESULTS_REBUILD_INLINE_AREA_YEARS area-years),
    else queue a background rebuild and return its job (the pages show a banner until it is
    done)."""
    from counties.models import Area
    from indicators.compliance import years_with_values
    from indicators.results import results_rebuild

    size = Area.objects.count() * len(years_with_values())
    if size <= settings.RESULTS_REBUILD_INLINE_AREA_YEARS:
        results_rebuild()
        return None
    return start_rebuild(user=user)


def import_plan(headers: list[str], rows: list[list]) -> list[list[int]]:
    """The steps of an import: the indices of `rows` grouped by (area, year) cell, each group
    one step, in the order the file first names them."""
    area, year = headers.index("area"), headers.index("year")
    groups: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault((str(row[area]).strip(), str(row[year]).strip()), []).append(index)
    return list(groups.values())


def start_import(*, resource: type, dataset: tablib.Dataset, file_name: str, user) -> BackgroundJob:
    """Queue the import of `dataset` (already previewed without errors) through `resource`
    (a submissions.resources.ReportResource class), one area-year per step, each saved by
    services.report_save with the route 后台导入. Cells are kept as text and numbers (JSON)."""
    headers = list(dataset.headers)
    rows = [[_jsonable(cell) for cell in row] for row in dataset]
    plan = import_plan(headers, rows)
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=BackgroundJob.Kind.IMPORT,
            title=f"{BackgroundJob.Kind.IMPORT.label}：{file_name or '表格'}（{len(rows)} 行）",
            plan=plan,
            steps_total=len(plan),
            payload={
                "resource": f"{resource.__module__}.{resource.__qualname__}",
                "headers": headers,
                "rows": rows,
                "file_name": file_name,
            },
            created_by=user,
        )
        _enqueue(job)
    return job


def _jsonable(cell):
    if cell is None or isinstance(cell, (bool, int, float, str)):
        return cell
    return str(cell)


# --------------------------------------------------------------------------------------------
# Running


def _rebuild_prepare(job: BackgroundJob) -> list:
    from indicators.results import results_rebuild_plan

    steps = results_rebuild_plan(areas_per_step=settings.JOBS_REBUILD_AREAS_PER_STEP)
    return [[year, ids] for year, ids in steps]


def _rebuild_step(job: BackgroundJob, step) -> None:
    from indicators.results import results_rebuild_step

    year, area_ids = step
    results_rebuild_step(year=year, area_ids=area_ids)


def _import_step(job: BackgroundJob, step) -> None:
    from submissions.models import ValueChange

    payload = job.payload
    resource = import_string(payload["resource"])()
    rows = [payload["rows"][i] for i in step]
    dataset = tablib.Dataset(*rows, headers=payload["headers"])
    result = resource.import_data(
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
        user=job.created_by,
        via=ValueChange.Via.ADMIN_IMPORT,
        file_name=payload.get("file_name", ""),
    )
    if result.has_errors() or result.has_validation_errors():
        raise JobStepError(_step_errors(result, step))


def _step_errors(result, step: list[int]) -> str:
    """The first errors of a step's import result, with the file's row numbers (the header is
    row 1)."""
    messages = []
    for error in result.base_errors:
        messages.append(str(error.error))
    for number, errors in result.row_errors():
        messages.extend(f"第 {step[number - 1] + 2} 行：{e.error}" for e in errors)
    for invalid in result.invalid_rows:
        for field, texts in invalid.error_dict.items():
            messages.extend(f"第 {step[invalid.number - 1] + 2} 行 {field}：{t}" for t in texts)
    return "；".join(messages[:5]) or "导入出错"


RUNNERS: dict[str, tuple[Callable | None, Callable]] = {
    BackgroundJob.Kind.REBUILD: (_rebuild_prepare, _rebuild_step),
    BackgroundJob.Kind.IMPORT: (None, _import_step),
}


def _failed_message(job: BackgroundJob, error: Exception) -> str:
    done = job.steps_done
    if job.kind == BackgroundJob.Kind.IMPORT:
        return (
            f"第 {done + 1} 个县年（共 {job.steps_total} 个）未能导入：{error}。"
            f"此前的 {done} 个县年已保存，其余未导入。修正后把同一文件再次导入即可："
            "已保存且未改变的行会被跳过，不会重复记录。"
        )
    return f"第 {done + 1} 步（共 {job.steps_total} 步）出错：{error}。可在后台任务页面重新计算。"


def run_job(job_id: int, *, limit: int | None = None) -> BackgroundJob:
    """Run the job's steps not yet done (at most `limit` of them), each in its own transaction
    with the count that marks it done; returns the job as it stands. A job another runner has
    finished or advanced is left to it. A step's error fails the job with a Chinese message
    saying what was saved (no exception escapes)."""
    job = BackgroundJob.objects.get(pk=job_id)
    if not job.active:
        return job
    prepare, step_of = RUNNERS[job.kind]
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=BackgroundJob.State.RUNNING, started_at=job.started_at or now, heartbeat_at=now
    )
    data_changed()
    job.refresh_from_db()
    if prepare is not None and not job.plan:
        plan = prepare(job)
        BackgroundJob.objects.filter(pk=job.pk).update(plan=plan, steps_total=len(plan))
        job.refresh_from_db()
    ran = 0
    while job.steps_done < job.steps_total and (limit is None or ran < limit):
        index = job.steps_done
        try:
            with transaction.atomic():
                step_of(job, job.plan[index])
                data_changed()  # the banner's count
                counted = BackgroundJob.objects.filter(pk=job.pk, steps_done=index).update(
                    steps_done=index + 1, heartbeat_at=timezone.now()
                )
                if not counted:
                    raise _Overtaken
        except _Overtaken:
            job.refresh_from_db()
            return job
        except Exception as error:
            BackgroundJob.objects.filter(pk=job.pk).update(
                state=BackgroundJob.State.FAILED,
                finished_at=timezone.now(),
                message=_failed_message(job, error),
            )
            data_changed()
            job.refresh_from_db()
            return job
        ran += 1
        job.refresh_from_db()
    if job.steps_done >= job.steps_total:
        BackgroundJob.objects.filter(pk=job.pk, state=BackgroundJob.State.RUNNING).update(
            state=BackgroundJob.State.DONE, finished_at=timezone.now(), message=_done(job)
        )
        data_changed()
        job.refresh_from_db()
    return job


class _Overtaken(Exception):
    """Another runner counted this step first."""


def _done(job: BackgroundJob) -> str:
    if job.kind == BackgroundJob.Kind.IMPORT:
        return f"已导入全部 {job.steps_total} 个县年（{len(job.payload.get('rows', []))} 行）"
    return f"已重新计算全部考核结果（{job.steps_total} 步）"


# --------------------------------------------------------------------------------------------
# Recovering


def recover_jobs(*, lease_seconds: int | None = None) -> list[int]:
    """Re-queue every active job whose worker has stopped: its last progress is older than the
    lease (settings.JOBS_LEASE_SECONDS; each step takes far less) and its queued task is not
    waiting to run. Safe with several workers: a job is re-queued by one of them only.
    Returns the re-queued job ids."""
    from django_tasks_db.models import DBTaskResult

    lease = settings.JOBS_LEASE_SECONDS if lease_seconds is None else lease_seconds
    stale_before = timezone.now() - timedelta(seconds=lease)
    recovered = []
    for job in BackgroundJob.objects.filter(state__in=BackgroundJob.ACTIVE).defer("payload"):
        last = job.heartbeat_at or job.created_at
        if last > stale_before:
            continue
        waiting = DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()
        if waiting:
            continue
        with transaction.atomic():
            locked = (
                BackgroundJob.objects.select_for_update()
                .filter(pk=job.pk, task_id=job.task_id, state__in=BackgroundJob.ACTIVE)
                .defer("payload")
                .first()
            )
            if locked is None:
                continue  # another worker took it
            DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(status="FAILED")
            locked.heartbeat_at = timezone.now()
            locked.save(update_fields=["heartbeat_at"])
            _enqueue(locked)
        recovered.append(job.pk)
    return recovered


def active_jobs() -> list[dict]:
    """The queued and running jobs for the banner on every page: [{"id", "title", "done",
    "total", "percent"}]. One query; the context processor keeps it per data version, which
    every change of a job's state or count renews."""
    return [
        {
            "id": job.pk,
            "title": job.title,
            "done": job.steps_done,
            "total": job.steps_total,
            "percent": job.percent,
        }
        for job in BackgroundJob.objects.filter(state__in=BackgroundJob.ACTIVE)
        .only("title", "steps_done", "steps_total", "state")
        .order_by("pk")
    ]
