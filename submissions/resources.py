"""The mapping layer of county uploads: spreadsheet rows (already read and checked by
workbook.py) to indicator values and project progress, with the models' own validation,
the county-year lock and the change history. The admin's import goes through the same
resources (indicators.resources.IndicatorValueResource, projects.resources)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets
from import_export.instance_loaders import ModelInstanceLoader

from counties.models import Area
from indicators.models import Indicator, IndicatorValue
from indicators.parsing import parse_value_text
from indicators.resources import IndicatorValueResource
from lvliang_eco.resources import BaseResource
from projects.models import InvestmentRow, ProjectProgress

from .history import (
    PROGRESS_FIELDS,
    VALUE_FIELDS,
    changes,
    ensure_unlocked,
    snapshot,
    version_bump,
)
from .models import ValueChange


class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks every referenced row up once per import instead of once per spreadsheet row."""

    def reset(self) -> None:
        self._cache = None

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if getattr(self, "_cache", None) is None:
            self._cache = {
                str(getattr(obj, self.field)): obj for obj in self.get_queryset(value, row)
            }
        try:
            return self._cache[str(value)]
        except KeyError:
            raise ValueError(f"“{value}”不存在") from None


class CountyYearLoader(ModelInstanceLoader):
    """Loads every existing record of the county-years in the dataset in one query.

    An upload covers one county and one year, so its rows are keyed by (key, area, year)."""

    key_field = "indicator"
    key_lookup = "indicator__code"

    def __init__(self, resource, dataset=None) -> None:
        super().__init__(resource, dataset)
        rows = dataset.dict if dataset is not None else []
        areas = {str(r.get("area")) for r in rows}
        years = {year for year in (_year(r.get("year")) for r in rows) if year is not None}
        queryset = resource.get_queryset().filter(area__code__in=areas, year__in=years)
        self.cache = {
            (str(key), area, year): instance
            for instance, key, area, year in (
                (i, *values)
                for i, values in zip(
                    queryset,
                    queryset.values_list(self.key_lookup, "area__code", "year"),
                    strict=True,
                )
            )
        }

    def get_instance(self, row):
        year = _year(row.get("year"))
        return self.cache.get((str(row.get(self.key_field)), str(row.get("area")), year))


def _year(value) -> int | None:
    """A year cell as an int; anything else is left to the field's own validation."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class ProgressLoader(CountyYearLoader):
    key_field = "investment_row"
    key_lookup = "investment_row_id"


class HistoryMixin:
    """Keeps what a row held before, refuses locked county-years and records every change."""

    history_fields: dict[str, str] = {}
    compare_fields: tuple[str, ...] = ()
    foreign_keys: tuple[str, ...] = ()

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._locks: dict[tuple[int, int], bool] = {}
        self._changes: list = []
        for field in self.fields.values():
            if isinstance(field.widget, CachedForeignKeyWidget):
                field.widget.reset()

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        ValueChange.objects.bulk_create(self._changes)
        if kwargs.get("via", "admin") == "admin":
            for area_id, year in {(c.area_id, c.year) for c in self._changes}:
                version_bump(area_id, year)
        self._changes = []

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Uniqueness per county-year is guaranteed by the loader and the reader's duplicate
        # check (and by the database constraint); the field validators still run.
        # Foreign keys come from CachedForeignKeyWidget, which only returns existing rows.
        errors = dict(import_validation_errors or {})
        exclude = {*errors, *self.foreign_keys}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_instance(self, instance, row, **kwargs) -> None:
        instance._before = snapshot(instance, self.history_fields)
        super().import_instance(instance, row, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        return all(getattr(instance, f) == getattr(original, f) for f in self.compare_fields)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        instance.updated_at = timezone.now()  # bulk updates skip auto_now
        key = (instance.area_id, instance.year)
        if key not in self._locks:
            ensure_unlocked(*key)
            self._locks[key] = True
        user = kwargs.get("user")
        if user is not None and getattr(user, "pk", None):
            instance.updated_by = user

    def after_save_instance(self, instance, row, **kwargs) -> None:
        self._changes += changes(
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
        attribute="area", column_name="area", widget=CachedForeignKeyWidget(Area, "code")
    )
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=CachedForeignKeyWidget(Indicator, "code"),
    )
    flag = fields.Field(attribute="flag", column_name="flag", widget=widgets.BooleanWidget())

    history_fields = VALUE_FIELDS
    compare_fields = ("value_text", "number", "state", "flag", "note")
    foreign_keys = ("area", "indicator")

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
        instance_loader_class = CountyYearLoader
        skip_html_diff = True
        use_bulk = True
        batch_size = 1000

    def import_instance(self, instance: IndicatorValue, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.number = parse_value_text(instance.value_text).number

    def history_target(self, instance: IndicatorValue) -> dict:
        return {"indicator_id": instance.indicator_id}


class ProgressResource(HistoryMixin, BaseResource):
    investment_row = fields.Field(
        attribute="investment_row",
        column_name="investment_row",
        widget=CachedForeignKeyWidget(InvestmentRow, "pk"),
    )
    area = fields.Field(
        attribute="area", column_name="area", widget=CachedForeignKeyWidget(Area, "code")
    )

    history_fields = PROGRESS_FIELDS
    compare_fields = ("status", "completed_amount", "note")
    foreign_keys = ("area", "investment_row")

    class Meta(BaseResource.Meta):
        model = ProjectProgress
        import_id_fields = ("investment_row", "area", "year")
        fields = ("investment_row", "area", "year", "status", "completed_amount", "note")
        instance_loader_class = ProgressLoader
        skip_html_diff = True
        use_bulk = True
        batch_size = 1000

    def import_instance(self, instance: ProjectProgress, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.is_demo = False  # a reported row is real data, whatever was there before

    def history_target(self, instance: ProjectProgress) -> dict:
        return {"investment_row_id": instance.investment_row_id}


class IndicatorValueAdminResource(HistoryMixin, IndicatorValueResource):
    """The admin's import/export of indicator values: the seed layout (with the recorded
    judgement), plus the lock and the change history of uploads."""

    history_fields = VALUE_FIELDS
    compare_fields = ("value_text", "number", "state", "judgement", "judgement_printed", "note")

    def history_target(self, instance: IndicatorValue) -> dict:
        return {"indicator_id": instance.indicator_id}
