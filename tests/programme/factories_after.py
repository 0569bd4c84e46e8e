"""Builders for progafter's tests: plan pages, sessions with both language pages, registrations, attendance.

They make rows straight from the models (the registration and check-in services are other helpers'
work): each test states exactly who registered and who came.
"""

import datetime
import itertools

from django.utils import timezone

from archive.models import ArchiveIndexPage
from programme import keys
from programme.models import Attendance, HalfDay, PlanPage, Registration, Session, SessionPage, SessionStatus
from tests.archive.conftest import make_archive_index

_counter = itertools.count(1)


def plan_pages(year: int = 2026) -> dict[str, PlanPage]:
    """The plan page of ``year`` in Arabic and French (made once), under each archive index."""
    if not ArchiveIndexPage.objects.exists():
        make_archive_index()
    pages = {}
    for index in ArchiveIndexPage.objects.select_related("locale"):
        lang = index.locale.language_code
        plan = PlanPage.objects.child_of(index).filter(year=year).first()
        if plan is None:
            plan = index.add_child(instance=PlanPage(title=f"plan {year} {lang}", slug=f"plan-{year}", year=year))
        pages[lang] = plan
    return pages


def make_session(*, code: str | None = None, status: str = SessionStatus.HELD, year: int = 2026, month: int = 3,
                 theme_slugs=("governance",), province: str = "safi", half_days: int = 2, capacity: int = 30,
                 cohort=None, trainers=()) -> Session:
    """A session with its Arabic and French pages (unlisted, as a plan session is before closing)."""
    n = next(_counter)
    code = code or f"MDE-{year}-T{n:03d}"
    session = Session.objects.create(code=code, status=status, capacity=capacity, cohort=cohort)
    start = datetime.date(year, month, 10)
    for day in range(half_days):
        HalfDay.objects.create(session=session, date=start + datetime.timedelta(days=day // 2),
                               part="am" if day % 2 == 0 else "pm", sort_order=day)
    plans = plan_pages(year)
    from vocabulary.models import Theme

    ar_page = None
    for lang in ("ar", "fr"):
        page = SessionPage(
            title=f"{'دورة' if lang == 'ar' else 'Session'} {code}", slug=code.lower(), reference_code=code,
            start_date=start, end_date=start + datetime.timedelta(days=max(0, (half_days - 1) // 2)),
            province=province, session=session, listed=False,
        )
        if ar_page is not None:
            page.translation_key = ar_page.translation_key
        plans[lang].add_child(instance=page)
        page.themes.set(Theme.objects.filter(slug__in=theme_slugs, locale=page.locale))
        page.trainers.set(list(trainers))
        page.save_revision().publish()
        ar_page = ar_page or page
    return session


def register(session: Session, *, user=None, email: str = "", full_name: str = "", gender: str = "female",
             category: str = "staff", province: str = "safi", commune=None,
             status: str = Registration.Status.CONFIRMED, source: str = Registration.Source.SELF) -> Registration:
    """A registration with its snapshot of the person (from the account when there is one)."""
    if user is not None:
        email = email or user.email
        full_name = full_name or user.full_name
    email = email or f"person{next(_counter)}@example.ma"
    return Registration.objects.create(
        session=session, user=user, status=status, source=source, code=keys.new_code(),
        beneficiary_key=keys.beneficiary_key(user_id=user.pk if user else None, email=email),
        full_name=full_name or email.split("@")[0], email=email, gender=gender, category=category,
        province=province, commune=commune,
    )


def attend(registration: Registration, *, half_days=None) -> list[Attendance]:
    """``registration`` present at ``half_days`` (default: every half-day of its session)."""
    half_days = half_days if half_days is not None else list(registration.session.half_days.all())
    return [
        Attendance.objects.create(registration=registration, half_day=half_day, seen_at=timezone.now())
        for half_day in half_days
    ]
