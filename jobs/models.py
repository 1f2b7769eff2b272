"""Long work run in the background (a full rebuild of the stored results, a large admin
import), in steps, with its progress and state kept in the database so that it survives a
worker restart. The queue is django-tasks' database backend (django_tasks_db); this model is
what the bureau sees: what runs, how far it is, how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BackgroundJob(models.Model):
    class Kind(models.TextChoices):
        REBUILD = "rebuild", "重新计算全部考核结果"
        IMPORT = "import", "后台导入"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    title = models.CharField("任务", max_length=200)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.QUEUED)
    steps_total = models.PositiveIntegerField("总步数", default=0)
    steps_done = models.PositiveIntegerField("已完成步数", default=0)
    # the steps, fixed before the first runs: rebuild [[year, [area ids]], ...]; import
    # [[row index, ...], ...] (one area-year each)
    plan = models.JSONField("步骤", default=list, blank=True)
    # what the steps need: import {"resource", "headers", "rows", "file_name"}
    payload = models.JSONField("数据", default=dict, blank=True)
    message = models.TextField("结果说明", blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    attempts = models.PositiveIntegerField("启动次数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 before the steps are known)."""
        if not self.steps_total:
            return 100 if self.state == self.State.DONE else 0
        return self.steps_done * 100 // self.steps_total

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE
