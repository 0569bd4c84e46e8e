"""Theme moves to the shared vocabulary app, rows untouched.

The table is renamed (``courses_theme`` → ``vocabulary_theme``), so every theme keeps its
id, translation key and locale, and ``CoursePage.theme`` keeps pointing at the same rows
(only the migration state learns that the model is now ``vocabulary.Theme``). The content
type is renamed too, so the Editors' theme permissions and Wagtail's references follow.
"""

import django.db.models.deletion
from django.db import migrations, models


def _rename_content_type(apps, old_label: str, new_label: str, model: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label=old_label, model=model).first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label=new_label, model=model).first()
    if new is None:
        old.app_label = new_label
        old.save(update_fields=["app_label"])
        return
    # Both exist (permissions were created for the new app before this ran): the new type
    # takes over the old one's permissions, with their groups and users.
    for permission in Permission.objects.filter(content_type=old):
        twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
            continue
        twin.group_set.add(*permission.group_set.all())
        twin.user_set.add(*permission.user_set.all())
        permission.delete()
    old.delete()


def forwards(apps, schema_editor):
    _rename_content_type(apps, "courses", "vocabulary", "theme")


def backwards(apps, schema_editor):
    _rename_content_type(apps, "vocabulary", "courses", "theme")


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # After the archive's relation to themes exists, so that the rename carries it along.
        ("archive", "0004_alter_archiveindexpage_options"),
        ("courses", "0003_alter_courseindexpage_options"),
        ("vocabulary", "0001_initial"),
    ]

    operations = [
        # In the state too: a migration that runs later and adds a relation to courses.Theme
        # (on a fresh database) must point it at the renamed table.
        migrations.AlterModelTable(name="theme", table="vocabulary_theme"),
        migrations.RunPython(forwards, backwards),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="coursepage",
                    name="theme",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="vocabulary.theme", verbose_name="theme"),
                ),
            ],
            database_operations=[],
        ),
    ]
