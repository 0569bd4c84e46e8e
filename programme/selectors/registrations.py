"""Reads of registrations: a session's places, an official's sessions, their calendar token."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Registration, Session, SessionPage, SessionStatus

Status = Registration.Status


@dataclass(frozen=True)
class Places:
    """A session's places: capacity, confirmed, waiting and free."""

    capacity: int
    confirmed: int
    waiting: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.confirmed, 0)


def session_places(session: Session) -> Places:
    """The places of ``session`` in one query."""
    counts = Registration.objects.filter(session=session).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)), waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )
    return Places(capacity=session.capacity, confirmed=counts["confirmed"], waiting=counts["waiting"])


def session_with_places(session_id: int) -> Session:
    """The session with its half-days and its ``places`` (capacity, confirmed, waiting) in two queries."""
    session = (
        Session.objects.annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            n_waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
        ).prefetch_related("half_days").get(pk=session_id)
    )
    session.places = Places(capacity=session.capacity, confirmed=session.n_confirmed, waiting=session.n_waiting)
    return session


def live_registration(*, session: Session, user) -> Registration | None:
    """The user's registration (confirmed or waiting) for ``session``, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(session=session, user=user).exclude(status=Status.CANCELLED)
        .order_by("-created_at").first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in the queue; None when not waiting."""
    if registration.status != Status.WAITING:
        return None
    return Registration.objects.filter(
        session_id=registration.session_id, status=Status.WAITING, queued_at__lt=registration.queued_at,
    ).count() + 1


def registration_window_open(session: Session, *, now=None) -> bool:
    """Whether the session takes registrations now (status and window)."""
    now = now or timezone.now()
    if session.status not in (SessionStatus.OPEN, SessionStatus.FULL):
        return False
    if session.registration_opens_at and now < session.registration_opens_at:
        return False
    return not (session.registration_deadline and now > session.registration_deadline)


@dataclass
class MyRegistration:
    """One line of an official's "my sessions": the registration, its page in their language, its place."""

    registration: Registration
    page: SessionPage | None
    position: int | None


def my_registrations(*, user, language: str) -> list[MyRegistration]:
    """The official's registrations (newest session first), each with its page in ``language``
    (else any language) and, when waiting, their position in the queue. A fixed number of queries."""
    registrations = list(
        Registration.objects.filter(user=user).select_related("session").order_by("-created_at", "-pk")
    )
    session_ids = {r.session_id for r in registrations}
    pages: dict[int, SessionPage] = {}
    for page in (
        SessionPage.objects.live().filter(session_id__in=session_ids).select_related("locale", "session")
        .prefetch_related("session__half_days")
    ):
        if page.session_id not in pages or page.locale.language_code == language:
            pages[page.session_id] = page
    waiting = [r for r in registrations if r.status == Status.WAITING]
    positions: dict[int, int] = {}
    if waiting:
        queue = Registration.objects.filter(session_id__in={r.session_id for r in waiting}, status=Status.WAITING)
        ordered: dict[int, list[int]] = {}
        for pk, session_id in queue.order_by("queued_at", "pk").values_list("pk", "session_id"):
            ordered.setdefault(session_id, []).append(pk)
        positions = {r.pk: ordered.get(r.session_id, []).index(r.pk) + 1 for r in waiting if r.pk in ordered.get(r.session_id, [])}
    return [MyRegistration(registration=r, page=pages.get(r.session_id), position=positions.get(r.pk)) for r in registrations]


def calendar_token(user) -> str:
    """The unguessable token of the official's "my sessions" feed URL (an HMAC of the account and its
    password hash: changing the password revokes the old subscription URL)."""
    return salted_hmac("programme.my-calendar", f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def calendar_token_valid(user, token: str) -> bool:
    return constant_time_compare(calendar_token(user), token)


def feed_pages(*, user, language: str) -> list[SessionPage]:
    """The pages of the sessions the official holds a place for (or holds one no more: cancelled
    sessions stay in the feed, marked cancelled, so a subscribed calendar removes them)."""
    lines = my_registrations(user=user, language=language)
    return [
        line.page for line in lines
        if line.page is not None and (
            line.registration.status == Status.CONFIRMED or line.page.session.status == SessionStatus.CANCELLED
        )
    ]
