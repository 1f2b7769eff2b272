from __future__ import annotations

import json
import sys
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from counties.models import Area

from .rules import describe_rule, validate_rule


def rule_errors(**rules) -> dict[str, list[str]]:
    """Chinese validation messages for each rule field that holds a malformed rule."""
    errors = {}
    for name, rule in rules.items():
        if rule is not None:
            messages = validate_rule(rule)
            if messages:
                errors[name] = messages
    return errors


class Domain(models.Model):
    """One of the plan's six domains (领域), shared by Table 1 and Table 2."""

    order = models.PositiveSmallIntegerField("序号", unique=True)
    name = models.CharField("领域", max_length=10, unique=True)

    class Meta:
        verbose_name = "领域"
        verbose_name_plural = "领域"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class TaskArea(models.Model):
    """One of the ten task areas of Table 1, numbered （一）…（十）."""

    order = models.PositiveSmallIntegerField("序号", unique=True)
    number = models.CharField("编号", max_length=5, unique=True)
    name = models.CharField("任务", max_length=40)
    domain = models.ForeignKey(
        Domain, verbose_name="领域", on_delete=models.PROTECT, related_name="tasks"
    )

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.number}{self.name}"


def _interned(pairs: list[tuple[str, object]]) -> dict:
    return {
        sys.intern(key): sys.intern(value) if isinstance(value, str) and len(value) <= 20 else value
        for key, value in pairs
    }


class RuleDecoder(json.JSONDecoder):
    """Reads a rule (rules.py) with its keys and short texts interned: rules are read by the
    thousand (every indicator of a large catalogue, twice in a confirmation) and are mostly
    alike, so equal parts are held once. The rule reads the same."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("object_pairs_hook", _interned)
        super().__init__(**kwargs)


class Indicator(models.Model):
    """An indicator of Table 1 (numbered 1–40) or one of its sub-indicators (unnumbered rows).

    Sub-indicators carry a code of ours (7.1, 7.2 …) because the document prints no number for
    them; every text field holds the cell exactly as printed.
    """

    class Attribute(models.TextChoices):
        BINDING = "约束性", "约束性"
        REFERENCE = "参考性", "参考性"

    code = models.CharField("编码", max_length=6, unique=True)
    number = models.PositiveSmallIntegerField("序号", null=True, blank=True, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subs",
    )
    task = models.ForeignKey(
        TaskArea, verbose_name="任务", on_delete=models.PROTECT, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField("排序", unique=True)
    name = models.TextField("指标名称")
    unit = models.CharField("单位", max_length=20, blank=True)
    standard = models.TextField("指标值", blank=True)
    target_2025 = models.TextField("2025年规划目标", blank=True)
    target_2030 = models.TextField("2030年规划目标", blank=True)
    attribute = models.CharField("指标属性", max_length=3, choices=Attribute.choices, blank=True)
    note = models.CharField("备注", max_length=40, blank=True)

    class Direction(models.TextChoices):
        UP = "up", "越大越好"
        DOWN = "down", "越小越好"

    good_direction = models.CharField(
        "改善方向", max_length=4, choices=Direction.choices, default=Direction.UP
    )
    standard_rule = models.JSONField(
        "指标值判定规则",
        null=True,
        blank=True,
        help_text="由“指标值”原文生成或人工设定；子指标为空时沿用上级指标的规则",
        decoder=RuleDecoder,
    )
    target_2025_rule = models.JSONField(
        "2025年目标规则", null=True, blank=True, decoder=RuleDecoder
    )
    target_2030_rule = models.JSONField(
        "2030年目标规则", null=True, blank=True, decoder=RuleDecoder
    )
    rule_note = models.CharField("规则说明", max_length=200, blank=True)
    rule_locked = models.BooleanField(
        "规则已人工核定",
        default=False,
        help_text="市局在后台修改规则后自动勾选：重新加载规划数据不会覆盖此指标的规则",
    )
    plausible_change_percent = models.DecimalField(
        "合理变化幅度（%）",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="与上年相比超过此幅度的数值提示核实；留空按±50%",
    )
    benefit_aliases = models.CharField(
        "效益分析中的别称",
        max_length=200,
        blank=True,
        help_text="用“|”分隔；重点工程效益分析提到这些词时关联到本指标",
    )
    source_line = models.PositiveIntegerField("规划文本行号", null=True, blank=True)
    is_condition = models.BooleanField(
        "适用条件行",
        default=False,
        help_text="规划把全市标准的适用条件印成了子指标行（10.1 半湿润地区，"
        "11.1 山区、丘陵区占比）：它不是子指标，县区按所属分区的标准判定",
    )

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["order"]
        constraints = [
            # A numbered indicator is top-level and has its attribute; a sub-indicator has
            # neither number nor attribute of its own (it takes its parent's).
            models.CheckConstraint(
                name="indicator_number_iff_top_level",
                condition=models.Q(parent__isnull=True, number__isnull=False)
                | models.Q(parent__isnull=False, number__isnull=True, attribute=""),
                violation_error_message="一级指标须有序号，子指标不能有序号和属性",
            ),
            models.CheckConstraint(
                name="indicator_top_level_has_attribute",
                condition=models.Q(parent__isnull=False) | ~models.Q(attribute=""),
                violation_error_message="一级指标须注明约束性或参考性",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name on one line: 26 prints its two branches on separate lines."""
        lines = self.name.split("\n")
        text = lines[0]
        for line in lines[1:]:
            joiner = "" if text.endswith(("：", "，", "、")) or line.startswith("（") else "，"
            text += joiner + line
        return text

    @property
    def effective_rule(self) -> dict | None:
        """The printed standard's rule: the indicator's own, else its parent's (a sub-indicator
        without a standard of its own, 7.1, takes its parent's). An area's own or its group's
        bar comes first: see indicators/standards.py."""
        parent = self.parent if self.parent_id else None
        return self.standard_rule or (parent.standard_rule if parent else None)

    @property
    def effective_standard(self) -> str:
        """The printed standard's text, likewise the indicator's own or its parent's."""
        parent = self.parent if self.parent_id else None
        return self.standard or (parent.standard if parent else "")

    @property
    def label(self) -> str:
        """How reasons and the template name the row: a condition row (10.1, 11.1) is its
        parent's value under that condition, not a sub-indicator of its own."""
        if self.is_condition and self.parent_id:
            return f"{self.parent.display_name}（全市标准的适用条件：{self.display_name}）"
        return self.display_name

    @property
    def is_binding(self) -> bool:
        top = self.parent if self.parent_id else self
        return top.attribute == self.Attribute.BINDING

    def aliases(self) -> list[str]:
        return [a for a in self.benefit_aliases.split("|") if a]

    def clean(self) -> None:
        errors = rule_errors(
            standard_rule=self.standard_rule,
            target_2025_rule=self.target_2025_rule,
            target_2030_rule=self.target_2030_rule,
        )
        if errors:
            raise ValidationError(errors)

    @property
    def standard_description(self) -> str:
        return describe_rule(self.standard_rule)


class StandardOverride(models.Model):
    """An area's own bar for an indicator (a terrain or climate-zone standard), replacing the
    indicator's standard wherever that area is assessed."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="overrides"
    )
    area = models.ForeignKey(
        Area, verbose_name="行政区", on_delete=models.CASCADE, related_name="standard_overrides"
    )
    standard = models.CharField("指标值（本地区）", max_length=100)
    rule = models.JSONField("判定规则")
    reason = models.CharField("依据", max_length=200)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "地区指标值"
        verbose_name_plural = "地区指标值"
        ordering = ["indicator__order", "area__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area"],
                name="one_override_per_indicator_area",
                violation_error_message="该行政区已有此指标的地区指标值",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.indicator.code}：{self.standard}"

    def clean(self) -> None:
        errors = rule_errors(rule=self.rule)
        if errors:
            raise ValidationError(errors)


class GroupStandard(models.Model):
    """The bar of an indicator for a group of areas: a terrain group of the plan (中山区, 丘陵区,
    平川区) or a climate zone (半湿润地区 …), as the national standard sets bars per terrain or
    climate zone. Staff maintain it with the source they cite; it applies to every county of
    the group that has no bar of its own (StandardOverride), in place of the city's blended
    bar. Exactly one of `terrain` and `climate_zone` is set."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="group_standards"
    )
    terrain = models.CharField("地形分区", max_length=6, choices=Area.Terrain.choices, blank=True)
    climate_zone = models.CharField(
        "气候分区", max_length=6, choices=Area.ClimateZone.choices, blank=True
    )
    standard = models.CharField("指标值（本分区）", max_length=100)
    rule = models.JSONField("判定规则")
    source = models.CharField("依据", max_length=200, help_text="引用的标准文件及条款")

    class Meta:
        verbose_name = "分区指标值"
        verbose_name_plural = "分区指标值"
        ordering = ["indicator__order", "terrain", "climate_zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "terrain", "climate_zone"],
                name="one_group_standard_per_indicator_group",
                violation_error_message="该分区已有此指标的分区指标值",
            ),
            models.CheckConstraint(
                name="group_standard_has_one_group",
                condition=(models.Q(terrain="") & ~models.Q(climate_zone=""))
                | (~models.Q(terrain="") & models.Q(climate_zone="")),
                violation_error_message="地形分区和气候分区须填且只填一项",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.indicator.code}：{self.standard}"

    @property
    def group(self) -> str:
        """The group's name as people say it: 丘陵区, 半湿润地区."""
        return self.terrain or self.climate_zone

    def clean(self) -> None:
        errors = rule_errors(rule=self.rule)
        if bool(self.terrain) == bool(self.climate_zone):
            errors["climate_zone"] = ["地形分区和气候分区须填且只填一项"]
        elif self.indicator_id:
            # An indicator's bars follow one grouping, as the national standard sets them.
            other = {"terrain": ""} if self.terrain else {"climate_zone": ""}
            mixed = GroupStandard.objects.filter(indicator_id=self.indicator_id, **other)
            if mixed.exclude(pk=self.pk).exists():
                errors["climate_zone"] = ["同一指标的分区指标值只能按地形分区或按气候分区之一设定"]
        if errors:
            raise ValidationError(errors)


class ConstructionStandardRule(models.Model):
    """When an area reaches the demonstration-zone construction standard (达到建设标准).

    The plan does not spell the rule out and the ministry has revised it (2019, 2021, 2024):
    the default is every binding indicator met and at least 80% of the reference indicators,
    and staff may change the share. One row (pk 1), created by a data migration."""

    reference_min_share = models.DecimalField(
        "参考性指标达标比例下限",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="0–1 之间，例如 0.80 表示 80%",
    )
    basis = models.CharField(
        "依据",
        max_length=200,
        default="规划未明确此规则，此为默认设定，市局可在后台调整",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "建设标准判定规则"
        verbose_name_plural = "建设标准判定规则"

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        return (
            f"约束性指标全部达标，且参考性指标达标比例不低于{self.reference_min_share * 100:.0f}%"
        )


class IndicatorValue(models.Model):
    """An area's value of one indicator (or sub-indicator) for one year."""

    class Judgement(models.TextChoices):
        MET = "met", "已达标"
        NOT_MET = "not_met", "未达标"

    class Source(models.TextChoices):
        SEED = "seed", "规划文本"
        UPLOAD = "upload", "县区上传"
        MANUAL = "manual", "手工录入"
        DEMO = "demo", "演示数据"

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values"
    )
    area = models.ForeignKey(
        Area, verbose_name="行政区", on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(
        "年份", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    value_text = models.TextField("现状值（原文）", blank=True)
    number = models.DecimalField("数值", max_digits=16, decimal_places=4, null=True, blank=True)
    state = models.CharField("状态", max_length=40, blank=True)
    flag = models.BooleanField("是/否", null=True, blank=True)
    judgement = models.CharField(
        "记录的达标情况", max_length=8, choices=Judgement.choices, blank=True
    )
    judgement_printed = models.CharField("达标情况（原文）", max_length=10, blank=True)
    note = models.TextField("备注", blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    source_detail = models.CharField("来源说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        ordering = ["area__order", "year", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year"],
                name="one_value_per_indicator_area_year",
                violation_error_message="该行政区该年度已有此指标的数值",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.indicator.code}"


class DeclaredFigure(models.Model):
    """A figure the document declares (a count in the text, a Table 3 cell), kept as printed so
    that `reconcile` can hold it against what the rows add up to."""

    key = models.CharField("键", max_length=60, unique=True)
    value = models.DecimalField("声明值", max_digits=16, decimal_places=2)
    unit = models.CharField("单位", max_length=10)
    source = models.CharField("出处", max_length=60)
    quote = models.CharField("原文", max_length=200)

    class Meta:
        verbose_name = "规划声明数字"
        verbose_name_plural = "规划声明数字"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}{self.unit}"


class StatedFigure(models.Model):
    """A figure the document states about an indicator outside Table 1 (in its text, or in Table
    2's benefit column, `保障指标…`), kept as printed with its line, so that `reconcile` can
    hold it against Table 1. `compare` (ours) names what of Table 1 it states; a figure of
    another measure or scope (`scope`) is listed, not compared."""

    class Kind(models.TextChoices):
        VALUE = "value", "数值"
        BAR = "bar", "标准或目标"
        CHANGE = "change", "较上年变化"

    class Compare(models.TextChoices):
        VALUE = "value", "表1现状值"
        VALUE_TEXT = "value_text", "表1现状值文字中的数字"
        STANDARD = "standard", "表1指标值"
        TARGET_2025 = "target_2025", "表1 2025年目标"
        TARGET_2030 = "target_2030", "表1 2030年目标"
        NONE = "", "不比对（口径不同）"

    line = models.PositiveIntegerField("行号")
    source = models.CharField("出处", max_length=80)
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="stated_figures"
    )
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    op = models.CharField("比较符", max_length=2, blank=True)
    value = models.DecimalField("数值", max_digits=16, decimal_places=4)
    unit = models.CharField("单位", max_length=20, blank=True)
    quote = models.CharField("原文", max_length=200)
    compare = models.CharField("比对对象", max_length=12, choices=Compare.choices, blank=True)
    scope = models.CharField("口径", max_length=60, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "正文所述指标数字"
        verbose_name_plural = "正文所述指标数字"
        ordering = ["line", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "indicator", "quote"],
                name="one_stated_figure_per_quote",
                violation_error_message="同一行同一指标的同一段原文只能登记一次",
            ),
            models.CheckConstraint(
                name="stated_figure_compared_or_scoped",
                condition=(models.Q(compare="") & ~models.Q(scope=""))
                | (~models.Q(compare="") & models.Q(scope="")),
                violation_error_message="须填比对对象或口径之一（口径不同的不比对）",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.line}行 指标{self.indicator.code}：{self.quote}"


class StandardChange(models.Model):
    """One change of what results are judged against: an indicator's rule, an area's own bar,
    a group's bar or the construction-standard rule; who, when, through which route, the old
    and the new value as people read them. Written by standards_watch (services.py) around
    every route that changes them, so no route changes a standard without a record."""

    class Via(models.TextChoices):
        ADMIN = "admin", "管理后台"
        IMPORT = "import", "管理后台导入"
        SEED = "seed", "规划数据"
        DEMO = "demo", "演示数据"
        COMMAND = "command", "命令行"

    class Kind(models.TextChoices):
        RULE = "rule", "指标判定规则"
        OVERRIDE = "override", "地区指标值"
        GROUP = "group", "分区指标值"
        CONSTRUCTION = "construction", "建设标准规则"

    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    subject = models.CharField("对象", max_length=120)  # 指标10.1 丘陵区, 指标26 交城县 …
    field = models.CharField("项目", max_length=40)
    old = models.TextField("原值", blank=True)
    new = models.TextField("新值", blank=True)
    via = models.CharField("途径", max_length=8, choices=Via.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "标准变更记录"
        verbose_name_plural = "标准变更记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "subject"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} {self.field}：{self.old} → {self.new}"


class Scope(models.TextChoices):
    """Which values a stored result counts (see counties.access.Visibility.result_scope)."""

    ALL = "all", "全部已报数据"
    APPROVED = "approved", "仅已审核通过的县区年度"


class AssessmentResult(models.Model):
    """One computed status of an area's indicator in a year (sub-indicators and composites
    alike), as indicators.compliance computes it, stored by indicators.results so that pages
    read it instead of recomputing. Written only by indicators.results; `results_verify`
    compares it with a fresh computation."""

    scope = models.CharField("计入范围", max_length=10, choices=Scope.choices)
    area = models.ForeignKey(Area, models.CASCADE, verbose_name="地区")
    indicator = models.ForeignKey(Indicator, models.CASCADE, verbose_name="指标")
    year = models.PositiveSmallIntegerField("年份")
    status = models.CharField("达标情况", max_length=20)
    basis = models.CharField("判定依据", max_length=20)
    reason = models.TextField("理由", blank=True)
    computed = models.CharField("规则判定", max_length=20, blank=True)
    value_text = models.CharField("所用数值", max_length=200, blank=True)
    standard = models.CharField("所用指标值", max_length=200, blank=True)
    rule = models.JSONField("所用规则", null=True, blank=True, encoder=DjangoJSONEncoder)
    rule_version = models.CharField("规则版本", max_length=16)
    agrees = models.BooleanField("与记录的判定一致", null=True)
    override_id_used = models.PositiveIntegerField("所用地区指标值", null=True, blank=True)
    group_id_used = models.PositiveIntegerField("所用分组指标值", null=True, blank=True)
    city_bar_note = models.CharField("按全市指标值判定的说明", max_length=300, blank=True)
    progress = models.JSONField("目标进展", default=dict, blank=True, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "达标计算结果"
        verbose_name_plural = "达标计算结果"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "area", "year", "indicator"], name="one_result_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.indicator.code} {self.status}"


class AreaYearResult(models.Model):
    """The summary of an area's year (counts per status, binding and reference met, whether
    it reaches the construction standard), stored beside its AssessmentResults."""

    scope = models.CharField("计入范围", max_length=10, choices=Scope.choices)
    area = models.ForeignKey(Area, models.CASCADE, verbose_name="地区")
    year = models.PositiveSmallIntegerField("年份")
    summary = models.JSONField("汇总")
    reaches_standard = models.BooleanField("达到建设标准")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "地区年度达标汇总"
        verbose_name_plural = "地区年度达标汇总"
        constraints = [
            models.UniqueConstraint(fields=["scope", "area", "year"], name="one_summary_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"
