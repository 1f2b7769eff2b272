from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import DeclaredFigure, Domain, Indicator, IndicatorValue, TaskArea
from .resources import (
    DeclaredFigureResource,
    DomainResource,
    IndicatorResource,
    IndicatorValueResource,
    TaskAreaResource,
)


@admin.register(Domain)
class DomainAdmin(ImportExportModelAdmin):
    resource_classes = [DomainResource]
    list_display = ("order", "name")
    search_fields = ("name",)


@admin.register(TaskArea)
class TaskAreaAdmin(ImportExportModelAdmin):
    resource_classes = [TaskAreaResource]
    list_display = ("number", "name", "domain")
    list_filter = ("domain",)
    search_fields = ("name",)


class BindingFilter(admin.SimpleListFilter):
    title = "指标属性"
    parameter_name = "binding"

    def lookups(self, request, model_admin):
        return [("约束性", "约束性"), ("参考性", "参考性")]

    def queryset(self, request, queryset):
        if self.value():
            prefix = "" if queryset.model is Indicator else "indicator__"
            own = {f"{prefix}attribute": self.value()}
            inherited = {f"{prefix}parent__attribute": self.value()}
            from django.db.models import Q

            return queryset.filter(Q(**own) | Q(**inherited))
        return queryset


@admin.register(Indicator)
class IndicatorAdmin(ImportExportModelAdmin):
    resource_classes = [IndicatorResource]
    list_display = (
        "code",
        "short_name",
        "unit",
        "standard",
        "target_2025",
        "target_2030",
        "attribute",
        "note",
    )
    list_filter = ("task__domain", "task", BindingFilter)
    search_fields = ("code", "name", "standard")
    list_select_related = ("task",)

    @admin.display(description="指标名称")
    def short_name(self, obj: Indicator) -> str:
        return obj.display_name


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ImportExportModelAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = ("area", "year", "indicator", "value_text", "number", "judgement", "source")
    list_filter = ("year", "area", "indicator__task__domain", BindingFilter, "judgement", "source")
    search_fields = ("indicator__name", "indicator__code", "value_text", "area__name")
    list_select_related = ("area", "indicator")
    readonly_fields = ("updated_at", "updated_by")


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(ImportExportModelAdmin):
    resource_classes = [DeclaredFigureResource]
    list_display = ("key", "value", "unit", "source", "quote")
    search_fields = ("key", "quote")
