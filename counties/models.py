from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

CITY_CODE = "141100"


class AreaQuerySet(models.QuerySet):
    def counties(self) -> AreaQuerySet:
        return self.exclude(kind=Area.Kind.CITY).order_by("order")


class Area(models.Model):
    """The city (141100) or one of its 13 county-level divisions."""

    class Kind(models.TextChoices):
        CITY = "city", "地级市"
        DISTRICT = "district", "市辖区"
        COUNTY = "county", "县"
        COUNTY_CITY = "county_city", "县级市"

    class Terrain(models.TextChoices):
        # The plan's own grouping (一（一）1（2）地形地貌), used for terrain-specific bars.
        MOUNTAIN = "中山区", "中山区"
        HILL = "丘陵区", "丘陵区"
        PLAIN = "平川区", "平川区"

    class ClimateZone(models.TextChoices):
        # The national standard's climate zones for bars such as 林草覆盖率 (10.1 prints the
        # city's as 半湿润地区); a county's zone is set by staff, the plan does not give it.
        HUMID = "湿润地区", "湿润地区"
        SEMI_HUMID = "半湿润地区", "半湿润地区"
        SEMI_ARID = "半干旱地区", "半干旱地区"
        ARID = "干旱地区", "干旱地区"

    code = models.CharField(
        "行政区划代码",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字")],
    )
    name = models.CharField("名称", max_length=20, unique=True)
    short_name = models.CharField("简称", max_length=10, unique=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    terrain = models.CharField("地形分区", max_length=6, choices=Terrain.choices, blank=True)
    climate_zone = models.CharField(
        "气候分区", max_length=6, choices=ClimateZone.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区"
        verbose_name_plural = "行政区"
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                name="area_city_has_no_parent",
                condition=(models.Q(kind="city", parent__isnull=True))
                | (~models.Q(kind="city") & models.Q(parent__isnull=False)),
                violation_error_message="地级市不能有上级，县级行政区必须有上级",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.kind == self.Kind.CITY


class CountyAssignment(models.Model):
    """Binds a county officer's login to the one county whose data they report."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="county_assignment",
    )
    area = models.ForeignKey(
        Area,
        verbose_name="所属县（市、区）",
        on_delete=models.PROTECT,
        related_name="officers",
        limit_choices_to=~models.Q(kind="city"),
    )

    class Meta:
        verbose_name = "县区分局用户"
        verbose_name_plural = "县区分局用户"

    def __str__(self) -> str:
        return f"{self.user} → {self.area}"


class PlanGoal(models.Model):
    """A goal the plan sets for the counties (二（五）具体目标): a share of the 13 by a year."""

    class Kind(models.TextChoices):
        PLAN_PUBLISHED = "plan_published", "规划发布实施"
        STANDARD_REACHED = "standard_reached", "达到建设标准"
        CREATION_COMPLETED = "creation_completed", "完成创建"
        CITY_STANDARD = "city_standard", "全市达到建设标准"

    year = models.PositiveSmallIntegerField("年份")
    kind = models.CharField("目标", max_length=20, choices=Kind.choices)
    share = models.DecimalField(
        "县（市、区）比例", max_digits=3, decimal_places=2, help_text="0–1；全市目标为 1"
    )
    quote = models.CharField("原文", max_length=200)

    class Meta:
        verbose_name = "规划目标"
        verbose_name_plural = "规划目标"
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_goal_per_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_kind_display()} {self.share:.0%}"


class Milestone(models.Model):
    """A dated step of an area toward the title: its plan published, the construction standard
    reached, the creation completed (officially named)."""

    class Kind(models.TextChoices):
        PLAN_PUBLISHED = "plan_published", "规划发布实施"
        STANDARD_REACHED = "standard_reached", "达到建设标准"
        CREATION_COMPLETED = "creation_completed", "完成创建（命名）"

    class Source(models.TextChoices):
        SEED = "seed", "规划文本"
        MANUAL = "manual", "市局录入"
        DEMO = "demo", "演示数据"

    area = models.ForeignKey(
        Area, verbose_name="行政区", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    planned_year = models.PositiveSmallIntegerField("计划年份", null=True, blank=True)
    achieved_on = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.MANUAL)
    achieved_is_demo = models.BooleanField(
        "完成日期为演示数据", default=False, help_text="clear_demo 会清除演示的完成日期"
    )

    class Meta:
        verbose_name = "创建进程"
        verbose_name_plural = "创建进程"
        ordering = ["area__order", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind"], name="one_milestone_per_area_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.get_kind_display()}"
