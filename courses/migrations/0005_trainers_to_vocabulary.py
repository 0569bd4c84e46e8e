"""Trainers become the shared vocabulary's people; ``courses.Theme`` leaves the state.

Each ``courses.Trainer`` is copied into ``vocabulary.Person`` (kind "trainer", its name
and affiliation filed as Arabic or French by their script, photo and account kept). A
trainer whose name is already a person's (a speaker of the archive, copied by archive
0005) joins that person, unless the person is linked to another account. The id map
then repoints every ``CoursePage.trainers`` link, and ``courses.Trainer`` is dropped.
Groups and users that held a permission on trainers get the same one on people.
"""

import re

import modelcluster.fields
from django.contrib.auth.management import create_permissions
from django.core.management.color import no_style
from django.db import migrations
from django.db.models import Q

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _language(text: str) -> str:
    return "ar" if ARABIC.search(text or "") else "fr"


def _person_for(Person, trainer):
    """The person ``trainer`` becomes: a namesake without another account, or a new person."""
    name_field = f"name_{_language(trainer.name)}"
    affiliation_field = f"affiliation_{_language(trainer.affiliation)}"
    namesake = (
        Person.objects.filter(**{name_field: trainer.name})
        .filter(Q(user__isnull=True) | Q(user_id=trainer.user_id)).order_by("pk").first()
    )
    person = namesake or Person(kind="trainer", **{name_field: trainer.name})
    if not getattr(person, affiliation_field):
        setattr(person, affiliation_field, trainer.affiliation)
    person.photo_id = person.photo_id or trainer.photo_id
    person.user_id = person.user_id or trainer.user_id
    person.save()
    return person


def _copy_permissions(apps) -> None:
    app_config = apps.get_app_config("vocabulary")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    for action in ("add", "change", "delete", "view"):
        old = Permission.objects.filter(content_type__app_label="courses", codename=f"{action}_trainer").first()
        new = Permission.objects.filter(content_type__app_label="vocabulary", codename=f"{action}_person").first()
        if old is not None and new is not None:
            new.group_set.add(*old.group_set.all())
            new.user_set.add(*old.user_set.all())


def copy_trainers(apps, schema_editor):
    Trainer = apps.get_model("courses", "Trainer")
    Person = apps.get_model("vocabulary", "Person")
    CoursePage = apps.get_model("courses", "CoursePage")
    person_of = {trainer.pk: _person_for(Person, trainer).pk for trainer in Trainer.objects.order_by("pk")}
    links = CoursePage.trainers.through.objects.order_by("pk")
    CoursePage.people.through.objects.bulk_create(
        [CoursePage.people.through(coursepage_id=link.coursepage_id, person_id=person_of[link.trainer_id]) for link in links],
        ignore_conflicts=True,  # two trainers of one module who became one person: one link
    )
    _copy_permissions(apps)


def uncopy_trainers(apps, schema_editor):
    # Back to the old state: every person a module names becomes a trainer again, under the person's id.
    Trainer = apps.get_model("courses", "Trainer")
    Person = apps.get_model("vocabulary", "Person")
    CoursePage = apps.get_model("courses", "CoursePage")
    used = CoursePage.people.through.objects.values("person_id")
    Trainer.objects.bulk_create([
        Trainer(pk=p.pk, name=p.name_fr or p.name_ar, affiliation=p.affiliation_fr or p.affiliation_ar,
                photo_id=p.photo_id, user_id=p.user_id)
        for p in Person.objects.filter(pk__in=used).order_by("pk")
    ])
    CoursePage.trainers.through.objects.bulk_create([
        CoursePage.trainers.through(coursepage_id=link.coursepage_id, trainer_id=link.person_id)
        for link in CoursePage.people.through.objects.order_by("pk")
    ])
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Trainer]):
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0005_vocabulary"),
        ("courses", "0004_theme_to_vocabulary"),
        ("vocabulary", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Theme")], database_operations=[]),
        migrations.AddField(
            model_name="coursepage",
            name="people",
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="vocabulary.person"),
        ),
        migrations.RunPython(copy_trainers, uncopy_trainers),
        migrations.RemoveField(model_name="coursepage", name="trainers"),
        migrations.DeleteModel(name="Trainer"),
        migrations.RenameField(model_name="coursepage", old_name="people", new_name="trainers"),
        migrations.AlterField(
            model_name="coursepage",
            name="trainers",
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name="courses", to="vocabulary.person", verbose_name="trainers"),
        ),
    ]
