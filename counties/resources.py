from import_export import fields, widgets

from lvliang_eco.resources import BaseResource

from .models import Area


class AreaResource(BaseResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Area, "code")
    )

    class Meta(BaseResource.Meta):
        model = Area
        import_id_fields = ("code",)
        fields = ("code", "name", "short_name", "kind", "terrain", "parent", "order")
