"""Closing a held session publishes its archive entry (both languages) with the real attendance figures."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive.selectors import activity_list
from programme.models import Registration, SessionPage, SessionStatus
from programme.services.closing import session_close
from tests.factories import UserFactory
from tests.programme.factories_after import attend, make_session, register
from vocabulary.services import commune_ensure


@pytest.fixture
def plan(db):
    """The 2026 plan pages (Arabic and French) under the archive, with three themes."""
    from tests.programme.factories_after import plan_pages

    return plan_pages(2026)


pytestmark = pytest.mark.django_db


def _held_session_with_attendance():
    session = make_session(code="MDE-2026-C01")
    safi = commune_ensure(province="safi", name_ar="آسفي", name_fr="Safi", kind="urban")
    jemaa = commune_ensure(province="safi", name_ar="جمعة سحيم", name_fr="Jemaa Shaim")
    people = [
        ("elected", "female", safi), ("elected", "male", safi), ("elected", "male", jemaa),
        ("staff", "female", jemaa), ("other", "male", None),
    ]
    for category, gender, commune in people:
        attend(register(session, category=category, gender=gender, commune=commune))
    register(session, category="staff", gender="female")  # registered, never came: not counted
    cancelled = register(session, category="staff", gender="male", status=Registration.Status.CANCELLED)
    attend(cancelled)  # a cancelled registration never counts, even with a stray scan
    return session


def test_closing_publishes_both_pages_with_the_attendance_figures(plan):
    """Both language pages get elected 1 woman / 2 men, staff 1 woman, other 1 man, 5 in all, 2 communes,
    are listed in the archive through a new published revision, and the session is closed."""
    session = _held_session_with_attendance()
    assert not activity_list(locale=plan["ar"].locale).filter(reference_code="MDE-2026-C01").exists()
    revisions_before = {page.pk: page.revisions.count() for page in SessionPage.objects.filter(session=session)}

    session_close(session=session)

    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    pages = list(SessionPage.objects.filter(session=session).select_related("locale"))
    assert {page.locale.language_code for page in pages} == {"ar", "fr"}
    for page in pages:
        assert (page.elected_women, page.elected_men, page.staff_women, page.staff_men) == (1, 2, 1, 0)
        assert (page.other_women, page.other_men) == (0, 1)
        assert page.beneficiaries_total == 5 and page.communes_count == 2
        assert page.listed and page.live and not page.has_unpublished_changes
        assert page.revisions.count() == revisions_before[page.pk] + 1
        assert page.live_revision == page.latest_revision
        assert page.live_revision.as_object().beneficiaries_total == 5
    for lang in ("ar", "fr"):
        assert activity_list(locale=plan[lang].locale).filter(reference_code="MDE-2026-C01").exists()


@pytest.mark.parametrize("status", [SessionStatus.OPEN, SessionStatus.PLANNED, SessionStatus.CANCELLED, SessionStatus.FULL])
def test_only_a_held_session_closes(plan, status):
    """A session that is not held is refused, and nothing on its pages changes."""
    session = make_session(status=status)
    with pytest.raises(ValidationError) as error:
        session_close(session=session)
    assert error.value.code == "not_held"
    assert not SessionPage.objects.filter(session=session, listed=True).exists()


def test_closing_twice_is_refused(plan):
    """The second close is refused with its own message; the pages keep one closing revision."""
    session = _held_session_with_attendance()
    session_close(session=session)
    counts = [page.revisions.count() for page in SessionPage.objects.filter(session=session)]
    with pytest.raises(ValidationError) as error:
        session_close(session=session)
    assert error.value.code == "closed"
    assert [page.revisions.count() for page in SessionPage.objects.filter(session=session)] == counts


def test_nothing_is_half_written_when_a_page_fails(plan, monkeypatch):
    """If publishing the second page fails, the first page, the session and the listing are untouched."""
    session = _held_session_with_attendance()
    original = SessionPage.save_revision
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(self.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SessionPage, "save_revision", failing)
    with pytest.raises(RuntimeError):
        session_close(session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert not SessionPage.objects.filter(session=session, listed=True).exists()
    assert not SessionPage.objects.filter(session=session, beneficiaries_total__gt=0).exists()


def test_attendees_without_gender_block_closing(plan):
    """An attendee without a gender would break the archive's breakdown: refused with a count."""
    session = make_session()
    attend(register(session, gender=""))
    with pytest.raises(ValidationError) as error:
        session_close(session=session)
    assert error.value.code == "unknown_gender"
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_admin_close_action_for_programme_staff(plan, client, programme_staff):
    """Staff close from the admin screen; a non-staff user gets 403 and the session stays held."""
    session = _held_session_with_attendance()
    url = reverse("programme_after:close", args=[session.pk])
    other = UserFactory(is_staff=True)
    client.force_login(other)
    assert client.post(url).status_code in (302, 403)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD

    client.force_login(programme_staff)
    assert client.get(reverse("programme_after:index")).status_code == 200
    response = client.post(url, follow=True)
    assert response.status_code == 200, [str(m) for m in response.context["messages"]]
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED, [str(m) for m in response.context["messages"]]
    # Closing again through the admin shows the error, no 500.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "already closed" in response.content.decode() or "مغلقة" in response.content.decode()
