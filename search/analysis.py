"""Text analysis for Arabic and French, the same at index and at query time.

Whoosh pickles analyzer objects into the index schema, so the classes here must
keep this import path (``search.analysis``); moving them means rebuilding the
index (``manage.py update_index``).

Three analyzers, built from the same tokenizer and fold:

- ``exact_analyzer()``: tokens folded (NFC, Arabic fold, lowercase, accents,
  French elision) and stop words removed, never stemmed. Exact matches rank
  higher than stemmed ones.
- ``stem_analyzer()``: the same, then light stemming by script (Arabic or Latin)
  with the institution's vocabulary protected from the stemmers.
- ``autocomplete_analyzer()``: edge n-grams of the exact tokens, for type-ahead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from modelsearch.query import Phrase, PlainText
from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token

from search.vocabulary import (
    ARABIC_SUFFIXES,
    ARTICLE_PREFIXES,
    CLITICS,
    ELISIONS,
    PROTECTED_STEMS,
    STOP_WORDS,
)

# Letters, digits and the combining marks that live inside words: Latin accents
# in decomposed form and the Arabic harakat, shadda, sukun, superscript alef and
# Quranic marks. Whoosh's default tokenizer splits on the Arabic marks, so a
# vowelled word (مُحَمَّد) falls apart into one-letter tokens.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
WORD_RE = re.compile(rf"[\w{_MARKS}]+(?:['’][\w{_MARKS}]+)*", re.UNICODE)

_ARABIC_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh, common in text pasted from Word
        "ک": "ك",
        "ة": "ه",
        "ـ": None,  # tatweel
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
        "œ": "oe",
        "æ": "ae",
    }
)


def is_arabic(text: str) -> bool:
    """True if the text holds at least one Arabic letter."""
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def fold(text: str) -> str:
    """Fold one word or a whole text: NFC, no harakat or tatweel, one alef, ى → ي,
    ة → ه, ASCII digits, lowercase, no Latin accents."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_ARABIC_LETTER_MAP)
    return unicodedata.normalize("NFC", text)


def strip_elision(word: str) -> str:
    """``l'école`` → ``école``, ``qu'il`` → ``il``; other apostrophes are dropped."""
    word = word.replace("’", "'")
    if "'" in word:
        head, _, tail = word.partition("'")
        if head.casefold() in ELISIONS and tail:
            word = tail
        return word.replace("'", "")
    return word


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """:func:`fold` after :func:`strip_elision`, cached: words repeat a lot."""
    return fold(strip_elision(word))


@lru_cache(maxsize=4)
def _snowball(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of one folded word, by script, vocabulary first."""
    if word in PROTECTED_STEMS:
        return PROTECTED_STEMS[word]
    if word.isdigit():
        return word
    if is_arabic(word):
        return _stem_arabic(word)
    return _snowball("french").stemWord(word)


def _stem_arabic(word: str) -> str:
    base = word
    for prefix in ARTICLE_PREFIXES:
        if base.startswith(prefix) and len(base) - len(prefix) >= 3:
            base = base[len(prefix) :]
            break
    else:
        # A lone conjunction or preposition only comes off when what is left is
        # a known word: و in ورشه is part of the word.
        if base[:1] in CLITICS and base[1:] in PROTECTED_STEMS:
            base = base[1:]
    if base in PROTECTED_STEMS:
        return PROTECTED_STEMS[base]
    for suffix in ARABIC_SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            base = base[: -len(suffix)]
            break
    if base in PROTECTED_STEMS:
        return PROTECTED_STEMS[base]
    if len(base) <= 3:
        return base
    stemmed = _snowball("arabic").stemWord(base)
    return stemmed if len(stemmed) >= 3 else base


def edge_grams(text: str, minsize: int, maxsize: int) -> list[str]:
    """The index-side autocomplete grams of one folded word (see :class:`EdgeNgramFilter`)."""
    forms = [text]
    # Typing تكو must find التكوين: grams of the word without its article too.
    for prefix in ARTICLE_PREFIXES:
        if text.startswith(prefix) and len(text) - len(prefix) >= 2:
            forms.append(text[len(prefix) :])
            break
    grams = []
    for form in forms:
        upper = min(len(form), maxsize)
        lower = min(minsize, upper)
        grams.extend(form[:size] for size in range(lower, upper + 1))
    return grams


# --- Pre-analysis for indexing ---------------------------------------------------------
# Each text is indexed into an exact and a stemmed field (and titles into two
# autocomplete fields). Running the analyzer chain per field tokenizes the same
# text twice and pays a generator step per token and filter. The functions below
# give the same terms, computed once per text from a per-word cache (a Zipf
# vocabulary repeats the same few thousand words), and the backend hands Whoosh
# the term lists (a list bypasses the field's analyzer). tests/search/test_analysis.py
# checks that the postings come out identical to the analyzers'.


@lru_cache(maxsize=200_000)
def _index_forms(word: str) -> tuple[str, str] | None:
    """(exact, stemmed) terms of one raw word; ``None`` for a stop word; ``("", "")``
    when the fold leaves nothing (a run of tatweel or lone harakat)."""
    folded = fold_word(word)
    if not folded:
        return ("", "")
    if folded in STOP_WORDS:
        return None
    return folded, stem(folded)


def index_terms(text: str) -> tuple[list[str] | None, list[str]]:
    """The terms :func:`exact_analyzer` and :func:`stem_analyzer` give for ``text`` at
    index time, in order. The exact list is ``None`` when a word folded to nothing:
    the analyzer leaves a gap in the positions there, which a plain list cannot
    express, so the caller lets the exact field analyze the text itself."""
    exact: list[str] | None = []
    stemmed: list[str] = []
    forms = _index_forms
    for word in WORD_RE.findall(text):
        pair = forms(word)
        if pair is None:
            continue
        if not pair[0]:
            exact = None
            continue
        if exact is not None:
            exact.append(pair[0])
        stemmed.append(pair[1])
    return exact, stemmed


@lru_cache(maxsize=200_000)
def _autocomplete_forms(word: str) -> tuple[str, ...]:
    folded = fold_word(word)
    if not folded:
        return ()
    return tuple(edge_grams(folded, AUTOCOMPLETE_MIN_GRAM, AUTOCOMPLETE_MAX_GRAM))


def autocomplete_index_terms(text: str) -> list[str]:
    """The terms :func:`autocomplete_analyzer` gives for ``text`` at index time."""
    out: list[str] = []
    for word in WORD_RE.findall(text):
        out.extend(_autocomplete_forms(word))
    return out


def analyze(text: str, *, stemmed: bool = False) -> list[str]:
    """The terms a text gives, as the index sees them (used by query building)."""
    analyzer = stem_analyzer() if stemmed else exact_analyzer()
    return [token.text for token in analyzer(text)]


def query_texts(query) -> list[str]:
    """The texts typed into a modelsearch query: its ``PlainText`` and ``Phrase``
    parts, under ``And``/``Or`` too, in order."""
    if isinstance(query, (PlainText, Phrase)):
        return [query.query_string]
    out = []
    for sub in getattr(query, "subqueries", []):
        out.extend(query_texts(sub))
    return out


class WordTokenizer(Tokenizer):
    """Words with their combining marks and inner apostrophes; nothing else."""

    def __eq__(self, other):
        return isinstance(other, WordTokenizer)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for pos, match in enumerate(WORD_RE.finditer(value)):
            token.text = match.group(0)
            token.boost = 1.0
            if keeporiginal:
                token.original = token.text
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class FoldFilter(Filter):
    """Elision, then the Arabic and Latin fold (see :func:`fold`)."""

    def __eq__(self, other):
        return isinstance(other, FoldFilter)

    def __call__(self, tokens):
        for token in tokens:
            text = fold_word(token.text)
            if text:
                token.text = text
                yield token


class StopWordFilter(Filter):
    """Drops Arabic and French stop words, renumbering positions so phrases that
    contained a stop word still match."""

    def __eq__(self, other):
        return isinstance(other, StopWordFilter)

    def __call__(self, tokens):
        offset = 0
        for token in tokens:
            if token.text in STOP_WORDS:
                if token.mode == "query" and not getattr(token, "removestops", True):
                    yield token
                    continue
                offset += 1
                continue
            if token.positions:
                token.pos -= offset
            yield token


class LightStemFilter(Filter):
    """Light stemming by script, with the protected vocabulary."""

    def __eq__(self, other):
        return isinstance(other, LightStemFilter)

    def __call__(self, tokens):
        for token in tokens:
            token.text = stem(token.text)
            yield token


class EdgeNgramFilter(Filter):
    """Prefixes of each token, ``minsize`` to ``maxsize`` characters (the whole
    token too, when shorter than ``maxsize``)."""

    def __init__(self, minsize: int = 2, maxsize: int = 15):
        self.minsize = minsize
        self.maxsize = maxsize

    def __eq__(self, other):
        return isinstance(other, EdgeNgramFilter) and (self.minsize, self.maxsize) == (other.minsize, other.maxsize)

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if token.mode == "query":
                # The query side is truncated, not expanded: a prefix longer than
                # maxsize still finds the word.
                token.text = text[: self.maxsize]
                yield token
                continue
            for gram in edge_grams(text, self.minsize, self.maxsize):
                token.text = gram
                yield token


AUTOCOMPLETE_MIN_GRAM = 2
AUTOCOMPLETE_MAX_GRAM = 15


def exact_analyzer():
    """Folded, unstemmed terms."""
    return WordTokenizer() | FoldFilter() | StopWordFilter()


def stem_analyzer():
    """Folded, light-stemmed terms."""
    return WordTokenizer() | FoldFilter() | StopWordFilter() | LightStemFilter()


def autocomplete_analyzer():
    """Edge n-grams of the folded terms; stop words kept (people type them)."""
    return WordTokenizer() | FoldFilter() | EdgeNgramFilter(AUTOCOMPLETE_MIN_GRAM, AUTOCOMPLETE_MAX_GRAM)


def autocomplete_terms(text: str) -> list[str]:
    """Query-side terms for autocomplete: folded words cut to the longest n-gram."""
    return [fold_word(m.group(0))[:AUTOCOMPLETE_MAX_GRAM] for m in WORD_RE.finditer(text)]
