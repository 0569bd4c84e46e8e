"""The move to the vocabulary app keeps every row and reference.

Rows are written with the models as they were before the move (courses 0003, archive 0004,
no vocabulary app), then the migrations run forward and the rows are read back with
today's models.
"""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from archive.models import ActivityPage
from courses.models import CoursePage
from vocabulary.models import Person, Theme

BEFORE = [
    ("courses", "0003_alter_courseindexpage_options"),
    ("archive", "0004_alter_archiveindexpage_options"),
    ("vocabulary", None),
]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _page(apps, model: str, *, path: str, **fields):
    """A page row written with a historical model (no treebeard helpers there)."""
    app_label, name = model.split(".")
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=name.lower()
    )
    locale = fields.pop("locale")
    return apps.get_model(app_label, name).objects.create(
        path=path,
        depth=2,
        numchild=0,
        url_path=f"/{path}/",
        title=path,
        draft_title=path,
        slug=path.lower(),
        content_type=content_type,
        locale=locale,
        **fields,
    )


def _link(page, field: str, targets) -> None:
    # Through rows directly: a historical model's parental many-to-many defers writes to save().
    through = getattr(type(page), field).through
    source = type(page)._meta.model_name
    (target,) = {f.name for f in through._meta.fields} - {"id", source}
    through.objects.bulk_create([through(**{f"{source}_id": page.pk, f"{target}_id": t.pk}) for t in targets])


def _old_rows(apps) -> dict:
    """Themes, trainers, people, modules, an activity, a profile and permissions, as they were."""
    Locale = apps.get_model("wagtailcore", "Locale")
    ar, _ = Locale.objects.get_or_create(language_code="ar")
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    Theme = apps.get_model("courses", "Theme")
    key = uuid.uuid4()
    gis_ar = Theme.objects.create(
        name="نظم المعلومات الجغرافية", slug="gis", locale=ar, translation_key=key, sort_order=3
    )
    gis_fr = Theme.objects.create(name="SIG", slug="gis", locale=fr, translation_key=key, sort_order=3)
    governance = Theme.objects.create(name="تحسين الحكامة", slug="governance", locale=ar, sort_order=1)

    user = apps.get_model("accounts", "User").objects.create(
        email="karim@example.ma", full_name="Karim", province="essaouira"
    )
    collection = apps.get_model("wagtailcore", "Collection").objects.filter(depth=1).first()
    photo = apps.get_model("wagtailimages", "Image").objects.create(
        title="portrait", file="original_images/portrait.png", width=1, height=1, collection=collection
    )
    Trainer = apps.get_model("courses", "Trainer")
    karim = Trainer.objects.create(name="Karim El Idrissi", affiliation="Dar Al-Muntakhab", user=user, photo=photo)
    fatima = Trainer.objects.create(name="فاطمة الزهراء", affiliation="جامعة القاضي عياض")
    nadia_trainer = Trainer.objects.create(name="Nadia Geo", affiliation="")

    OldPerson = apps.get_model("archive", "Person")
    nadia = OldPerson.objects.create(name="Nadia Geo", affiliation="Université Cadi Ayyad", kind="academic")
    ahmed = OldPerson.objects.create(name="أحمد الخبير", affiliation="وزارة الداخلية", kind="state-official")

    module = _page(apps, "courses.CoursePage", path="00019001", locale=ar, theme=gis_ar, summary="ملخص")
    _link(module, "trainers", [karim, fatima, nadia_trainer])
    module_fr = _page(apps, "courses.CoursePage", path="00019002", locale=fr, theme=gis_fr, summary="Résumé")
    _link(module_fr, "trainers", [nadia_trainer])
    activity = _page(
        apps,
        "archive.ActivityPage",
        path="00019003",
        locale=ar,
        reference_code="MDE-2017-001",
        start_date=datetime.date(2017, 3, 14),
        province="safi",
    )
    _link(activity, "themes", [gis_ar, governance])
    _link(activity, "trainers", [nadia, ahmed])

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    theme_type, _ = ContentType.objects.get_or_create(app_label="courses", model="theme")
    trainer_type, _ = ContentType.objects.get_or_create(app_label="courses", model="trainer")
    # get_or_create: the editorial migration (not undone by this test) made a Reviewers group already.
    reviewers, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Reviewers")
    reviewers.permissions.add(
        *(
            Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": codename})[
                0
            ]
            for content_type, codename in ((trainer_type, "change_trainer"), (theme_type, "change_theme"))
        )
    )
    return {
        "themes": {t.pk: (t.slug, t.locale_id, str(t.translation_key), t.name) for t in (gis_ar, gis_fr, governance)},
        "gis_ar": gis_ar.pk,
        "gis_fr": gis_fr.pk,
        "governance": governance.pk,
        "nadia": nadia.pk,
        "ahmed": ahmed.pk,
        "user": user.pk,
        "photo": photo.pk,
        "module": module.pk,
        "module_fr": module_fr.pk,
        "activity": activity.pk,
        "theme_type": theme_type.pk,
    }


def test_themes_people_and_their_references_survive_the_move():
    """Theme ids, translation keys and links, archive people (same ids), trainers (merged into a
    namesake or copied with account and photo), module and activity links, provinces and
    permissions are all there after migrating forward."""
    executor = _migrate(BEFORE)
    old = _old_rows(executor.loader.project_state(BEFORE[:2]).apps)

    _migrate(executor.loader.graph.leaf_nodes())

    themes = {
        t.pk: (t.slug, t.locale_id, str(t.translation_key), t.name) for t in Theme.objects.filter(pk__in=old["themes"])
    }
    assert themes == old["themes"]
    assert CoursePage.objects.get(pk=old["module"]).theme_id == old["gis_ar"]
    assert CoursePage.objects.get(pk=old["module_fr"]).theme_id == old["gis_fr"]
    activity = ActivityPage.objects.get(pk=old["activity"])
    assert set(activity.themes.values_list("pk", flat=True)) == {old["gis_ar"], old["governance"]}
    assert activity.province == "safi"
    assert User.objects.get(pk=old["user"]).province == "essaouira"

    nadia, ahmed = Person.objects.get(pk=old["nadia"]), Person.objects.get(pk=old["ahmed"])
    assert (nadia.name_fr, nadia.name_ar, nadia.affiliation_fr, nadia.kind) == (
        "Nadia Geo",
        "",
        "Université Cadi Ayyad",
        "academic",
    )
    assert (ahmed.name_ar, ahmed.affiliation_ar, ahmed.kind) == ("أحمد الخبير", "وزارة الداخلية", "state-official")
    assert set(activity.trainers.values_list("pk", flat=True)) == {old["nadia"], old["ahmed"]}

    module_people = CoursePage.objects.get(pk=old["module"]).trainers.all()
    karim = module_people.get(name_fr="Karim El Idrissi")
    assert (karim.user_id, karim.photo_id, karim.affiliation_fr, karim.kind) == (
        old["user"],
        old["photo"],
        "Dar Al-Muntakhab",
        "trainer",
    )
    fatima = module_people.get(name_ar="فاطمة الزهراء")
    assert (fatima.name_fr, fatima.affiliation_ar) == ("", "جامعة القاضي عياض")
    # The trainer "Nadia Geo" and the archive's speaker "Nadia Geo" are one person now.
    assert module_people.filter(pk=old["nadia"]).exists()
    assert list(CoursePage.objects.get(pk=old["module_fr"]).trainers.values_list("pk", flat=True)) == [old["nadia"]]
    assert Person.objects.count() == 4

    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    theme_type = ContentType.objects.get(app_label="vocabulary", model="theme")
    assert theme_type.pk == old["theme_type"]
    assert not ContentType.objects.filter(app_label="courses", model="theme").exists()
    granted = set(Group.objects.get(name="Reviewers").permissions.values_list("content_type__app_label", "codename"))
    assert {("vocabulary", "change_person"), ("vocabulary", "change_theme")} <= granted
    editors = set(Group.objects.get(name="Editors").permissions.values_list("content_type__app_label", "codename"))
    assert {("vocabulary", "add_theme"), ("vocabulary", "change_theme")} <= editors


@pytest.mark.django_db
def test_every_relation_to_the_vocabulary_points_at_its_table():
    """On the database the migrations built, each foreign key to a theme or a person (the
    modules', the activities' and their many-to-many tables) references the vocabulary's table."""
    from django.apps import apps

    checked = set()
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.local_fields:
                target = field.related_model
                if field.is_relation and target in (Theme, Person):
                    relations = connection.introspection.get_relations(cursor, model._meta.db_table)
                    assert relations[field.column][1] == target._meta.db_table, (model._meta.db_table, field.column)
                    checked.add((model._meta.db_table, field.column))
    assert {
        ("courses_coursepage", "theme_id"),
        ("courses_coursepage_trainers", "person_id"),
        ("archive_activitypage_themes", "theme_id"),
        ("archive_activitypage_trainers", "person_id"),
    } <= checked
