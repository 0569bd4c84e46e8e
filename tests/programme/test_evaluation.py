"""Attendees evaluate a held session once; staff and the session's trainers read the aggregates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programme.models import Evaluation, SessionStatus
from programme.selectors.evaluations import evaluation_summary
from programme.services.evaluations import evaluation_submit
from tests.factories import UserFactory
from tests.programme.factories_after import attend, make_session, register
from vocabulary.models import Person


@pytest.fixture
def plan(db):
    """The 2026 plan pages (Arabic and French) under the archive, with three themes."""
    from tests.programme.factories_after import plan_pages

    return plan_pages(2026)


pytestmark = pytest.mark.django_db


@pytest.fixture
def held(plan):
    trainer_user = UserFactory(full_name="Trainer One")
    trainer = Person.objects.create(name_ar="مكون", name_fr="Formateur", user=trainer_user)
    session = make_session(trainers=[trainer])
    attendee = UserFactory()
    attend(register(session, user=attendee))
    absent = UserFactory()
    register(session, user=absent)
    return {"session": session, "attendee": attendee, "absent": absent, "trainer": trainer_user}


def test_an_attendee_evaluates_once(held):
    """The first evaluation is saved; the second is refused with a clear message."""
    evaluation_submit(user=held["attendee"], session=held["session"], satisfaction=4, usefulness=5, comment=" Très utile ")
    assert Evaluation.objects.get().comment == "Très utile"
    with pytest.raises(ValidationError) as error:
        evaluation_submit(user=held["attendee"], session=held["session"], satisfaction=1, usefulness=1)
    assert error.value.code == "twice"
    assert Evaluation.objects.count() == 1


def test_only_attendees_evaluate(held):
    """Someone registered who never came, and a stranger, are refused."""
    for user in (held["absent"], UserFactory()):
        with pytest.raises(PermissionDenied):
            evaluation_submit(user=user, session=held["session"], satisfaction=3, usefulness=3)
    assert not Evaluation.objects.exists()


def test_not_before_the_session_is_held(plan):
    """An open session (not held yet) cannot be evaluated, even by someone scanned at the door."""
    session = make_session(status=SessionStatus.OPEN)
    user = UserFactory()
    attend(register(session, user=user))
    with pytest.raises(PermissionDenied):
        evaluation_submit(user=user, session=session, satisfaction=3, usefulness=3)


@pytest.mark.parametrize("score", [0, 6, -1])
def test_scores_outside_one_to_five_are_refused(held, score):
    with pytest.raises(ValidationError):
        evaluation_submit(user=held["attendee"], session=held["session"], satisfaction=score, usefulness=3)
    assert not Evaluation.objects.exists()


def test_the_summary_counts_and_averages(plan):
    """Three attendees scoring 5/4, 4/4 and 3/1: 3 evaluations, satisfaction 4.0, usefulness 3.0."""
    session = make_session()
    for satisfaction, usefulness in [(5, 4), (4, 4), (3, 1)]:
        user = UserFactory()
        attend(register(session, user=user))
        evaluation_submit(user=user, session=session, satisfaction=satisfaction, usefulness=usefulness, comment="ok")
    summary = evaluation_summary(session=session)
    assert summary["count"] == 3
    assert summary["satisfaction"] == pytest.approx(4.0) and summary["usefulness"] == pytest.approx(3.0)
    by_score = {row["score"]: row for row in summary["rows"]}
    assert by_score[4]["usefulness"] == 2 and by_score[1]["usefulness"] == 1 and by_score[2]["satisfaction"] == 0
    assert summary["comments"] == ["ok", "ok", "ok"]


def test_the_form_in_the_browser_language(held, client):
    """The attendee's form in French: a bad score re-shows the form (400), a good one thanks them."""
    url = "/fr" + reverse("programme:evaluate", args=[held["session"].pk])
    client.force_login(held["attendee"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"satisfaction": "9", "usefulness": "5"})
    assert response.status_code == 400
    assert not Evaluation.objects.exists()
    response = client.post(url, {"satisfaction": "5", "usefulness": "4", "comment": "Bien"}, follow=True)
    assert response.status_code == 200
    assert Evaluation.objects.get().satisfaction == 5
    assert 'data-testid="evaluation-done"' in response.content.decode()


def test_the_wrong_person_gets_403(held, client):
    """The absent registrant cannot open the form; the public is sent to log in."""
    url = reverse("programme:evaluate", args=[held["session"].pk])
    assert client.get(url).status_code == 302
    client.force_login(held["absent"])
    assert client.get(url).status_code == 403


def test_attendees_page_for_trainers_and_staff_only(held, client, programme_staff):
    """The session's trainer and staff see names and the summary; an attendee, or another trainer, get 403."""
    url = reverse("programme:attendees", args=[held["session"].pk])
    attendee_name = held["attendee"].full_name
    for user in (held["trainer"], programme_staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert attendee_name in response.content.decode()
    other_trainer = UserFactory()
    Person.objects.create(name_fr="Autre", user=other_trainer)
    for user in (held["attendee"], other_trainer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403
        assert attendee_name not in response.content.decode()


def test_staff_read_the_evaluations_in_the_admin(held, client, programme_staff):
    evaluation_submit(user=held["attendee"], session=held["session"], satisfaction=2, usefulness=3, comment="قاعة باردة")
    client.force_login(programme_staff)
    response = client.get(reverse("programme_after:evaluations", args=[held["session"].pk]))
    assert response.status_code == 200
    assert "قاعة باردة" in response.content.decode()
