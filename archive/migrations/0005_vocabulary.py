"""The archive's themes and people come from the shared vocabulary.

``ActivityPage.themes`` already points at the renamed theme table (courses 0004): only the
state changes. Every ``archive.Person`` is copied into ``vocabulary.Person`` under the same
id (so ``ActivityPage.trainers`` links and the public ``?trainer=<id>`` addresses stay
valid), its name and affiliation filed as Arabic or French by their script; then the
trainers relation is repointed at the new table and ``archive.Person`` is dropped. Groups
and users that held a permission on archive people get the same one on vocabulary people.
"""

import re

import modelcluster.fields
from django.contrib.auth.management import create_permissions
from django.core.management.color import no_style
from django.db import migrations

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _language(text: str) -> str:
    return "ar" if ARABIC.search(text or "") else "fr"


def _reset_sequence(schema_editor, model) -> None:
    # Rows inserted with explicit ids leave PostgreSQL's identity sequence behind.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def _ensure_permissions(apps, label: str) -> None:
    app_config = apps.get_app_config(label)
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module


def copy_permissions(apps, *, source: tuple[str, str], target: tuple[str, str]) -> None:
    """Give whoever holds ``source``'s add/change/delete/view permission the same on ``target``."""
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps, target[0])
    for action in ("add", "change", "delete", "view"):
        old = Permission.objects.filter(content_type__app_label=source[0], codename=f"{action}_{source[1]}").first()
        new = Permission.objects.filter(content_type__app_label=target[0], codename=f"{action}_{target[1]}").first()
        if old is not None and new is not None:
            new.group_set.add(*old.group_set.all())
            new.user_set.add(*old.user_set.all())


def copy_people(apps, schema_editor):
    OldPerson = apps.get_model("archive", "Person")
    Person = apps.get_model("vocabulary", "Person")
    copies = []
    for old in OldPerson.objects.order_by("pk"):
        person = Person(pk=old.pk, kind=old.kind)
        setattr(person, f"name_{_language(old.name)}", old.name)
        setattr(person, f"affiliation_{_language(old.affiliation)}", old.affiliation)
        copies.append(person)
    Person.objects.bulk_create(copies)
    _reset_sequence(schema_editor, Person)
    copy_permissions(apps, source=("archive", "person"), target=("vocabulary", "person"))


def delete_copies(apps, schema_editor):
    # Reversed: the copies go, so that applying this migration again finds their ids free.
    OldPerson = apps.get_model("archive", "Person")
    apps.get_model("vocabulary", "Person").objects.filter(pk__in=OldPerson.objects.values("pk")).delete()


def uncopy_people(apps, schema_editor):
    # Back to the old state: the people the archive's activities name return to archive.Person.
    OldPerson = apps.get_model("archive", "Person")
    Person = apps.get_model("vocabulary", "Person")
    used = apps.get_model("archive", "ActivityPage").trainers.through.objects.values("person_id")
    OldPerson.objects.bulk_create([
        OldPerson(pk=p.pk, name=p.name_fr or p.name_ar, affiliation=p.affiliation_fr or p.affiliation_ar, kind=p.kind)
        for p in Person.objects.filter(pk__in=used).order_by("pk")
    ])
    _reset_sequence(schema_editor, OldPerson)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0004_alter_archiveindexpage_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("courses", "0004_theme_to_vocabulary"),
        ("vocabulary", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="activitypage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name="activities", to="vocabulary.theme", verbose_name="themes"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(copy_people, delete_copies),
        migrations.AlterField(
            model_name="activitypage",
            name="trainers",
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name="activities", to="vocabulary.person", verbose_name="trainers and speakers"),
        ),
        # Reversed, this runs before the relation is pointed back at archive.Person: the rows must be there first.
        migrations.RunPython(migrations.RunPython.noop, uncopy_people),
        migrations.DeleteModel(name="Person"),
    ]
