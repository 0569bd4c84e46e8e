"""A module's length comes from its lessons unless an editor sets it: ``estimated_hours`` may be
empty. Modules still holding the old default of 2 hours (the field could not be left empty, so
nobody chose that figure on purpose that we can tell) lose it and show their lessons' sum."""

from decimal import Decimal

from django.db import migrations, models


def forget_old_default(apps, schema_editor):
    apps.get_model("courses", "CoursePage").objects.filter(estimated_hours=Decimal("2")).update(estimated_hours=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_one_enrolment_across_translations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="coursepage",
            name="estimated_hours",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                help_text="Leave empty to use the sum of the lessons' durations.",
                max_digits=4,
                null=True,
                verbose_name="estimated hours",
            ),
        ),
        migrations.RunPython(forget_old_default, migrations.RunPython.noop),
    ]
