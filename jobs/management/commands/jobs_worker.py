"""The background worker: django-tasks' database worker, which first re-queues the jobs a
stopped worker left (jobs.services.recover_jobs) and keeps doing so while it runs, so that a
job survives a restart of its worker or of the machine."""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from jobs.services import recover_jobs

logger = logging.getLogger("jobs")


def _recovering(interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            recover_jobs()
        except Exception:  # a locked SQLite file, a lost connection: try again next time
            logger.exception("后台任务恢复检查失败，稍后重试")
        finally:
            close_old_connections()


class Command(db_worker.Command):
    help = "运行后台任务（重新计算考核结果、后台导入）；启动时继续上次中断的任务"

    def handle(self, *args, **options):
        recovered = recover_jobs()
        if recovered:
            self.stdout.write(f"继续中断的后台任务：{', '.join(map(str, recovered))}")
        close_old_connections()
        interval = max(settings.JOBS_LEASE_SECONDS / 2, 1)
        threading.Thread(target=_recovering, args=(interval,), daemon=True).start()
        return super().handle(*args, **options)
