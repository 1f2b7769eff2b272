from django.contrib import admin
from django.db.models import Q
from import_export.admin import ImportExportModelAdmin

from lvliang_eco.admin import ReadOnlyAdmin
from submissions.services import approved_results_watch

from .models import (
    ConstructionStandardRule,
    DeclaredFigure,
    Domain,
    GroupStandard,
    Indicator,
    StandardChange,
    StandardOverride,
    StatedFigure,
    TaskArea,
)
from .resources import (
    ConstructionStandardRuleResource,
    DeclaredFigureResource,
    DomainResource,
    GroupStandardResource,
    IndicatorResource,
    IndicatorRuleResource,
    StandardOverrideResource,
    StatedFigureResource,
    TaskAreaResource,
)
from .rules import describe_rule

RULE_FIELDS = ("standard_rule", "target_2025_rule", "target_2030_rule")


class StandardsAdmin(ImportExportModelAdmin):
    """Admin of what results are judged against (rules, area standards, the construction
    standard rule): every save, deletion and import that alters an approved county-year's
    result is recorded on that year (submissions.services.approved_results_watch)."""

    def _watch(self, request, what: str, via: str = StandardChange.Via.ADMIN):
        return approved_results_watch(
            user=request.user, what=f"{request.user.get_username()}{what}", via=via
        )

    def save_model(self, request, obj, form, change: bool) -> None:
        with self._watch(request, f"修改{self.model._meta.verbose_name}“{obj}”"):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        with self._watch(request, f"删除{self.model._meta.verbose_name}“{obj}”"):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with self._watch(request, f"批量删除{self.model._meta.verbose_name}"):
            super().delete_queryset(request, queryset)

    def process_import(self, request, **kwargs):
        with self._watch(
            request, f"导入{self.model._meta.verbose_name}", StandardChange.Via.IMPORT
        ):
            return super().process_import(request, **kwargs)


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
            return queryset.filter(Q(**own) | Q(**inherited))
        return queryset


@admin.register(Indicator)
class IndicatorAdmin(StandardsAdmin):
    resource_classes = [IndicatorResource, IndicatorRuleResource]
    readonly_fields = ("rule_summary",)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "number",
                    "parent",
                    "task",
                    "order",
                    "name",
                    "unit",
                    "attribute",
                    "note",
                ]
            },
        ),
        ("规划原文", {"fields": ["standard", "target_2025", "target_2030"]}),
        (
            "判定规则",
            {
                "fields": [
                    "rule_summary",
                    "good_direction",
                    *RULE_FIELDS,
                    "rule_note",
                    "rule_locked",
                ],
                "description": "规则为 JSON，格式见 indicators/rules.py；保存时检查格式，"
                "修改后自动标记为人工核定，重新加载规划数据不会覆盖。",
            },
        ),
        ("其他", {"fields": ["plausible_change_percent", "benefit_aliases", "source_line"]}),
    ]
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

    @admin.display(description="当前规则（中文）")
    def rule_summary(self, obj: Indicator) -> str:
        return (
            f"指标值：{describe_rule(obj.standard_rule)}；2025年：{describe_rule(obj.target_2025_rule)}；"
            f"2030年：{describe_rule(obj.target_2030_rule)}"
        )

    def save_model(self, request, obj: Indicator, form, change: bool) -> None:
        if change and set(RULE_FIELDS) & set(form.changed_data):
            obj.rule_locked = True
        super().save_model(request, obj, form, change)


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(ImportExportModelAdmin):
    resource_classes = [DeclaredFigureResource]
    list_display = ("key", "value", "unit", "source", "quote")
    search_fields = ("key", "quote")


@admin.register(StatedFigure)
class StatedFigureAdmin(ImportExportModelAdmin):
    """Figures the text states about indicators; `reconcile` and 数据核对 hold them against
    Table 1."""

    resource_classes = [StatedFigureResource]
    list_display = ("line", "indicator", "year", "kind", "op", "value", "unit", "quote", "compare")
    list_filter = ("kind", "compare")
    search_fields = ("quote", "source", "scope", "indicator__code")
    autocomplete_fields = ("indicator",)


@admin.register(StandardOverride)
class StandardOverrideAdmin(StandardsAdmin):
    resource_classes = [StandardOverrideResource]
    list_display = ("indicator", "area", "standard", "reason", "is_demo")
    list_filter = ("area", "indicator__task__domain", "is_demo")
    search_fields = ("indicator__name", "area__name", "reason")
    autocomplete_fields = ("indicator",)


@admin.register(GroupStandard)
class GroupStandardAdmin(StandardsAdmin):
    """Bars per terrain group or climate zone, with the source staff cite; every change is in
    the standards history (标准变更记录) and, where it moves an approved year's result, on
    that year."""

    resource_classes = [GroupStandardResource]
    list_display = ("indicator", "terrain", "climate_zone", "standard", "source")
    list_filter = ("terrain", "climate_zone")
    search_fields = ("indicator__name", "source")
    autocomplete_fields = ("indicator",)


@admin.register(ConstructionStandardRule)
class ConstructionStandardRuleAdmin(StandardsAdmin):
    """One row: the rule for reaching the construction standard."""

    resource_classes = [ConstructionStandardRuleResource]
    list_display = ("description_text", "reference_min_share", "basis", "updated_at")

    @admin.display(description="规则")
    def description_text(self, obj: ConstructionStandardRule) -> str:
        return obj.description

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StandardChange)
class StandardChangeAdmin(ReadOnlyAdmin):
    """The history of standards, read-only: written by every route that changes them."""

    list_display = ("at", "kind", "subject", "field", "old", "new", "via", "by")
    list_filter = ("kind", "via", "field")
    search_fields = ("subject", "old", "new")
    date_hierarchy = "at"
