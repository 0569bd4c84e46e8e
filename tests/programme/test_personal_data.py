"""Personal data (law 09-08): an official sees and downloads everything Takwin holds about them, and
deleting them removes the person while the figures stay; the public and other people see no names."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courses.models import Certificate, Enrolment
from programme.models import Registration
from programme.selectors.figures import FigureFilters, programme_figures
from programme.services.closing import session_close
from programme.services.evaluations import evaluation_submit
from tests.factories import PASSWORD, UserFactory
from tests.programme.factories_after import attend, make_session, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(plan):
    """An official enrolled in a module (completed, with its certificate), registered at a session they
    attended and evaluated; the session is closed (so they hold an attendance certificate too)."""
    from courses.services import certificate_issue
    from tests.courses.factories import make_course

    user = UserFactory(full_name="Khadija Official", email="khadija@example.ma")
    module = make_course(slug="pd", lessons=1, revisions=False)
    now = timezone.now()
    Enrolment.objects.create(user=user, course=module, course_key=module.translation_key, enrolled_at=now, completed_at=now)
    certificate_issue(user=user, course=module)
    session = make_session(code="MDE-2026-P01")
    registration = register(session, user=user, gender="female", category="elected", province="safi")
    registration.phone = "0612345678"
    registration.save()
    attend(registration)
    evaluation_submit(user=user, session=session, satisfaction=5, usefulness=4, comment="Khadija says thanks")
    other = UserFactory(full_name="Someone Else", email="else@example.ma")
    attend(register(session, user=other, gender="male"))
    session_close(session=session)
    return {"user": user, "session": session, "other": other}


def test_the_readable_page_lists_every_part(official, client):
    client.force_login(official["user"])
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("account", "enrolments", "certificates", "progress", "quiz_attempts", "registrations", "attendance",
                "evaluations", "cohorts"):
        assert f'data-testid="data-{key}"' in html
    assert "0612345678" in html and "MDE-2026-P01" in html and "Khadija says thanks" in html
    assert "else@example.ma" not in html and "Someone Else" not in html


def test_the_json_download(official, client):
    client.force_login(official["user"])
    response = client.get("/fr" + reverse("accounts:my_data_json"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"][0]["email"] == "khadija@example.ma"
    assert [row["session"] for row in data["registrations"]] == ["MDE-2026-P01"]
    assert len(data["attendance"]) == 2 and data["evaluations"][0]["satisfaction"] == 5
    assert {row["kind"] for row in data["certificates"]} == {"module", "attendance"}
    assert len(data["enrolments"]) == 1


def test_the_public_gets_nothing(official, client):
    """Anonymous visitors are sent to log in for the data pages and the attendees; the figures page
    shows aggregates without a name."""
    for url in (reverse("accounts:my_data"), reverse("accounts:my_data_json"),
                reverse("programme:attendees", args=[official["session"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    html = client.get(reverse("programme:figures")).content.decode()
    assert "Khadija" not in html and "khadija@example.ma" not in html


def test_a_wrong_password_deletes_nothing(official, client):
    client.force_login(official["user"])
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong-password-123", "confirm": "on"})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=official["user"].pk).exists()
    assert Registration.objects.filter(email="khadija@example.ma").exists()


def test_deletion_removes_the_person_and_keeps_the_figures(official, client):
    """After deletion: no account, no certificate, the registration blanked (name, e-mail, phone,
    account) with its beneficiary key and counted fields kept, and the figures unchanged."""
    user = official["user"]
    registration = Registration.objects.get(user=user)
    before = programme_figures(filters=FigureFilters(year=2026))
    client.force_login(user)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not Certificate.objects.filter(learner_name="Khadija Official").exists()
    assert not Enrolment.objects.filter(user_id=user.pk).exists()
    after = Registration.objects.get(pk=registration.pk)
    assert (after.full_name, after.email, after.phone, after.user_id) == ("", "", "", None)
    assert after.beneficiary_key == registration.beneficiary_key
    assert (after.gender, after.category, after.province) == ("female", "elected", "safi")
    assert after.attendances.count() == 2
    assert after.evaluation.comment == "" and after.evaluation.satisfaction == 5
    # Every figure stays, the online completion too (kept as an anonymous row, cached until a deletion).
    now = programme_figures(filters=FigureFilters(year=2026))
    assert now["totals"] == before["totals"]
    assert now["totals"]["participations"] == 2 and now["totals"]["beneficiaries"] == 2
    assert before["totals"]["completions"] == now["totals"]["completions"] == 1
    assert now["tables"]["gender"] == before["tables"]["gender"]
    # The other attendee is untouched.
    assert Registration.objects.get(user=official["other"]).full_name == "Someone Else"
    # Logged out: the data page now asks to log in.
    assert client.get(reverse("accounts:my_data")).status_code == 302
