from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from counties.models import Area
from indicators.models import Domain, Indicator


class ProjectGroup(models.Model):
    """A key project group of Table 2 (a numbered row of a domain)."""

    domain = models.ForeignKey(
        Domain, verbose_name="领域", on_delete=models.PROTECT, related_name="project_groups"
    )
    order = models.PositiveSmallIntegerField("排序")
    # As printed: 生态安全 prints "8" twice, so the printed number is not a key.
    number = models.CharField("序号（原文）", max_length=5)
    name = models.TextField("项目名称")
    source_line = models.PositiveIntegerField("规划文本行号", null=True, blank=True)
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name="保障指标",
        through="ProjectIndicatorLink",
        related_name="project_groups",
        blank=True,
    )

    class Meta:
        verbose_name = "重点工程"
        verbose_name_plural = "重点工程"
        ordering = ["domain__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "order"], name="one_group_per_domain_order"),
        ]

    def __str__(self) -> str:
        return f"{self.domain.name}{self.number} {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name.replace("\n", "")

    @property
    def total_amount(self) -> Decimal | None:
        """Sum of the printed amounts of its rows (uses prefetched rows); None when every
        amount is `--` or merged."""
        amounts = [row.amount for row in self.rows.all() if row.amount is not None]
        return sum(amounts, Decimal("0")) if amounts else None


class InvestmentRow(models.Model):
    """One printed row of a project group in Table 2: an amount, a place, years, funding.

    The `*_printed` and text fields hold the cells exactly as printed (blank where the Word
    table merged the cell with the row above). The resolved fields below them are derived on
    loading: merged cells filled from the row above, the place resolved to counties, the
    funding classified. Staff may correct a resolution; `resolution_locked` then keeps it.
    """

    class AmountKind(models.TextChoices):
        GIVEN = "given", "已列金额"
        NOT_GIVEN = "not_given", "未列金额（--）"
        MERGED = "merged", "与上行合并"

    class FundingKind(models.TextChoices):
        GOVERNMENT = "government", "政府投资"
        ENTERPRISE = "enterprise", "企业投资"
        MIXED = "mixed", "政府与企业"
        UNKNOWN = "unknown", "未注明"

    class Scope(models.TextChoices):
        COUNTIES = "counties", "县（市、区）"
        CITY = "city", "全市（不分县）"
        PARTIAL = "partial", "部分无法识别"
        UNRESOLVED = "unresolved", "无法识别"

    group = models.ForeignKey(
        ProjectGroup, verbose_name="重点工程", on_delete=models.CASCADE, related_name="rows"
    )
    order = models.PositiveSmallIntegerField("行序")
    subcategory = models.CharField("子类（原文）", max_length=60, blank=True)
    content = models.TextField("建设内容（原文）", blank=True)
    benefit = models.TextField("效益分析（原文）", blank=True)
    amount_printed = models.CharField("投资概算（原文）", max_length=20, blank=True)
    amount = models.DecimalField(
        "投资概算（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    amount_kind = models.CharField("金额类型", max_length=10, choices=AmountKind.choices)
    place = models.TextField("实施地点（原文）", blank=True)
    place_detail = models.TextField("地点细目（原文）", blank=True)
    years_printed = models.CharField("实施年限（原文）", max_length=20, blank=True)
    funding_source_printed = models.CharField("资金来源（原文）", max_length=60, blank=True)
    responsible_unit_printed = models.CharField("负责推进单位（原文）", max_length=60, blank=True)
    source_line = models.PositiveIntegerField("规划文本行号", null=True, blank=True)

    first_year = models.PositiveSmallIntegerField("起始年", null=True, blank=True)
    last_year = models.PositiveSmallIntegerField("结束年", null=True, blank=True)
    funding_source = models.CharField("资金来源", max_length=60, blank=True)
    funding_kind = models.CharField(
        "投资类型", max_length=10, choices=FundingKind.choices, default=FundingKind.UNKNOWN
    )
    responsible_unit = models.CharField("负责推进单位", max_length=60, blank=True)
    scope = models.CharField(
        "地点识别", max_length=10, choices=Scope.choices, default=Scope.UNRESOLVED
    )
    counties = models.ManyToManyField(
        Area, verbose_name="涉及县（市、区）", related_name="investment_rows", blank=True
    )
    resolution_note = models.CharField("识别说明", max_length=200, blank=True)
    resolution_locked = models.BooleanField(
        "人工核定", default=False, help_text="勾选后重新加载规划数据不会覆盖此行的识别结果"
    )

    class Meta:
        verbose_name = "投资明细"
        verbose_name_plural = "投资明细"
        ordering = ["group__domain__order", "group__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "order"], name="one_row_per_group_order"),
            models.CheckConstraint(
                name="investment_amount_non_negative",
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                violation_error_message="投资金额不能为负数",
            ),
            models.CheckConstraint(
                name="investment_amount_iff_given",
                condition=models.Q(amount_kind="given", amount__isnull=False)
                | (~models.Q(amount_kind="given") & models.Q(amount__isnull=True)),
                violation_error_message="只有“已列金额”的行才有金额",
            ),
            models.CheckConstraint(
                name="investment_years_ordered",
                condition=models.Q(first_year__isnull=True)
                | models.Q(last_year__isnull=True)
                | models.Q(first_year__lte=models.F("last_year")),
                violation_error_message="起始年不能晚于结束年",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} 第{self.order}行"

    @property
    def years_text(self) -> str:
        """The resolved implementation years: `2024` or `2023-2025` (blank when unknown)."""
        if self.first_year is None:
            return ""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}-{self.last_year}"


class ProjectIndicatorLink(models.Model):
    """An indicator that a project group's benefit text (效益分析) names."""

    group = models.ForeignKey(ProjectGroup, verbose_name="重点工程", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE)
    phrase = models.CharField("匹配的原文", max_length=60)

    class Meta:
        verbose_name = "工程与指标关联"
        verbose_name_plural = "工程与指标关联"
        constraints = [
            models.UniqueConstraint(fields=["group", "indicator"], name="one_link_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.indicator.code}"


class ProjectProgress(models.Model):
    """A county's yearly report on one investment row that covers it (shared rows are reported
    by each county they cover)."""

    class Status(models.TextChoices):
        NOT_STARTED = "未开工", "未开工"
        IN_PROGRESS = "在建", "在建"
        COMPLETED = "已完工", "已完工"
        CANCELLED = "已取消", "已取消"

    investment_row = models.ForeignKey(
        InvestmentRow, verbose_name="投资明细", on_delete=models.PROTECT, related_name="progress"
    )
    area = models.ForeignKey(
        Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="project_progress"
    )
    year = models.PositiveSmallIntegerField("年份")
    status = models.CharField("进展状态", max_length=4, choices=Status.choices)
    completed_amount = models.DecimalField(
        "累计完成投资（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.TextField("备注", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        "auth.User",
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "项目进展"
        verbose_name_plural = "项目进展"
        ordering = ["area__order", "year", "investment_row"]
        constraints = [
            models.UniqueConstraint(
                fields=["investment_row", "area", "year"],
                name="one_progress_per_row_area_year",
                violation_error_message="该县该年度已有此投资明细的进展",
            ),
            models.CheckConstraint(
                name="progress_amount_non_negative",
                condition=models.Q(completed_amount__isnull=True)
                | models.Q(completed_amount__gte=0),
                violation_error_message="累计完成投资不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.investment_row}"
