"""The check-in permission, granted to the "Programme" group (created here if it does not exist yet)."""

from django.db import migrations

GROUP = "Programme"


def grant(apps, schema_editor):
    """Create ``programme.check_in`` now (post_migrate would be too late for the grant) and give it to the group."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="programme", model="attendance")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="check_in", defaults={"name": "Can check attendees in at the door"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ("programme", "0002_progcore_reminders_and_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="attendance",
            options={
                "permissions": [("check_in", "Can check attendees in at the door")],
                "verbose_name": "attendance", "verbose_name_plural": "attendances",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
