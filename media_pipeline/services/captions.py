"""Caption tracks: WebVTT or SRT in, WebVTT stored, search told after the commit."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Caption
from ..signals import captions_changed
from .upload import schedule_file_deletion


def srt_to_vtt(text: str) -> str:
    """Convert SubRip text to WebVTT (comma decimal marks become dots)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.lstrip().startswith("WEBVTT"):
        return text
    body = re.sub(r"(\d{2}:\d{2}:\d{2}),(\d{3})", r"\1.\2", text)
    return "WEBVTT\n\n" + body.strip() + "\n"


@transaction.atomic
def caption_set(*, asset, language: str, label: str, content: bytes) -> Caption:
    """Add or replace the caption track of one language (WebVTT or SRT, stored as WebVTT)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Captions must be UTF-8 text.")) from exc
    vtt = srt_to_vtt(text)
    if "-->" not in vtt:
        raise ValidationError(_("This is not a WebVTT or SRT caption file."))
    caption = Caption.objects.filter(asset=asset, language=language).first()
    old = caption.file.name if caption else None
    caption = caption or Caption(asset=asset, language=language)
    caption.label = label
    caption.file.save(f"{asset.pk}-{language}-{uuid.uuid4().hex[:8]}.vtt", ContentFile(vtt.encode()), save=False)
    caption.full_clean()
    caption.save()
    if old:
        schedule_file_deletion([old])
    transaction.on_commit(lambda: captions_changed.send(sender=Caption, asset=asset))
    return caption
