"""Archive activities are found by the text of their documents and recordings' captions."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from archive.models import ActivityPage
from media_pipeline import services as media_services
from search.models import DocumentText
from tests.search.documents import make_docx, make_pdf, make_recording

pytestmark = pytest.mark.django_db

# Words that appear only in the attachments, never in the activity's own fields.
AR_WORD = "المقاولاتية"  # unvowelled in the PDF
AR_QUERY = "المُقَاوَلَاتِيَّة"  # typed with harakat
FR_TEXT = "Séance consacrée à l'élaboration du plan pluriannuel d'investissement"


@pytest.fixture
def index_dir(tmp_path, settings):
    """A fresh, empty Whoosh index for the test."""
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(tmp_path / "index")}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    call_command("update_index", verbosity=0)


@pytest.fixture
def activity(make_activity, index_dir, django_capture_on_commit_callbacks):
    """An activity in Arabic and French with an Arabic PDF and a French .docx, published
    through the service; the extraction tasks run on commit (inline in tests)."""
    attachments = {
        "دليل-المقاولات.pdf": make_pdf([f"دليل حول {AR_WORD} الجماعية ودعم المبادرات المحلية"]),
        "compte-rendu.docx": make_docx(["Compte rendu", FR_TEXT]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        page = make_activity("MDE-2019-044", attachments=attachments)
    return page


def _hits(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response, response.context["result"].hits


def test_arabic_vowelled_query_finds_the_document_text(client, activity):
    """A vowelled query finds the activity through its PDF's unvowelled text, with a
    highlighted passage labelled with the document's title."""
    assert DocumentText.objects.filter(status="done").count() == 2
    response, hits = _hits(client, "/search/", AR_QUERY)
    assert [hit.page.pk for hit in hits] == [activity.pk]
    assert hits[0].snippet_label == "دليل-المقاولات.pdf"
    assert f"<mark>{AR_WORD}</mark>" in str(hits[0].snippet_html)
    html = response.content.decode()
    assert "في «\u2068دليل-المقاولات.pdf\u2069»:" in html  # the Arabic label
    assert f"<mark>{AR_WORD}</mark>" in html


def test_french_query_without_accents_finds_the_docx(client, activity):
    """On the French site, "elaboration pluriannuel" finds the French translation through
    its .docx, accents folded, labelled in French."""
    response, hits = _hits(client, "/fr/search/", "elaboration pluriannuel")
    assert len(hits) == 1
    assert hits[0].page.locale.language_code == "fr"
    assert hits[0].page.reference_code == activity.reference_code
    assert hits[0].snippet_label == "compte-rendu.docx"
    assert "élaboration</mark>" in str(hits[0].snippet_html) and "<mark>pluriannuel</mark>" in str(hits[0].snippet_html)
    assert "Dans «\u2068compte-rendu.docx\u2069» :" in response.content.decode()


def test_own_text_wins_over_attachments(client, activity):
    """A word of the activity's own fields gives an unlabelled snippet from the page."""
    _response, hits = _hits(client, "/search/", "الحكامة")
    assert hits and hits[0].snippet_label == ""


def test_captions_find_the_activity_and_a_new_track_reindexes(client, activity, django_capture_on_commit_callbacks):
    """A word said only in a recording's captions finds the activity; replacing the
    track re-indexes the page: the old word is gone, the new one is found."""
    recording = make_recording("تسجيل الورشة")
    with django_capture_on_commit_callbacks(execute=True):
        page = ActivityPage.objects.get(pk=activity.pk)
        page.videos = [("recording", recording)]
        page.save_revision().publish()
    assert _hits(client, "/search/", "المناصفة")[1] == []

    with django_capture_on_commit_callbacks(execute=True):
        media_services.caption_set(asset=recording, language="ar", label="العربية",
                                   content="WEBVTT\n\n00:00.000 --> 00:02.000\nنتحدث عن المناصفة في المجالس\n".encode())
    _response, hits = _hits(client, "/search/", "المناصفة")
    assert [hit.page.pk for hit in hits] == [activity.pk]
    assert hits[0].snippet_label == "تسجيل الورشة"

    with django_capture_on_commit_callbacks(execute=True):
        media_services.caption_set(asset=recording, language="ar", label="العربية",
                                   content="WEBVTT\n\n00:00.000 --> 00:02.000\nالتخطيط الاستراتيجي للجماعات\n".encode())
    assert _hits(client, "/search/", "المناصفة")[1] == []
    assert [hit.page.pk for hit in _hits(client, "/search/", "الاستراتيجي")[1]] == [activity.pk]


def test_replacing_a_document_file_reindexes(client, activity, django_capture_on_commit_callbacks):
    """A new file for the same document: its text replaces the old one in search."""
    from django.core.files.base import ContentFile

    row = DocumentText.objects.get(document__title="compte-rendu.docx")
    document = row.document
    with django_capture_on_commit_callbacks(execute=True):
        document.file.save("compte-rendu-v2.docx", ContentFile(make_docx(["Budget de fonctionnement révisé"])), save=False)
        document.save()
    assert _hits(client, "/fr/search/", "pluriannuel")[1] == []
    assert len(_hits(client, "/fr/search/", "fonctionnement")[1]) == 1


def test_private_activity_never_appears(client, make_activity, index_dir, django_capture_on_commit_callbacks):
    """An activity behind a password is indexed but never shown, even by its document's text."""
    pdf = make_pdf([f"وثيقة {AR_WORD}"])
    with django_capture_on_commit_callbacks(execute=True):
        public = make_activity("MDE-2019-050", attachments={"عام.pdf": pdf})
        private = make_activity("MDE-2019-051", attachments={"خاص.pdf": pdf}, titles={"ar": "نشاط خاص"})
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    _response, hits = _hits(client, "/search/", AR_WORD)
    assert [hit.page.pk for hit in hits] == [public.pk]


def test_deleting_a_document_removes_its_text_from_search(client, activity, django_capture_on_commit_callbacks):
    """Once a document is deleted, the pages that used it are re-indexed without its text."""
    document = DocumentText.objects.get(document__title="دليل-المقاولات.pdf").document
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert _hits(client, "/search/", AR_WORD)[1] == []


def test_search_page_queries_do_not_grow_with_attachment_hits(client, make_activity, index_dir,
                                                              django_capture_on_commit_callbacks,
                                                              django_assert_num_queries):
    """Attachment passages past the stored body (20,000 characters) come from the
    database in a fixed number of queries: one hit or three cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    filler = "نص " * 12_000  # about 36,000 characters before the word
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            word = "المقاولاتية" if n == 0 else "التعاونيات"
            make_activity(f"MDE-2020-{n:03d}", attachments={f"ملحق-{n}.txt": f"{filler}{word} والتنمية".encode()})

    def count(query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/search/", {"q": query})
        hits = response.context["result"].hits
        assert all(hit.snippet_label.startswith("ملحق-") for hit in hits), [(h.page.title, h.snippet_label, str(h.snippet_html)[:200]) for h in hits]
        assert all("<mark>" in str(hit.snippet_html) for hit in hits)
        return len(hits), len(ctx.captured_queries)

    client.get("/search/", {"q": "التنمية"})  # warm the per-process caches (site, locales)
    one = count("المقاولاتية")
    two = count("التعاونيات")
    assert one[0] == 1 and two[0] == 2
    assert one[1] == two[1] <= 12, (one, two)


def test_fallback_backend_labels_attachment_passages(client, activity, settings):
    """On another modelsearch backend (database here, OpenSearch at scale) the document's
    passage is read from the database and labelled the same way."""
    conf = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    call_command("update_index", verbosity=0)
    _response, hits = _hits(client, "/search/", AR_WORD)
    assert [hit.page.pk for hit in hits] == [activity.pk]
    assert hits[0].snippet_label == "دليل-المقاولات.pdf"
    assert f"<mark>{AR_WORD}</mark>" in str(hits[0].snippet_html)
