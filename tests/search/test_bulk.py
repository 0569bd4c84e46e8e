"""Bulk loads index what they saved once, at the end, and leave per-save indexing as it was."""

import pytest
from django.db.models.signals import post_save
from wagtail.models import Page
from wagtail.search.signal_handlers import post_save_signal_handler

from search import bulk
from tests.search.factories import TopicPageFactory
from tests.search.test_index_lifecycle import found, index_keys

pytestmark = pytest.mark.django_db


def _receivers(model) -> int:
    return sum(1 for _ in post_save._live_receivers(model)[0] if _ is post_save_signal_handler)


def test_saves_inside_are_indexed_once_on_leaving(search_index_dir, django_capture_on_commit_callbacks, monkeypatch):
    """Nothing reaches the index inside the block; on leaving, every saved page is found, each model
    written in one call, and a page deleted inside the block is not indexed."""
    writes = []
    real = bulk.index_saved

    def counting(saved):
        writes.append({model: set(pks) for model, pks in saved.items()})
        return real(saved)

    monkeypatch.setattr(bulk, "index_saved", counting)
    with django_capture_on_commit_callbacks(execute=True), bulk.indexing_deferred():
        kept = TopicPageFactory(title="الحكامة الترابية", body="ورشة حول الحكامة")
        gone = TopicPageFactory(title="التعمير والبيئة", body="التعمير")
        assert found("الحكامة") == []
        gone.delete()
    assert found("الحكامة") == ["الحكامة الترابية"]
    assert found("التعمير") == []
    assert len(writes) == 1
    assert type(kept) in writes[0]
    assert any(key.endswith(f":{kept.pk}") for key in index_keys())


def test_per_save_indexing_is_restored_even_after_an_error(search_index_dir, django_capture_on_commit_callbacks):
    """A block that raises indexes nothing and the per-save handler is connected again, once."""
    before = _receivers(Page)
    with pytest.raises(RuntimeError), bulk.indexing_deferred():
        TopicPageFactory(title="الحكامة الترابية", body="ورشة حول الحكامة")
        raise RuntimeError("load failed")
    assert found("الحكامة") == []
    assert _receivers(Page) == before == 1
    with django_capture_on_commit_callbacks(execute=True):
        TopicPageFactory(title="التعمير والبيئة", body="التعمير")
    assert found("التعمير") == ["التعمير والبيئة"]
