"""Test-only models: a fixed relevance corpus and a page type with facet fields.

They live in the tests so the search app's tests depend on no content app.
"""

from django.db import models
from modelsearch import index
from wagtail.models import Page


class RelevanceDoc(index.Indexed, models.Model):
    """One document of the relevance corpus (tests/search/relevance_corpus.py)."""

    key = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=255)
    body = models.TextField()
    language = models.CharField(max_length=2)

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("language"),
        index.FilterField("key"),
    ]

    def __str__(self):
        return self.key


class TopicPage(Page):
    """A page with the fields content apps register as facets."""

    body = models.TextField(blank=True)
    theme = models.CharField(max_length=40, blank=True)
    year = models.IntegerField(null=True, blank=True)
    province = models.CharField(max_length=40, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.FilterField("theme"),
        index.FilterField("year"),
        index.FilterField("province"),
    ]
    parent_page_types = ["wagtailcore.Page", "searchtestapp.TopicPage"]
    subpage_types = ["searchtestapp.TopicPage"]
