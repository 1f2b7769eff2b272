"""The background jobs' pages: the list (with the button that starts a full rebuild), one
job's progress bar, and its progress as JSON for the bar's polling (static/js/jobs.js). Bureau
staff only (counties.access.can_run_jobs)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from counties.access import require_jobs

from . import services
from .models import BackgroundJob

SHOWN = 50


def _listed():
    return BackgroundJob.objects.defer("payload", "plan").select_related("created_by")


def job_list(request: HttpRequest) -> HttpResponse:
    """The latest jobs, newest first, and the rebuild button."""
    require_jobs(request.user)
    jobs = list(_listed()[:SHOWN])
    return render(request, "jobs/list.html", {"jobs": jobs})


@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    """Queue a full rebuild of the stored results (or show the one already running)."""
    require_jobs(request.user)
    job = services.start_rebuild(user=request.user)
    messages.success(request, f"已开始后台任务“{job.title}”，可在本页查看进度")
    return redirect("jobs:detail", pk=job.pk)


def _state(job: BackgroundJob) -> dict:
    started = timezone.localtime(job.started_at) if job.started_at else None
    return {
        "id": job.pk,
        "title": job.title,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.steps_done,
        "total": job.steps_total,
        "percent": job.percent,
        "message": job.message,
        "finished": not job.active,
        "started_at": started.strftime("%Y-%m-%d %H:%M:%S") if started else None,
        "attempts": job.attempts,
    }


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: its progress bar (updated by polling job_state), state and outcome."""
    require_jobs(request.user)
    job = get_object_or_404(_listed(), pk=pk)
    return render(
        request,
        "jobs/detail.html",
        {"job": job, "state_url": reverse("jobs:state", args=[job.pk])},
    )


def job_state(request: HttpRequest, pk: int) -> JsonResponse:
    """{"id", "title", "state", "state_label", "done", "total", "percent", "message",
    "finished", "started_at" (local time text or null), "attempts"}: what the job page
    shows."""
    require_jobs(request.user)
    job = get_object_or_404(_listed(), pk=pk)
    response = JsonResponse(_state(job), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
