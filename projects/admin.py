from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import InvestmentRow, ProjectGroup, ProjectIndicatorLink
from .resources import (
    InvestmentRowResource,
    ProjectGroupResource,
    ProjectIndicatorLinkResource,
)


class InvestmentRowInline(admin.TabularInline):
    model = InvestmentRow
    fields = (
        "order",
        "subcategory",
        "amount_printed",
        "place",
        "years_printed",
        "funding_source",
        "scope",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class LinkInline(admin.TabularInline):
    model = ProjectIndicatorLink
    extra = 0
    autocomplete_fields = ("indicator",)


@admin.register(ProjectGroup)
class ProjectGroupAdmin(ImportExportModelAdmin):
    resource_classes = [ProjectGroupResource]
    list_display = ("domain", "number", "name", "order")
    list_filter = ("domain",)
    search_fields = ("name", "rows__content")
    inlines = [InvestmentRowInline, LinkInline]


@admin.register(InvestmentRow)
class InvestmentRowAdmin(ImportExportModelAdmin):
    resource_classes = [InvestmentRowResource]
    list_display = (
        "group_short",
        "order",
        "subcategory",
        "amount_printed",
        "place_short",
        "years_printed",
        "funding_kind",
        "scope",
    )
    list_filter = (
        "group__domain",
        "funding_kind",
        "scope",
        "amount_kind",
        "counties",
        "first_year",
    )
    search_fields = ("group__name", "content", "place", "funding_source", "responsible_unit")
    list_select_related = ("group__domain",)
    filter_horizontal = ("counties",)

    @admin.display(description="重点工程", ordering="group__order")
    def group_short(self, obj: InvestmentRow) -> str:
        name = obj.group.display_name
        short = name if len(name) <= 16 else name[:16] + "…"
        return f"{obj.group.domain.name}{obj.group.number} {short}"

    @admin.display(description="实施地点")
    def place_short(self, obj: InvestmentRow) -> str:
        text = obj.place.replace("\n", "")
        return text if len(text) <= 30 else text[:30] + "…"


@admin.register(ProjectIndicatorLink)
class ProjectIndicatorLinkAdmin(ImportExportModelAdmin):
    resource_classes = [ProjectIndicatorLinkResource]
    list_display = ("group", "indicator", "phrase")
    list_filter = ("group__domain",)
    search_fields = ("group__name", "indicator__name", "phrase")
