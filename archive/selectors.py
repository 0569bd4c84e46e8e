"""Read queries for the archive."""

from django.db.models import QuerySet

from .models import ActivityPage


def activity_list(*, locale) -> QuerySet[ActivityPage]:
    """Live activities in one locale, newest first."""
    return ActivityPage.objects.live().public().filter(locale=locale).order_by("-start_date", "-pk")


def latest_activities(*, locale, limit: int = 4) -> QuerySet[ActivityPage]:
    """The newest activities, for the home page."""
    return activity_list(locale=locale)[:limit]
