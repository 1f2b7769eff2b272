from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import User
from import_export.admin import ImportExportModelAdmin

from indicators.admin import StandardsAdmin

from .models import Area, CountyAssignment, Milestone, PlanGoal
from .resources import (
    AreaResource,
    CountyAssignmentResource,
    MilestoneResource,
    PlanGoalResource,
)
from .roles import Role, role_of
from .services import user_role_set


@admin.register(Area)
class AreaAdmin(StandardsAdmin):
    """An area's terrain and climate zone choose its group standards: its edits are watched
    like the standards' (stored results rebuilt, approved years' changes recorded)."""

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


ROLE_CHOICES = [(role.value, role.label) for role in Role]


class RoleFieldsMixin(forms.Form):
    """The role and, for a county officer, the county: what decides what a user sees."""

    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)
    area = forms.ModelChoiceField(
        label="所属县（市、区）",
        queryset=Area.objects.counties(),
        required=False,
        help_text="县区分局用户必填；其他角色留空",
    )

    def clean(self):
        cleaned = super().clean()
        role, area = cleaned.get("role"), cleaned.get("area")
        if role == Role.COUNTY and area is None:
            self.add_error("area", "县区分局用户必须指定所属县（市、区）")
        if role and role != Role.COUNTY and area is not None:
            self.add_error("area", "只有县区分局用户属于某个县（市、区）")
        return cleaned


class AccountCreationForm(RoleFieldsMixin, UserCreationForm):
    """A new login: name, password twice (checked by the password validators), role, county."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name")


class AccountChangeForm(RoleFieldsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "password", "first_name", "email", "is_active")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        role = role_of(self.instance)
        assignment = CountyAssignment.objects.filter(user=self.instance).first()
        self.fields["role"].initial = role.value if role else None
        self.fields["area"].initial = assignment.area_id if assignment else None


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Bureau staff manage logins here: a role and a county instead of Django's groups and
    permissions. Superusers are managed with manage.py (createsuperuser, changepassword)."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password", "is_active")}),
        ("姓名与联系方式", {"fields": ("first_name", "email")}),
        ("角色", {"fields": ("role", "area")}),
        ("登录记录", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "password1", "password2", "role", "area"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "role_label", "county", "is_active", "last_login")
    list_filter = ("is_active", "groups", "county_assignment__area")
    list_select_related = ("county_assignment__area",)
    filter_horizontal = ()

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_superuser=False)

    @admin.display(description="角色")
    def role_label(self, user: User) -> str:
        role = role_of(user)
        return role.label if role else "（无角色）"

    @admin.display(description="所属县（市、区）")
    def county(self, user: User) -> str:
        assignment = getattr(user, "county_assignment", None)
        return assignment.area.name if assignment else ""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user_role_set(
            user=form.instance,
            role=Role(form.cleaned_data["role"]),
            area=form.cleaned_data.get("area"),
        )
