from collections import defaultdict

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from counties.models import Area
from indicators.admin import BindingFilter
from indicators.models import IndicatorValue
from jobs.models import BackgroundJob
from jobs.services import start_import
from lvliang_eco.admin import ReadOnlyAdmin
from projects.models import ProjectProgress

from . import services
from .catalogue import choice_of
from .models import (
    Evidence,
    Question,
    QuestionReply,
    ReportingPeriod,
    Submission,
    SubmissionEvent,
    Upload,
    ValueChange,
)
from .reporting import ProgressReport, ValueReport, by_kind, plain, plan
from .resources import ProgressResource, ValueResource
from .selectors import catalogue, lock_refusal


class ReportForm(forms.ModelForm):
    """An admin form whose inputs are a report: checked by the upload's plan (same rules, same
    messages) and saved by `services.report_save`, never by the model form itself."""

    error_fields: dict[str, str] = {}

    def key(self) -> tuple[Area | None, int | None]:
        cleaned = self.cleaned_data
        area = cleaned.get("area") or (self.instance.area if self.instance.area_id else None)
        year = cleaned.get("year") or self.instance.year
        return area, year

    def report(self):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        area, year = self.key()
        if area is None or year is None or self.errors:
            return cleaned
        locked = lock_refusal(area.pk, year)
        if locked:
            raise ValidationError(locked)
        try:
            self.report_value = self.report()
        except ValueError as error:
            raise ValidationError(str(error)) from None
        outcome = plan(catalogue(area, year), **by_kind([self.report_value]))
        for error in outcome.errors:
            field = self.error_fields.get(error.field)
            self.add_error(field if field in self.fields else None, error.message)
        return cleaned


class ValueForm(ReportForm):
    choice = forms.CharField(
        label="状态或是否完成",
        required=False,
        help_text="按该指标可选的状态填写，如“有效开展”“是”“否”；只填数值的指标留空",
    )
    error_fields = {"text": "value_text", "choice": "choice", "note": "note", "code": "indicator"}

    class Meta:
        model = IndicatorValue
        fields = ("area", "year", "indicator", "value_text", "choice", "note", "judgement")
        labels = {"value_text": "数值"}
        help_texts = {"value_text": "只填数字（可带%），或下限如≥60；状态类指标留空"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        value = self.instance
        if value.pk:
            choice = choice_of(value.state, value.flag)
            self.initial["choice"] = choice
            if value.value_text == choice:
                self.initial["value_text"] = ""

    def report(self) -> ValueReport:
        cleaned = self.cleaned_data
        indicator = cleaned.get("indicator") or self.instance.indicator
        return ValueReport(
            indicator.code,
            text=cleaned.get("value_text", ""),
            choice=cleaned.get("choice", ""),
            note=cleaned.get("note", ""),
            judgement=cleaned.get("judgement", ""),
        )


class ProgressForm(ReportForm):
    completed_amount = forms.CharField(
        label="累计完成投资（万元）", required=False, help_text="不能为负数，最多两位小数"
    )
    error_fields = {
        "status": "status",
        "amount": "completed_amount",
        "note": "note",
        "row": "investment_row",
    }

    class Meta:
        model = ProjectProgress
        fields = ("investment_row", "area", "year", "status", "completed_amount", "note")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["completed_amount"] = plain(self.instance.completed_amount)

    def clean_completed_amount(self) -> str:
        return self.cleaned_data.get("completed_amount") or ""

    def _post_clean(self) -> None:
        # The amount is checked as reported text by the plan; the model's decimal field would
        # only repeat it with another message.
        amount = self.cleaned_data.pop("completed_amount", "")
        super()._post_clean()
        self.cleaned_data["completed_amount"] = amount

    def report(self) -> ProgressReport:
        cleaned = self.cleaned_data
        row = cleaned.get("investment_row") or self.instance.investment_row
        return ProgressReport(
            row.pk,
            status=cleaned.get("status", ""),
            amount=cleaned.get("completed_amount", ""),
            note=cleaned.get("note", ""),
        )


class ReportAdmin(ImportExportModelAdmin):
    """Admin of reported records: every save, delete and import goes through
    `services.report_save` (route 后台修改 / 后台导入), which checks, refuses locked years,
    records the history and bumps the county-year's version."""

    key_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        # A record stays with its county, year and indicator: moving it would escape the
        # history and the lock of both county-years.
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self.key_fields if obj is not None else fields

    def _save(self, request, *, area, year, report, detail: str) -> None:
        services.report_save(
            area=area,
            year=year,
            **by_kind([report]),
            route=ValueChange.Via.ADMIN,
            user=request.user,
            source_detail=detail,
        )

    def save_model(self, request, obj, form, change: bool) -> None:
        self._save(
            request,
            area=obj.area,
            year=obj.year,
            report=form.report_value,
            detail=f"后台修改：{request.user.get_username()}",
        )
        saved = type(obj).objects.filter(**self.keys(obj)).first()
        obj.pk = saved.pk if saved else obj.pk

    def save_related(self, request, form, formsets, change) -> None:
        pass  # no related objects; the model form never saves

    def delete_model(self, request, obj) -> None:
        self._save(
            request,
            area=obj.area,
            year=obj.year,
            report=self.withdrawal(obj, f"市局在后台删除（{request.user.get_username()}）"),
            detail="后台删除",
        )

    def delete_queryset(self, request, queryset) -> None:
        """The bulk "delete selected" action: all of them or, when a year is locked, none."""
        objects = list(queryset.select_related("area"))
        locked = {lock_refusal(o.area_id, o.year) for o in objects} - {""}
        if locked:
            messages.error(request, "；".join(sorted(locked)) + "（未删除任何记录）")
            return
        groups = defaultdict(list)
        for obj in objects:
            groups[(obj.area, obj.year)].append(obj)
        reason = f"市局在后台批量删除（{request.user.get_username()}）"
        with transaction.atomic():
            for (area, year), items in groups.items():
                reports = [self.withdrawal(o, reason) for o in items]
                services.report_save(
                    area=area,
                    year=year,
                    **by_kind(reports),
                    route=ValueChange.Via.ADMIN,
                    user=request.user,
                    source_detail="后台删除",
                )

    def get_deleted_objects(self, objs, request):
        """The delete confirmation says which years are locked instead of a bare refusal."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        locked = {lock_refusal(o.area_id, o.year) for o in objs} - {""}
        return deleted, counts, (locked or perms_needed), protected

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and lock_refusal(obj.area_id, obj.year):
            return False  # an approved county-year is locked
        return super().has_delete_permission(request, obj)

    def process_dataset(self, dataset, form, request, **kwargs):
        """After the preview: a file of more than settings.ADMIN_IMPORT_BACKGROUND_ROWS rows
        is imported by a background job (jobs.services.start_import: one county-year per step,
        the same checks and write path) and its job returned; a smaller one at once."""
        if len(dataset) <= settings.ADMIN_IMPORT_BACKGROUND_ROWS:
            return super().process_dataset(dataset, form, request, **kwargs)
        resource = self.choose_import_resource_class(form, request)
        file_name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name", "")
        return start_import(
            resource=resource, dataset=dataset, file_name=file_name, user=request.user
        )

    def process_result(self, result, request):
        if isinstance(result, BackgroundJob):
            messages.success(
                request,
                f"共 {len(result.payload['rows'])} 行，已转为后台导入（{result.steps_total} "
                "个县年，每个县年一步，逐步保存）；可在本页查看进度，完成后结果即更新",
            )
            return redirect("jobs:detail", pk=result.pk)
        return super().process_result(result, request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["via"] = ValueChange.Via.ADMIN_IMPORT
        return kwargs


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReportAdmin):
    form = ValueForm
    resource_classes = [ValueResource]
    key_fields = ("area", "year", "indicator")
    list_display = ("area", "year", "indicator", "value_text", "number", "judgement", "source")
    list_filter = ("year", "area", "indicator__task__domain", BindingFilter, "judgement", "source")
    search_fields = ("indicator__name", "indicator__code", "value_text", "area__name")
    list_select_related = ("area", "indicator")
    readonly_fields = (
        "number",
        "state",
        "flag",
        "judgement_printed",
        "source",
        "source_detail",
        "updated_at",
        "updated_by",
    )

    def keys(self, obj: IndicatorValue) -> dict:
        return {"area_id": obj.area_id, "year": obj.year, "indicator_id": obj.indicator_id}

    def withdrawal(self, obj: IndicatorValue, reason: str) -> ValueReport:
        return ValueReport(obj.indicator.code, withdraw=True, reason=reason)


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReportAdmin):
    form = ProgressForm
    resource_classes = [ProgressResource]
    key_fields = ("area", "year", "investment_row")
    list_display = ("area", "year", "investment_row", "status", "completed_amount")
    list_filter = ("year", "area", "status", "investment_row__group__domain")
    search_fields = ("investment_row__group__name", "investment_row__content", "note")
    list_select_related = ("area", "investment_row__group__domain")
    raw_id_fields = ("investment_row",)
    readonly_fields = ("is_demo", "updated_at", "updated_by")

    def keys(self, obj: ProjectProgress) -> dict:
        return {
            "area_id": obj.area_id,
            "year": obj.year,
            "investment_row_id": obj.investment_row_id,
        }

    def withdrawal(self, obj: ProjectProgress, reason: str) -> ProgressReport:
        return ProgressReport(obj.investment_row_id, withdraw=True, reason=reason)


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


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    """Supporting documents: attached and deleted only on the county-year's pages (the write
    path's checks); here to look them up. The file opens through the page that checks who may
    see it, never from MEDIA_ROOT directly."""

    list_display = (
        "uploaded_at", "area", "year", "indicator", "investment_row", "document", "kind",
        "size", "uploaded_by", "deleted_at",
    )  # fmt: skip
    list_filter = ("year", "area", "kind")
    search_fields = ("original_name", "sha256")
    exclude = ("file",)
    readonly_fields = ("document",)

    @admin.display(description="文件")
    def document(self, obj: Evidence) -> str:
        url = reverse("submissions:evidence_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class QuestionReplyInline(admin.TabularInline):
    model = QuestionReply
    extra = 0
    can_delete = False
    fields = ("at", "kind", "text", "by", "via")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    """Questions on values: asked, answered and closed only on the county-year's pages (the
    write path's checks, approval blocked while one waits); here to look them up."""

    list_display = ("asked_at", "area", "year", "indicator", "investment_row", "state", "asked_by")
    list_filter = ("state", "year", "area")
    search_fields = ("text", "replies__text")
    inlines = [QuestionReplyInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """Each reporting year's due date (and optional closing date), set by the bureau."""

    list_display = ("year", "due_on", "closes_on", "note")
