"""Create the Editors, Trainers and Learners groups with their permissions.

Later migrations of other apps add their own models' permissions to these groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PAGE_PERMS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
TRAINER_PAGE_PERMS = ["add_page", "change_page"]
MEDIA_PERMS = {
    "Editors": ["add", "change", "choose", "delete"],
    "Trainers": ["add", "choose"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    editors, _ = Group.objects.get_or_create(name="Editors")
    trainers, _ = Group.objects.get_or_create(name="Trainers")
    Group.objects.get_or_create(name="Learners")

    editors.permissions.add(access_admin)
    trainers.permissions.add(access_admin)
    # Themes were the courses' until they moved to the vocabulary (courses 0004); the tests'
    # restore_migrated_rows() runs this with today's models.
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["courses", "vocabulary"], codename__endswith="_theme")
    )

    for group, codenames in ((editors, EDITOR_PAGE_PERMS), (trainers, TRAINER_PAGE_PERMS)):
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            if root_page:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)

    for group in (editors, trainers):
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            codenames = [f"{action}_{model}" for action in MEDIA_PERMS[group.name]]
            # Not every model defines every action (images have no separate "choose").
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                if root_collection:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Trainers", "Learners"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("courses", "0001_initial"),
        ("wagtailcore", "__latest__"),
        ("wagtailadmin", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("wagtaildocs", "__latest__"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
