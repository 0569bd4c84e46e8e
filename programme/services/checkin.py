"""Check-in at the door: scans from staff phones (online or synced later), walk-ins, the sign-in sheet.

A phone records scans while offline and sends them in batches; the same batch may arrive twice (the
answer was lost), two phones may have scanned one person, batches may arrive in any order. Every
path therefore ends in one ``Attendance`` row per registration and half-day (a unique constraint),
keeps the earliest sighting, and gives each scan a verdict the phone can show:

- ``ok``: present (also for a replay of the scan that recorded it);
- ``already-used``: the code was already checked in for that half-day by another scan;
- ``foreign``: a real code of another session;
- ``unknown``: no registration has this code (forged or mistyped);
- ``not-confirmed``: the registration is cancelled or on the waiting list;
- ``bad-half-day``: the half-day is not one of this session's.

A walk-in carries a random reference made by the phone; the registration's code is derived from it,
so a walk-in synced twice is one registration.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..keys import CODE_LENGTH, beneficiary_key
from ..models import Attendance, HalfDay, Registration, Session, SessionStatus

CHECK_IN_PERMISSION = "programme.check_in"
#: Sessions whose door is open: check-in is refused before registration opens, once closed or if cancelled.
CHECK_IN_STATUSES = (SessionStatus.OPEN, SessionStatus.FULL, SessionStatus.HELD)
#: A phone's batch is cut at this many scans (a phone holds one session's day: a few hundred at most).
MAX_BATCH = 1000
_CODE_RE = re.compile(r"[A-Z0-9]{1,32}")
_WALK_IN_REF_RE = re.compile(r"[A-Za-z0-9-]{8,64}")


class Verdict:
    """What a scan meant (the phone shows it; the values travel in JSON)."""

    OK = "ok"
    ALREADY_USED = "already-used"
    FOREIGN = "foreign"
    UNKNOWN = "unknown"
    NOT_CONFIRMED = "not-confirmed"
    BAD_HALF_DAY = "bad-half-day"


@dataclass(frozen=True)
class Scan:
    """One sighting of a code by a phone."""

    code: str
    half_day_id: int
    seen_at: datetime
    method: str = Attendance.Method.QR
    device: str = ""


@dataclass
class ScanResult:
    """A scan's verdict, with the registration it concerned when it belongs to this session."""

    code: str
    half_day_id: int
    verdict: str
    registration_id: int | None = None
    full_name: str = ""
    attendance_id: int | None = None
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "code": self.code, "half_day": self.half_day_id, "verdict": self.verdict,
            "registration": self.registration_id, "name": self.full_name, **self.extra,
        }


def can_check_in(user) -> bool:
    """Programme staff (holders of ``programme.check_in``) and superusers."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(CHECK_IN_PERMISSION))


def _require(user) -> None:
    if not can_check_in(user):
        raise PermissionDenied(_("Only programme staff may check attendees in."))


def _require_open(session: Session) -> None:
    if session.status not in CHECK_IN_STATUSES:
        raise ValidationError(_("Check-in is not open for this session (%(status)s).") % {
            "status": session.get_status_display(),
        })


def normalise_code(raw: str) -> str:
    """A code as printed or scanned: spaces and dashes dropped, upper case (empty when it cannot be one)."""
    code = re.sub(r"[\s-]", "", str(raw or "")).upper()
    return code if _CODE_RE.fullmatch(code) else ""


def _judge(scan: Scan, registration: Registration | None, *, session: Session, half_days: set[int]) -> str | None:
    """The verdict that needs no attendance lookup, or None when the scan may count."""
    if scan.half_day_id not in half_days:
        return Verdict.BAD_HALF_DAY
    if registration is None:
        return Verdict.UNKNOWN
    if registration.session_id != session.pk:
        return Verdict.FOREIGN
    if registration.status != Registration.Status.CONFIRMED:
        return Verdict.NOT_CONFIRMED
    return None


@transaction.atomic
def sync_scans(*, session: Session, scans: list[Scan], user) -> list[ScanResult]:
    """Record a batch of scans (one scan online, a phone's queue once back): one verdict per scan.

    Idempotent: replaying a batch, or the same person's scans from several phones in any order,
    leaves one attendance per registration and half-day, seen at the earliest sighting. Invalid
    scans write nothing. Three queries whatever the batch size, then one insert and the updates of
    earlier sightings.
    """
    _require(user)
    session = Session.objects.select_for_update().get(pk=session.pk)
    _require_open(session)
    if len(scans) > MAX_BATCH:
        raise ValidationError(_("Too many scans in one batch (at most %(max)s).") % {"max": MAX_BATCH})
    half_days = set(session.half_days.values_list("pk", flat=True))
    codes = {scan.code for scan in scans if scan.code}
    registrations = {r.code: r for r in Registration.objects.filter(code__in=codes)}
    mine = [r.pk for r in registrations.values() if r.session_id == session.pk]
    existing = {
        (a.registration_id, a.half_day_id): a
        for a in Attendance.objects.filter(registration_id__in=mine, half_day_id__in=half_days)
    }
    results, new, earlier = [], {}, {}
    for scan in scans:
        registration = registrations.get(scan.code)
        result = ScanResult(scan.code, scan.half_day_id, Verdict.OK)
        if registration is not None and registration.session_id == session.pk:
            result.registration_id, result.full_name = registration.pk, registration.full_name
        verdict = _judge(scan, registration, session=session, half_days=half_days)
        key = (result.registration_id, scan.half_day_id)
        if verdict is None:
            verdict = _count(scan, key, existing=existing, new=new, earlier=earlier, user=user)
        result.verdict = verdict
        results.append(result)
    if new:
        Attendance.objects.bulk_create(new.values(), ignore_conflicts=True)
    for attendance in earlier.values():
        attendance.save(update_fields=["seen_at", "device", "method"])
    return results


def _count(scan: Scan, key: tuple, *, existing: dict, new: dict, earlier: dict, user) -> str:
    """Count a valid scan once: a new attendance, a replay (ok), or a second scan (already used)."""
    attendance = existing.get(key) or new.get(key)
    if attendance is None:
        new[key] = Attendance(
            registration_id=key[0], half_day_id=key[1], method=scan.method, seen_at=scan.seen_at,
            device=scan.device[:64], recorded_by=user,
        )
        return Verdict.OK
    replay = attendance.device == scan.device[:64] and attendance.seen_at == scan.seen_at
    if scan.seen_at < attendance.seen_at:
        # The final row does not depend on which phone synced first: the earliest sighting wins.
        attendance.seen_at, attendance.device, attendance.method = scan.seen_at, scan.device[:64], scan.method
        if attendance.pk:
            earlier[key] = attendance
    return Verdict.OK if replay else Verdict.ALREADY_USED


def record_scan(*, session: Session, code: str, half_day_id: int, user, device: str = "",
                seen_at: datetime | None = None, method: str = Attendance.Method.QR) -> ScanResult:
    """Record one scan (a phone online, or staff at a desk): its verdict."""
    scan = Scan(normalise_code(code), half_day_id, seen_at or timezone.now(), method, device)
    return sync_scans(session=session, scans=[scan], user=user)[0]


def check_in_by_name(*, session: Session, registration: Registration, half_day_id: int, user,
                     device: str = "", seen_at: datetime | None = None) -> ScanResult:
    """Check in a registration found by name on the list (method ``name``)."""
    return record_scan(session=session, code=registration.code, half_day_id=half_day_id, user=user,
                       device=device, seen_at=seen_at, method=Attendance.Method.NAME)


def walk_in_code(reference: str) -> str:
    """The registration code of a walk-in, derived from the phone's random reference.

    Keyed with SECRET_KEY (not guessable from the reference) and in the codes' alphabet, so a walk-in
    synced twice finds its first registration instead of making a second one.
    """
    from ..keys import _ALPHABET

    digest = hmac.new(settings.SECRET_KEY.encode(), f"walk-in:{reference}".encode(), hashlib.sha256).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:CODE_LENGTH])


@dataclass(frozen=True)
class WalkIn:
    """Someone who came without registering, as staff typed them at the door."""

    reference: str
    full_name: str
    gender: str = ""
    category: str = ""
    province: str = ""
    email: str = ""
    phone: str = ""
    language: str = "ar"


@transaction.atomic
def register_walk_in(*, session: Session, walk_in: WalkIn, half_day_id: int, user, device: str = "",
                     seen_at: datetime | None = None) -> tuple[Registration, ScanResult]:
    """Register a walk-in (source ``walk-in``) and check them in for the half-day.

    The same reference twice is the same registration; someone already registered (same e-mail or
    phone) is checked in on their registration rather than registered twice. Walk-ins are not held
    to capacity: they are in the room.
    """
    _require(user)
    if not _WALK_IN_REF_RE.fullmatch(walk_in.reference or ""):
        raise ValidationError(_("This walk-in has no valid reference."))
    if not session.half_days.filter(pk=half_day_id).exists():
        raise ValidationError(_("This half-day is not one of this session's."))
    code = walk_in_code(walk_in.reference)
    registration = Registration.objects.filter(code=code).first()
    if registration is None:
        key = beneficiary_key(email=walk_in.email, phone=walk_in.phone)
        registration = Registration.objects.filter(
            session=session, beneficiary_key=key,
        ).exclude(status=Registration.Status.CANCELLED).first() or _new_walk_in(session, walk_in, code, key)
    if registration.session_id != session.pk:
        raise ValidationError(_("This walk-in belongs to another session."))
    result = record_scan(session=session, code=registration.code, half_day_id=half_day_id, user=user,
                         device=device, seen_at=seen_at, method=Attendance.Method.WALK_IN)
    return registration, result


def _new_walk_in(session: Session, walk_in: WalkIn, code: str, key) -> Registration:
    registration = Registration(
        session=session, status=Registration.Status.CONFIRMED, source=Registration.Source.WALK_IN, code=code,
        beneficiary_key=key, full_name=walk_in.full_name.strip(), email=walk_in.email.strip(),
        phone=walk_in.phone.strip(), gender=walk_in.gender, category=walk_in.category,
        province=walk_in.province, language=walk_in.language if walk_in.language in ("ar", "fr") else "ar",
    )
    if not registration.full_name:
        raise ValidationError({"full_name": _("Give the walk-in's name.")})
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the same person registered meanwhile (unique live registration)
        raise ValidationError(_("This person is already registered for this session.")) from error
    return registration


@transaction.atomic
def enter_sheet(*, session: Session, half_day: HalfDay, present: set[int], user) -> dict[str, int]:
    """Attendance entered afterwards from the signed sheet (method ``sheet``) for one half-day.

    ``present`` is the set of registration ids ticked; ticked registrations without attendance get
    one, attendances that came from the sheet and are no longer ticked are removed (scans are kept:
    the phone saw the person). Returns how many were added and removed.
    """
    _require(user)
    if half_day.session_id != session.pk:
        raise ValidationError(_("This half-day is not one of this session's."))
    confirmed = set(session.registrations.filter(status=Registration.Status.CONFIRMED).values_list("pk", flat=True))
    if present - confirmed:
        raise ValidationError(_("Only confirmed registrations of this session can be marked present."))
    have = dict(half_day.attendances.values_list("registration_id", "method"))
    now = timezone.now()
    added = [
        Attendance(registration_id=pk, half_day=half_day, method=Attendance.Method.SHEET, seen_at=now,
                   device="sheet", recorded_by=user)
        for pk in sorted(present - set(have))
    ]
    Attendance.objects.bulk_create(added, ignore_conflicts=True)
    gone = [pk for pk, method in have.items() if method == Attendance.Method.SHEET and pk not in present]
    half_day.attendances.filter(registration_id__in=gone).delete()
    return {"added": len(added), "removed": len(gone)}
