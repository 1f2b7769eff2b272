from __future__ import annotations

import json

from import_export import fields, widgets

from counties.models import Area
from lvliang_eco.resources import BaseResource

from .models import (
    ConstructionStandardRule,
    DeclaredFigure,
    Domain,
    GroupStandard,
    Indicator,
    StandardOverride,
    StatedFigure,
    TaskArea,
)
from .rules import derive_rule, is_rate_name


class DomainResource(BaseResource):
    class Meta(BaseResource.Meta):
        model = Domain
        import_id_fields = ("name",)
        fields = ("order", "name")


class TaskAreaResource(BaseResource):
    domain = fields.Field(
        attribute="domain", column_name="domain", widget=widgets.ForeignKeyWidget(Domain, "name")
    )

    class Meta(BaseResource.Meta):
        model = TaskArea
        import_id_fields = ("number",)
        fields = ("order", "number", "name", "domain")


class IndicatorResource(BaseResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Indicator, "code")
    )
    task = fields.Field(
        attribute="task", column_name="task", widget=widgets.ForeignKeyWidget(TaskArea, "number")
    )
    line = fields.Field(attribute="source_line", column_name="line", widget=widgets.IntegerWidget())

    class Meta(BaseResource.Meta):
        model = Indicator
        import_id_fields = ("code",)
        fields = (
            "code",
            "number",
            "parent",
            "task",
            "order",
            "name",
            "unit",
            "standard",
            "target_2025",
            "target_2030",
            "attribute",
            "note",
            "benefit_aliases",
            "line",
        )


class DeclaredFigureResource(BaseResource):
    class Meta(BaseResource.Meta):
        model = DeclaredFigure
        import_id_fields = ("key",)
        fields = ("key", "value", "unit", "source", "quote")


class StatedFigureResource(BaseResource):
    """fixtures/prose_figures.csv: one row per figure the text states about an indicator."""

    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=widgets.ForeignKeyWidget(Indicator, "code"),
    )

    class Meta(BaseResource.Meta):
        model = StatedFigure
        import_id_fields = ("line", "indicator", "quote")
        fields = (
            "line", "source", "indicator", "year", "kind", "op", "value", "unit", "quote",
            "compare", "scope", "note",
        )  # fmt: skip


class RuleWidget(widgets.Widget):
    """A rule cell: JSON text, or blank for "derive it from the printed text"."""

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"规则应为 JSON 文本（{error.msg}，第{error.colno}个字符）") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else json.dumps(value, ensure_ascii=False)


class IndicatorRuleResource(BaseResource):
    """fixtures/indicator_rules.csv: each indicator's good direction and, where the printed
    text cannot be read with certainty, its rules set by hand. A blank rule is derived from
    the printed standard or target (a sub-indicator without a standard takes its parent's)."""

    standard_rule = fields.Field(
        attribute="standard_rule", column_name="standard_rule", widget=RuleWidget()
    )
    target_2025_rule = fields.Field(
        attribute="target_2025_rule", column_name="target_2025_rule", widget=RuleWidget()
    )
    target_2030_rule = fields.Field(
        attribute="target_2030_rule", column_name="target_2030_rule", widget=RuleWidget()
    )
    is_condition = fields.Field(
        attribute="is_condition", column_name="is_condition", widget=widgets.BooleanWidget()
    )

    class Meta(BaseResource.Meta):
        model = Indicator
        import_id_fields = ("code",)
        fields = (
            "code",
            "good_direction",
            "standard_rule",
            "target_2025_rule",
            "target_2030_rule",
            "is_condition",
            "rule_note",
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Rules staff have set in the admin stay as they are.
        if original is not None and original.pk and original.rule_locked:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def import_instance(self, instance: Indicator, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        direction = instance.good_direction
        parent = instance.parent
        rate = is_rate_name(instance.name)
        standard = instance.effective_standard
        if instance.standard_rule is None:
            instance.standard_rule = derive_rule(standard, direction=direction, rate=rate)
        if instance.target_2025_rule is None:
            text = instance.target_2025 or (parent.target_2025 if parent else "")
            instance.target_2025_rule = derive_rule(text, direction=direction, rate=rate)
        if instance.target_2030_rule is None:
            text = instance.target_2030 or (parent.target_2030 if parent else "")
            instance.target_2030_rule = derive_rule(text, direction=direction, rate=rate)


class StandardOverrideResource(BaseResource):
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=widgets.ForeignKeyWidget(Indicator, "code"),
    )
    area = fields.Field(
        attribute="area", column_name="area", widget=widgets.ForeignKeyWidget(Area, "code")
    )
    rule = fields.Field(attribute="rule", column_name="rule", widget=RuleWidget())

    class Meta(BaseResource.Meta):
        model = StandardOverride
        import_id_fields = ("indicator", "area")
        fields = ("indicator", "area", "standard", "rule", "reason", "is_demo")


class GroupStandardResource(BaseResource):
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=widgets.ForeignKeyWidget(Indicator, "code"),
    )
    rule = fields.Field(attribute="rule", column_name="rule", widget=RuleWidget())

    class Meta(BaseResource.Meta):
        model = GroupStandard
        import_id_fields = ("indicator", "terrain", "climate_zone")
        fields = ("indicator", "terrain", "climate_zone", "standard", "rule", "source")


class ConstructionStandardRuleResource(BaseResource):
    class Meta(BaseResource.Meta):
        model = ConstructionStandardRule
        fields = ("id", "reference_min_share", "basis")
