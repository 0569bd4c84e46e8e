"""The admin's third-party strings read right in Arabic and French: the project's catalogue
(templates/includes/third_party_strings.txt) overrides Wagtail's and wagtailmedia's where they are
wrong ("انظر في الواقع" for "View live", "302 Pages crées", "3 صورة", a published page called
"نشطة", a language called "région", "1-50 من 96 صفحات")."""

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Page
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

# Wordings that must never come back, by language.
BAD = {
    "ar": ["انظر في الواقع", "نسخة حية", ">نشطة<", "تم إنشاؤها في", "ملف وسائط واحد", "واحد في"],
    "fr": ["crées", "Région", "régions", "Status :", "redacteur", "Aller à contenu"],
}
SUMMARIES = {
    "wagtailadmin/home/site_summary_pages.html": "total_pages",
    "wagtailimages/homepage/site_summary_images.html": "total_images",
    "wagtaildocs/homepage/site_summary_documents.html": "total_docs",
    "wagtailmedia/homepage/site_summary_media.html": "total_media",
}
# What a count reads like on the dashboard: Arabic's six forms, French's two.
EXPECTED = {
    ("ar", "total_pages"): {1: "1 صفحة", 2: "2 صفحتان", 3: "3 صفحات", 11: "11 صفحة", 302: "302 صفحة"},
    ("ar", "total_images"): {1: "1 صورة", 2: "2 صورتان", 3: "3 صور", 11: "11 صورة", 302: "302 صورة"},
    ("ar", "total_docs"): {1: "1 وثيقة", 2: "2 وثيقتان", 3: "3 وثائق", 11: "11 وثيقة", 302: "302 وثيقة"},
    ("ar", "total_media"): {1: "1 ملف وسائط", 2: "2 ملفا وسائط", 3: "3 ملفات وسائط", 11: "11 ملف وسائط", 302: "302 ملف وسائط"},
    ("fr", "total_pages"): {1: "1 page créée dans", 2: "2 pages créées dans", 302: "302 pages créées dans"},
    ("fr", "total_images"): {1: "1 image créée dans", 302: "302 images créées dans"},
    ("fr", "total_docs"): {1: "1 document créé dans", 302: "302 documents créés dans"},
    ("fr", "total_media"): {1: "1 fichier multimédia créé dans", 302: "302 fichiers multimédias créés dans"},
}


def _text(html: str) -> str:
    """The visible and screen-reader text of a fragment, one space between words."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("template", list(SUMMARIES))
def test_dashboard_summary_counts_take_the_languages_plural_forms(template, lang):
    """Each summary line of the admin home reads with the right plural form, no stray markup."""
    variable = SUMMARIES[template]
    for count, expected in EXPECTED[(lang, variable)].items():
        with translation.override(lang):
            html = render_to_string(template, {variable: count, "site_name": "Takwin", "root_page": SimpleNamespace(pk=1)})
        text = _text(html)
        assert text.startswith(expected) or f" {expected}" in f" {text}", (count, text)
        assert html.count("<span") == html.count("</span>"), html
        assert not any(bad in html for bad in BAD[lang]), html


@pytest.fixture
def editor_pages(db):
    """A superuser and a live page under the site's home, which the listing offers to view live."""
    home = Page.objects.filter(depth=2).first()
    child = home.add_child(instance=Page(title="صفحة تجريبية", slug="third-party-strings"))
    user = UserFactory(is_staff=True, is_superuser=True)
    return user, home, child


@pytest.mark.parametrize(
    ("lang", "wanted"),
    [("ar", ["عرض الصفحة المنشورة", "منشورة"]), ("fr", ["Voir la page publiée", "Publiée", "Statut actuel de la page"])],
)
def test_admin_home_listing_and_edit_screen_read_right(client, editor_pages, lang, wanted):
    """The admin home, a page listing and the page's edit screen, in the editor's language, say
    "View live" and "Live" the project's way and none of the bad wordings."""
    user, home, child = editor_pages
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = lang
    profile.save()
    client.force_login(user)
    pages = {}
    for name, url in (("home", "/admin/"), ("listing", f"/admin/pages/{home.pk}/"), ("edit", f"/admin/pages/{child.pk}/edit/")):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode()
    everything = "".join(pages.values())
    for bad in BAD[lang]:
        assert bad not in everything, bad
    for good in wanted:
        assert good in pages["listing"] + pages["edit"], good
    # The listing's count never puts the plural word after a number it cannot agree with.
    assert not re.search(r"\d+-\d+ من \d+\s+صفحات", pages["listing"])
