from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from indicators.models import Domain, Indicator
from lvliang_eco.resources import BaseResource

from .models import InvestmentRow, ProjectGroup, ProjectIndicatorLink
from .parsing import parse_amount


class GroupWidget(widgets.ForeignKeyWidget):
    """A project group is named by its domain (the row's `domain` column) and its order."""

    def __init__(self) -> None:
        super().__init__(ProjectGroup, "order")

    def get_queryset(self, value, row, *args, **kwargs):
        return ProjectGroup.objects.filter(domain__name=row["domain"])

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ProjectGroup.DoesNotExist:
            raise ValueError(f"领域“{row['domain']}”中没有第{value}项重点工程") from None


class ProjectGroupResource(BaseResource):
    domain = fields.Field(
        attribute="domain", column_name="domain", widget=widgets.ForeignKeyWidget(Domain, "name")
    )
    line = fields.Field(attribute="source_line", column_name="line", widget=widgets.IntegerWidget())

    class Meta(BaseResource.Meta):
        model = ProjectGroup
        import_id_fields = ("domain", "order")
        fields = ("domain", "order", "number", "name", "line")


class InvestmentRowResource(BaseResource):
    domain = fields.Field(attribute="group__domain__name", column_name="domain", readonly=True)
    group = fields.Field(attribute="group", column_name="group", widget=GroupWidget())
    amount = fields.Field(attribute="amount_printed", column_name="amount")
    years = fields.Field(attribute="years_printed", column_name="years")
    funding_source = fields.Field(attribute="funding_source_printed", column_name="funding_source")
    responsible_unit = fields.Field(
        attribute="responsible_unit_printed", column_name="responsible_unit"
    )
    line = fields.Field(attribute="source_line", column_name="line", widget=widgets.IntegerWidget())

    class Meta(BaseResource.Meta):
        model = InvestmentRow
        import_id_fields = ("group", "order")
        fields = (
            "domain",
            "group",
            "order",
            "subcategory",
            "content",
            "benefit",
            "amount",
            "place",
            "place_detail",
            "years",
            "funding_source",
            "responsible_unit",
            "line",
        )

    def import_instance(self, instance: InvestmentRow, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        try:
            instance.amount_kind, instance.amount = parse_amount(instance.amount_printed)
        except ValueError as error:
            raise ValidationError({"amount_printed": str(error)}) from None


class ProjectIndicatorLinkResource(BaseResource):
    domain = fields.Field(attribute="group__domain__name", column_name="domain", readonly=True)
    group = fields.Field(attribute="group", column_name="group", widget=GroupWidget())
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=widgets.ForeignKeyWidget(Indicator, "code"),
    )

    class Meta(BaseResource.Meta):
        model = ProjectIndicatorLink
        import_id_fields = ("group", "indicator")
        fields = ("domain", "group", "indicator", "phrase")
