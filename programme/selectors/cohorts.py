"""The cohort page's reads: each member's attendance at the cohort's sessions and progress in its modules."""

from django.db.models import Count, F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

from courses.models import CoursePage, Enrolment
from lessons.selectors import module_progress
from programme.models import Attendance, Cohort, CohortMember, Session, SessionPage, SessionStatus

HELD = (SessionStatus.HELD, SessionStatus.CLOSED)


def cohort_sessions(*, cohort: Cohort, language: str = "ar") -> list[Session]:
    """The cohort's sessions in date order (first half-day), each with ``display_title``: its page's
    title in ``language`` (else its other page's, else its code), read in the same query."""
    pages = SessionPage.objects.filter(session=OuterRef("pk"))
    title = Coalesce(
        Subquery(pages.filter(locale__language_code=language).values("title")[:1]),
        Subquery(pages.order_by("pk").values("title")[:1]), F("code"),
    )
    return list(
        Session.objects.filter(cohort=cohort).annotate(first_day=Min("half_days__date"), display_title=title)
        .order_by(F("first_day").asc(nulls_last=True), "code")
    )


def member_status(*, cohort: Cohort, members: list[CohortMember], sessions=None, modules=None) -> dict[int, dict]:
    """Per member (by pk): sessions attended (ids), modules completed (ids) and whether the rule is met.

    Attendance counts a member at a session when their registration there (by account) has one
    attendance at least; a module counts when the enrolment in it is completed, whichever of the
    module's translations it was made in (enrolments are per ``course_key``). Two queries.
    """
    sessions = sessions if sessions is not None else cohort_sessions(cohort=cohort)
    user_ids = [m.user_id for m in members]
    attended = {}
    for row in (
        Attendance.objects.filter(registration__session__in=[s.pk for s in sessions], registration__user_id__in=user_ids)
        .exclude(registration__status="cancelled")
        .values("registration__user_id", "registration__session_id").annotate(n=Count("pk")).order_by()
    ):
        attended.setdefault(row["registration__user_id"], set()).add(row["registration__session_id"])
    modules = list(modules if modules is not None else cohort.modules.all())
    module_ids = [m.pk for m in modules]
    by_key = {m.translation_key: m.pk for m in modules}
    completed = {}
    for user_id, course_key in Enrolment.objects.filter(
        user_id__in=user_ids, course_key__in=list(by_key), completed_at__isnull=False,
    ).values_list("user_id", "course_key"):
        completed.setdefault(user_id, set()).add(by_key[course_key])
    result = {}
    for member in members:
        sessions_done = attended.get(member.user_id, set())
        modules_done = completed.get(member.user_id, set())
        result[member.pk] = {
            "sessions": sessions_done, "modules": modules_done,
            "rule_met": len(sessions_done) >= cohort.sessions_required and set(module_ids) <= modules_done,
        }
    return result


def cohort_overview(*, cohort: Cohort, language: str = "ar") -> dict:
    """Everything the cohort page shows: sessions, modules, and one row per member with a cell per
    session (attended, absent, or not held yet) and per module (lessons completed of the total)."""
    sessions = cohort_sessions(cohort=cohort, language=language)
    # Each module's title in the reader's language (its translation's), in the same query.
    translated = CoursePage.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language,
    ).values("title")[:1]
    modules = list(cohort.modules.all().annotate(display_title=Coalesce(Subquery(translated), "title")).order_by("path"))
    members = list(cohort.members.select_related("user").order_by("user__full_name", "pk"))
    statuses = member_status(cohort=cohort, members=members, sessions=sessions, modules=modules)
    progress = module_progress(user_ids=[m.user_id for m in members], courses=modules)
    rows = []
    for member in members:
        status = statuses[member.pk]
        rows.append({
            "member": member,
            "sessions": [
                {"session": s, "state": "present" if s.pk in status["sessions"] else ("absent" if s.status in HELD else "later")}
                for s in sessions
            ],
            "modules": [
                {"module": m, "done": m.pk in status["modules"], **progress[(member.user_id, m.pk)]} for m in modules
            ],
            "sessions_attended": len(status["sessions"]),
            "rule_met": status["rule_met"],
        })
    return {
        "cohort": cohort, "sessions": sessions, "modules": modules, "rows": rows,
        "completed": sum(1 for m in members if m.completed_at), "members": len(members),
    }
