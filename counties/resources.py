from django.contrib.auth.models import User
from import_export import fields, widgets

from lvliang_eco.resources import BaseResource

from .models import Area, CountyAssignment, Milestone, PlanGoal


class AreaResource(BaseResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Area, "code")
    )

    class Meta(BaseResource.Meta):
        model = Area
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "terrain",
            "climate_zone",
            "parent",
            "order",
        )


class CountyAssignmentResource(BaseResource):
    user = fields.Field(
        attribute="user", column_name="user", widget=widgets.ForeignKeyWidget(User, "username")
    )
    area = fields.Field(
        attribute="area", column_name="area", widget=widgets.ForeignKeyWidget(Area, "code")
    )

    class Meta(BaseResource.Meta):
        model = CountyAssignment
        import_id_fields = ("user",)
        fields = ("user", "area")


class PlanGoalResource(BaseResource):
    class Meta(BaseResource.Meta):
        model = PlanGoal
        import_id_fields = ("year", "kind")
        fields = ("year", "kind", "share", "quote")


class MilestoneResource(BaseResource):
    area = fields.Field(
        attribute="area", column_name="area", widget=widgets.ForeignKeyWidget(Area, "code")
    )

    class Meta(BaseResource.Meta):
        model = Milestone
        import_id_fields = ("area", "kind")
        fields = ("area", "kind", "planned_year", "achieved_on", "note", "source")
