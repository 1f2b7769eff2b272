"""The queued task (django-tasks): a job id; the work and its state are jobs.services'."""

from django_tasks import task


@task()
def run_job_task(job_id: int) -> int:
    """Run the background job `job_id` to its end; returns the steps done."""
    from .services import run_job

    return run_job(job_id).steps_done
