"""Data migration: every stored number is read again from its value text.

Before the one write path, an upload that corrected an existing value and an admin edit of the
value text left the old number in place, so the status was judged on a value nobody reported.
The text is what was reported; the number is derived from it."""

from django.db import migrations


def rederive(apps, schema_editor):
    from indicators.parsing import parse_value_text

    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    stale = []
    for value in IndicatorValue.objects.only("pk", "value_text", "number").iterator():
        number = parse_value_text(value.value_text).number
        if number != value.number:
            value.number = number
            stale.append(value)
    IndicatorValue.objects.bulk_update(stale, ["number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_default_construction_standard_rule")]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
