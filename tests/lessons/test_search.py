"""Lessons are found by the text of the documents in their body and of their recordings' captions."""

import pytest
from django.core.management import call_command

from lessons.models import LessonPage
from media_pipeline import services as media_services
from tests.courses.factories import lessons_of, make_course
from tests.search.documents import make_odt, make_recording, save_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(homes, tmp_path, settings, django_capture_on_commit_callbacks):
    """A published lesson whose body has a document (an .odt) and a recording (no captions yet)."""
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(tmp_path / "index")}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    course = make_course(slug="search-module", lessons=1)
    call_command("update_index", verbosity=0)
    recording = make_recording("محاضرة الدرس")
    with django_capture_on_commit_callbacks(execute=True):
        document = save_document("بطاقة-تقنية.odt", "fiche.odt", make_odt(["بطاقة تقنية حول الجبايات المحلية"]))
        page = LessonPage.objects.get(pk=lessons_of(course)[0].pk)
        page.body = [
            ("text", "<p>محتوى الدرس</p>"),
            ("document", {"document": document, "label": ""}),
            ("video", {"recording": recording, "video": None, "poster": None, "caption": ""}),
        ]
        page.save_revision().publish()
    return page, recording


def _search(client, query):
    return client.get("/search/", {"q": query}).context["result"].hits


def test_document_in_the_body_finds_the_lesson(client, lesson):
    """A word only in the lesson's document finds the lesson, labelled with the document."""
    page, _recording = lesson
    hits = _search(client, "الجبايات")
    assert [hit.page.pk for hit in hits] == [page.pk]
    assert hits[0].snippet_label == "بطاقة-تقنية.odt"


def test_caption_word_finds_the_lesson_and_replacing_reindexes(client, lesson, django_capture_on_commit_callbacks):
    """A caption track added later makes its words findable; replacing it drops the old words."""
    page, recording = lesson
    assert _search(client, "التدبير") == []
    with django_capture_on_commit_callbacks(execute=True):
        media_services.caption_set(asset=recording, language="ar", label="العربية",
                                   content="WEBVTT\n\n00:00.000 --> 00:03.000\nالتدبير المفوض للمرافق\n".encode())
    hits = _search(client, "التدبير")
    assert [hit.page.pk for hit in hits] == [page.pk]
    assert hits[0].snippet_label == "محاضرة الدرس"
    with django_capture_on_commit_callbacks(execute=True):
        media_services.caption_set(asset=recording, language="ar", label="العربية",
                                   content="WEBVTT\n\n00:00.000 --> 00:03.000\nالشرطة الإدارية\n".encode())
    assert _search(client, "التدبير") == []
    assert [hit.page.pk for hit in _search(client, "الإدارية")] == [page.pk]


def test_attachment_text_reads_a_constant_number_of_queries(lesson, django_assert_max_num_queries):
    """Indexing a lesson reads its documents and recordings in a few queries, whatever their number."""
    page, _recording = lesson
    fresh = LessonPage.objects.get(pk=page.pk)
    with django_assert_max_num_queries(4):
        text = fresh.attachment_text()
    assert "الجبايات" in text


def test_callout_kind_label_is_not_indexed():
    """A callout's kind is shown as a translated label: indexing it would make a
    French lesson match the Arabic word for "tip" (the indexer's language).
    Its title and text are indexed."""
    from django.utils import translation

    from lessons.blocks import CalloutBlock

    block = CalloutBlock()
    value = block.to_python({"kind": "tip", "title": "Conseil", "text": "<p>Préparez le budget</p>"})
    with translation.override("ar"):
        content = " ".join(block.get_searchable_content(value))
    assert "نصيحة" not in content and "tip" not in content
    assert "Conseil" in content and "budget" in content
