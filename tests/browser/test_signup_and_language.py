"""In a real browser: sign up, log out, log in, and switch language on a page."""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


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
