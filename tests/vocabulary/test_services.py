"""The vocabulary's services and models: people named in either language, communes, admin screens."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.vocabulary.factories import CommuneFactory, PersonFactory
from vocabulary.models import Commune, Person
from vocabulary.services import commune_ensure, person_ensure, person_for_record

pytestmark = pytest.mark.django_db


def test_a_record_files_names_and_affiliations_by_script():
    """An Arabic name goes to name_ar, a Latin one to name_fr; the same for affiliations."""
    ahmed = person_for_record(name="أحمد الخبير", affiliation="وزارة الداخلية", kind="state-official")
    nadia = person_for_record(name="Nadia Geo", affiliation="Université Cadi Ayyad", kind="academic")
    assert (ahmed.name_ar, ahmed.name_fr, ahmed.affiliation_ar, ahmed.kind) == (
        "أحمد الخبير",
        "",
        "وزارة الداخلية",
        "state-official",
    )
    assert (nadia.name_fr, nadia.name_ar, nadia.affiliation_fr, nadia.kind) == (
        "Nadia Geo",
        "",
        "Université Cadi Ayyad",
        "academic",
    )


def test_a_record_finds_a_person_by_either_name_and_updates_affiliation():
    """A person entered with both names is found by the French one; a new affiliation updates them,
    a record without affiliation leaves them alone."""
    person = PersonFactory(name_ar="نادية", name_fr="Nadia Geo", affiliation_fr="", kind="expert")
    assert person_for_record(name="Nadia Geo", affiliation="", kind="academic").pk == person.pk
    person.refresh_from_db()
    assert (person.affiliation_fr, person.kind) == ("", "expert")
    assert person_for_record(name="نادية", affiliation="UCA", kind="academic").pk == person.pk
    person.refresh_from_db()
    assert (person.affiliation_fr, person.kind) == ("UCA", "academic")
    assert Person.objects.count() == 1


def test_person_ensure_writes_both_languages_once_then_completes_a_known_person():
    """A person known by one spelling gets the other language's name and affiliation; a second
    call with the same fields changes nothing; an account links only a person without one."""
    from tests.factories import UserFactory

    known = person_for_record(name="Leila Tazi", affiliation="Cabinet d'études territoriales")
    user = UserFactory()
    person = person_ensure(name_ar="ليلى التازي", name_fr="Leila Tazi", affiliation_ar="مكتب الدراسات الترابية",
                           affiliation_fr="Cabinet d'études territoriales", user=user)
    assert person.pk == known.pk and Person.objects.count() == 1
    assert (person.name_ar, person.affiliation_ar, person.user) == ("ليلى التازي", "مكتب الدراسات الترابية", user)
    with translation.override("ar"):
        assert (person.name, person.name_lang, person.affiliation) == ("ليلى التازي", "ar", "مكتب الدراسات الترابية")
    again = person_ensure(name_ar="ليلى التازي", name_fr="Leila Tazi", user=UserFactory())
    assert again.user == user and Person.objects.count() == 1


def test_a_person_needs_a_name_in_one_language():
    """Without an Arabic or a French name the person is refused with a clear message."""
    with pytest.raises(ValidationError) as error:
        Person(kind="expert").full_clean()
    assert "name_ar" in error.value.message_dict


def test_names_follow_the_active_language_with_a_fallback():
    """name and affiliation give the active language's text, else the other one's."""
    person = PersonFactory(name_ar="كريم", name_fr="Karim", affiliation_ar="", affiliation_fr="Dar Al-Muntakhab")
    with translation.override("ar"):
        assert (person.name, person.affiliation) == ("كريم", "Dar Al-Muntakhab")
    with translation.override("fr"):
        assert (person.name, person.affiliation) == ("Karim", "Dar Al-Muntakhab")


def test_commune_ensure_creates_once_then_updates():
    """The same commune twice is one row; a changed kind or Arabic name updates it."""
    first = commune_ensure(province="safi", name_ar="آسفي", name_fr="Safi", kind="urban")
    assert commune_ensure(province="safi", name_ar="آسفي", name_fr="Safi", kind="urban").pk == first.pk
    commune_ensure(province="safi", name_ar="اسفي", name_fr="Safi", kind="urban")
    assert Commune.objects.get().name_ar == "اسفي"


def test_commune_in_an_unknown_province_is_refused():
    """A province outside the region is a validation error, nothing written."""
    with pytest.raises(ValidationError):
        commune_ensure(province="fes", name_ar="فاس", name_fr="Fès")
    assert not Commune.objects.exists()


@pytest.mark.parametrize("model", ["theme", "commune", "person"])
def test_admin_lists_the_vocabulary(admin_client, model):
    """Each vocabulary model has its admin listing and add form."""
    assert admin_client.get(f"/admin/snippets/vocabulary/{model}/").status_code == 200
    assert admin_client.get(f"/admin/snippets/vocabulary/{model}/add/").status_code == 200


def test_admin_searches_people_and_communes_by_either_name(admin_client):
    """The listings' search finds a person by the Arabic name and a commune by the French one."""
    PersonFactory(name_ar="فاطمة الزهراء", name_fr="Fatima Zahra")
    PersonFactory(name_ar="كريم", name_fr="Karim")
    CommuneFactory(name_ar="تحناوت", name_fr="Tahannaout", province="al-haouz")
    CommuneFactory(name_ar="أمزميز", name_fr="Amizmiz", province="al-haouz")
    people = admin_client.get("/admin/snippets/vocabulary/person/", {"q": "فاطمة"}).content.decode()
    assert "Fatima Zahra" in people and "Karim" not in people
    communes = admin_client.get("/admin/snippets/vocabulary/commune/", {"q": "Tahannaout"}).content.decode()
    assert "تحناوت" in communes and "أمزميز" not in communes


def test_a_record_links_an_account_only_to_a_person_without_one():
    """A given user links an unlinked person (found by name); an existing link is kept."""
    from tests.factories import UserFactory

    person = PersonFactory(name_fr="Karim El Idrissi", affiliation_fr="DAM", kind="trainer", user=None)
    first, second = UserFactory(), UserFactory()
    assert person_for_record(name="Karim El Idrissi", kind="trainer", user=first).pk == person.pk
    person.refresh_from_db()
    assert person.user_id == first.pk and person.affiliation_fr == "DAM"
    person_for_record(name="Karim El Idrissi", kind="trainer", user=second)
    person.refresh_from_db()
    assert person.user_id == first.pk


def test_theme_ensure_creates_translations_once_then_updates():
    """Each language gets its theme, sharing the source's translation key; a second call with a new
    name updates it in place."""
    from vocabulary.models import Theme
    from vocabulary.services import theme_ensure

    themes = theme_ensure(slug="gis", names={"ar": "نظم المعلومات الجغرافية", "fr": "SIG"}, sort_order=3)
    assert themes["ar"].translation_key == themes["fr"].translation_key
    again = theme_ensure(slug="gis", names={"ar": "نظم المعلومات الجغرافية", "fr": "Systèmes SIG"}, sort_order=3)
    assert Theme.objects.filter(slug="gis").count() == 2
    assert again["fr"].pk == themes["fr"].pk
    assert Theme.objects.get(pk=themes["fr"].pk).name == "Systèmes SIG"
