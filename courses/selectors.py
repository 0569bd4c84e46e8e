"""Read queries of the courses app: the catalogue, a module page's enrolment facts, who reads reports.

What needs the learners' progress (the outline of a module, the dashboard, the reports) is
read by the lessons app, which sits above this one.
"""

from django.db.models import F, Q, QuerySet

from .models import Certificate, CoursePage, Enrolment, Theme

MAX_QUERY_LENGTH = 200


def course_list(*, locale, parent=None) -> QuerySet[CoursePage]:
    """Live modules in one locale, in the editors' order, with their theme."""
    qs = CoursePage.objects.live().public().filter(locale=locale).select_related("theme", "cover_image").prefetch_related("cover_image__renditions")
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
        "courses": with_card_facts(courses),
        "themes": Theme.objects.filter(locale=index.locale),
        "levels": CoursePage.Level.choices,
        "filters": {"theme": theme, "level": level, "q": query},
    }


def course_enrolment_data(*, course: CoursePage, user) -> dict:
    """What a module page shows about one visitor and the module's people: the enrolment (active
    or not), the certificate and the trainers (three queries; one for anonymous visitors)."""
    enrolment = certificate = None
    if user.is_authenticated:
        # One enrolment and one certificate for the module in all its languages.
        enrolment = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
        certificate = certificate_for(user=user, course=course)
    return {
        "enrolment": enrolment,
        "is_enrolled": enrolment is not None and enrolment.is_active,
        "certificate": certificate,
        "trainers": list(course.trainers.select_related("photo")),
    }


def certificate_for(*, user, course: CoursePage) -> Certificate | None:
    """The learner's certificate for the module in any language: the valid one, else the latest revoked."""
    return (
        Certificate.objects.filter(user=user, course_key=course.translation_key)
        .order_by(F("revoked_at").desc(nulls_first=True), "-issued_at")
        .first()
    )


def reportable_courses(*, user) -> QuerySet[CoursePage]:
    """Modules whose reports ``user`` may read: all for administrators, their own for trainers."""
    qs = CoursePage.objects.all().select_related("locale").order_by("path")
    if user.is_superuser or user.has_perm("courses.view_enrolment"):
        return qs
    return qs.filter(trainers__user=user).distinct()


def course_facts(courses) -> dict[int, dict]:
    """Each module's length in minutes and number of lessons: the length is the editor's estimate
    when set, otherwise the sum of its lessons' durations; both come from the lessons app through
    ``COURSE_LESSON_FACTS_HOOK`` (one query for any number of modules). Length None when unknown."""
    from wagtail import hooks

    from .models import COURSE_LESSON_FACTS_HOOK

    courses = list(courses)
    facts = {c.pk: {"minutes": None, "lessons": 0} for c in courses}
    if courses:
        for provide in hooks.get_hooks(COURSE_LESSON_FACTS_HOOK):
            for pk, found in provide(courses=courses).items():
                facts[pk].update({"minutes": found.get("minutes") or None, "lessons": found.get("lessons", 0)})
    for course in courses:
        if course.estimated_hours:
            facts[course.pk]["minutes"] = round(float(course.estimated_hours) * 60)
    return facts


def course_minutes(courses) -> dict[int, int | None]:
    """Each module's length in minutes (``course_facts``)."""
    return {pk: found["minutes"] for pk, found in course_facts(courses).items()}


def with_card_facts(courses) -> list[CoursePage]:
    """The modules as a list, each with ``card_minutes`` and ``card_lessons`` for its card."""
    courses = list(courses)
    facts = course_facts(courses)
    for course in courses:
        course.card_minutes = facts[course.pk]["minutes"]
        course.card_lessons = facts[course.pk]["lessons"]
    return courses


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
