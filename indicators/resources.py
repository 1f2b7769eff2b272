from __future__ import annotations

from import_export import fields, widgets

from counties.models import Area
from lvliang_eco.resources import BaseResource

from .models import DeclaredFigure, Domain, Indicator, IndicatorValue, TaskArea
from .parsing import parse_judgement, parse_value_text


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


class IndicatorValueResource(BaseResource):
    area = fields.Field(
        attribute="area", column_name="area", widget=widgets.ForeignKeyWidget(Area, "code")
    )
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=widgets.ForeignKeyWidget(Indicator, "code"),
    )

    class Meta(BaseResource.Meta):
        model = IndicatorValue
        import_id_fields = ("indicator", "area", "year")
        fields = (
            "area",
            "year",
            "indicator",
            "value_text",
            "judgement_printed",
            "note",
            "source",
            "source_detail",
        )

    def import_instance(self, instance: IndicatorValue, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        parsed = parse_value_text(instance.value_text)
        instance.number = parsed.number
        instance.state = parsed.state
        instance.judgement = parse_judgement(instance.judgement_printed)


class DeclaredFigureResource(BaseResource):
    class Meta(BaseResource.Meta):
        model = DeclaredFigure
        import_id_fields = ("key",)
        fields = ("key", "value", "unit", "source", "quote")
