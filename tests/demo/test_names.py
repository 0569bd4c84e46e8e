"""The demo's people, venues and communes have Arabic forms: an Arabic page shows Arabic names,
the French page the French ones."""

import re

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from archive.models import ActivityPage
from vocabulary.models import Person

LATIN = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


@pytest.mark.django_db
def test_demo_people_venues_and_communes_read_in_each_language(client):
    """Every demo person has an Arabic name and affiliation; the Arabic activity pages name their
    venue, commune and trainers in Arabic, the French ones in French."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Person.objects.filter(name_ar="").exists()
    assert not Person.objects.filter(affiliation_ar="", affiliation_fr__gt="").exists()
    arabic = ActivityPage.objects.live().filter(locale__language_code="ar")
    assert arabic.exists()
    for page in arabic:
        assert not LATIN.search(page.venue + page.commune), (page.reference_code, page.venue, page.commune)
    generated = arabic.filter(reference_code__contains="-G").order_by("path").first()
    french = generated.get_translation(Locale.objects.get(language_code="fr"))
    assert LATIN.search(french.venue) and french.venue != generated.venue
    html = client.get(generated.url).content.decode()
    # venue, commune, each trainer's name and affiliation are marked with the language they are in
    names = re.findall(r'<span lang="(\w+)" dir="auto">([^<]+)</span>', html)
    assert len(names) >= 4 and all(lang == "ar" and not LATIN.search(text) for lang, text in names), names
