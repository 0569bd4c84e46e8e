"""Read queries for course pages, shaped for templates (constant query counts)."""

from django.db.models import QuerySet

from .models import CoursePage


def course_list(*, locale, parent=None) -> QuerySet[CoursePage]:
    """Live modules in one locale, in the editors' order, with their theme."""
    qs = CoursePage.objects.live().public().filter(locale=locale).select_related("theme")
    if parent is not None:
        qs = qs.child_of(parent)
    return qs.order_by("path")


def featured_courses(*, locale, limit: int = 6) -> QuerySet[CoursePage]:
    """Modules for the home page: the featured ones first, then the rest."""
    return course_list(locale=locale).order_by("-featured", "path")[:limit]
