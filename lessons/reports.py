"""Module reports for trainers and administrators: enrolment, progress, scores and time spent,
with their distribution and breakdowns by province, category and gender (five queries per module,
whatever the number of learners or lessons). A module's report covers all its translations and
counts each learner once, whatever the languages they followed it in. Who may read which module: ``courses.selectors.reportable_courses``.
"""

from collections import Counter, defaultdict

from django.db.models import Count, F, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.models import Certificate, CoursePage, Enrolment
from vocabulary.regions import Province

from .models import LessonProgress, QuizAttempt
from .selectors import module_lessons

#: A learner's state in a module's report (``state`` of each learner row) and how it is named.
LEARNER_STATES = [("not_started", _("not started")), ("in_progress", _("in progress")), ("completed", _("completed"))]
SCORE_BUCKETS = [(0, 49), (50, 59), (60, 69), (70, 79), (80, 89), (90, 100)]


def course_report(*, course: CoursePage) -> dict:
    """Enrolment, progress, scores and time spent for one module, with breakdowns (five queries)."""
    lesson_count = module_lessons([course]).filter(required=True).count()
    enrolments = list(
        Enrolment.objects.filter(course_key=course.translation_key)
        .values(
            "user_id",
            "status",
            "enrolled_at",
            "completed_at",
            "user__full_name",
            "user__email",
            "user__province",
            "user__category",
            "user__gender",
        )
        .order_by("user__full_name")
    )
    progress = {
        row["user_id"]: row
        for row in LessonProgress.objects.filter(course_key=course.translation_key)
        .values("user_id")
        .annotate(
            time=Sum("time_spent"),
            done=Count("pk", filter=Q(status=LessonProgress.Status.COMPLETED, lesson__required=True)),
            started=Count("pk"),
        )
        .order_by()
    }
    scores = {
        row["user_id"]: row["best"]
        for row in QuizAttempt.objects.filter(course_key=course.translation_key, status=QuizAttempt.Status.SUBMITTED)
        .values("user_id")
        .annotate(best=Max("percent"))
        .order_by()
    }
    # The valid certificate last, so that it is the one kept for a learner who also holds a revoked one.
    certificates = Certificate.objects.filter(course_key=course.translation_key)
    codes = dict(certificates.order_by(F("revoked_at").desc(nulls_last=True)).values_list("user_id", "code"))
    labels = {
        "province": dict(Province.choices),
        "category": dict(User.Category.choices),
        "gender": dict(User.Gender.choices),
    }
    learners = []
    for row in enrolments:
        p = progress.get(row["user_id"], {})
        if row["completed_at"]:
            state = "completed"
        elif p.get("started"):
            state = "in_progress"
        else:
            state = "not_started"
        learners.append(
            {
                "name": row["user__full_name"],
                "email": row["user__email"],
                "province": row["user__province"],
                "category": row["user__category"],
                "gender": row["user__gender"],
                "active": row["status"] == Enrolment.Status.ACTIVE,
                "state": state,
                "lessons_done": p.get("done", 0),
                "time": p.get("time") or 0,
                "score": scores.get(row["user_id"]),
                "enrolled_at": row["enrolled_at"],
                "completed_at": row["completed_at"],
                "certificate": codes.get(row["user_id"], ""),
            }
        )
    return {
        "course": course,
        "lesson_count": lesson_count,
        "learners": learners,
        "summary": _summary(learners),
        "distribution": _distribution(learners),
        "breakdowns": [
            {"key": key, "rows": _breakdown(learners, key, labels[key])} for key in ("province", "category", "gender")
        ],
    }


def _summary(learners: list[dict]) -> dict:
    states = Counter(item["state"] for item in learners)
    scored = [item["score"] for item in learners if item["score"] is not None]
    times = [item["time"] for item in learners]
    return {
        "enrolled": len(learners),
        "not_started": states["not_started"],
        "in_progress": states["in_progress"],
        "completed": states["completed"],
        "average_score": round(sum(scored) / len(scored), 1) if scored else None,
        "average_minutes": round(sum(times) / len(times) / 60, 1) if times else 0,
    }


def _distribution(learners: list[dict]) -> list[dict]:
    scored = [item["score"] for item in learners if item["score"] is not None]
    top = max(1, len(scored))
    rows = []
    for low, high in SCORE_BUCKETS:
        count = sum(1 for score in scored if low <= score <= high)
        rows.append({"label": f"{low}–{high}", "count": count, "share": round(count * 100 / top)})
    return rows


def _breakdown(learners: list[dict], key: str, labels: dict) -> list[dict]:
    groups = defaultdict(list)
    for item in learners:
        groups[item[key]].append(item)
    top = max([len(items) for items in groups.values()] or [1])
    rows = []
    for value, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        summary = _summary(items)
        rows.append(
            {
                "label": labels.get(value, "—") if value else "—",
                "enrolled": summary["enrolled"],
                "completed": summary["completed"],
                "in_progress": summary["in_progress"],
                "average_score": summary["average_score"],
                "share": round(summary["enrolled"] * 100 / top),
            }
        )
    return rows


def report_index_rows(*, courses: list[CoursePage], language: str) -> list[dict]:
    """One row per module, its translations together (the page in ``language`` when there is
    one), with headline figures over every translation: enrolled, completed, in progress (one query)."""
    groups: dict = {}
    for course in courses:
        group = groups.setdefault(course.translation_key, {"pages": []})
        group["pages"].append(course)
    figures = {
        row["course__translation_key"]: row
        for row in Enrolment.objects.filter(course__in=courses)
        .values("course__translation_key")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            active=Count("pk", filter=Q(status=Enrolment.Status.ACTIVE, completed_at__isnull=True)),
        )
        .order_by()
    }
    rows = []
    for key, group in groups.items():
        pages = group["pages"]
        shown = next((p for p in pages if p.locale.language_code == language), pages[0])
        row = figures.get(key, {})
        enrolled, completed = row.get("enrolled", 0), row.get("completed", 0)
        rows.append(
            {
                "course": shown,
                "languages": sorted(p.locale.language_code for p in pages),
                "enrolled": enrolled,
                "completed": completed,
                "active": row.get("active", 0),
                "completion_rate": round(completed * 100 / enrolled) if enrolled else None,
            }
        )
    return rows
