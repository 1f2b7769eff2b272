from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import Area, CountyAssignment, Milestone, PlanGoal
from .resources import (
    AreaResource,
    CountyAssignmentResource,
    MilestoneResource,
    PlanGoalResource,
)


@admin.register(Area)
class AreaAdmin(ImportExportModelAdmin):
    resource_classes = [AreaResource]
    list_display = (
        "code",
        "name",
        "short_name",
        "kind",
        "terrain",
        "climate_zone",
        "parent",
        "order",
    )
    list_filter = ("kind", "terrain", "climate_zone")
    search_fields = ("code", "name", "short_name")


@admin.register(CountyAssignment)
class CountyAssignmentAdmin(ImportExportModelAdmin):
    resource_classes = [CountyAssignmentResource]
    list_display = ("user", "area")
    list_filter = ("area",)
    search_fields = ("user__username", "user__first_name", "area__name")
    autocomplete_fields = ("user",)


@admin.register(PlanGoal)
class PlanGoalAdmin(ImportExportModelAdmin):
    resource_classes = [PlanGoalResource]
    list_display = ("year", "kind", "share", "quote")
    list_filter = ("year", "kind")


@admin.register(Milestone)
class MilestoneAdmin(ImportExportModelAdmin):
    resource_classes = [MilestoneResource]
    list_display = ("area", "kind", "planned_year", "achieved_on", "source", "note")
    list_filter = ("kind", "area", "source")
    search_fields = ("area__name", "note")
