"""Data migration: the one construction-standard rule row, with the documented default."""

from decimal import Decimal

from django.db import migrations


def create_default(apps, schema_editor):
    Rule = apps.get_model("indicators", "ConstructionStandardRule")
    Rule.objects.get_or_create(pk=1, defaults={"reference_min_share": Decimal("0.80")})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_rules_and_overrides")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
