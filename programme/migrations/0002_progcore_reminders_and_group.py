"""Registrations remember when their reminder went out; the "Programme" group of the staff who run sessions.

The group may use the admin, manage the programme's sessions and registrations, read the vocabulary
and the archive's pages' choosers; page permissions on the plan pages are given where the plan sits
(the demo gives them on its plan, staff on theirs), since no archive page exists when this runs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Programme"
MODELS = ["session", "halfday", "quota", "sessionmodule", "registration", "attendance", "evaluation", "cohort", "cohortmember"]


def create_group(apps, schema_editor):
    for label in ("programme", "vocabulary"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="programme", codename__in=codenames))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="vocabulary", codename__startswith="view_"))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))


class Migration(migrations.Migration):

    dependencies = [
        ("programme", "0001_initial"),
        ("accounts", "0002_groups"),
        ("wagtailadmin", "__latest__"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reminded at"),
        ),
        # Going back keeps the group: deleting it through the historical Group model trips over
        # relations that models of later states (Wagtail's page permissions) hold to it.
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
