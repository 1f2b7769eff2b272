"""The import-export mapping of reported values and project progress: the admin's import and
export and the seed loader. Each row becomes a report (reporting.py), is checked by the same
plan as an upload (same rules, same Chinese messages) and is saved by the one write path,
`services.report_save`, with its route; nothing here writes a model itself."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from import_export import fields, widgets
from import_export.instance_loaders import ModelInstanceLoader

from counties.models import Area
from indicators.models import Indicator, IndicatorValue
from indicators.parsing import parse_judgement
from lvliang_eco.formats import unsafe_cell
from lvliang_eco.resources import BaseResource
from projects.models import InvestmentRow, ProjectProgress

from .catalogue import WITHDRAW, Catalogue, choice_of
from .models import ValueChange
from .reporting import (
    JUDGEMENT_TEXT,
    NOTHING_TO_WITHDRAW,
    UNCHANGED,
    ProgressReport,
    ValueReport,
    by_kind,
    plain,
    plan,
)
from .selectors import catalogue, lock_refusal
from .services import report_save


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
            return self._cache[str(value).strip()]
        except KeyError:
            raise ValueError(f"“{value}”不存在") from None


class JudgementWidget(widgets.Widget):
    """The recorded judgement as staff read it: 已达标 / 未达标 / blank."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text and text not in {"已达标", "未达标"}:
            raise ValueError(f"记录的达标情况应为“已达标”“未达标”或空白，实际为“{text}”")
        return parse_judgement(text)

    def render(self, value, obj=None, **kwargs):
        return JUDGEMENT_TEXT.get(value or "", value or "")


class TextWidget(widgets.Widget):
    """A cell as text: numbers without float noise or trailing `.0`, blanks as ""."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float):
            return plain(Decimal(f"{value:.15g}"))
        return unsafe_cell(str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class KeyLoader(ModelInstanceLoader):
    """Loads every existing record of the area-years in the dataset in one query."""

    key_field = "indicator"
    key_lookup = "indicator__code"

    def __init__(self, resource, dataset=None) -> None:
        super().__init__(resource, dataset)
        rows = dataset.dict if dataset is not None else []
        areas = {str(r.get("area")).strip() for r in rows}
        years = {year for year in (_year(r.get("year")) for r in rows) if year is not None}
        queryset = resource.get_queryset().filter(area__code__in=areas, year__in=years)
        keys = queryset.values_list(self.key_lookup, "area__code", "year")
        self.cache = {
            (str(key), area, year): instance
            for instance, (key, area, year) in zip(queryset, keys, strict=True)
        }

    def get_instance(self, row):
        key = str(row.get(self.key_field)).strip()
        return self.cache.get((key, str(row.get("area")).strip(), _year(row.get("year"))))


class ProgressKeyLoader(KeyLoader):
    key_field = "investment_row"
    key_lookup = "investment_row_id"


def _year(value) -> int | None:
    """A year cell as an int; anything else is left to the field's own validation."""
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None


class ReportResource(BaseResource):
    """Rows as reports, checked by the upload's plan and saved by `services.report_save`."""

    route = ValueChange.Via.ADMIN_IMPORT
    strict = True
    kind = "value"
    field_names: dict[str, str] = {}  # the plan's field → the resource's column, for messages

    key_column = "indicator"  # the column that names the record, for messages
    key_lookup = "indicator__code"  # the record's key as report.code / report.row_id names it

    def __init__(self, *, batched: bool = True, **kwargs) -> None:
        """`batched` (the default): each area-year's rows are saved by one report_save call at
        the end of the import, inside its transaction (a preview's dry run too, rolled back),
        instead of one call per row: the same checks and history, some 30 times faster on a
        file of many area-years. `batched=False` saves row by row."""
        super().__init__(**kwargs)
        self.batched = batched

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._catalogues: dict[tuple[int, int], Catalogue] = {}
        self._seen: dict[tuple, int] = {}
        self._pending: dict[tuple, list] = {}
        for field in self.fields.values():
            if isinstance(field.widget, CachedForeignKeyWidget):
                field.widget.reset()

    def _catalogue(self, area: Area, year: int) -> Catalogue:
        key = (area.pk, year)
        if key not in self._catalogues:
            self._catalogues[key] = catalogue(area, year)
        return self._catalogues[key]

    def report_of(self, instance, row):
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        area, year = instance.area, instance.year
        if area is None or year is None:
            return  # the field validation reports it
        report = self.report_of(instance, row)
        name = report.code if self.kind == "value" else report.row_id
        first = self._seen.setdefault((area.pk, year, name), kwargs.get("row_number", 0))
        if first != kwargs.get("row_number", 0):
            what = "指标" if self.kind == "value" else "投资明细"
            raise ValidationError(
                {self.key_column: [f"{area.name}{year}年{what}“{name}”重复出现（第{first}行已有）"]}
            )
        outcome = plan(
            self._catalogue(area, year),
            **by_kind([report]),
            strict=self.strict,
        )
        if outcome.errors:
            error = outcome.errors[0]
            raise ValidationError(
                {self.field_names.get(error.field, self.key_column): [error.message]}
            )
        step = (outcome.values or outcome.progress)[0]
        if step.action not in {UNCHANGED, NOTHING_TO_WITHDRAW}:
            # An approved year refuses a change, not a row that only repeats what is stored
            # (a whole export imported back).
            locked = lock_refusal(area.pk, year)
            if locked:
                raise ValidationError({self.key_column: [locked]})
        instance._report = report
        instance._action = step.action

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        return getattr(instance, "_action", None) in {UNCHANGED, NOTHING_TO_WITHDRAW}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Every input was checked by the plan, with the upload's messages.
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        report = instance._report
        if self.batched:
            key = (instance.area, instance.year, self.source_detail(instance))
            self._pending.setdefault(key, []).append((report, instance))
            return
        report_save(
            area=instance.area,
            year=instance.year,
            **by_kind([report]),
            route=self.route,
            user=kwargs.get("user"),
            strict=self.strict,
            source_detail=self.source_detail(instance),
        )
        self._catalogues.pop((instance.area.pk, instance.year), None)  # now out of date
        saved = type(instance).objects.filter(**self.keys(instance)).first()
        if saved is not None:
            instance.pk = saved.pk

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return  # nothing is saved (import_data rolls back)
        model = self._meta.model
        for (area, year, detail), pending in self._pending.items():
            report_save(
                area=area,
                year=year,
                **by_kind([report for report, _ in pending]),
                route=self.route,
                user=kwargs.get("user"),
                strict=self.strict,
                source_detail=detail,
            )
            # The rows' records as saved, for the admin's log of the import.
            saved = dict(
                model.objects.filter(area=area, year=year).values_list(self.key_lookup, "pk")
            )
            for report, instance in pending:
                found = saved.get(report.code if self.kind == "value" else report.row_id)
                if found is not None:
                    instance.pk = found

    def source_detail(self, instance) -> str:
        return "后台导入"


class ValueResource(ReportResource):
    """The admin's import/export of indicator values (any area, any year)."""

    area = fields.Field(
        attribute="area", column_name="area", widget=CachedForeignKeyWidget(Area, "code")
    )
    year = fields.Field(attribute="year", column_name="year", widget=widgets.IntegerWidget())
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=CachedForeignKeyWidget(Indicator, "code"),
    )
    value_text = fields.Field(column_name="value_text", widget=TextWidget())
    choice = fields.Field(column_name="choice", widget=TextWidget())
    note = fields.Field(column_name="note", widget=TextWidget())
    judgement = fields.Field(
        attribute="judgement", column_name="judgement", widget=JudgementWidget()
    )
    field_names = {"text": "value_text", "choice": "choice", "note": "note", "code": "indicator"}

    class Meta(BaseResource.Meta):
        model = IndicatorValue
        import_id_fields = ("indicator", "area", "year")
        fields = ("area", "year", "indicator", "value_text", "choice", "note", "judgement")
        export_order = fields
        instance_loader_class = KeyLoader
        skip_html_diff = True

    def dehydrate_value_text(self, value: IndicatorValue) -> str:
        return "" if value.value_text == choice_of(value.state, value.flag) else value.value_text

    def dehydrate_choice(self, value: IndicatorValue) -> str:
        return choice_of(value.state, value.flag)

    def dehydrate_note(self, value: IndicatorValue) -> str:
        return value.note

    def report_of(self, instance: IndicatorValue, row) -> ValueReport:
        text = self.fields["value_text"].clean(row)
        choice = self.fields["choice"].clean(row) if "choice" in row else ""
        note = self.fields["note"].clean(row) if "note" in row else ""
        if WITHDRAW in {text, choice}:
            return ValueReport(instance.indicator.code, withdraw=True, reason=note)
        return ValueReport(
            instance.indicator.code,
            text=text,
            choice=choice,
            note=note,
            judgement=instance.judgement if "judgement" in row else None,
        )

    def keys(self, instance) -> dict:
        return {"area": instance.area, "year": instance.year, "indicator": instance.indicator}


class SeedValueResource(ValueResource):
    """fixtures/indicator_values.csv: the city's 2022 values as the plan prints them (with its
    printed 达标情况), saved by the write path with the route 规划数据. Not strict: the printed
    texts carry commentary (`87.4，考核要求持续改善`)."""

    route = ValueChange.Via.SEED
    strict = False
    judgement_printed = fields.Field(
        attribute="judgement_printed", column_name="judgement_printed", widget=TextWidget()
    )
    source_detail_column = fields.Field(
        attribute="source_detail", column_name="source_detail", widget=TextWidget()
    )

    class Meta(ValueResource.Meta):
        fields = (
            "area",
            "year",
            "indicator",
            "value_text",
            "judgement_printed",
            "source_detail_column",
        )

    def report_of(self, instance: IndicatorValue, row) -> ValueReport:
        printed = self.fields["judgement_printed"].clean(row)
        return ValueReport(
            instance.indicator.code,
            text=self.fields["value_text"].clean(row),
            judgement=parse_judgement(printed),
            judgement_printed=printed,
        )

    def source_detail(self, instance) -> str:
        return instance.source_detail


class ProgressResource(ReportResource):
    """The admin's import/export of project progress."""

    kind = "progress"
    key_column = "investment_row"
    key_lookup = "investment_row_id"
    investment_row = fields.Field(
        attribute="investment_row",
        column_name="investment_row",
        widget=CachedForeignKeyWidget(InvestmentRow, "pk"),
    )
    area = fields.Field(
        attribute="area", column_name="area", widget=CachedForeignKeyWidget(Area, "code")
    )
    year = fields.Field(attribute="year", column_name="year", widget=widgets.IntegerWidget())
    status = fields.Field(column_name="status", widget=TextWidget())
    completed_amount = fields.Field(column_name="completed_amount", widget=TextWidget())
    note = fields.Field(column_name="note", widget=TextWidget())
    field_names = {
        "status": "status",
        "amount": "completed_amount",
        "note": "note",
        "row": "investment_row",
    }

    class Meta(BaseResource.Meta):
        model = ProjectProgress
        import_id_fields = ("investment_row", "area", "year")
        fields = ("investment_row", "area", "year", "status", "completed_amount", "note")
        export_order = fields
        instance_loader_class = ProgressKeyLoader
        skip_html_diff = True

    def dehydrate_status(self, progress: ProjectProgress) -> str:
        return progress.status

    def dehydrate_completed_amount(self, progress: ProjectProgress) -> str:
        return plain(progress.completed_amount)

    def dehydrate_note(self, progress: ProjectProgress) -> str:
        return progress.note

    def report_of(self, instance: ProjectProgress, row) -> ProgressReport:
        status = self.fields["status"].clean(row)
        note = self.fields["note"].clean(row) if "note" in row else ""
        if status == WITHDRAW:
            return ProgressReport(instance.investment_row_id, withdraw=True, reason=note)
        return ProgressReport(
            instance.investment_row_id,
            status=status,
            amount=self.fields["completed_amount"].clean(row),
            note=note,
        )

    def keys(self, instance) -> dict:
        return {
            "area": instance.area,
            "year": instance.year,
            "investment_row": instance.investment_row,
        }
