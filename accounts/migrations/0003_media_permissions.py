"""Let trainers upload recordings and editors manage them (media pipeline permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["add", "change", "delete", "choose"],
    "Trainers": ["add", "change", "choose"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("media_pipeline")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    for name, actions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        # wagtailmedia checks permissions per collection, our own views per model: grant both.
        permissions = Permission.objects.filter(
            content_type__app_label="media_pipeline", codename__in=[f"{a}_mediaasset" for a in actions]
        )
        group.permissions.add(*permissions)
        if root_collection:
            for permission in permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_groups"),
        ("media_pipeline", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
