"""Registering for a session, the waiting list and its promotions, and cancelling a registration.

A session takes registrations while it is open (or full: newcomers then join the waiting list), inside
its registration window, from its audience and within its quotas. A quota is the most confirmed places
the attendees of one province or one commune may take. When a confirmed place frees, the oldest person
waiting (whose quota allows it) is promoted at once and told by e-mail.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from vocabulary.models import Commune

from ..keys import beneficiary_key, new_code
from ..models import Audience, Registration, Session, SessionStatus
from .common import TAKING_REGISTRATIONS, confirmed_count, lock_session, refresh_fullness
from .emails import queue_registration_email

Status = Registration.Status


@dataclass(frozen=True)
class Attendee:
    """Who registers: copied onto the registration as it is at that moment."""

    full_name: str
    email: str = ""
    phone: str = ""
    gender: str = ""
    category: str = ""
    province: str = ""
    commune: Commune | None = None
    language: str = User.Language.ARABIC


def attendee_from_user(user: User) -> Attendee:
    """An account's profile as an attendee (its commune matched to the vocabulary by name, if it can be)."""
    commune = None
    if user.commune.strip():
        name = user.commune.strip()
        communes = Commune.objects.filter(Q(name_fr__iexact=name) | Q(name_ar=name))
        if user.province:
            communes = communes.filter(province=user.province)
        commune = communes.first()
    return Attendee(
        full_name=user.full_name or user.email, email=user.email, gender=user.gender, category=user.category,
        province=commune.province if commune else user.province, commune=commune,
        language=user.preferred_language,
    )


def _local_datetime(value) -> str:
    return date_format(timezone.localtime(value), "j F Y · H:i")


def _check_status(session: Session) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session is cancelled."))
    if session.status in (SessionStatus.HELD, SessionStatus.CLOSED):
        raise ValidationError(_("This session has already taken place."))
    if session.status not in TAKING_REGISTRATIONS:
        raise ValidationError(_("Registration for this session is not open yet."))


def _check_window(session: Session) -> None:
    now = timezone.now()
    if session.registration_opens_at and now < session.registration_opens_at:
        raise ValidationError(_("Registration opens on %(date)s.") % {"date": _local_datetime(session.registration_opens_at)})
    if session.registration_deadline and now > session.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(date)s.") % {"date": _local_datetime(session.registration_deadline)}
        )


def check_audience(session: Session, attendee: Attendee) -> None:
    """A session for elected officials (or for staff) takes only them; one for both takes anyone."""
    wanted = {Audience.ELECTED: User.Category.ELECTED, Audience.STAFF: User.Category.STAFF}.get(session.audience)
    if wanted is None or attendee.category == wanted:
        return
    if session.audience == Audience.ELECTED:
        raise ValidationError(_("This session is for elected officials only."))
    raise ValidationError(_("This session is for commune staff only."))


def _quota_for(session: Session, attendee: Attendee):
    """The quota that applies to the attendee (a commune's before its province's), or None."""
    quotas = list(session.quotas.all())
    for quota in quotas:
        if quota.commune_id and attendee.commune and quota.commune_id == attendee.commune.pk:
            return quota
    for quota in quotas:
        if quota.province and quota.province == attendee.province:
            return quota
    return None


def _quota_allows(session: Session, quota) -> bool:
    where = Q(commune_id=quota.commune_id) if quota.commune_id else Q(province=quota.province)
    return confirmed_count(session, where=where) < quota.places


def _quota_message(quota) -> str:
    place = quota.commune.name if quota.commune_id else quota.get_province_display()
    return _("The %(places)s places kept for %(place)s are all taken.") % {"places": quota.places, "place": place}


def _key_for(user: User | None, attendee: Attendee):
    if user is not None:
        return beneficiary_key(user_id=user.pk)
    return beneficiary_key(email=attendee.email, phone=attendee.phone)


@transaction.atomic
def register(
    *,
    session: Session,
    user: User | None = None,
    attendee: Attendee | None = None,
    source: str = Registration.Source.SELF,
    check_window: bool = True,
    waiting_allowed: bool = True,
) -> Registration:
    """Register an official (``user``) or a person without an account (``attendee``) for ``session``.

    Confirmed while places remain, else on the waiting list (or refused when ``waiting_allowed`` is
    False, as for a staff import). ``check_window=False`` lets staff register outside the window.
    Raises ``ValidationError`` (nothing written) for a session not taking registrations, outside the
    window, for another audience, a taken quota or someone already registered.
    """
    if (user is None) == (attendee is None):
        raise TypeError("Give a user or an attendee.")
    session = lock_session(session)
    attendee = attendee or attendee_from_user(user)
    _check_status(session)
    if check_window:
        _check_window(session)
    check_audience(session, attendee)
    key = _key_for(user, attendee)
    if Registration.objects.filter(session=session, beneficiary_key=key).exclude(status=Status.CANCELLED).exists():
        raise ValidationError(_("Already registered for this session."))
    quota = _quota_for(session, attendee)
    if quota is not None and not _quota_allows(session, quota):
        raise ValidationError(_quota_message(quota))
    full = confirmed_count(session) >= session.capacity
    if full and not waiting_allowed:
        raise ValidationError(_("The session has no place left (%(places)s places).") % {"places": session.capacity})
    now = timezone.now()
    registration = Registration(
        session=session, user=user, source=source, code=new_code(), beneficiary_key=key,
        status=Status.WAITING if full else Status.CONFIRMED, queued_at=now if full else None,
        full_name=attendee.full_name, email=attendee.email, phone=attendee.phone, gender=attendee.gender,
        category=attendee.category, province=attendee.province, commune=attendee.commune,
        language=attendee.language,
    )
    registration.full_clean()
    registration.save()
    refresh_fullness(session)
    queue_registration_email(registration=registration, kind="waiting" if full else "confirmed")
    return registration


def promote_waiting(session: Session) -> list[Registration]:
    """Fill the session's free places from its waiting list, oldest first (skipping those over a quota).

    Call inside a transaction holding the session's lock. Each promoted person is told by e-mail.
    """
    promoted: list[Registration] = []
    free = session.capacity - confirmed_count(session)
    if free <= 0 or session.status not in TAKING_REGISTRATIONS:
        return promoted
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the commune's outer join.
    waiting = Registration.objects.select_for_update(of=("self",)).filter(session=session, status=Status.WAITING)
    for registration in waiting.select_related("commune").order_by("queued_at", "pk"):
        if free <= 0:
            break
        quota = _quota_for(session, Attendee(full_name="", province=registration.province, commune=registration.commune))
        if quota is not None and not _quota_allows(session, quota):
            continue
        registration.status, registration.promoted_at = Status.CONFIRMED, timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        queue_registration_email(registration=registration, kind="promoted")
        promoted.append(registration)
        free -= 1
    return promoted


def can_cancel(registration: Registration, *, now=None) -> bool:
    """Whether the official may still cancel: a live registration, before the deadline, session to come."""
    session = registration.session
    if registration.status == Status.CANCELLED or session.status not in (*TAKING_REGISTRATIONS, SessionStatus.PLANNED):
        return False
    deadline = session.registration_deadline
    return deadline is None or (now or timezone.now()) <= deadline


@transaction.atomic
def cancel_registration(*, registration: Registration, by_staff: bool = False) -> Registration:
    """Cancel a registration; a freed confirmed place goes at once to the oldest person waiting.

    An official may cancel until the registration deadline; staff (``by_staff``) at any time before the
    session is held. Raises ``ValidationError`` (nothing written) otherwise.
    """
    session = lock_session(registration.session)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.session = session
    if registration.status == Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if session.status in (SessionStatus.HELD, SessionStatus.CLOSED):
        raise ValidationError(_("This session has already taken place."))
    if not by_staff and not can_cancel(registration):
        raise ValidationError(
            _("Registrations can no longer be cancelled: the deadline was %(date)s.")
            % {"date": _local_datetime(session.registration_deadline)}
        )
    was_confirmed = registration.status == Status.CONFIRMED
    registration.status, registration.cancelled_at = Status.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    queue_registration_email(registration=registration, kind="cancelled")
    if was_confirmed:
        promote_waiting(session)
    refresh_fullness(session)
    return registration
