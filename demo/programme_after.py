"""Demo content after the session (progafter): held sessions with attendance and evaluations, one closed
session published in the archive, and the training-of-trainers cohort of 20 with its schedule and modules.

It runs after the plan's own demo (progcore's) and creates the plan page of the year itself when that
part has not run. Idempotent: a session whose code exists is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.services import user_create
from archive.models import ArchiveIndexPage
from courses.models import CoursePage
from programme import keys
from programme.models import Attendance, Cohort, HalfDay, PlanPage, Registration, Session, SessionPage, SessionStatus
from programme.services.closing import session_close
from programme.services.cohorts import cohort_enrol_members, cohort_member_add
from programme.services.evaluations import evaluation_submit
from vocabulary.models import Commune, Theme
from vocabulary.regions import Province

from .accounts import DEMO_PASSWORD
from .pages import ensure_child, ensure_translation, go_live

FIRST = ["فاطمة", "محمد", "خديجة", "يوسف", "سعاد", "عبد الله", "نزهة", "رشيد", "حنان", "إبراهيم"]
LAST = ["الإدريسي", "بنعلي", "أيت باها", "العلوي", "الصديقي", "الفاسي", "بوزيد", "الحسني"]

#: (code suffix, theme slug, month, province, status, attendees, registered): the held demo sessions.
HELD = [
    ("H01", "legal-framework", 2, "safi", SessionStatus.CLOSED, 14, 16),
    ("H02", "revenue-expenditure", 3, "marrakech", SessionStatus.HELD, 12, 15),
    ("H03", "land-use-planning", 4, "essaouira", SessionStatus.HELD, 9, 12),
]
#: The cohort's schedule: (number, month, status).
COHORT_SESSIONS = [(1, 1, SessionStatus.HELD), (2, 3, SessionStatus.HELD), (3, 6, SessionStatus.PLANNED),
                   (4, 10, SessionStatus.PLANNED)]
COHORT_SIZE = 20


def _plan(year: int) -> PlanPage:
    archive = ArchiveIndexPage.objects.filter(locale__language_code="ar").first()
    plan = PlanPage.objects.child_of(archive).filter(year=year).first()
    if plan is None:
        plan = ensure_child(archive, PlanPage, slug=f"plan-{year}", title=f"مخطط التكوين {year}", year=year)
        ensure_translation(plan, "fr", title=f"Plan de formation {year}", slug=f"plan-{year}")
    return plan


def _people(prefix: str, count: int, *, category: str | None = None) -> list:
    """Demo officials (created once) with profiles spread over the provinces, both genders."""
    User = get_user_model()
    provinces = Province.values
    people = []
    for n in range(1, count + 1):
        email = f"{prefix}{n:02d}@takwin.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email, password=DEMO_PASSWORD, welcome=False,
                full_name=f"{FIRST[n % len(FIRST)]} {LAST[(n * 3) % len(LAST)]}", province=provinces[n % len(provinces)],
                category=category or ("elected" if n % 2 else "staff"), gender="female" if n % 3 else "male",
                preferred_language="fr" if n % 4 == 0 else "ar",
            )
        people.append(user)
    return people


def _session(plan: PlanPage, *, code: str, theme: str, start: datetime.date, province: str, status: str,
             titles: tuple[str, str], cohort=None, days: int = 2) -> Session:
    session = Session.objects.create(code=code, status=status, capacity=30, cohort=cohort)
    for n in range(days * 2):
        HalfDay.objects.create(session=session, date=start + datetime.timedelta(days=n // 2), part="am" if n % 2 == 0 else "pm",
                               sort_order=n)
    page = ensure_child(plan, SessionPage, slug=code.lower(), title=titles[0], reference_code=code, start_date=start,
                        end_date=start + datetime.timedelta(days=days - 1), province=province, session=session,
                        listed=False, venue="دار المنتخب")
    translated = ensure_translation(page, "fr", title=titles[1], slug=code.lower(), venue="Dar Al-Muntakhab")
    for target in (page, translated):
        target.themes = list(Theme.objects.filter(slug=theme, locale_id=target.locale_id))
        go_live(target)
    return session


def _attendance(session: Session, people: list, *, present: int) -> list[Registration]:
    """Registrations for ``people`` (their profile's snapshot); the first ``present`` attended every half-day."""
    communes = {c.province: c for c in Commune.objects.order_by("pk")}
    half_days = list(session.half_days.all())
    registrations = []
    for n, user in enumerate(people):
        registration = Registration.objects.create(
            session=session, user=user, code=keys.new_code(), beneficiary_key=keys.beneficiary_key(user_id=user.pk),
            full_name=user.full_name, email=user.email, gender=user.gender, category=user.category,
            province=user.province, commune=communes.get(user.province), language=user.preferred_language,
        )
        registrations.append(registration)
        if n < present:
            seen = timezone.make_aware(datetime.datetime.combine(half_days[0].date, datetime.time(9, 5)))
            Attendance.objects.bulk_create(
                Attendance(registration=registration, half_day=h, seen_at=seen, method=Attendance.Method.QR) for h in half_days
            )
    return registrations


def _evaluate(session: Session, people: list, present: int) -> None:
    comments = ["تكوين مفيد جدا", "Très utile pour mon travail", "", "نريد المزيد من الأمثلة التطبيقية", ""]
    for n, user in enumerate(people[: max(1, present * 2 // 3)]):
        evaluation_submit(user=user, session=session, satisfaction=5 - n % 3, usefulness=5 - n % 2,
                          comment=comments[n % len(comments)])


def _held_sessions(plan: PlanPage, year: int, officials: list) -> None:
    for n, (suffix, theme, month, province, status, present, registered) in enumerate(HELD):
        code = f"MDE-{year}-{suffix}"
        if Session.objects.filter(code=code).exists():
            continue
        names = Theme.objects.filter(slug=theme).select_related("locale")
        by_lang = {t.locale.language_code: t.name for t in names}
        session = _session(plan, code=code, theme=theme, start=datetime.date(year, month, 10 + n), province=province,
                           status=SessionStatus.HELD, titles=(by_lang.get("ar", code), by_lang.get("fr", code)))
        people = officials[n * 4: n * 4 + registered]
        _attendance(session, people, present=present)
        _evaluate(session, people, present)
        if status == SessionStatus.CLOSED:
            session_close(session=session)


def _cohort(plan: PlanPage, year: int) -> Cohort:
    cohort, _created = Cohort.objects.get_or_create(
        year=year, name_fr=f"Formation de formateurs {year} · première cohorte",
        defaults={"name_ar": f"تكوين المكونين {year} · الفوج الأول", "sessions_required": 3},
    )
    modules = list(CoursePage.objects.filter(locale__language_code="ar").live().order_by("path")[:3])
    if not cohort.modules.exists():
        cohort.modules.set(modules)
        cohort.save()
    members = _people("tot", COHORT_SIZE, category="staff")
    known = set(cohort.members.values_list("user_id", flat=True))
    for user in members:
        if user.pk not in known:
            cohort_member_add(cohort=cohort, user=user)
    cohort_enrol_members(cohort=cohort)
    for number, month, status in COHORT_SESSIONS:
        code = f"TOT-{year}-{number:02d}"
        if Session.objects.filter(code=code).exists():
            continue
        session = _session(plan, code=code, theme="project-management" if number % 2 else "citizen-participation",
                           start=datetime.date(year, month, 20), province="marrakech", status=status, cohort=cohort,
                           titles=(f"تكوين المكونين · الحصة {number}", f"Formation de formateurs · séance {number}"))
        if status == SessionStatus.HELD:
            _attendance(session, members, present=COHORT_SIZE - 2 * number)
    return cohort


def load() -> dict:
    """The programme's after-the-session demo for the current year; returns what it made."""
    year = timezone.now().year
    plan = _plan(year)
    officials = _people("official", 24)
    _held_sessions(plan, year, officials)
    cohort = _cohort(plan, year)
    return {"plan": plan, "cohort": cohort}
