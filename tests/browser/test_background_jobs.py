"""The bureau starts a full rebuild and watches its progress bar move without reloading the
page while the steps run (here in the test process, as the worker would); a county officer is
refused the jobs' pages."""

import pytest
from playwright.sync_api import expect

from counties.models import Area
from counties.roles import Role
from counties.services import user_create
from jobs.models import BackgroundJob
from jobs.services import run_job, start_rebuild

from .conftest import PASSWORD, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def many_steps(settings):
    # two areas a step: the plan's 14 areas make several steps a year
    settings.JOBS_REBUILD_AREAS_PER_STEP = 2


def test_it_shows_a_rebuild_progress_as_its_steps_run(page, many_steps):
    user_create(username="alice", password=PASSWORD, role=Role.BUREAU, full_name="李科长")
    log_in(page, "alice")
    page.get_by_role("link", name="后台任务").click()
    expect(page.get_by_role("heading", name="后台任务")).to_be_visible()
    expect(page.locator("#jobs tbody")).to_contain_text("尚无后台任务")
    page.get_by_role("button", name="重新计算全部考核结果").click()

    job = BackgroundJob.objects.get()
    expect(page).to_have_url(f"/jobs/{job.pk}/")
    expect(page.get_by_role("heading", name="重新计算全部考核结果")).to_be_visible()
    expect(page.locator("#job-state")).to_have_text("排队中")
    expect(page.locator("#job-count")).to_have_text("准备中")
    expect(page.locator("#jobs-banner")).to_contain_text(
        "后台任务进行中：重新计算全部考核结果；完成前，页面上的部分考核结果可能尚未更新。"
    )
    expect(page.locator("#jobs-banner").get_by_role("link", name="查看进度")).to_be_visible()
    expect(page.locator(".job-times")).to_contain_text("李科长")
    screenshot(page, "60-job-queued")

    job = run_job(job.pk, limit=2)
    total = job.steps_total
    assert (job.state, job.steps_done) == ("running", 2)
    assert total > 2
    # jobs.js polls every two seconds: the page changes with no reload
    expect(page.locator("#job-count")).to_have_text(f"2/{total} 步（{200 // total}%）")
    expect(page.locator("#job-state")).to_have_text("进行中")
    expect(page.locator("#jobs-banner")).to_contain_text(f"（2/{total} 步）；完成前")
    expect(page.locator("#job-started")).not_to_contain_text("等待后台进程")
    progress = page.locator("#job-progress")
    expect(progress).to_have_attribute("max", str(total))
    assert progress.evaluate("bar => bar.value") == 2
    screenshot(page, "61-job-running")

    job = run_job(job.pk)
    assert (job.state, job.steps_done) == ("done", total)
    expect(page.locator("#job-state")).to_have_text("已完成")
    expect(page.locator("#job-count")).to_have_text(f"{total}/{total} 步（100%）")
    expect(page.locator("#job-message")).to_have_text(f"已重新计算全部考核结果（{total} 步）")
    assert progress.evaluate("bar => bar.value === bar.max")
    expect(page.locator("#job")).to_have_attribute("data-finished", "1")
    expect(page.locator("#jobs-banner")).to_have_count(0)  # the job page's own banner goes
    screenshot(page, "62-job-done")

    # On a phone the bar, the count and the state fit the screen, with no sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    for part in ("#job-progress", "#job-count", "#job-state", "#job-message"):
        box = page.locator(part).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, part
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "64-job-done-phone", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_role("link", name="← 全部后台任务").click()
    expect(page.locator("#jobs-banner")).to_have_count(0)
    row = page.locator(f'#jobs tr[data-job="{job.pk}"]')
    expect(row).to_contain_text("已完成")
    expect(row).to_contain_text(f"{total}/{total}")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "65-jobs-list-phone", full_page=True)


def test_it_refuses_the_jobs_pages_to_a_county_officer(page):
    job = start_rebuild()
    area = Area.objects.get(code="141122")
    user_create(username="bob", password=PASSWORD, role=Role.COUNTY, area=area)
    log_in(page, "bob")
    expect(page.get_by_role("link", name="后台任务")).to_have_count(0)
    # the banner tells everyone that results may lag, but only the bureau gets the link
    expect(page.locator("#jobs-banner")).to_contain_text("后台任务进行中：重新计算全部考核结果")
    expect(page.locator("#jobs-banner").get_by_role("link")).to_have_count(0)
    for path in ("/jobs/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/state.json"):
        response = page.goto(path)
        assert response.status == 403, path
    page.goto(f"/jobs/{job.pk}/")
    expect(page.locator("body")).to_contain_text("后台任务仅供市生态环境局工作人员查看和发起")
    screenshot(page, "63-jobs-refused-county")
    # a POST with a valid CSRF token is refused too, and starts nothing once no rebuild is
    # active (while one is, start_rebuild would return it rather than start another)
    run_job(job.pk)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    posted = page.request.post(
        "/jobs/rebuild/", headers={"X-CSRFToken": token, "Referer": page.url}
    )
    assert posted.status == 403
    assert "后台任务仅供市生态环境局工作人员查看和发起" in posted.text()
    assert BackgroundJob.objects.count() == 1
