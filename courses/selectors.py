"""Read queries of the courses app: the catalogue, a module page's enrolment facts, who reads reports.

What needs the learners' progress (the outline of a module, the dashboard, the reports) is
read by the lessons app, which sits above this one.
"""

from django.db.models import F, Q, QuerySet

from .models import Certificate, CoursePage, Enrolment, Theme

MAX_QUERY_LENGTH = 200


def course_list(*, locale, parent=None) -> QuerySet[CoursePage]:
    """Live modules in one locale, in the editors' order, with their theme."""
    qs = CoursePage.objects.live().public().filter(locale=locale).select_related("theme")
    if parent is not None:
        qs = qs.child_of(parent)
    return qs.order_by("path")


def featured_courses(*, locale, limit: int = 6) -> QuerySet[CoursePage]:
    """Modules for the home page: the featured ones first, then the rest."""
    return course_list(locale=locale).order_by("-featured", "path")[:limit]


def catalogue(*, index, theme: str = "", level: str = "", query: str = "") -> dict:
    """The catalogue page's modules, narrowed by a theme slug, a level and words of the title or
    summary (unknown levels are ignored, the words cut at 200 characters), with the filters' choices."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    courses = course_list(locale=index.locale, parent=index)
    if theme:
        courses = courses.filter(theme__slug=theme)
    if level in CoursePage.Level.values:
        courses = courses.filter(level=level)
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return {
        "courses": courses,
        "themes": Theme.objects.filter(locale=index.locale),
        "levels": CoursePage.Level.choices,
        "filters": {"theme": theme, "level": level, "q": query},
    }


def course_enrolment_data(*, course: CoursePage, user) -> dict:
    """What a module page shows about one visitor and the module's people: the enrolment (active
    or not), the certificate and the trainers (three queries; one for anonymous visitors)."""
    enrolment = certificate = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
        certificate = Certificate.objects.filter(user=user, course=course).first()
    return {
        "enrolment": enrolment,
        "is_enrolled": enrolment is not None and enrolment.is_active,
        "certificate": certificate,
        "trainers": list(course.trainers.select_related("photo")),
    }


def reportable_courses(*, user) -> QuerySet[CoursePage]:
    """Modules whose reports ``user`` may read: all for administrators, their own for trainers."""
    qs = CoursePage.objects.all().select_related("locale").order_by("path")
    if user.is_superuser or user.has_perm("courses.view_enrolment"):
        return qs
    return qs.filter(trainers__user=user).distinct()


def completion_rows(*, year: int | None = None) -> list[dict]:
    """Completed enrolments (one row each) with the learner's province, category and gender, the
    module's theme slug and the year of completion: what the programme's figures put beside the
    in-person sessions. One query."""
    qs = Enrolment.objects.filter(completed_at__isnull=False)
    if year is not None:
        qs = qs.filter(completed_at__year=year)
    return list(qs.values(
        "user_id", "completed_at", province=F("user__province"), category=F("user__category"),
        gender=F("user__gender"), theme=F("course__theme__slug"),
    ).order_by())
