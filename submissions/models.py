from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from counties.models import Area


class Submission(models.Model):
    """One county's report for one year, and where it stands in the review."""

    class State(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "已提交待审核"
        APPROVED = "approved", "已审核通过（锁定）"
        RETURNED = "returned", "已退回修改"

    area = models.ForeignKey(
        Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="submissions"
    )
    year = models.PositiveSmallIntegerField(
        "年份", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    comment = models.TextField("审核意见", blank=True)
    # Incremented by every confirmed upload or edit: a preview made on an older version cannot
    # be confirmed (no lost update when two people upload at once).
    version = models.PositiveIntegerField("数据版本", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "县区年度填报"
        verbose_name_plural = "县区年度填报"
        ordering = ["-year", "area__order"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_submission_per_area_year"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name}{self.year}年"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED


class SubmissionEvent(models.Model):
    """Every step of the review: submitted, approved, returned, reopened."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        APPROVE = "approve", "审核通过"
        RETURN = "return", "退回修改"
        REOPEN = "reopen", "重新开放"
        RESUME = "resume", "退回后继续填报"
        STANDARD = "standard", "标准变更影响已审核结果"

    submission = models.ForeignKey(
        Submission, verbose_name="填报", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=10, choices=Submission.State.choices)
    to_state = models.CharField("新状态", max_length=10, choices=Submission.State.choices)
    comment = models.TextField("意见或理由", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.get_action_display()}"


class RowsEncoder(DjangoJSONEncoder):
    """JSON of an upload's preview or reports (a dict of str keys to lists of rows) written
    row by row: the same text as json.dumps with the default options, but a large upload's
    needs about twice its length in memory instead of a list of every token (tens of MB for
    20,000 rows). Anything else (other options, other keys) is encoded as json.dumps does."""

    def encode(self, o) -> str:
        plain = (self.indent, self.sort_keys, self.item_separator) == (None, False, ", ")
        if not (plain and isinstance(o, dict) and all(isinstance(k, str) for k in o)):
            return super().encode(o)
        items = []
        for key, value in o.items():
            if isinstance(value, list):
                text = "[" + ", ".join(super(RowsEncoder, self).encode(row) for row in value) + "]"
            else:
                text = super().encode(value)
            items.append(f"{super().encode(key)}: {text}")
        return "{" + ", ".join(items) + "}"


def preview_pack(rows: dict[str, list[dict]]) -> dict:
    """An upload's preview as stored: {"fields": {kind: [name, …]}, kind: [[value, …], …]}
    for each kind ("indicators", "progress") of `rows` (kind → rows, each a dict with the same
    keys as the kind's first row; services._preview_rows makes them so). A large file's
    preview, a row per line, stays a few MB. Raises KeyError for a row lacking a key of the
    first row (keys the first row lacks would be dropped)."""
    packed: dict = {"fields": {}}
    for kind, items in rows.items():
        names = list(items[0]) if items else []
        packed["fields"][kind] = names
        packed[kind] = [[item[name] for name in names] for item in items]
    return packed


def preview_unpack(preview: dict, kind: str) -> list[dict]:
    """The rows of `kind` of a stored preview, each a dict (preview_pack's form, or the older
    list of dicts, returned as it is; [] for a kind it lacks). Raises ValueError for a packed
    row whose length is not that of the kind's field names."""
    rows = preview.get(kind, [])
    names = preview.get("fields", {}).get(kind)
    if names is None:
        return rows
    return [dict(zip(names, row, strict=True)) for row in rows]


class Upload(models.Model):
    """An uploaded spreadsheet, kept with its outcome whatever happened to it."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "待确认"
        CONFIRMED = "confirmed", "已保存"
        REJECTED = "rejected", "有错误，未保存"
        STALE = "stale", "已过期（数据已被更新）"

    submission = models.ForeignKey(
        Submission, verbose_name="填报", on_delete=models.PROTECT, related_name="uploads"
    )
    file = models.FileField("原始文件", upload_to="uploads/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("保存时间", null=True, blank=True)
    status = models.CharField("结果", max_length=10, choices=Status.choices)
    base_version = models.PositiveIntegerField("预览时的数据版本")
    added = models.PositiveIntegerField("新增", default=0)
    changed = models.PositiveIntegerField("修改", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    rejected = models.PositiveIntegerField("有错误的行", default=0)
    filled_by = models.CharField("填表人", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=60, blank=True)
    filled_on = models.CharField("填表日期", max_length=60, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    preview = models.JSONField("预览", default=dict, blank=True, encoder=RowsEncoder)
    # The reports read from the file at the preview (reporting.reports_dump), which its
    # confirmation saves: the file is read once. Emptied once the upload is saved or stale.
    reports = models.JSONField(
        "读取的数据", default=dict, blank=True, editable=False, encoder=RowsEncoder
    )

    class Meta:
        verbose_name = "上传记录"
        verbose_name_plural = "上传记录"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.original_name}"

    def preview_rows(self, kind: str) -> list[dict]:
        """The preview's rows of `kind` ("indicators" or "progress"), each a dict of the
        fields services._preview_rows gives. Stored with the field names once (preview_pack);
        a preview kept before that as a list of dicts reads the same."""
        return preview_unpack(self.preview, kind)


class ReportRow(models.Model):
    """What is about one row of an area-year's report: an indicator value or a project
    progress row (exactly one of the two, see row_constraint)."""

    area = models.ForeignKey(
        Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年份")
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name="指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investment_row = models.ForeignKey(
        "projects.InvestmentRow",
        verbose_name="投资明细",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def row_label(self) -> str:
        """ "编码 指标" or the project row, for pages (select_related the row first)."""
        return str(self.indicator) if self.indicator_id else str(self.investment_row)


def row_constraint(name: str) -> models.CheckConstraint:
    """Exactly one of indicator and investment_row (a ReportRow's)."""
    return models.CheckConstraint(
        name=name,
        condition=models.Q(indicator__isnull=False, investment_row__isnull=True)
        | models.Q(indicator__isnull=True, investment_row__isnull=False),
    )


class ValueChange(ReportRow):
    """One changed field of an indicator value or a project progress record: who, when, old →
    new, and through which upload or edit."""

    class Via(models.TextChoices):
        """The route a change came through (every route goes through services.report_save)."""

        UPLOAD = "upload", "上传表格"
        FORM = "form", "网页填报"
        ADMIN = "admin", "后台修改"
        ADMIN_IMPORT = "import", "后台导入"
        COMMAND = "command", "命令行导入"
        DEMO = "demo", "演示数据"
        SEED = "seed", "规划数据"

    field = models.CharField("字段", max_length=40)
    old = models.TextField("原值", blank=True)
    new = models.TextField("新值", blank=True)
    via = models.CharField("途径", max_length=10, choices=Via.choices)
    comment = models.TextField("说明", blank=True, help_text="撤回的理由等")
    upload = models.ForeignKey(
        Upload,
        verbose_name="上传记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    evidence = models.ForeignKey(
        "Evidence",
        verbose_name="佐证材料",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"
        ordering = ["-changed_at", "-pk"]
        constraints = [
            row_constraint("change_is_for_a_value_or_a_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.field}: {self.old} → {self.new}"


class ReportingPeriod(models.Model):
    """A reporting year's dates, set by the bureau: when the counties' reports are due, and
    optionally after which date county changes are closed."""

    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    due_on = models.DateField("报送截止日期")
    closes_on = models.DateField("关闭日期", null=True, blank=True, help_text="之后县区不能再修改")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "填报期限"
        verbose_name_plural = "填报期限"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="period_closes_after_due",
                condition=models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("due_on")),
                violation_error_message="关闭日期不能早于报送截止日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年：{self.due_on:%Y-%m-%d}前报送"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A generated name under MEDIA_ROOT/evidence/<area code>/<year>/: the county's own file
    name is kept in the record only (it may hold anything a path must not)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{instance.area.code}/{instance.year}/{uuid.uuid4().hex}{suffix}"


class Evidence(ReportRow):
    """A supporting document (佐证材料) attached to one area-year's indicator value or project
    progress row. Never removed: a deletion marks it deleted (who, when), the file stays for the
    history; written only by services.evidence_attach / evidence_delete."""

    class Kind(models.TextChoices):
        """The file types accepted, told by content (submissions/evidence.py), not by name."""

        PDF = "pdf", "PDF 文档"
        JPG = "jpg", "JPG 图片"
        PNG = "png", "PNG 图片"
        XLSX = "xlsx", "Excel 工作簿（.xlsx）"
        DOCX = "docx", "Word 文档（.docx）"

    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("类型", max_length=5, choices=Kind.choices)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            row_constraint("evidence_is_for_a_value_or_a_progress"),
        ]
        indexes = [models.Index(fields=["area", "year"], name="evidence_area_year")]

    def __str__(self) -> str:
        return f"{self.area.name}{self.year}年 {self.original_name}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def size_label(self) -> str:
        from .evidence import size_text

        return size_text(self.size)


class Question(ReportRow):
    """A reviewer's question on one value or project row of an area-year (DHIS2's "follow-up"):
    the county answers, with a changed value or a note; an unanswered question blocks the
    year's approval. Who asked, answered, followed up and closed, and when, is kept: the
    question and its replies are only ever added to, never edited."""

    class State(models.TextChoices):
        OPEN = "open", "待县区答复"
        ANSWERED = "answered", "已答复待确认"
        CLOSED = "closed", "已关闭"

    text = models.TextField("质询内容")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField("提出时间", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关闭人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closing_note = models.TextField("关闭说明", blank=True)

    class Meta:
        verbose_name = "数值质询"
        verbose_name_plural = "数值质询"
        ordering = ["asked_at", "pk"]
        indexes = [models.Index(fields=["area", "year", "state"], name="question_area_year_state")]
        constraints = [row_constraint("question_is_for_a_value_or_a_progress")]

    def __str__(self) -> str:
        return f"{self.area} {self.year} 质询：{self.text[:30]}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class QuestionReply(models.Model):
    """An answer by the county, or a reviewer's follow-up, on a question."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "答复"
        FOLLOW_UP = "follow_up", "追问"

    question = models.ForeignKey(
        Question, verbose_name="质询", on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    text = models.TextField("内容")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    via = models.CharField(
        "途径", max_length=10, choices=ValueChange.Via.choices, default=ValueChange.Via.FORM
    )

    class Meta:
        verbose_name = "质询答复"
        verbose_name_plural = "质询答复"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:30]}"
