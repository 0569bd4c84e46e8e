"""Demo programme: this year's plan with a session on each of the twelve themes, spread over the year
and the region's eight provinces, plus three sessions in the coming weeks (one full with a waiting list,
one cancelled, one open); demo officials registered through the services; a "Programme" staff account.

Sessions already held get their attendance and evaluations from progafter's demo. Running it again
changes nothing: a session whose code exists is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from archive.models import ArchiveIndexPage
from programme.models import PlanPage, Session
from programme.roles import PROGRAMME
from programme.services.registration import register
from programme.services.sessions import (
    SessionData,
    plan_ensure,
    session_cancel,
    session_create,
    session_mark_held,
    session_open,
)
from vocabulary.models import Commune, Theme
from vocabulary.regions import Province

from .accounts import DEMO_PASSWORD

STAFF_ACCOUNT = {"email": "programme@takwin.test", "full_name": "نادية الفاسي", "role": "programme staff"}
# name, category, gender, province, language
OFFICIALS = [
    ("Hassan Ait Brahim", "elected", "male", "al-haouz", "fr"),
    ("خديجة المراكشي", "elected", "female", "marrakech", "ar"),
    ("Youssef Bennani", "staff", "male", "safi", "fr"),
    ("نعيمة الصويري", "staff", "female", "essaouira", "ar"),
    ("Mohamed Alaoui", "elected", "male", "chichaoua", "fr"),
    ("سعاد الرحماني", "elected", "female", "rehamna", "ar"),
    ("Rachid El Amrani", "staff", "male", "youssoufia", "fr"),
    ("زينب القلعي", "elected", "female", "el-kelaa-des-sraghna", "ar"),
]
PLAN_TITLES = {"ar": "مخطط التكوين {year}", "fr": "Plan de formation {year}"}
PROVINCES = list(Province.values)


def _official(number: int, spec) -> object:
    from accounts.services import user_create

    name, category, gender, province, language = spec
    email = f"official{number}@takwin.test"
    User = get_user_model()
    return User.objects.filter(email=email).first() or user_create(
        email=email, password=DEMO_PASSWORD, full_name=name, welcome=False, category=category, gender=gender,
        province=province, preferred_language=language,
    )


def _staff_account():
    from accounts.services import user_create

    User = get_user_model()
    user = User.objects.filter(email=STAFF_ACCOUNT["email"]).first()
    if user is None:
        user = user_create(email=STAFF_ACCOUNT["email"], password=DEMO_PASSWORD, full_name=STAFF_ACCOUNT["full_name"],
                           groups=(PROGRAMME,), is_staff=True, welcome=False, preferred_language="ar", category="staff")
    return user


def _grant_plan_pages(plans: list[PlanPage]) -> None:
    """The Programme group may add, edit and publish session pages under the demo plan."""
    group = Group.objects.filter(name=PROGRAMME).first()
    if group is None:
        return
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for plan in plans:
            GroupPagePermission.objects.get_or_create(group=group, page=plan, permission=permission)


def _theme_names(slug: str) -> dict[str, str]:
    return {t.locale.language_code: t.name for t in Theme.objects.filter(slug=slug).select_related("locale")}


def _data(number: int, *, theme: str, start: datetime.date, province: str, capacity: int, audience: str) -> SessionData:
    names = _theme_names(theme)
    commune = Commune.objects.filter(province=province).first()
    second = start + datetime.timedelta(days=1)
    return SessionData(
        code=f"MDE-{start.year}-S{number:02d}",
        titles={"ar": f"دورة تكوينية: {names.get('ar', theme)}", "fr": f"Session de formation : {names.get('fr', theme)}"},
        summaries={"ar": "دورة حضورية لفائدة المنتخبين وموظفي الجماعات (مدخل تجريبي).",
                   "fr": "Session en présentiel pour les élus et les cadres des communes (fiche de démonstration)."},
        half_days=[(start, "am"), (start, "pm"), (second, "am")], capacity=capacity, audience=audience,
        venues={"ar": "دار المنتخب" if province == "marrakech" else "مقر العمالة أو الإقليم",
                "fr": "Maison de l'Élu" if province == "marrakech" else "Siège de la province"},
        province=province, commune=commune, theme_slugs=[theme],
        opens_at=timezone.now() - datetime.timedelta(days=30) if start > timezone.localdate() else None,
        deadline=timezone.make_aware(datetime.datetime.combine(start - datetime.timedelta(days=1), datetime.time(18)))
        if start > timezone.localdate() else None,
    )


def _sessions_plan(year: int, today: datetime.date, themes: list[str]) -> list[dict]:
    """Twelve sessions, one per theme and month, then three in the coming weeks (full, cancelled, open)."""
    specs = []
    for index, theme in enumerate(themes[:12]):
        start = datetime.date(year, index + 1, 12 + index % 3)
        specs.append({"theme": theme, "start": start, "province": PROVINCES[index % 8], "capacity": 30,
                      "audience": ("both", "elected", "staff")[index % 3], "role": "held" if start <= today else "open"})
    end_of_year = datetime.date(year, 12, 28)
    for offset, role, capacity in ((9, "full", 4), (16, "cancelled", 25), (23, "open", 25)):
        start = min(today + datetime.timedelta(days=offset), end_of_year)
        specs.append({"theme": themes[(offset // 7) % len(themes)], "start": start, "province": PROVINCES[offset % 8],
                      "capacity": capacity, "audience": "both", "role": role})
    return specs


def _register_all(session, officials, *, count: int) -> None:
    for user in officials[:count]:
        # Held sessions are registered afterwards for the demo: outside the window, as staff could.
        register(session=session, user=user, check_window=False)


def _make(plan: PlanPage, number: int, spec: dict, officials) -> Session:
    data = _data(number, theme=spec["theme"], start=spec["start"], province=spec["province"],
                 capacity=spec["capacity"], audience="both" if spec["role"] != "held" else spec["audience"])
    session = session_open(session=session_create(plan=plan, data=data))
    role = spec["role"]
    if role == "full":
        _register_all(session, officials, count=6)  # 4 places: 4 confirmed, 2 waiting
    elif role == "held":
        eligible = [u for u in officials if data.audience == "both" or u.category == data.audience]
        _register_all(session, eligible, count=5)
        session_mark_held(session=session)
    elif role == "cancelled":
        _register_all(session, officials, count=2)
        session_cancel(session=session, reason="Reportée à cause d'un conflit de calendrier avec les conseils communaux.")
    else:
        _register_all(session, officials, count=2)
    return session


def load(homes: dict) -> list[dict]:
    """This year's plan and its sessions; returns the demo programme account for printing."""
    today = timezone.localdate()
    index = ArchiveIndexPage.objects.child_of(homes["ar"]).get(slug="archive")
    plan = plan_ensure(index=index, year=today.year, titles={k: v.format(year=today.year) for k, v in PLAN_TITLES.items()})
    _grant_plan_pages(list(PlanPage.objects.filter(translation_key=plan.translation_key)))
    staff = _staff_account()
    officials = [_official(number, spec) for number, spec in enumerate(OFFICIALS, start=1)]
    themes = list(Theme.objects.filter(locale__language_code="ar").order_by("sort_order").values_list("slug", flat=True))
    for number, spec in enumerate(_sessions_plan(today.year, today, themes), start=1):
        if not Session.objects.filter(code=f"MDE-{spec['start'].year}-S{number:02d}").exists():
            _make(plan, number, spec, officials)
    return [{"role": STAFF_ACCOUNT["role"], "email": staff.email, "password": DEMO_PASSWORD},
            {"role": "official", "email": officials[0].email, "password": DEMO_PASSWORD}]
