"""The mapping layer of county uploads: spreadsheet rows (already read and checked by
workbook.py) to indicator values and project progress, with the models' own validation,
the county-year lock and the change history. The admin's import goes through the same
resources (indicators.resources.IndicatorValueResource, projects.resources)."""

from __future__ import annotations

from import_export import fields, widgets

from counties.models import Area
from indicators.models import Indicator, IndicatorValue
from indicators.parsing import parse_value_text
from indicators.resources import IndicatorValueResource
from lvliang_eco.resources import BaseResource
from projects.models import InvestmentRow, ProjectProgress

from .history import PROGRESS_FIELDS, VALUE_FIELDS, ensure_unlocked, record, snapshot


class HistoryMixin:
    """Keeps what a row held before, refuses locked county-years and records every change."""

    history_fields: dict[str, str] = {}
    compare_fields: tuple[str, ...] = ()

    def import_instance(self, instance, row, **kwargs) -> None:
        instance._before = snapshot(instance, self.history_fields)
        super().import_instance(instance, row, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        return all(getattr(instance, f) == getattr(original, f) for f in self.compare_fields)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        ensure_unlocked(instance.area_id, instance.year)
        user = kwargs.get("user")
        if user is not None and getattr(user, "pk", None):
            instance.updated_by = user

    def after_save_instance(self, instance, row, **kwargs) -> None:
        record(
            before=getattr(instance, "_before", None),
            instance=instance,
            fields=self.history_fields,
            area_id=instance.area_id,
            year=instance.year,
            via=kwargs.get("via", "admin"),
            user=kwargs.get("user"),
            upload=kwargs.get("upload"),
            **self.history_target(instance),
        )


class SubmissionValueResource(HistoryMixin, BaseResource):
    area = fields.Field(
        attribute="area", column_name="area", widget=widgets.ForeignKeyWidget(Area, "code")
    )
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=widgets.ForeignKeyWidget(Indicator, "code"),
    )
    flag = fields.Field(attribute="flag", column_name="flag", widget=widgets.BooleanWidget())

    history_fields = VALUE_FIELDS
    compare_fields = ("value_text", "number", "state", "flag", "note")

    class Meta(BaseResource.Meta):
        model = IndicatorValue
        import_id_fields = ("indicator", "area", "year")
        fields = (
            "area",
            "year",
            "indicator",
            "value_text",
            "state",
            "flag",
            "note",
            "source",
            "source_detail",
        )

    def import_instance(self, instance: IndicatorValue, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.number = parse_value_text(instance.value_text).number

    def history_target(self, instance: IndicatorValue) -> dict:
        return {"indicator_id": instance.indicator_id}


class ProgressResource(HistoryMixin, BaseResource):
    investment_row = fields.Field(
        attribute="investment_row",
        column_name="investment_row",
        widget=widgets.ForeignKeyWidget(InvestmentRow, "pk"),
    )
    area = fields.Field(
        attribute="area", column_name="area", widget=widgets.ForeignKeyWidget(Area, "code")
    )

    history_fields = PROGRESS_FIELDS
    compare_fields = ("status", "completed_amount", "note")

    class Meta(BaseResource.Meta):
        model = ProjectProgress
        import_id_fields = ("investment_row", "area", "year")
        fields = ("investment_row", "area", "year", "status", "completed_amount", "note")

    def history_target(self, instance: ProjectProgress) -> dict:
        return {"investment_row_id": instance.investment_row_id}


class IndicatorValueAdminResource(HistoryMixin, IndicatorValueResource):
    """The admin's import/export of indicator values: the seed layout (with the recorded
    judgement), plus the lock and the change history of uploads."""

    history_fields = VALUE_FIELDS
    compare_fields = ("value_text", "number", "state", "judgement", "judgement_printed", "note")

    def history_target(self, instance: IndicatorValue) -> dict:
        return {"indicator_id": instance.indicator_id}
