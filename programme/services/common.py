"""What the programme's services share: the locked session row and the counts places are decided on."""

from django.db.models import Q

from ..models import Registration, Session, SessionStatus

#: Statuses in which a session takes registrations.
TAKING_REGISTRATIONS = (SessionStatus.OPEN, SessionStatus.FULL)


def lock_session(session: Session) -> Session:
    """The session's row, locked until the transaction ends (SQLite locks the whole database on write)."""
    return Session.objects.select_for_update().get(pk=session.pk)


def confirmed_count(session: Session, *, where: Q | None = None) -> int:
    """How many confirmed places the session has (optionally among the registrations ``where`` selects)."""
    queryset = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
    if where is not None:
        queryset = queryset.filter(where)
    return queryset.count()


def refresh_fullness(session: Session) -> None:
    """Open ⇄ full as the confirmed places reach the capacity or fall below it."""
    if session.status not in TAKING_REGISTRATIONS:
        return
    status = SessionStatus.FULL if confirmed_count(session) >= session.capacity else SessionStatus.OPEN
    if status != session.status:
        session.status = status
        session.save(update_fields=["status", "updated_at"])
