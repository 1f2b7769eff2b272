"""Background jobs: a rebuild in steps writes what a rebuild writes, goes on after its worker
stopped, and a large admin import runs one county-year a step through the write path; the
pages are the bureau's only."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from counties.models import Area
from indicators.models import AreaYearResult, AssessmentResult, Indicator, IndicatorValue
from indicators.results import results_drift
from jobs import services
from jobs.models import BackgroundJob
from submissions.models import Submission, ValueChange
from tests.conftest import demo_loaded, logged_in
from tests.lvliang_eco.test_admin import indicator_form

pytestmark = pytest.mark.django_db

NUMBERS = {"3": "22.9", "22": "5.4", "28": "96.5", "29": "48.2", "30": "97", "31": "98"}


def steps_expected(areas_per_step: int) -> int:
    years = AreaYearResult.objects.values("year").distinct().count()
    areas = Area.objects.count()
    return years * -(-areas // areas_per_step)


def test_a_background_rebuild_writes_what_a_rebuild_writes(settings):
    demo_loaded()
    settings.JOBS_REBUILD_AREAS_PER_STEP = 4
    expected = steps_expected(4)
    # The store drifted: a status altered, a year of one area lost.
    AssessmentResult.objects.filter(indicator__code="28").update(status="fails", reason="旧")
    AssessmentResult.objects.filter(area__code="141122", year=2023).delete()
    assert results_drift()
    job = services.start_rebuild()
    assert (job.state, job.steps_total) == ("queued", 0)
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    job = services.run_job(job.pk)
    assert (job.state, job.steps_done, job.steps_total) == ("done", expected, expected)
    assert job.message == f"已重新计算全部考核结果（{expected} 步）"
    assert results_drift() == []


def test_a_second_rebuild_asked_while_one_waits_is_the_same_job():
    first = services.start_rebuild()
    assert services.start_rebuild().pk == first.pk
    services.run_job(first.pk)
    assert services.start_rebuild().pk != first.pk


def test_a_rebuild_whose_worker_stopped_goes_on_from_the_next_step(settings):
    demo_loaded()
    settings.JOBS_REBUILD_AREAS_PER_STEP = 2
    AssessmentResult.objects.filter(indicator__code="29").update(status="fails")
    job = services.start_rebuild()
    # A worker claimed the task, did two steps and was killed.
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING")
    job = services.run_job(job.pk, limit=2)
    assert (job.state, job.steps_done) == ("running", 2)
    assert services.recover_jobs() == []  # its lease (120 s) has not run out
    assert services.recover_jobs(lease_seconds=0) == [job.pk]
    old_task = job.task_id
    job.refresh_from_db()
    assert job.attempts == 2 and job.task_id != old_task
    assert DBTaskResult.objects.get(pk=old_task).status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    assert services.recover_jobs(lease_seconds=0) == []  # queued again: not twice
    job = services.run_job(job.pk)
    assert (job.state, job.steps_done) == ("done", job.steps_total)
    assert results_drift() == []


def test_a_job_queued_behind_another_is_not_taken_for_lost():
    job = services.start_rebuild()
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=None)
    assert services.recover_jobs(lease_seconds=0) == []  # its task waits for a worker


def test_a_rule_change_on_a_large_installation_rebuilds_in_the_background(
    settings, bureau_user, no_page_cache
):
    demo_loaded()
    settings.RESULTS_REBUILD_INLINE_AREA_YEARS = 0
    client = logged_in(bureau_user)
    indicator = Indicator.objects.get(code="29")
    rule = '{"kind": "threshold", "op": ">=", "value": "99"}'
    response = client.post(
        f"/admin/indicators/indicator/{indicator.pk}/change/",
        indicator_form(indicator, standard_rule=rule),
    )
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert job.kind == "rebuild" and job.created_by == bureau_user
    assert results_drift()  # the stored results are still those of the old rule
    page = client.get("/").content.decode()
    assert "后台任务进行中：重新计算全部考核结果" in page
    assert f"/jobs/{job.pk}/" in page
    services.run_job(job.pk)
    assert results_drift() == []
    assert "后台任务进行中" not in client.get("/").content.decode()


def test_a_rule_change_on_a_small_installation_rebuilds_at_once(bureau_user, settings):
    demo_loaded()
    settings.RESULTS_REBUILD_INLINE_AREA_YEARS = 10_000
    indicator = Indicator.objects.get(code="29")
    rule = '{"kind": "threshold", "op": ">=", "value": "99"}'
    logged_in(bureau_user).post(
        f"/admin/indicators/indicator/{indicator.pk}/change/",
        indicator_form(indicator, standard_rule=rule),
    )
    assert not BackgroundJob.objects.exists()
    assert results_drift() == []


# --------------------------------------------------------------------------------------------
# A large admin import


def csv_of(rows: list[tuple[str, int, str, str]]) -> bytes:
    lines = ["area,year,indicator,value_text,choice,note,judgement"]
    lines += [f"{area},{year},{code},{text},,," for area, year, code, text in rows]
    return ("\n".join(lines) + "\n").encode()


def rows_for(*area_years: tuple[str, int]) -> list[tuple[str, int, str, str]]:
    return [(a, y, code, text) for a, y in area_years for code, text in NUMBERS.items()]


def admin_import(client, content: bytes):
    """The admin's two steps: the preview, then its confirmation."""
    upload = SimpleUploadedFile("history.csv", content, content_type="text/csv")
    url = "/admin/indicators/indicatorvalue/"
    preview = client.post(
        url + "import/", {"resource": "0", "format": "0", "import_file": upload}
    ).content.decode()
    assert "确认导入" in preview, preview[-2000:]
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', preview))
    fields = ("import_file_name", "original_file_name", "format", "resource")
    return client.post(url + "process_import/", {name: hidden[name] for name in fields})


def stored(area: str, year: int) -> dict[str, str]:
    values = IndicatorValue.objects.filter(area__code=area, year=year)
    return dict(values.values_list("indicator__code", "value_text"))


def test_a_large_admin_import_runs_one_county_year_a_step(bureau_user, settings):
    settings.ADMIN_IMPORT_BACKGROUND_ROWS = len(NUMBERS)
    content = csv_of(rows_for(("141122", 2025), ("141123", 2025), ("141122", 2026)))
    response = admin_import(logged_in(bureau_user), content)
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert (job.kind, job.steps_total, job.title) == ("import", 3, "后台导入：history.csv（18 行）")
    assert stored("141122", 2025) == {}  # nothing before the worker runs
    job = services.run_job(job.pk, limit=1)
    assert stored("141122", 2025) == NUMBERS and stored("141123", 2025) == {}
    job = services.run_job(job.pk)
    assert (job.state, job.steps_done) == ("done", 3)
    assert job.message == "已导入全部 3 个县年（18 行）"
    assert stored("141123", 2025) == NUMBERS == stored("141122", 2026)
    changes = ValueChange.objects.filter(area__code="141122", year=2025)
    assert changes.count() == len(NUMBERS)
    via = ValueChange.Via.ADMIN_IMPORT
    assert set(changes.values_list("via", "changed_by")) == {(via, bureau_user.pk)}
    assert results_drift() == []
    # Imported a second time: every row is unchanged, nothing is recorded again.
    count = ValueChange.objects.count()
    again = admin_import(logged_in(bureau_user), content)
    services.run_job(BackgroundJob.objects.latest("pk").pk)
    assert again.status_code == 302 and ValueChange.objects.count() == count


def test_a_small_admin_import_is_saved_at_once(bureau_user, settings):
    settings.ADMIN_IMPORT_BACKGROUND_ROWS = 100
    response = admin_import(logged_in(bureau_user), csv_of(rows_for(("141122", 2025))))
    assert response.status_code == 302 and "/jobs/" not in response.url
    assert stored("141122", 2025) == NUMBERS and not BackgroundJob.objects.exists()


def test_a_county_year_locked_after_the_preview_stops_the_import_and_says_what_was_saved(
    bureau_user, settings
):
    settings.ADMIN_IMPORT_BACKGROUND_ROWS = 1
    content = csv_of(rows_for(("141122", 2025), ("141123", 2025), ("141124", 2025)))
    admin_import(logged_in(bureau_user), content)
    job = BackgroundJob.objects.get()
    Submission.objects.create(area=Area.objects.get(code="141123"), year=2025, state="approved")
    job = services.run_job(job.pk)
    assert (job.state, job.steps_done) == ("failed", 1)
    assert "第 2 个县年（共 3 个）未能导入" in job.message
    assert "已审核通过并锁定" in job.message
    assert "此前的 1 个县年已保存，其余未导入" in job.message
    assert stored("141122", 2025) == NUMBERS
    assert stored("141123", 2025) == {} == stored("141124", 2025)


# --------------------------------------------------------------------------------------------
# Pages


def test_the_jobs_pages_are_the_bureaus_only(jiaocheng_officer, leader, bureau_user):
    job = services.start_rebuild(user=bureau_user)
    for user in (jiaocheng_officer, leader):
        client = logged_in(user)
        for url in ("/jobs/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/state.json"):
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert "后台任务仅供市生态环境局工作人员" in response.content.decode()
        assert client.post("/jobs/rebuild/").status_code == 403
    assert BackgroundJob.objects.count() == 1


def test_the_job_page_shows_its_progress_and_state_json(bureau_user):
    demo_loaded()
    client = logged_in(bureau_user)
    listing = client.get("/jobs/").content.decode()
    assert "尚无后台任务" in listing and "重新计算全部考核结果" in listing
    assert client.get("/jobs/rebuild/").status_code == 405
    response = client.post("/jobs/rebuild/")
    job = BackgroundJob.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert "准备中" in page and 'id="job-progress"' in page and "排队中" in page
    services.run_job(job.pk, limit=3)
    state = client.get(f"/jobs/{job.pk}/state.json")
    job.refresh_from_db()
    assert state["Cache-Control"] == "no-store"
    assert state.json() == {
        "id": job.pk,
        "title": "重新计算全部考核结果",
        "state": "running",
        "state_label": "进行中",
        "done": 3,
        "total": job.steps_total,
        "percent": 300 // job.steps_total,
        "message": "",
        "finished": False,
        "started_at": timezone.localtime(job.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        "attempts": 1,
    }
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"3/{job.steps_total} 步" in page
    assert "alice-bureau" in client.get("/jobs/").content.decode()
