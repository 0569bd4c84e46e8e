"""Highlighted titles and snippets for search hits, in any script.

Whoosh's highlighter finds the words that match the query's (stemmed, folded)
terms; the slices come from the tokenizer's character offsets in the original
text, so vowelled Arabic keeps its marks and its letters joined. A hit's
snippet comes from its stored text (the page's own, then its attachments in
order, each labelled), or for backends that store no text, from the page's
own fields (:func:`page_own_text`).
"""

from __future__ import annotations

import logging

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch.index import SearchField
from whoosh import highlight as whighlight

from search import analysis
from search.attachments import ATTACHMENT_FIELD, split_body

logger = logging.getLogger(__name__)


def highlight_terms(query) -> set[str]:
    """The stemmed terms of a modelsearch query's texts, as highlighting matches them."""
    terms = set()
    for text in analysis.query_texts(query):
        terms.update(analysis.analyze(text, stemmed=True))
    return terms


class _MarkFormatter(whighlight.Formatter):
    """``<mark>`` around matched words; everything else escaped."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return "<mark>" + escape(whighlight.get_text(text, token, replace)) + "</mark>"

    def _text(self, text):
        return escape(text)


def highlight_text(text: str, terms: set[str], *, whole: bool = False, charlimit: int = 2**15) -> SafeString:
    """``text`` with the words that match ``terms`` (stemmed, folded) in
    ``<mark>``; the slices come from the tokenizer's character offsets in the
    original text, so vowelled Arabic keeps its marks and its letters joined.
    Only the first ``charlimit`` characters are looked at (Whoosh's default)."""
    text = text or ""
    if not terms or not text:
        return mark_safe(escape(text[:300] if not whole else text))  # noqa: S308
    fragmenter = (
        whighlight.WholeFragmenter()
        if whole
        else whighlight.ContextFragmenter(maxchars=240, surround=80, charlimit=charlimit)
    )
    try:
        out = whighlight.highlight(
            text, terms, analysis.stem_analyzer(), fragmenter, _MarkFormatter(), top=2, minscore=1
        )
    except Exception:
        logger.exception("Highlighting failed")
        out = ""
    if not out:
        return mark_safe(escape(text[:300] if not whole else text))  # noqa: S308
    return mark_safe(out)  # noqa: S308


def has_mark(html: str) -> bool:
    """True if a highlighted text marks a match."""
    return "<mark>" in html


#: Characters of one document read for a snippet (the index holds up to 200,000).
SNIPPET_SCAN_CHARS = 100_000


def stored_snippet(body: str, terms: set[str], *, title: str = "") -> tuple[SafeString, str]:
    """Snippet and label from a hit's stored body: the page's own text first, then
    its attachments in order; ("", "") labels the page's own text. The page's title, which the
    result shows above its snippet, is left out of it: the stored text starts with it, and the
    snippet read "TitleFirst words of the body" (no space survives the join)."""
    own, parts = split_body(body)
    if title and own.startswith(title):
        own = own[len(title):].lstrip()
    snippet = highlight_text(own, terms)
    if not terms or has_mark(snippet):
        return snippet, ""
    for label, text in parts:
        passage = highlight_text(text, terms)
        if has_mark(passage):
            return passage, label
    return snippet, ""


def page_own_text(page) -> str:
    """The page's own searchable text (not its attachments), for snippets when the
    backend keeps no stored body (OpenSearch, database backends)."""
    texts = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, SearchField) or search_field.field_name == ATTACHMENT_FIELD:
            continue
        try:
            value = search_field.get_value(page)
        except Exception:  # noqa: BLE001 - a snippet is never worth an error page
            logger.exception("Reading %s of page %s for a snippet failed", search_field.field_name, page.pk)
            continue
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value if v)
        if value:
            texts.append(str(value))
    return "\n".join(texts)
