"""The text a page publishes in attachments (documents, recordings' captions), as one search field.

A content app declares ``index.SearchField(ATTACHMENT_FIELD, boost=ATTACHMENT_BOOST)``
**last** in its ``search_fields`` and builds the value with :func:`attachment_parts` and
:func:`join_parts`::

    def attachment_text(self) -> str:
        parts = attachment_parts(document_ids=..., recording_ids=..., language=self.locale.language_code)
        return join_parts(parts)

Each part is framed by two private-use characters (U+E000 before the label,
U+E001 between label and text). They are neither letters nor digits, so the
analyzers skip them, but they survive in the backend's stored body: the search
page splits the stored body into the page's own text and labelled parts, and
shows "In «Guide.pdf»: … <mark>word</mark> …" when only an attachment matched.
"""

from __future__ import annotations

from collections.abc import Iterable

ATTACHMENT_FIELD = "attachment_text"
#: Attachments rank below the page's own words (body fields have boost 1).
ATTACHMENT_BOOST = 0.5
#: All attachments of one page together (the per-document cap is in search.extraction).
MAX_ATTACHMENT_CHARS = 1_000_000

PART_START = "\ue000"
LABEL_END = "\ue001"


def _clean(text: str) -> str:
    return (text or "").replace(PART_START, " ").replace(LABEL_END, " ")


def attachment_parts(*, document_ids: Iterable, recording_ids: Iterable, language: str) -> list[tuple[str, str]]:
    """``(title, text)`` of what a page publishes besides its own fields: the extracted text of its
    documents (each once, in order), then its recordings' captions (``language``'s tracks first).
    Two to four queries whatever the number of attachments."""
    # Imported here: content models import this module while the apps are still loading.
    from media_pipeline.selectors import recordings_caption_text
    from search.selectors import document_texts

    document_ids = [int(pk) for pk in document_ids if pk is not None and str(pk).isdigit()]
    texts = document_texts(document_ids)
    parts = [(texts[pk].title, texts[pk].text) for pk in dict.fromkeys(document_ids) if pk in texts]
    parts += recordings_caption_text(list(recording_ids), language=language)
    return parts


def join_parts(parts: Iterable[tuple[str, str]], *, max_chars: int = MAX_ATTACHMENT_CHARS) -> str:
    """One string for the search field: each ``(label, text)`` with text, framed; cut at ``max_chars``."""
    out: list[str] = []
    used = 0
    for label, text in parts:
        text = _clean(text).strip()
        if not text:
            continue
        chunk = f"{PART_START}{_clean(label).strip()}{LABEL_END}{text}"
        if used + len(chunk) > max_chars:
            chunk = chunk[: max(0, max_chars - used)]
        if chunk:
            out.append(chunk)
            used += len(chunk) + 1
        if used >= max_chars:
            break
    return "\n".join(out)


def split_body(body: str) -> tuple[str, list[tuple[str, str]]]:
    """The stored body of a hit as (the page's own text, [(label, text), ...])."""
    own, *parts = (body or "").split(PART_START)
    labelled = []
    for part in parts:
        label, sep, text = part.partition(LABEL_END)
        if sep:
            labelled.append((label, text))
    return own, labelled
