"""In a real browser: sign up, log out, log in, and switch language on a page."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    """The demo's home pages and its GIS module, in Arabic and French, made by the demo's own
    helpers and data: the pages these tests visit. (``load_demo`` in full, with eleven more
    modules, their lessons, the archive and the accounts, took ~15 s per test.)"""
    from courses.models import CourseIndexPage, CoursePage
    from demo import home as home_demo
    from demo.courses import AUDIENCE, THEMES
    from demo.pages import ensure_child, ensure_translation
    from vocabulary.services import theme_ensure

    homes = home_demo.load()
    order, (slug, title_ar, title_fr, summary_ar, summary_fr) = next(
        (n, theme) for n, theme in enumerate(THEMES, start=1) if theme[0] == "gis"
    )
    themes = theme_ensure(slug=slug, names={"ar": title_ar, "fr": title_fr}, sort_order=order)
    catalogue = CourseIndexPage.objects.child_of(homes["ar"]).get(slug="courses")
    module = ensure_child(
        catalogue,
        CoursePage,
        slug=slug,
        title=title_ar,
        summary=summary_ar,
        theme=themes["ar"],
        audience=AUDIENCE["ar"],
    )
    ensure_translation(
        module, "fr", title=title_fr, slug=slug, summary=summary_fr, theme=themes["fr"], audience=AUDIENCE["fr"]
    )


def test_learner_signs_up_logs_in_and_switches_language(page, live_server, demo):
    """A learner signs up in Arabic, logs out, logs back in, and the switcher opens the French module."""
    page.goto(live_server.url + "/accounts/signup/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_label("عنوان البريد الإلكتروني").fill("hajar@example.ma")
    page.locator("#id_password1").fill("tahannaout-2026")
    page.locator("#id_password2").fill("tahannaout-2026")
    page.locator("#id_full_name").fill("هاجر أوبلا")
    page.locator("#id_province").select_option("al-haouz")
    page.locator("#id_commune").fill("تحناوت")
    page.locator("#id_category").select_option("staff")
    page.locator("#id_gender").select_option("female")
    page.get_by_role("button", name="إنشاء حسابي").click()
    page.wait_for_url(re.compile(r"/my/$"))
    assert "هاجر" in page.content()

    page.get_by_role("button", name="تسجيل الخروج").click()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("عنوان البريد الإلكتروني").fill("hajar@example.ma")
    page.get_by_label("كلمة المرور").fill("tahannaout-2026")
    page.get_by_role("button", name="تسجيل الدخول").click()
    page.wait_for_url(re.compile(r"/my/$"))

    page.goto(live_server.url + "/courses/gis/")
    assert page.locator("h1").inner_text() == "نظم المعلومات الجغرافية"
    page.locator("[data-lang-switch=fr]").click()
    page.wait_for_url(re.compile(r"/fr/courses/gis/$"))
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Systèmes d'information géographique"


def test_signup_errors_are_shown_in_french(page, live_server, demo):
    """Submitting the French form empty shows French errors next to the fields."""
    page.goto(live_server.url + "/fr/accounts/signup/")
    page.get_by_role("button", name="Créer mon compte").click()
    assert page.locator(".field__error").first.inner_text() == "Champ requis."
