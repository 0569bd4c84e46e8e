"""A learner's player settings (quality, speed, caption language), kept on the server."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import PlayerPreference

SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2")


def _valid_quality(value: str) -> bool:
    return value in ("auto", "audio") or (value.isdigit() and 100 <= int(value) <= 4320)


@transaction.atomic
def player_preference_set(
    *, user, quality: str | None = None, speed: str | None = None, captions: str | None = None
) -> PlayerPreference:
    """Remember a learner's quality, speed and caption language; a value that is not
    one the player offers is refused with a ValidationError, and nothing is saved."""
    errors = {}
    if quality is not None and not _valid_quality(str(quality)):
        errors["quality"] = _("This quality is not offered.")
    if speed is not None and str(speed) not in SPEEDS:
        errors["speed"] = _("This speed is not offered.")
    if captions is not None and not re.fullmatch(r"[a-zA-Z]{0,3}(-[a-zA-Z0-9]{1,8})?", str(captions)):
        errors["captions"] = _("This caption language is not valid.")
    if errors:
        raise ValidationError(errors)
    preference, _created = PlayerPreference.objects.select_for_update().get_or_create(user=user)
    if quality is not None:
        preference.quality = str(quality)
    if speed is not None:
        preference.speed = Decimal(str(speed))
    if captions is not None:
        preference.captions = str(captions)
    preference.full_clean()
    preference.save()
    return preference
