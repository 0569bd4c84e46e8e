"""Arrows follow the text direction, and templates read the direction where it is used."""

import re
from pathlib import Path

import pytest
from django.test import Client

from courses.services import enrolment_create
from tests.courses.factories import lessons_of, make_course
from tests.lessons.conftest import homes, learner  # noqa: F401 (fixtures)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Tags whose result a child template can only use if they run inside a block.
CONTEXT_TAGS = re.compile(r"\{%\s*(get_current_language(_bidi)?|get_available_languages|with)\b")


def outside_blocks(source: str) -> str:
    """The text of a child template that lies outside every {% block %} (Django never renders it)."""
    depth, kept = 0, []
    for piece in re.split(r"(\{%\s*(?:block\s+\w+|endblock(?:\s+\w+)?)\s*%\})", source):
        if re.fullmatch(r"\{%\s*block\s+\w+\s*%\}", piece):
            depth += 1
        elif re.fullmatch(r"\{%\s*endblock(?:\s+\w+)?\s*%\}", piece):
            depth -= 1
        elif depth == 0:
            kept.append(piece)
    return "".join(kept)


def test_no_child_template_sets_a_variable_outside_its_blocks():
    """A child template ({% extends %}) sets BIDI, LANGUAGE_CODE… inside the block that uses them."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        if "{% extends" in source and CONTEXT_TAGS.search(outside_blocks(source)):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_check_sees_a_tag_outside_blocks():
    """The check above flags the lessons template's old mistake and accepts the fix."""
    old = '{% extends "base.html" %}{% get_current_language_bidi as BIDI %}{% block content %}{{ BIDI }}{% endblock %}'
    new = '{% extends "base.html" %}{% block content %}{% get_current_language_bidi as BIDI %}{% endblock %}'
    assert CONTEXT_TAGS.search(outside_blocks(old))
    assert not CONTEXT_TAGS.search(outside_blocks(new))


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "prev_arrow", "next_arrow"), [("ar", "→", "←"), ("fr", "←", "→")])
def test_lesson_arrows_point_the_way_of_the_text(homes, learner, lang, prev_arrow, next_arrow):  # noqa: F811
    """In Arabic "previous" points right and "next" left; in French the other way round."""
    course = make_course(slug=f"arrows-{lang}", lessons=3, lang=lang)
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    html = client.get(lessons_of(course)[1].url).content.decode()
    prev = re.search(r'rel="prev"><span aria-hidden="true">(.)</span>', html)
    nxt = re.search(r'rel="next">[^<]*<span aria-hidden="true">(.)</span>', html)
    assert prev and nxt, html[-3000:]
    assert (prev.group(1), nxt.group(1)) == (prev_arrow, next_arrow)
