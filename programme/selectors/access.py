"""Who may see a session's attendees (law 09-08): programme staff and the session's own trainers."""

from programme.models import Session, SessionPage

#: The permission that makes someone programme staff (the "Programme" group has it).
STAFF_PERMISSION = "programme.change_session"


def is_programme_staff(user) -> bool:
    """Staff who run sessions: they see every session's attendees."""
    return bool(user.is_authenticated and user.has_perm(STAFF_PERMISSION))


def is_session_trainer(*, user, session: Session) -> bool:
    """Whether ``user`` is one of the session's trainers (a vocabulary person linked to the account)."""
    if not user.is_authenticated:
        return False
    return SessionPage.objects.filter(session=session, trainers__user=user).exists()


def can_see_attendees(*, user, session: Session) -> bool:
    """Names and contacts of attendees: programme staff and the session's trainers only."""
    return is_programme_staff(user) or is_session_trainer(user=user, session=session)
