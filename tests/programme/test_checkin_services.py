"""Check-in services: verdicts, idempotent sync from several phones, walk-ins, the sheet, permissions."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programme.models import Attendance, Registration
from programme.services import checkin
from programme.services.checkin import Scan, Verdict, WalkIn
from tests.factories import UserFactory

from .factories_door import SessionFactory, door_staff, half_days, registration

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime.datetime(2026, 12, 10, 9, 0))


@pytest.fixture
def door():
    """A session with two half-days, three confirmed registrations, one waiting, one cancelled."""
    session = SessionFactory()
    am, pm = half_days(session)
    people = [registration(session) for _ in range(3)]
    waiting = registration(session, status="waiting")
    cancelled = registration(session, status="cancelled")
    return {"session": session, "am": am, "pm": pm, "people": people, "waiting": waiting,
            "cancelled": cancelled, "staff": door_staff()}


def scan(reg, half_day, minutes=0, device="phone-a", method="qr"):
    return Scan(reg.code, half_day.pk, T0 + datetime.timedelta(minutes=minutes), method, device)


def test_each_verdict(door):
    """ok, already-used, foreign, unknown, not-confirmed and bad-half-day, each for the scan that earns it."""
    other = SessionFactory()
    other_am, _ = half_days(other)
    stranger = registration(other)
    first = door["people"][0]
    results = checkin.sync_scans(session=door["session"], user=door["staff"], scans=[
        scan(first, door["am"]),
        scan(first, door["am"], minutes=5, device="phone-b"),
        scan(stranger, door["am"]),
        Scan("FORGEDFORGED2345", door["am"].pk, T0),
        scan(door["waiting"], door["am"]),
        scan(door["cancelled"], door["am"]),
        scan(first, other_am),
    ])
    assert [r.verdict for r in results] == [
        Verdict.OK, Verdict.ALREADY_USED, Verdict.FOREIGN, Verdict.UNKNOWN, Verdict.NOT_CONFIRMED,
        Verdict.NOT_CONFIRMED, Verdict.BAD_HALF_DAY,
    ]
    assert results[0].full_name == first.full_name
    assert results[2].full_name == ""  # nothing of another session's attendee leaks
    assert list(Attendance.objects.values_list("registration_id", "half_day_id")) == [(first.pk, door["am"].pk)]


def test_the_same_person_on_another_half_day_counts_again(door):
    """One attendance per half-day: the afternoon scan is ok after the morning's."""
    first = door["people"][0]
    results = checkin.sync_scans(session=door["session"], user=door["staff"],
                                 scans=[scan(first, door["am"]), scan(first, door["pm"])])
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.OK]
    assert Attendance.objects.filter(registration=first).count() == 2


def test_replaying_a_batch_changes_nothing(door):
    """A batch sent twice (its answer lost) gives ok again and writes nothing more."""
    batch = [scan(reg, door["am"], minutes=n) for n, reg in enumerate(door["people"])]
    checkin.sync_scans(session=door["session"], user=door["staff"], scans=batch)
    before = list(Attendance.objects.order_by("pk").values())
    again = checkin.sync_scans(session=door["session"], user=door["staff"], scans=batch)
    assert {r.verdict for r in again} == {Verdict.OK}
    assert list(Attendance.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_two_phones_in_any_order_make_one_attendance_at_the_earliest_sighting(door, order):
    """Phone A saw her at 9:02, phone B at 9:00 and 9:04: whatever the sync order, one row at 9:00 by B."""
    person = door["people"][1]
    batches = [
        [scan(person, door["am"], minutes=2, device="phone-a")],
        [scan(person, door["am"], minutes=0, device="phone-b")],
        [scan(person, door["am"], minutes=4, device="phone-b")],
    ]
    for index in order:
        checkin.sync_scans(session=door["session"], user=door["staff"], scans=batches[index])
    attendance = Attendance.objects.get()
    assert (attendance.registration_id, attendance.seen_at, attendance.device) == (person.pk, T0, "phone-b")


def test_duplicates_inside_one_batch_count_once(door):
    """The same code twice in one batch (two phones' queues merged) is one row; the second says already used."""
    person = door["people"][2]
    results = checkin.sync_scans(session=door["session"], user=door["staff"], scans=[
        scan(person, door["am"], minutes=3, device="phone-a"), scan(person, door["am"], minutes=1, device="phone-b"),
    ])
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.ALREADY_USED]
    assert Attendance.objects.get().seen_at == T0 + datetime.timedelta(minutes=1)


def test_record_scan_normalises_a_typed_code(door):
    """A code typed from paper with spaces, dashes and small letters is read."""
    person = door["people"][0]
    typed = "-".join([person.code[:4].lower(), person.code[4:8], person.code[8:] + " "])
    result = checkin.record_scan(session=door["session"], code=typed, half_day_id=door["am"].pk, user=door["staff"])
    assert result.verdict == Verdict.OK
    assert checkin.record_scan(session=door["session"], code="<script>", half_day_id=door["am"].pk,
                               user=door["staff"]).verdict == Verdict.UNKNOWN


def test_by_name_records_the_method(door):
    """A person found by name is present with method ``name``."""
    person = door["people"][0]
    result = checkin.check_in_by_name(session=door["session"], registration=person, half_day_id=door["pm"].pk,
                                      user=door["staff"])
    assert result.verdict == Verdict.OK
    assert Attendance.objects.get().method == Attendance.Method.NAME


def test_only_programme_staff_may_check_in(door):
    """A learner is refused; the Programme group's member and a superuser are let in."""
    learner = UserFactory()
    with pytest.raises(PermissionDenied):
        checkin.record_scan(session=door["session"], code=door["people"][0].code, half_day_id=door["am"].pk,
                            user=learner)
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Programme"))
    assert checkin.can_check_in(member)
    assert checkin.can_check_in(UserFactory(is_superuser=True))
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["planned", "closed", "cancelled"])
def test_no_check_in_when_the_door_is_not_open(door, status):
    """Planned, closed or cancelled sessions refuse scans, writing nothing."""
    door["session"].status = status
    door["session"].cancel_reason = "x"
    door["session"].save()
    with pytest.raises(ValidationError):
        checkin.sync_scans(session=door["session"], user=door["staff"], scans=[scan(door["people"][0], door["am"])])
    assert not Attendance.objects.exists()


def test_walk_in_synced_twice_is_one_registration(door):
    """A walk-in becomes a registration (source walk-in) with an attendance; its replay adds nothing."""
    walk_in = WalkIn(reference="c0ffee00-walk-in-1", full_name="لطيفة بنعلي", gender="female", category="staff",
                     province="al-haouz", phone="0612345678")
    first, result = checkin.register_walk_in(session=door["session"], walk_in=walk_in, half_day_id=door["am"].pk,
                                             user=door["staff"], device="phone-a", seen_at=T0)
    again, replay = checkin.register_walk_in(session=door["session"], walk_in=walk_in, half_day_id=door["am"].pk,
                                             user=door["staff"], device="phone-a", seen_at=T0)
    assert first.pk == again.pk and first.source == Registration.Source.WALK_IN
    assert (result.verdict, replay.verdict) == (Verdict.OK, Verdict.OK)
    assert Attendance.objects.get().method == Attendance.Method.WALK_IN
    assert Registration.objects.filter(source="walk-in").count() == 1


def test_walk_in_already_registered_is_checked_in_on_their_registration(door):
    """Someone who registered but lost their code, typed as a walk-in with the same e-mail: no second registration."""
    person = door["people"][0]
    registration_, result = checkin.register_walk_in(
        session=door["session"], walk_in=WalkIn(reference="ref-00000002", full_name="x", email=person.email.upper()),
        half_day_id=door["am"].pk, user=door["staff"],
    )
    assert registration_.pk == person.pk and result.verdict == Verdict.OK


@pytest.mark.parametrize("fields", [{"full_name": " "}, {"full_name": "x", "email": "not-an-email"},
                                    {"full_name": "x", "province": "atlantis"}, {"full_name": "x", "reference": "../"}])
def test_bad_walk_in_writes_nothing(door, fields):
    """No name, a malformed e-mail, an unknown province or a bad reference: a clear error and no row."""
    walk_in = WalkIn(**{"reference": "ref-00000003", **fields})
    with pytest.raises(ValidationError):
        checkin.register_walk_in(session=door["session"], walk_in=walk_in, half_day_id=door["am"].pk,
                                 user=door["staff"])
    assert not Registration.objects.filter(source="walk-in").exists()
    assert not Attendance.objects.exists()


def test_sheet_adds_and_removes_only_its_own_marks(door):
    """Ticks from the sheet add attendances; unticking removes the sheet's, never a scan's."""
    scanned, ticked, other = door["people"]
    checkin.record_scan(session=door["session"], code=scanned.code, half_day_id=door["am"].pk, user=door["staff"])
    assert checkin.enter_sheet(session=door["session"], half_day=door["am"], present={ticked.pk, other.pk},
                               user=door["staff"]) == {"added": 2, "removed": 0}
    assert checkin.enter_sheet(session=door["session"], half_day=door["am"], present={ticked.pk},
                               user=door["staff"]) == {"added": 0, "removed": 1}
    assert set(Attendance.objects.values_list("registration_id", "method")) == {
        (scanned.pk, "qr"), (ticked.pk, "sheet"),
    }
    with pytest.raises(ValidationError):
        checkin.enter_sheet(session=door["session"], half_day=door["am"], present={door["waiting"].pk},
                            user=door["staff"])
