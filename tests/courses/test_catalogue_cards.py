"""Catalogue and home cards show the level, the length (from the lessons unless an editor sets it)
and the lesson count, in queries that do not grow with the number of modules."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.courses.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def module(slug: str, minutes: list[int], **fields):
    course = make_course(slug=slug, lessons=len(minutes), revisions=False, **fields)
    for lesson, value in zip(lessons_of(course), minutes, strict=True):
        lesson.estimated_minutes = value
        lesson.save()
    return course


def card(html: str, slug: str) -> str:
    return html.split(f'href="/courses/{slug}/"')[1].split("</article>")[0]


def test_cards_show_level_length_and_lesson_count(homes):
    """Three lessons of 15 minutes read "45 دقيقة" and "3 دروس"; an editor's 2.5 hours win over the lessons."""
    module("short", [15, 15, 15])
    module("set", [10], estimated_hours=Decimal("2.5"))
    html = Client().get("/courses/").content.decode()
    short = card(html, "short")
    assert "45 دقيقة" in short and "3 دروس" in short and "تمهيدي" in short
    assert "حوالي ساعتين ونصف" in card(html, "set") and "درس واحد" in card(html, "set")
    french = Client().get("/fr/courses/").content.decode()
    assert "/fr/courses/" in french


def test_the_module_page_derives_its_estimate_from_the_lessons(homes):
    """The module page no longer claims "about 2 hours" for 45 minutes of lessons."""
    module("derived", [10, 15, 20])
    html = Client().get("/courses/derived/").content.decode()
    assert "45 دقيقة" in html and "ساعتين" not in html


def test_card_queries_do_not_grow_with_the_modules(homes):
    """The catalogue costs the same number of queries for 2 modules as for 6."""
    counts = []
    for n in (2, 6):
        for i in range(len(counts) * 2, n):
            module(f"m{i}", [10, 10])
        client = Client()
        client.get("/courses/")  # the first request fills the site and content-type caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/courses/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] and counts[1] <= 15
