"""The Arabic and French analysis: the same terms at index and query time."""

import pytest

from search import analysis


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مُحَمَّد", ["محمد"]),  # harakat and shadda kept inside the word, then folded away
        ("الـــتكوين", ["التكوين"]),  # tatweel
        ("أإآٱ", ["اااا"]),
        ("مستشفى", ["مستشفي"]),
        ("جماعة", ["جماعه"]),
        ("٢٠٢١ ۱۲", ["2021", "12"]),
        ("ﻻ ﺗﺨﻄﻴﻂ", ["تخطيط"]),  # presentation forms; لا is a stop word
        ("L'École", ["ecole"]),
        ("qu’il d'abord", ["abord"]),
        ("Œuvre ÉLUS", ["oeuvre", "elus"]),
        ("e\u0301lu", ["elu"]),  # decomposed accent
    ],
)
def test_exact_terms_are_folded_not_stemmed(text, expected):
    """The exact field folds Arabic and French and drops stop words, without stemming."""
    assert analysis.analyze(text) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ["تكوين", "التكوين", "والتكوين", "بالتكوين", "للتكوين", "تكوينات", "تَكْوِين"],
        ["جماعة", "الجماعة", "الجماعات", "للجماعات", "جماعات"],
        ["ورشة", "ورشات", "الورشة"],
        ["المنتخبين", "منتخب", "المنتخبات", "كالمنتخبين"],
        ["الصويرة", "بالصويرة", "صويرة"],
        ["élu", "élus", "elus", "Élue"],
        ["commune", "communes", "communale"],
        ["formation", "formations"],
        ["marché", "marches"],
    ],
)
def test_variants_share_one_stem(variants):
    """Article, clitics, plurals, vowels and accents reduce to one stem."""
    stems = {tuple(analysis.analyze(v, stemmed=True)) for v in variants}
    assert len(stems) == 1, stems


def test_protected_vocabulary_is_not_mangled():
    """Snowball turns التكوين into تكو; the institution's words keep their form."""
    assert analysis.stem("تكوين") == "تكوين"
    assert analysis.analyze("التكوين", stemmed=True) == ["تكوين"]
    assert analysis.analyze("مراكش", stemmed=True) == ["مراكش"]


def test_lone_waw_is_kept_when_part_of_the_word():
    """و comes off only before a known word: ورشة keeps its و."""
    assert analysis.analyze("ورشة", stemmed=True) == ["ورشه"]
    assert analysis.analyze("وتكوين", stemmed=True) == ["تكوين"]


def test_tokenizer_offsets_cover_vowelled_words():
    """Character offsets span the whole vowelled word (highlighting relies on them)."""
    text = "برنامج مُحَمَّد الخامس"
    tokens = [(t.text, t.startchar, t.endchar) for t in analysis.WordTokenizer()(text, chars=True)]
    assert tokens[1] == ("مُحَمَّد", 7, 7 + len("مُحَمَّد"))
    assert text[tokens[1][1] : tokens[1][2]] == "مُحَمَّد"


def test_autocomplete_grams_and_query_terms():
    """Edge n-grams from two letters; the query side is folded and cut to the longest gram."""
    grams = [t.text for t in analysis.autocomplete_analyzer()("Élus")]
    assert grams == ["el", "elu", "elus"]
    arabic = [t.text for t in analysis.autocomplete_analyzer()("التكوين")]
    assert "ال" in arabic and "تك" in arabic and "التكوين" in arabic
    assert analysis.autocomplete_terms("التَّكوين") == ["التكوين"]
    assert analysis.autocomplete_terms("x" * 40) == ["x" * analysis.AUTOCOMPLETE_MAX_GRAM]


# --- Pre-analysis for indexing: the same postings as the analyzers -------------------

PREANALYSIS_TEXTS = [
    "مُحَمَّد رئيس الجماعة في مراكش، والتكوين للمنتخبين ٢٠٢١",
    "L'École d'été des élus : qu’il soit formé, jusqu'à la fin. Œuvre ÉLUS e\u0301lu",
    "هذا ما كان في الـــتكوين من بعد ﻻ ﺗﺨﻄﻴﻂ",
    "le la les de des",  # stop words only
    "x" * 40 + " تكوينات تكوينات تكوينات",  # long word, repeated word
    "باب ـــ ورشة",  # a tatweel run folds to nothing: a gap in positions
    "",
]


def _postings(field, value):
    return sorted(field.index(value))


@pytest.mark.parametrize("text", PREANALYSIS_TEXTS)
def test_index_terms_give_the_analyzers_postings(text):
    """Terms computed once per text index exactly as the exact, stemmed and
    autocomplete analyzers do (frequencies, weights and positions); a text with a
    gap in its positions falls back to the analyzer for the exact field."""
    from search.backends.whoosh.schema import autocomplete_field, text_field

    exact, stemmed = analysis.index_terms(text)
    if "ـــ" in text.split():
        assert exact is None
    else:
        assert _postings(text_field(exact=True), exact) == _postings(text_field(exact=True), text)
    assert _postings(text_field(), stemmed) == _postings(text_field(), text)
    grams = analysis.autocomplete_index_terms(text)
    assert _postings(autocomplete_field(), grams) == _postings(autocomplete_field(), text)


def test_preanalysed_documents_match_across_the_corpus():
    """Every relevance-corpus text gives the analyzers' postings through the
    backend's pre-analysis, field by field."""
    from whoosh import fields as wf

    from search.backends.whoosh.schema import autocomplete_field, text_field
    from search.backends.whoosh.writing import PreAnalysis
    from tests.search.relevance_corpus import DOCS

    schema = wf.Schema(
        c_body=text_field(), c_body__x=text_field(exact=True), ac=autocomplete_field(), key=wf.ID(stored=True)
    )
    pre = PreAnalysis(schema)
    for key, (title, body) in DOCS.items():
        doc = {"c_body": body, "c_body__x": body, "ac": title, "key": key}
        analysed = pre.document(doc)
        assert analysed["key"] == key
        for name in ("c_body", "c_body__x", "ac"):
            assert isinstance(analysed[name], list)
            assert _postings(schema[name], analysed[name]) == _postings(schema[name], doc[name]), (key, name)


def test_preanalysis_leaves_unknown_analyzers_alone():
    """A field whose analyzer is not one of ours gets its text unchanged."""
    from whoosh import fields as wf

    from search.backends.whoosh.writing import PreAnalysis

    schema = wf.Schema(other=wf.TEXT(), c_body=wf.TEXT(analyzer=analysis.stem_analyzer()))
    analysed = PreAnalysis(schema).document({"other": "Formation des élus", "c_body": "Formation des élus"})
    assert analysed["other"] == "Formation des élus"
    assert analysed["c_body"] == ["formation", "elu"]
