from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportModelAdmin

from indicators.admin import BindingFilter
from indicators.models import IndicatorValue
from projects.models import ProjectProgress

from .history import (
    PROGRESS_FIELDS,
    VALUE_FIELDS,
    ensure_unlocked,
    record,
    snapshot,
    version_bump,
)
from .models import Submission, SubmissionEvent, Upload, ValueChange
from .resources import IndicatorValueAdminResource, ProgressResource


class LockedYearForm(forms.ModelForm):
    """Refuses a change to an approved (locked) county-year, with the reason in Chinese."""

    def clean(self):
        cleaned = super().clean()
        # On a change the county and year are read-only: the record's own apply.
        area = cleaned.get("area")
        area_id = area.pk if area is not None else self.instance.area_id
        year = cleaned.get("year", self.instance.year)
        if area_id is not None and year is not None:
            ensure_unlocked(area_id, year)
        return cleaned


class HistoryAdmin(ImportExportModelAdmin):
    form = LockedYearForm
    history_fields: dict[str, str] = {}
    key_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        # A record stays with its county, year and indicator: moving it would escape the
        # history and the lock of both county-years.
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self.key_fields if obj is not None else fields

    def save_model(self, request, obj, form, change: bool) -> None:
        before = snapshot(type(obj).objects.filter(pk=obj.pk).first(), self.history_fields)
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        record(
            before=before,
            instance=obj,
            fields=self.history_fields,
            area_id=obj.area_id,
            year=obj.year,
            via="admin",
            user=request.user,
            **self.target(obj),
        )
        version_bump(obj.area_id, obj.year)

    def delete_queryset(self, request, queryset) -> None:
        """The bulk "delete selected" action: every deletion is recorded, locked years refused."""
        objects = list(queryset)
        try:
            for obj in objects:
                ensure_unlocked(obj.area_id, obj.year)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return
        for obj in objects:
            self.delete_model(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if (
            obj is not None
            and Submission.objects.filter(
                area_id=obj.area_id, year=obj.year, state=Submission.State.APPROVED
            ).exists()
        ):
            return False  # an approved county-year is locked
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj) -> None:
        before = snapshot(obj, self.history_fields)
        target = self.target(obj)
        super().delete_model(request, obj)
        record(
            before=before,
            instance=type(obj)(),
            fields=self.history_fields,
            area_id=obj.area_id,
            year=obj.year,
            via="admin",
            user=request.user,
            **target,
        )
        version_bump(obj.area_id, obj.year)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["via"] = "admin"
        return kwargs


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    resource_classes = [IndicatorValueAdminResource]
    history_fields = VALUE_FIELDS
    key_fields = ("area", "year", "indicator")
    list_display = ("area", "year", "indicator", "value_text", "number", "judgement", "source")
    list_filter = ("year", "area", "indicator__task__domain", BindingFilter, "judgement", "source")
    search_fields = ("indicator__name", "indicator__code", "value_text", "area__name")
    list_select_related = ("area", "indicator")
    readonly_fields = ("updated_at", "updated_by")

    def target(self, obj: IndicatorValue) -> dict:
        return {"indicator_id": obj.indicator_id}


@admin.register(ProjectProgress)
class ProjectProgressAdmin(HistoryAdmin):
    resource_classes = [ProgressResource]
    history_fields = PROGRESS_FIELDS
    key_fields = ("area", "year", "investment_row")
    list_display = ("area", "year", "investment_row", "status", "completed_amount")
    list_filter = ("year", "area", "status", "investment_row__group__domain")
    search_fields = ("investment_row__group__name", "investment_row__content", "note")
    list_select_related = ("area", "investment_row__group__domain")
    raw_id_fields = ("investment_row",)
    readonly_fields = ("updated_at", "updated_by")

    def target(self, obj: ProjectProgress) -> dict:
        return {"investment_row_id": obj.investment_row_id}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: visible to staff, changed by nobody."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("area", "year", "state", "version", "updated_at")
    list_filter = ("year", "state", "area")


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdmin):
    list_display = ("submission", "action", "from_state", "to_state", "by", "at", "comment")
    list_filter = ("action", "submission__year", "submission__area")


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = (
        "submission",
        "original_name",
        "uploaded_by",
        "uploaded_at",
        "status",
        "added",
        "changed",
        "unchanged",
        "rejected",
    )
    list_filter = ("status", "submission__year", "submission__area")


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "changed_at",
        "changed_by",
        "area",
        "year",
        "indicator",
        "investment_row",
        "field",
        "old",
        "new",
        "via",
    )
    list_filter = ("via", "year", "area")
    search_fields = ("indicator__name", "old", "new")
