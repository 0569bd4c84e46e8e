"""The activity record: validation, translations, permalinks and the series level."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.models import ActivityPage, ActivitySeriesPage
from archive.services import activity_upsert

from .conftest import activity_data

# The archive index is made once for the module (module_db).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_archive_index")]


def test_upsert_creates_arabic_source_and_french_translation(make_activity):
    """One upsert gives an Arabic page and its French translation sharing the reference code and themes by locale."""
    page = make_activity()
    fr = page.get_translation(page.locale.__class__.objects.get(language_code="fr")).specific
    assert fr.reference_code == page.reference_code == "MDE-2017-001"
    assert fr.title == "Atelier sur la gouvernance"
    assert [t.locale.language_code for t in fr.themes.all()] == ["fr"]
    assert [t.locale.language_code for t in page.themes.all()] == ["ar"]
    assert page.beneficiaries_total == 20 and page.women == 8 and page.men == 12


def test_upsert_twice_updates_and_never_duplicates(archive_index, make_activity):
    """Re-running the service with the same reference code updates the record in place."""
    make_activity()
    page = make_activity(titles={"ar": "عنوان جديد", "fr": "Nouveau titre"})
    assert ActivityPage.objects.filter(reference_code="MDE-2017-001").count() == 2  # ar + fr
    assert ActivityPage.objects.get(pk=page.pk).title == "عنوان جديد"


def test_end_before_start_is_refused_in_the_editor_language(archive_index):
    """An end date before the start date is refused with a message in the active language."""
    data = activity_data(end_date=datetime.date(2017, 3, 1))
    with translation.override("fr"), pytest.raises(ValidationError) as excinfo:
        activity_upsert(index=archive_index, data=data)
    assert "end_date" in excinfo.value.message_dict
    assert not ActivityPage.objects.exists()


def test_total_must_add_up(archive_index):
    """A breakdown that does not sum to the total is refused, and nothing is saved."""
    with pytest.raises(ValidationError) as excinfo:
        activity_upsert(index=archive_index, data=activity_data(beneficiaries_total=21))
    assert "beneficiaries_total" in excinfo.value.message_dict
    assert "21" in excinfo.value.message_dict["beneficiaries_total"][0]
    assert not ActivityPage.objects.exists()


def test_total_alone_is_accepted_for_press_records(make_activity):
    """A record known only by its total (no breakdown) is valid."""
    page = make_activity(counts={}, beneficiaries_total=800)
    assert page.beneficiaries_total == 800 and page.breakdown_total == 0


def test_permalink_uses_year_and_reference_and_survives_a_title_change(client, make_activity):
    """The URL is /archive/<year>/<reference>/ in both languages, and stays when the title changes."""
    page = make_activity()
    assert page.url == "/archive/2017/MDE-2017-001/"
    make_activity(titles={"ar": "عنوان آخر تماما", "fr": "Un tout autre titre"})
    response = client.get("/archive/2017/MDE-2017-001/")
    assert response.status_code == 200 and "عنوان آخر تماما" in response.content.decode()
    response = client.get("/fr/archive/2017/MDE-2017-001/")
    assert response.status_code == 200 and "Un tout autre titre" in response.content.decode()
    assert client.get("/archive/2016/MDE-2017-001/").status_code == 404
    assert client.get("/archive/2017/NOPE/").status_code == 404


def test_activity_in_a_series_keeps_the_short_permalink(archive_index, make_activity):
    """Under a series (ISAD(G) series → file) the permalink is still /archive/<year>/<reference>/."""
    series = ActivitySeriesPage(title="تكوين المكونين", slug="tot-2022", level="cycle")
    archive_index.add_child(instance=series)
    series.save_revision().publish()
    page = make_activity("MDE-2022-TOT", series_slug="tot-2022", start_date=datetime.date(2022, 5, 2), end_date=None)
    assert page.get_parent().specific == series
    assert page.url == "/archive/2022/MDE-2022-TOT/"


def test_documents_stay_with_each_translation_after_later_edits(make_activity):
    """Publishing the French page again (as the admin does) keeps documents on both language versions."""
    page = make_activity(attachments={"programme.pdf": b"%PDF-1.4"})
    fr = page.get_translations().get().specific
    fr.title = "Titre revu"
    fr.save_revision().publish()
    page = ActivityPage.objects.get(pk=page.pk)
    page.save_revision().publish()
    assert ActivityPage.objects.get(pk=page.pk).documents.count() == 1
    assert ActivityPage.objects.get(pk=fr.pk).documents.count() == 1
