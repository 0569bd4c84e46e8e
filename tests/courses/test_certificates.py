"""Certificates: issued once with a unique code, a PDF with shaped Arabic and a QR code, public verification, revocation."""

import re
import subprocess

import pytest
from django.test import Client

from courses.certificates import certificate_pdf
from courses.models import Certificate
from courses.services import certificate_issue, certificate_revoke, enrolment_create
from lessons.services import progress_mark_viewed
from tests.courses.factories import lessons_of, make_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(homes, learner):
    course = make_course(slug="cert", title="الإطار القانوني للجماعات الترابية", lessons=2)
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        progress_mark_viewed(user=learner, lesson=lesson, course_id=course.pk)
    return course, learner, Certificate.objects.get(user=learner, course=course)


def test_certificate_is_issued_once_on_completion(completed):
    """Completing the module issues one certificate; issuing again returns the same one."""
    course, learner, certificate = completed
    assert len(certificate.code) == 10
    assert certificate_issue(user=learner, course=course).pk == certificate.pk
    assert Certificate.objects.count() == 1


def test_pdf_text_holds_the_arabic_name_and_module_title(completed, tmp_path):
    """pdftotext finds the learner's Arabic name and the module title, correctly shaped, and the code."""
    course, learner, certificate = completed
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate_pdf(certificate, base_url="http://testserver/"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "فاطمة الزهراء أيت علي" in text
    assert "الإطار القانوني للجماعات الترابية" in text
    assert certificate.code in text
    # pdftotext marks embedded left-to-right runs with bidi controls; drop them and line breaks.
    flat = re.sub("[\u202a-\u202e\n]", "", text)
    assert f"http://testserver/certificates/verify/{certificate.code}/" in flat
    # The full TrueType Amiri is embedded (a web subset would break the text layer; see PITFALLS).
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Amiri" in fonts


def test_french_certificate_pdf(homes, tmp_path):
    """A certificate from a French module is in French."""
    user = UserFactory(full_name="Karim El Idrissi")
    course = make_course(slug="cert-fr", lang="fr", title="Gouvernance locale", lessons=1)
    enrolment_create(user=user, course=course)
    progress_mark_viewed(user=user, lesson=lessons_of(course)[0], course_id=course.pk)
    certificate = Certificate.objects.get(user=user)
    pdf = tmp_path / "fr.pdf"
    pdf.write_bytes(certificate_pdf(certificate, base_url="http://testserver/"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Karim El Idrissi" in text and "Gouvernance locale" in text
    assert "/fr/certificates/verify/" in text


def test_download_is_for_the_holder_only(completed):
    """The holder downloads the PDF; another learner gets 404."""
    course, learner, certificate = completed
    client = Client()
    client.force_login(learner)
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = Client()
    other.force_login(UserFactory())
    assert other.get(f"/certificates/{certificate.code}/pdf/").status_code == 404


def test_public_verification_and_revocation(completed):
    """Anyone sees name, module and validity; after staff revoke it, the page says revoked."""
    course, learner, certificate = completed
    html = Client().get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert "فاطمة الزهراء أيت علي" in html and "verdict--valid" in html
    staff = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(Exception):  # noqa: B017 - a reason is required
        certificate_revoke(certificate=certificate, by=staff, reason="")
    client = Client()
    client.force_login(staff)
    client.post(f"/certificates/{certificate.code}/revoke/", {"reason": "Erreur de saisie"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_by == staff
    html = Client().get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert "verdict--revoked" in html


def test_learner_cannot_revoke(completed):
    """A learner posting to the revoke URL gets 403 and the certificate stays valid."""
    course, learner, certificate = completed
    client = Client()
    client.force_login(learner)
    assert client.post(f"/certificates/{certificate.code}/revoke/", {"reason": "x"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_unknown_code_is_404():
    """An unknown code is not found."""
    assert Client().get("/certificates/verify/NOPE000000/").status_code == 404


@pytest.mark.parametrize("code", ["a%00b", "ABC%2F..", "x" * 33, "%D9%A3%D9%A3"])
def test_a_code_that_is_no_code_is_a_404_without_touching_the_database(code):
    """A verification address whose code holds anything but letters and digits (a NUL byte, which
    PostgreSQL refuses in a query, a slash, Arabic digits, more than 32 characters) is a 404, and
    no certificate is looked up with it (the page tree may still be asked for such a path)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for path in (f"/certificates/verify/{code}/", f"/fr/certificates/{code}/pdf/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 404, path
        assert not [q for q in captured.captured_queries if "courses_certificate" in q["sql"]], path
