"""Certificates as their holders and the public meet them: a form to type a code, a not-found
page in the visitor's language, the PDF in the language asked for with the training's length and
a signature, and wording that agrees with the learner's gender."""

import re
import subprocess

import pytest
from django.test import Client

from courses.certificates import certificate_pdf
from courses.models import Certificate
from courses.services import enrolment_create
from lessons.services import progress_mark_viewed
from tests.courses.factories import lessons_of, make_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext wraps runs in bidi controls and writes a shadda as its own "word" (أتم ّت).
    return re.sub("[\u202a-\u202e]", "", text).replace(" \u0651", "\u0651")


@pytest.fixture
def bilingual(homes):
    """An Arabic module of two 20-minute lessons with a French translation, completed by a woman."""
    from demo.pages import ensure_translation

    course = make_course(slug="cert", title="الإطار القانوني", lessons=2)
    ensure_translation(course, "fr", title="Le cadre juridique", slug="cert")
    for lesson in lessons_of(course):
        lesson.estimated_minutes = 20
        lesson.save()
    learner = UserFactory(full_name="أمينة", gender="female")
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        progress_mark_viewed(user=learner, lesson=lesson, course_id=course.pk)
    return course, learner, Certificate.objects.get(user=learner, course=course)


def test_the_verification_form_opens_the_certificate_typed(bilingual):
    """/certificates/verify/ has a form; a code typed with spaces, dashes or small letters opens its page."""
    _, _, certificate = bilingual
    client = Client()
    html = client.get("/fr/certificates/verify/").content.decode()
    assert 'name="code"' in html and "Code de vérification" in html
    typed = f" {certificate.code[:5].lower()}-{certificate.code[5:]} "
    response = client.get("/fr/certificates/verify/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/fr/certificates/verify/{certificate.code}/"


def test_a_code_with_other_characters_is_refused_in_the_visitors_language():
    """A code holding Arabic digits or punctuation is a 400 with the reason, in French on /fr/."""
    response = Client().get("/fr/certificates/verify/", {"code": "٣٣/.."})
    assert response.status_code == 400
    assert "que des lettres et des chiffres" in response.content.decode()


@pytest.mark.parametrize(("prefix", "words"), [("", "لم يُعثر على الشهادة"), ("/fr", "Certificat introuvable")])
def test_an_unknown_code_is_a_localised_404_with_the_form(prefix, words):
    """An unknown code answers 404 with a page in the visitor's language and the form filled in."""
    response = Client().get(f"{prefix}/certificates/verify/NOPE234567/")
    html = response.content.decode()
    assert response.status_code == 404
    assert words in html and 'value="NOPE234567"' in html


def test_the_pdf_is_in_the_language_asked_for(bilingual, tmp_path):
    """From the French pages (or ?lang=fr) the PDF is French: the module's French title, the French
    verification address and the length in French; the Arabic one stays Arabic."""
    _, learner, certificate = bilingual
    client = Client()
    client.force_login(learner)
    french = pdf_text(tmp_path, client.get(f"/fr/certificates/{certificate.code}/pdf/").content)
    assert "Le cadre juridique" in french and "a suivi avec succès" in french
    assert "40 minutes" in french and "/fr/certificates/verify/" in french
    assert "Le directeur de la Maison de l'Élu" in french
    asked = pdf_text(tmp_path, client.get(f"/certificates/{certificate.code}/pdf/?lang=fr").content)
    assert "Le cadre juridique" in asked
    arabic = pdf_text(tmp_path, client.get(f"/certificates/{certificate.code}/pdf/").content)
    assert "الإطار القانوني" in arabic and "مدير دار المنتخب" in arabic
    assert "مدة التكوين" in arabic and "40" in arabic and "دقيقة" in arabic


def test_the_wording_agrees_with_the_learners_gender(bilingual, tmp_path):
    """A woman's Arabic certificate reads أتمّت, a man's أتمّ."""
    course, learner, certificate = bilingual
    assert "أتمّت" in pdf_text(tmp_path, certificate_pdf(certificate, base_url="http://testserver/"))
    learner.gender = "male"
    learner.save()
    certificate.refresh_from_db()
    text = pdf_text(tmp_path, certificate_pdf(certificate, base_url="http://testserver/"))
    assert "أتمّ" in text and "أتمّت" not in text


@pytest.mark.parametrize(
    ("gender", "arabic", "french"),
    [("female", "تم تسجيلكِ", "Vous êtes inscrite."), ("male", "تم تسجيلك.", "Vous êtes inscrit.")],
)
def test_enrolment_messages_follow_the_learners_gender(homes, gender, arabic, french):
    """The enrolment message addresses a woman in the feminine, in Arabic and in French."""
    course = make_course(slug="msg", lessons=1)
    client = Client()
    client.force_login(UserFactory(gender=gender))
    html = client.post(f"/enrol/{course.pk}/", follow=True).content.decode()
    assert arabic in html
    client.post(f"/unenrol/{course.pk}/")
    html = client.post(f"/fr/enrol/{course.pk}/", follow=True).content.decode()
    assert french in html
