"""Fixtures for the archive: the Arabic and French archive pages, a few themes, and a record maker."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from archive.models import ArchiveIndexPage
from archive.services import ActivityData, PartnerData, activity_upsert
from demo import home as home_demo
from demo.pages import locale
from vocabulary.services import theme_ensure

THEMES = [("governance", "تحسين الحكامة", "Amélioration de la gouvernance"), ("gis", "نظم المعلومات الجغرافية", "Systèmes d'information géographique"), ("gender-approach", "مقاربة النوع", "L'approche genre")]


def _ensure_wagtail_roots():
    # A transactional test (live server) flushes the tables, including the root page and root
    # collection that Wagtail's data migrations created; put them back when they are gone.
    from wagtail.models import Collection, Page

    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale("ar"), content_type=ContentType.objects.get_for_model(Page)))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")


def make_archive_index() -> ArchiveIndexPage:
    """The Arabic archive index page (its French translation exists too) with three themes."""
    _ensure_wagtail_roots()
    homes = home_demo.load()
    for order, (slug, ar, fr) in enumerate(THEMES, start=1):
        theme_ensure(slug=slug, names={"ar": ar, "fr": fr}, sort_order=order)
    return ArchiveIndexPage.objects.child_of(homes["ar"]).get()


@pytest.fixture(scope="module")
def module_archive_index(module_db, django_db_blocker):
    """The archive index made once for a module that shares it (``module_db``): such a module
    says ``pytest.mark.usefixtures("module_archive_index")`` and its tests get it through
    ``archive_index``, fresh from the database."""
    with django_db_blocker.unblock():
        return make_archive_index()


@pytest.fixture
def archive_index(request, db):
    """The Arabic archive index page (its French translation exists too) with three themes:
    the module's (see ``module_archive_index``), or made for this test."""
    if "module_archive_index" in request.fixturenames:
        # With its locale loaded, as a page the test had just made and used would have it.
        shared = request.getfixturevalue("module_archive_index")
        return ArchiveIndexPage.objects.select_related("locale").get(pk=shared.pk)
    return make_archive_index()


def activity_data(reference="MDE-2017-001", **overrides) -> ActivityData:
    """A valid activity record; keyword arguments replace its fields."""
    values = {
        "reference_code": reference, "activity_type": "workshop", "start_date": datetime.date(2017, 3, 14),
        "end_date": datetime.date(2017, 3, 15),
        "titles": {"ar": "ورشة حول الحكامة", "fr": "Atelier sur la gouvernance"},
        "summaries": {"ar": "ملخص", "fr": "Résumé"},
        "venue": "Dar Al-Muntakhab", "province": "safi", "commune": "Safi", "theme_slugs": ["governance"],
        "trainers": [("Ahmed Expert", "Université Cadi Ayyad", "academic")],
        "partners": [PartnerData(name_ar="وزارة الداخلية", name_fr="Ministère de l'Intérieur")],
        "counts": {"elected_women": 5, "elected_men": 10, "staff_women": 3, "staff_men": 2},
        "beneficiaries_total": 20,
    }
    values.update(overrides)
    return ActivityData(**values)


def activity_on(index, reference="MDE-2017-001", **overrides):
    """Create (or update) an activity under ``index`` through the service; returns the Arabic page."""
    page, _created = activity_upsert(index=index, data=activity_data(reference, **overrides))
    return page


@pytest.fixture
def make_activity(archive_index):
    """Create (or update) an activity through the service; returns the Arabic page."""

    def make(reference="MDE-2017-001", **overrides):
        return activity_on(archive_index, reference, **overrides)

    return make
