"""Plan pages and sessions: creating them with their two language pages, and their status transitions.

planned → open (registration; the day-before reminder is scheduled) ⇄ full → held → closed (progafter);
any session not yet held may be cancelled, with its reason, and everyone registered is told.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale

from archive.models import ArchiveIndexPage
from vocabulary.models import Commune, Person, Theme

from ..models import HalfDay, PlanPage, Quota, Registration, Session, SessionPage, SessionStatus
from .common import TAKING_REGISTRATIONS, confirmed_count, lock_session, refresh_fullness
from .emails import queue_registration_email, schedule_reminders


@transaction.atomic
def plan_ensure(*, index: ArchiveIndexPage, year: int, titles: dict[str, str]) -> PlanPage:
    """The plan page of ``year`` under the archive ``index`` (its source language) and its translations."""
    plan = PlanPage.objects.child_of(index).filter(year=year).first()
    if plan is None:
        plan = PlanPage(title=titles[index.locale.language_code], slug=f"plan-{year}", year=year)
        plan.full_clean(exclude=["path", "depth"])
        index.add_child(instance=plan)
    for code, title in titles.items():
        if code == index.locale.language_code:
            continue
        locale = Locale.objects.filter(language_code=code).first()
        if locale is not None and plan.get_translation_or_none(locale) is None:
            translated = plan.copy_for_translation(locale, copy_parents=True)
            translated.title = title
            translated.save_revision().publish()
    return plan


@dataclass
class SessionData:
    """What a new session is made of: its running data and its public page's content per language."""

    code: str
    titles: dict[str, str]
    half_days: list[tuple[datetime.date, str]]
    capacity: int
    audience: str = "both"
    summaries: dict[str, str] = field(default_factory=dict)
    venue: str = ""
    #: The venue per language, when it is written differently (else ``venue`` for both).
    venues: dict[str, str] = field(default_factory=dict)
    province: str = ""
    commune: Commune | None = None
    theme_slugs: list[str] = field(default_factory=list)
    trainers: list[Person] = field(default_factory=list)
    opens_at: datetime.datetime | None = None
    deadline: datetime.datetime | None = None
    quotas: list[tuple[str, Commune | None, int]] = field(default_factory=list)


def _page_fields(page: SessionPage, data: SessionData, code: str) -> None:
    dates = sorted(day for day, _part in data.half_days)
    page.title = data.titles.get(code) or next(iter(data.titles.values()))
    page.reference_code = data.code
    page.start_date, page.end_date = dates[0], dates[-1]
    page.summary = data.summaries.get(code, "")
    page.venue, page.province = data.venues.get(code, data.venue), data.province
    page.commune = (data.commune.name_ar if code == "ar" else data.commune.name_fr) if data.commune else ""
    page.themes = list(Theme.objects.filter(slug__in=data.theme_slugs, locale__language_code=code))
    page.trainers = data.trainers
    page.listed = False


@transaction.atomic
def session_create(*, plan: PlanPage, data: SessionData) -> Session:
    """A planned session with its half-days and quotas, and its page in each language of ``data.titles``.

    Raises ``ValidationError`` (nothing saved): no half-day, a deadline before the opening, a clash of
    codes, an end before the start.
    """
    if not data.half_days:
        raise ValidationError(_("A session needs at least one half-day."))
    session = Session(
        code=data.code, capacity=data.capacity, audience=data.audience,
        registration_opens_at=data.opens_at, registration_deadline=data.deadline,
    )
    session.full_clean()
    session.save()
    for day, part in sorted(set(data.half_days)):
        HalfDay.objects.create(session=session, date=day, part=part)
    for province, commune, places in data.quotas:
        quota = Quota(session=session, province=province, commune=commune, places=places)
        quota.full_clean()
        quota.save()
    source_code = plan.locale.language_code
    page = SessionPage(slug=slugify(data.code), session=session, locale=plan.locale)
    _page_fields(page, data, source_code)
    page.full_clean(exclude=["path", "depth"])
    plan.add_child(instance=page)
    page.save_revision().publish()
    for code in data.titles:
        locale = Locale.objects.filter(language_code=code).first()
        if code == source_code or locale is None:
            continue
        translated = page.copy_for_translation(locale, copy_parents=True).specific
        _page_fields(translated, data, code)
        translated.full_clean()
        translated.save_revision().publish()
    return session


@transaction.atomic
def session_open(*, session: Session) -> Session:
    """Open a planned session for registration and schedule its reminder for the day before."""
    session = lock_session(session)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned session can be opened for registration."))
    if not session.half_days.exists():
        raise ValidationError(_("A session needs at least one half-day."))
    session.status = SessionStatus.OPEN
    session.full_clean()
    session.save(update_fields=["status", "updated_at"])
    refresh_fullness(session)
    schedule_reminders(session=session)
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str) -> Session:
    """Cancel a session not yet held, with its reason; everyone registered or waiting gets an e-mail."""
    session = lock_session(session)
    if session.status in (SessionStatus.HELD, SessionStatus.CLOSED):
        raise ValidationError(_("This session has already taken place."))
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session is cancelled."))
    session.status, session.cancel_reason = SessionStatus.CANCELLED, reason.strip()
    session.full_clean()
    session.save(update_fields=["status", "cancel_reason", "updated_at"])
    for registration in session.registrations.exclude(status=Registration.Status.CANCELLED):
        queue_registration_email(registration=registration, kind="session_cancelled")
    return session


@transaction.atomic
def session_mark_held(*, session: Session) -> Session:
    """Record that an open, full or planned session took place (its first half-day has come)."""
    session = lock_session(session)
    if session.status not in (*TAKING_REGISTRATIONS, SessionStatus.PLANNED):
        raise ValidationError(_("Only a planned, open or full session can be marked as held."))
    first = session.half_days.order_by("date").values_list("date", flat=True).first()
    if first is None or first > timezone.localdate():
        raise ValidationError(_("A session can be marked as held only once it has started."))
    session.status = SessionStatus.HELD
    session.save(update_fields=["status", "updated_at"])
    return session


@transaction.atomic
def session_set_capacity(*, session: Session, capacity: int) -> Session:
    """Change the places; never below the confirmed registrations; new places go to the waiting list."""
    session = lock_session(session)
    confirmed = confirmed_count(session)
    if capacity < confirmed:
        raise ValidationError({"capacity": _(
            "The session already has %(count)s confirmed registrations: it cannot have fewer places."
        ) % {"count": confirmed}})
    session.capacity = capacity
    session.full_clean()
    session.save(update_fields=["capacity", "updated_at"])
    session_places_changed(session=session)
    return session


@transaction.atomic
def session_places_changed(*, session: Session) -> Session:
    """After an edit (capacity, quotas) in the admin: promote the waiting list into new places, open ⇄ full."""
    from .registration import promote_waiting

    session = lock_session(session)
    promote_waiting(session)
    refresh_fullness(session)
    return session
