"""The sign-in sheet: a PDF with shaped Arabic names, and the staff form that enters it afterwards."""

import subprocess

import pytest
from django.urls import reverse

from programme.models import Attendance
from programme.services import checkin

from .factories_door import SessionFactory, door_staff, half_days, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(client):
    session = SessionFactory()
    am, pm = half_days(session)
    people = [registration(session, full_name=name) for name in ("فاطمة الزهراء بنموسى", "Youssef Amrani", "عبد الرحيم الصويري")]
    registration(session, full_name="منتظر في اللائحة", status="waiting")
    staff = door_staff()
    client.force_login(staff)
    return {"session": session, "am": am, "pm": pm, "people": people, "staff": staff, "client": client}


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_sheet_pdf_lists_confirmed_names_shaped_with_codes(door, tmp_path):
    """The Arabic sheet is a PDF whose text layer gives the names as typed (a full TTF), their codes,
    the signature column; the waiting list is not on it."""
    response = door["client"].get(reverse("checkin:sheet_pdf", args=[door["session"].pk, door["am"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for person in door["people"]:
        assert person.full_name in text
        assert person.code in text
    assert "التوقيع" in text and "ورقة التوقيع" in text
    assert "منتظر" not in text


def test_sheet_pdf_in_french(door, tmp_path):
    """Under /fr/ the sheet's headings are French."""
    url = "/fr" + reverse("checkin:sheet_pdf", args=[door["session"].pk, door["am"].pk])
    text = pdf_text(door["client"].get(url).content, tmp_path)
    assert "Feuille d'émargement" in text and "Signature" in text and "Youssef Amrani" in text


def test_sheet_of_another_sessions_half_day_is_404(door):
    """A half-day id of another session does not give its sheet."""
    other = SessionFactory()
    other_am, _ = half_days(other)
    assert door["client"].get(reverse("checkin:sheet_pdf", args=[door["session"].pk, other_am.pk])).status_code == 404
    assert door["client"].get(reverse("checkin:sheet_entry", args=[door["session"].pk, other_am.pk])).status_code == 404


def test_entering_the_sheet_records_attendance_by_sheet(door):
    """Ticking two names records them (method sheet); a scanned person stays as scanned and cannot be unticked."""
    scanned, first, second = door["people"]
    checkin.record_scan(session=door["session"], code=scanned.code, half_day_id=door["am"].pk, user=door["staff"])
    url = reverse("checkin:sheet_entry", args=[door["session"].pk, door["am"].pk])
    html = door["client"].get(url).content.decode()
    assert f'value="{scanned.pk}" checked disabled' in html
    response = door["client"].post(url, {"present": [first.pk, second.pk]}, follow=True)
    assert "2" in response.content.decode()
    assert set(Attendance.objects.filter(half_day=door["am"]).values_list("registration_id", "method")) == {
        (scanned.pk, "qr"), (first.pk, "sheet"), (second.pk, "sheet"),
    }
    door["client"].post(url, {"present": [first.pk]})
    assert not Attendance.objects.filter(registration=second).exists()
    assert Attendance.objects.filter(registration=scanned).exists()


@pytest.mark.parametrize("present", [["x"], ["99999999999999999999"], ["-1"]])
def test_bad_sheet_input_is_an_error_message_not_a_500(door, present):
    """Unreadable or foreign ids: a message on the form, nothing written."""
    url = reverse("checkin:sheet_entry", args=[door["session"].pk, door["am"].pk])
    response = door["client"].post(url, {"present": present})
    assert response.status_code == 200
    assert b"message--error" in response.content
    assert not Attendance.objects.exists()
