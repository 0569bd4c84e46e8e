"""Read queries for course pages, the dashboard and reports, shaped for templates.

Each function runs a fixed number of queries whatever the number of lessons or
enrolments: lists are fetched in one query each and joined in Python.
"""

from collections import Counter, defaultdict
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q, QuerySet, Sum

from .models import Certificate, CoursePage, Enrolment


def course_list(*, locale, parent=None) -> QuerySet[CoursePage]:
    """Live modules in one locale, in the editors' order, with their theme."""
    qs = CoursePage.objects.live().public().filter(locale=locale).select_related("theme")
    if parent is not None:
        qs = qs.child_of(parent)
    return qs.order_by("path")


def featured_courses(*, locale, limit: int = 6) -> QuerySet[CoursePage]:
    """Modules for the home page: the featured ones first, then the rest."""
    return course_list(locale=locale).order_by("-featured", "path")[:limit]


def _lessons_of(courses) -> QuerySet:
    from lessons.models import LessonPage

    courses = list(courses)
    if not courses:
        return LessonPage.objects.none()
    by_path = reduce(or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses))
    return (
        LessonPage.objects.live().filter(by_path)
        .only("pk", "title", "slug", "path", "depth", "url_path", "locale_id", "required", "completion_rule",
              "estimated_minutes", "body")
        .order_by("path")
    )


def _progress_map(*, user, course_ids) -> dict:
    from lessons.models import LessonProgress

    if not user.is_authenticated:
        return {}
    rows = LessonProgress.objects.filter(user=user, course_id__in=list(course_ids)).defer("watched")
    return {row.lesson_id: row for row in rows}


def _outline(course: CoursePage, lessons: list, progress: dict) -> dict:
    """Lessons with their progress and lock state, the module percent and the next lesson."""
    items = []
    blocked = False
    required = [lesson for lesson in lessons if lesson.required]
    done_required = 0
    for lesson in lessons:
        row = progress.get(lesson.pk)
        completed = row is not None and row.is_completed
        items.append({"lesson": lesson, "progress": row, "completed": completed, "locked": course.sequential and blocked})
        if lesson.required and not completed:
            blocked = True
        if lesson.required and completed:
            done_required += 1
    next_item = next((item for item in items if not item["completed"] and not item["locked"]), None)
    return {
        "lessons": items,
        "percent": int(done_required * 100 // len(required)) if required else 0,
        "next_lesson": next_item["lesson"] if next_item else None,
        "next_progress": next_item["progress"] if next_item else None,
    }


def course_outline(*, course: CoursePage, user) -> dict:
    """Everything a module page shows for one visitor (five queries, however many lessons)."""
    lessons = list(_lessons_of([course]))
    progress = _progress_map(user=user, course_ids=[course.pk])
    enrolment = certificate = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
        certificate = Certificate.objects.filter(user=user, course=course).first()
    outline = _outline(course, lessons, progress)
    return {
        "outline": outline,
        "enrolment": enrolment,
        "is_enrolled": enrolment is not None and enrolment.is_active,
        "certificate": certificate,
        "trainers": list(course.trainers.select_related("photo")),
    }


def dashboard_data(*, user) -> dict:
    """"My learning": modules in progress with their next lesson, completed modules, certificates."""
    enrolments = list(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE)
        .select_related("course", "course__theme")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    courses = [e.course for e in enrolments]
    lessons_by_course = defaultdict(list)
    if courses:
        by_path = {c.path: c for c in courses}
        for lesson in _lessons_of(courses):
            lessons_by_course[by_path[lesson.path[:-CoursePage.steplen]].pk].append(lesson)
    progress = _progress_map(user=user, course_ids=[c.pk for c in courses])
    certificates = list(Certificate.objects.filter(user=user).select_related("course").order_by("-issued_at"))
    in_progress, completed = [], []
    for enrolment in enrolments:
        outline = _outline(enrolment.course, lessons_by_course[enrolment.course.pk], progress)
        entry = {"enrolment": enrolment, "course": enrolment.course, **outline}
        (completed if enrolment.completed_at else in_progress).append(entry)
    # "Continue where you left off": the most recently touched lesson that is not finished.
    resume = None
    touched = [row for row in progress.values() if not row.is_completed and row.last_beat_at]
    lessons_by_id = {lesson.pk: lesson for lessons in lessons_by_course.values() for lesson in lessons}
    touched = [row for row in touched if row.lesson_id in lessons_by_id]
    if touched:
        row = max(touched, key=lambda r: r.last_beat_at)
        resume = {"lesson": lessons_by_id[row.lesson_id], "progress": row}
    elif in_progress and in_progress[0]["next_lesson"] is not None:
        resume = {"lesson": in_progress[0]["next_lesson"], "progress": in_progress[0]["next_progress"]}
    return {"in_progress": in_progress, "completed": completed, "certificates": certificates, "resume": resume}


# --- Reports ------------------------------------------------------------------------

SCORE_BUCKETS = [(0, 49), (50, 59), (60, 69), (70, 79), (80, 89), (90, 100)]


def reportable_courses(*, user) -> QuerySet[CoursePage]:
    """Modules whose reports ``user`` may read: all for administrators, their own for trainers."""
    qs = CoursePage.objects.all().select_related("locale").order_by("path")
    if user.is_superuser or user.has_perm("courses.view_enrolment"):
        return qs
    return qs.filter(trainers__user=user).distinct()


def course_report(*, course: CoursePage) -> dict:
    """Enrolment, progress, scores and time spent for one module, with breakdowns (five queries)."""
    from accounts.models import User
    from lessons.models import LessonProgress, QuizAttempt
    from vocabulary.regions import Province

    lesson_count = _lessons_of([course]).filter(required=True).count()
    enrolments = list(
        Enrolment.objects.filter(course=course)
        .values("user_id", "status", "enrolled_at", "completed_at", "user__full_name", "user__email",
                "user__province", "user__category", "user__gender")
        .order_by("user__full_name")
    )
    progress = {
        row["user_id"]: row
        for row in LessonProgress.objects.filter(course=course).values("user_id").annotate(
            time=Sum("time_spent"),
            done=Count("pk", filter=Q(status=LessonProgress.Status.COMPLETED, lesson__required=True)),
            started=Count("pk"),
        ).order_by()
    }
    scores = {
        row["user_id"]: row["best"]
        for row in QuizAttempt.objects.filter(course=course, status=QuizAttempt.Status.SUBMITTED)
        .values("user_id").annotate(best=Max("percent")).order_by()
    }
    codes = dict(Certificate.objects.filter(course=course).values_list("user_id", "code"))
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
        learners.append({
            "name": row["user__full_name"], "email": row["user__email"],
            "province": row["user__province"], "category": row["user__category"], "gender": row["user__gender"],
            "active": row["status"] == Enrolment.Status.ACTIVE, "state": state,
            "lessons_done": p.get("done", 0), "time": p.get("time") or 0,
            "score": scores.get(row["user_id"]), "enrolled_at": row["enrolled_at"],
            "completed_at": row["completed_at"], "certificate": codes.get(row["user_id"], ""),
        })
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
        rows.append({
            "label": labels.get(value, "—") if value else "—",
            "enrolled": summary["enrolled"], "completed": summary["completed"],
            "in_progress": summary["in_progress"], "average_score": summary["average_score"],
            "share": round(summary["enrolled"] * 100 / top),
        })
    return rows
