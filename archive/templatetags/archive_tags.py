"""Template helpers for the archive."""

from django import template

from vocabulary.regions import Province

from ..models import ActivityType

register = template.Library()


@register.filter
def activity_type_label(value: str) -> str:
    """The translated label of an activity type key."""
    return str(dict(ActivityType.choices).get(value, value))


@register.filter
def province_label(value: str) -> str:
    """The translated label of a province key."""
    return str(dict(Province.choices).get(value, value))
