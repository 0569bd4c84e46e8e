"""Text extraction from documents (search/extraction.py) and the service that stores it."""

import pytest

from search import analysis
from search.extraction import MAX_XML_BYTES, extract_text
from search.models import DocumentText
from search.services import document_text_extract
from search.tasks import document_text_extract_task
from tests.search.documents import (
    make_docx,
    make_odt,
    make_pdf,
    make_pptx,
    make_xlsx,
    make_zip_bomb_docx,
    save_document,
)


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_arabic_pdf_gives_searchable_words(tmp_path):
    """pdftotext on a WeasyPrint PDF set in Amiri gives whole Arabic words in logical
    order (no bidi marks), which the analyzer turns into the same terms as typed text."""
    sentence = "دليل إعداد الميزانية الجماعية التشاركية"
    result = extract_text(_write(tmp_path, "guide.pdf", make_pdf([sentence])), "guide.pdf")
    assert result.ok
    assert result.text == sentence
    assert analysis.analyze(result.text) == analysis.analyze(sentence)


def test_french_pdf_keeps_accents(tmp_path):
    """French text with accents and ligature-prone words comes out as typed."""
    sentence = "Élaboration du budget participatif des communes : l'élu et la société civile"
    result = extract_text(_write(tmp_path, "guide.pdf", make_pdf([sentence], lang="fr")), "guide.pdf")
    assert result.ok and result.text == sentence


def test_docx_odt_pptx_xlsx(tmp_path):
    """Office Open XML and OpenDocument files give their paragraphs' text, runs joined."""
    docx = extract_text(
        _write(tmp_path, "a.docx", make_docx(["برنامج عمل الجماعة", "Plan d'action communal"])), "a.docx"
    )
    assert docx.text == "برنامج عمل الجماعة\nPlan d'action communal"
    odt = extract_text(_write(tmp_path, "a.odt", make_odt(["Rapport final de l'atelier", "تقرير الورشة"])), "a.odt")
    assert odt.text == "Rapport final de l'atelier\nتقرير الورشة"
    pptx = extract_text(_write(tmp_path, "a.pptx", make_pptx(["Diapositive une", "الشريحة الثانية"])), "a.pptx")
    assert pptx.text == "Diapositive une\nالشريحة الثانية"
    xlsx = extract_text(_write(tmp_path, "a.xlsx", make_xlsx([["Commune", "Budget"], ["آسفي", 1200]])), "A.XLSX")
    assert "Commune" in xlsx.text and "آسفي" in xlsx.text and xlsx.ok


def test_corrupt_pdf_is_a_failure_with_a_reason(tmp_path):
    """A damaged PDF gives empty text and pdftotext's reason, not an exception."""
    good = make_pdf(["Budget"], lang="fr")
    result = extract_text(_write(tmp_path, "broken.pdf", good[:200]), "broken.pdf")
    assert result.text == "" and "pdftotext" in result.error
    result = extract_text(_write(tmp_path, "fake.pdf", b"hello, not a pdf"), "fake.pdf")
    assert result.text == "" and result.error == "not a PDF file"


def test_zip_bomb_stops_at_the_cap(tmp_path):
    """A .docx that inflates past the cap is refused after reading at most the cap."""
    data = make_zip_bomb_docx(MAX_XML_BYTES + 1024 * 1024)
    assert len(data) < 200_000  # small on disk
    result = extract_text(_write(tmp_path, "bomb.docx", data), "bomb.docx")
    assert result.text == "" and "zip bomb" in result.error


def test_xml_entities_are_refused(tmp_path):
    """An XML part that declares entities (billion laughs) is refused by defusedxml."""
    laughs = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'
    result = extract_text(
        _write(tmp_path, "laughs.docx", make_docx([], extra={"word/document.xml": laughs})), "laughs.docx"
    )
    assert result.text == "" and "unreadable XML" in result.error


def test_unknown_and_plain_types(tmp_path):
    """Unknown types give empty text and no error; text files are decoded."""
    assert extract_text(_write(tmp_path, "x.bin", b"\x00\x01"), "x.bin").text == ""
    assert extract_text(_write(tmp_path, "x.bin", b"\x00\x01"), "x.bin").ok
    result = extract_text(_write(tmp_path, "notes.txt", "ملاحظات   الورشة\r\n\r\n\r\nfin".encode()), "notes.txt")
    assert result.text == "ملاحظات الورشة\n\nfin"
    assert extract_text(_write(tmp_path, "damaged.docx", b"PK\x03\x04garbage"), "damaged.docx").error


@pytest.mark.django_db
def test_service_stores_text_status_and_skips_the_same_file(django_capture_on_commit_callbacks):
    """Saving a document queues its extraction; the row holds text and status; a second
    run on the same file does not read it again."""
    with django_capture_on_commit_callbacks(execute=True):
        document = save_document("Guide", "guide.docx", make_docx(["Guide de la ميزانية"]))
    row = DocumentText.objects.get(document=document)
    assert row.status == DocumentText.Status.DONE and row.text == "Guide de la ميزانية" and row.error == ""
    extracted_at = row.extracted_at
    document_text_extract(document_id=document.pk)
    row.refresh_from_db()
    assert row.extracted_at == extracted_at  # same file: not extracted again
    document_text_extract(document_id=document.pk, force=True)
    row.refresh_from_db()
    assert row.extracted_at > extracted_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "data", "status"),
    [
        ("broken.pdf", b"%PDF-1.4\n garbage", DocumentText.Status.FAILED),
        ("bomb.docx", make_zip_bomb_docx(MAX_XML_BYTES + 1), DocumentText.Status.FAILED),
        ("photo.jpg", b"\xff\xd8\xff\xe0 not read", DocumentText.Status.UNSUPPORTED),
        ("empty.txt", b"   \n ", DocumentText.Status.EMPTY),
    ],
)
def test_task_never_raises_and_stores_the_reason(filename, data, status):
    """The task completes for a bad file; the row says why there is no text."""
    document = save_document(filename, filename, data)
    result = document_text_extract_task.enqueue(document.pk)
    assert result.status == "SUCCESSFUL"
    row = DocumentText.objects.get(document=document)
    assert row.status == status and row.text == ""
    assert bool(row.error) == (status == DocumentText.Status.FAILED)


@pytest.mark.django_db
def test_missing_file_is_a_failure(django_capture_on_commit_callbacks):
    """A document whose file vanished from storage is stored as failed."""
    document = save_document("Gone", "gone.pdf", make_pdf(["x"], lang="fr"))
    document.file.storage.delete(document.file.name)
    row = document_text_extract(document_id=document.pk)
    assert row.status == DocumentText.Status.FAILED and "cannot open" in row.error
