"""The door's views: staff only, the roster a phone downloads, the sync endpoint, the service worker."""

import json

import pytest
from django.urls import reverse

from programme.models import Attendance, Registration
from tests.factories import UserFactory

from .factories_door import SessionFactory, door_staff, half_days, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(client):
    session = SessionFactory()
    am, pm = half_days(session)
    people = [registration(session, full_name=f"مشارك {n}") for n in range(3)]
    staff = door_staff()
    client.force_login(staff)
    return {"session": session, "am": am, "pm": pm, "people": people, "staff": staff, "client": client}


def post(client, session, body):
    return client.post(reverse("checkin:sync", args=[session.pk]), data=json.dumps(body),
                       content_type="application/json")


def test_pages_are_for_programme_staff_only(client):
    """Anonymous visitors are sent to log in (and a sync gets a JSON 403); a learner gets 403 everywhere."""
    session = SessionFactory()
    am, _ = half_days(session)
    urls = [reverse("checkin:index"), reverse("checkin:page", args=[session.pk]),
            reverse("checkin:roster", args=[session.pk]), reverse("checkin:sheet_pdf", args=[session.pk, am.pk]),
            reverse("checkin:sheet_entry", args=[session.pk, am.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    assert post(client, session, {"scans": []}).status_code == 403
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    assert post(client, session, {"scans": []}).status_code == 403


def test_check_in_page_holds_no_names_and_loads_its_script(door):
    """The page's HTML carries the URLs and strings, never an attendee's name (those come as JSON)."""
    response = door["client"].get(reverse("checkin:page", args=[door["session"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "js/programme-checkin.js" in html and 'data-sync-url="' in html
    assert "مشارك" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_roster_lists_codes_names_statuses_and_presence_in_constant_queries(door, django_assert_max_num_queries):
    """The roster has every registration and who is present; its query count does not grow with the list."""
    Attendance.objects.create(registration=door["people"][0], half_day=door["am"], seen_at="2026-12-10T09:00Z")
    url = reverse("checkin:roster", args=[door["session"].pk])
    with django_assert_max_num_queries(10) as small:
        data = door["client"].get(url).json()
    for _ in range(20):
        registration(door["session"], status="waiting")
    with django_assert_max_num_queries(len(small.captured_queries)):
        bigger = door["client"].get(url)
    assert bigger["Cache-Control"].startswith("no-store, private")
    assert {r["code"] for r in data["registrations"]} == {p.code for p in door["people"]}
    assert data["present"] == [[door["people"][0].code, door["am"].pk]]
    assert [h["id"] for h in data["half_days"]] == [door["am"].pk, door["pm"].pk]


def test_sync_gives_verdicts_and_who_is_present(door):
    """A batch with a good scan, its duplicate from a second phone and a forged code, then a walk-in."""
    person = door["people"][1]
    scans = [{"code": person.code, "half_day": door["am"].pk, "seen_at": "2026-12-10T09:01:00Z", "method": "qr"},
             {"code": "ZZZZZZZZZZZZZZZZ", "half_day": door["am"].pk, "seen_at": "2026-12-10T09:02:00Z"}]
    answer = post(door["client"], door["session"], {"device": "phone-a", "scans": scans}).json()
    assert [r["verdict"] for r in answer["results"]] == ["ok", "unknown"]
    again = post(door["client"], door["session"], {"device": "phone-b", "scans": scans[:1]}).json()
    assert again["results"][0]["verdict"] == "already-used"
    walk = post(door["client"], door["session"], {"device": "phone-b", "walk_ins": [{
        "ref": "3f1e2d3c-0000-4000-8000-000000000001", "full_name": "سعيد الحاحي", "gender": "male",
        "category": "elected", "province": "essaouira", "half_day": door["pm"].pk,
    }]}).json()
    assert walk["walk_ins"][0]["verdict"] == "ok"
    assert Registration.objects.get(source="walk-in").full_name == "سعيد الحاحي"
    assert sorted(map(tuple, walk["present"])) == sorted([
        (person.code, door["am"].pk), (walk["walk_ins"][0]["code"], door["pm"].pk),
    ])
    assert Attendance.objects.count() == 2


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"scans": "x"}', b'{"scans": [1]}', b'{"scans": [{"code": "A"}]}',
    b'{"scans": [{"code": "A", "half_day": "x"}]}', b'{"walk_ins": [[]]}',
    json.dumps({"scans": [{"code": "A", "half_day": 1}] * 1001}).encode(),
])
def test_unreadable_batches_are_refused_with_a_message(door, body):
    """Malformed JSON or fields: 400 with a message, nothing written."""
    response = door["client"].post(reverse("checkin:sync", args=[door["session"].pk]), data=body,
                                   content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert not Attendance.objects.exists()


def test_bad_walk_in_gets_its_error_in_french(door):
    """A walk-in without a name is refused in the phone's language, the rest of the batch still counts."""
    url = "/fr" + reverse("checkin:sync", args=[door["session"].pk])
    response = door["client"].post(url, content_type="application/json", data=json.dumps({
        "scans": [{"code": door["people"][0].code, "half_day": door["am"].pk}],
        "walk_ins": [{"ref": "3f1e2d3c-0000-4000-8000-000000000002", "full_name": "", "half_day": door["am"].pk}],
    }))
    answer = response.json()
    assert answer["results"][0]["verdict"] == "ok"
    assert answer["walk_ins"][0]["verdict"] == "error"
    assert "nom" in answer["walk_ins"][0]["error"]


def test_closed_session_refuses_sync_with_409(door):
    """A closed session's door is shut: the phone is told why."""
    door["session"].status = "closed"
    door["session"].save()
    response = post(door["client"], door["session"], {"scans": [{"code": "A", "half_day": door["am"].pk}]})
    assert response.status_code == 409 and response.json()["error"]


def test_service_worker_is_scoped_to_the_check_in_path(client):
    """The worker is JavaScript served at the check-in path (its scope), listing the assets it keeps."""
    response = client.get(reverse("checkin:service_worker"))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert reverse("checkin:service_worker").rsplit("/", 1)[0] + "/" == reverse("checkin:index")
    assert '"/checkin/"' in body and "programme-checkin.js" in body and "jsQR.js" in body
    assert "&quot;" not in body


def test_index_lists_open_sessions_only(door):
    """Open sessions are listed with their sheets; planned ones are not."""
    planned = SessionFactory(status="planned")
    html = door["client"].get(reverse("checkin:index")).content.decode()
    assert door["session"].code in html and planned.code not in html
    assert reverse("checkin:sheet_pdf", args=[door["session"].pk, door["am"].pk]) in html


def test_index_and_page_stay_within_the_query_budget(door, django_assert_max_num_queries):
    """The session list and the phone page: at most 15 queries, the same with more sessions and people."""
    index, page = reverse("checkin:index"), reverse("checkin:page", args=[door["session"].pk])
    with django_assert_max_num_queries(15) as few_index:
        assert door["client"].get(index).status_code == 200
    with django_assert_max_num_queries(15) as few_page:
        assert door["client"].get(page).status_code == 200
    for _ in range(5):
        half_days(SessionFactory())
        registration(door["session"])
    with django_assert_max_num_queries(len(few_index.captured_queries)):
        door["client"].get(index)
    with django_assert_max_num_queries(len(few_page.captured_queries)):
        door["client"].get(page)
