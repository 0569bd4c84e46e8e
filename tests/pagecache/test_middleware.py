"""The anonymous page cache: hits cost no query, a publish purges, logged-in users and other
languages never get someone else's copy."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from home.models import HomePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(db):
    from demo import home as home_demo

    return home_demo.load()


def test_a_cached_anonymous_page_costs_no_query(homes):
    """The second anonymous GET of the home page is answered from the cache without any query."""
    client = Client()
    first = client.get("/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) == 0
    assert second.content == first.content
    assert "Cookie" in second["Vary"]
    assert "Content-Security-Policy" in second  # the policy is still added to a cached copy


def test_head_is_answered_from_the_cached_get(homes):
    """A HEAD after a GET is a hit with no body."""
    client = Client()
    client.get("/")
    head = client.head("/")
    assert head["X-Page-Cache"] == "hit" and head.content == b""


def test_a_publish_purges_the_cached_pages(homes):
    """Publishing a new title for the home page shows it to the next anonymous visitor."""
    client = Client()
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    home = HomePage.objects.get(pk=homes["ar"].pk)
    home.title = "عنوان جديد للصفحة"
    home.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "عنوان جديد للصفحة" in response.content.decode()


def test_unpublish_purges_the_cached_page(homes):
    """An unpublished section answers 404 at once, not its cached copy."""
    from archive.models import ArchiveIndexPage

    client = Client()
    assert client.get("/archive/").status_code == 200
    assert client.get("/archive/")["X-Page-Cache"] == "hit"
    ArchiveIndexPage.objects.child_of(homes["ar"]).get().unpublish()
    assert client.get("/archive/").status_code == 404


def test_a_logged_in_user_never_gets_a_cached_page(homes):
    """A page cached for visitors is rendered afresh for a logged-in user, who sees their own header."""
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"
    member = Client()
    member.force_login(UserFactory())
    response = member.get("/")
    assert "X-Page-Cache" not in response
    assert 'action="/accounts/logout/"' in response.content.decode()
    assert "X-Page-Cache" not in member.get("/")  # nor is their page stored for anyone


def test_each_language_has_its_own_copy(homes):
    """/ (Arabic) and /fr/ (French) are cached apart; neither is served in the other's language."""
    client = Client()
    for _ in range(2):
        arabic, french = client.get("/"), client.get("/fr/")
    assert arabic["X-Page-Cache"] == french["X-Page-Cache"] == "hit"
    assert 'lang="ar"' in arabic.content.decode() and 'dir="rtl"' in arabic.content.decode()
    assert 'lang="fr"' in french.content.decode() and 'dir="ltr"' in french.content.decode()


def test_pages_that_hand_out_a_csrf_token_are_not_cached(homes):
    """The login page (a form with a CSRF token) is never stored."""
    client = Client()
    for _ in range(2):
        response = client.get("/accounts/login/")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_the_cache_can_be_turned_off(homes, settings):
    """PAGECACHE_SECONDS = 0 renders every request."""
    settings.PAGECACHE_SECONDS = 0
    client = Client()
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")
