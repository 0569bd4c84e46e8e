"""Documents generated at test time (no binary files in git): PDFs by WeasyPrint with a
full TrueType Arabic font, office files written with zipfile, spreadsheets by openpyxl."""

import io
import zipfile
from html import escape
from pathlib import Path

AMIRI_DIRS = [Path("/usr/share/fonts/opentype/fonts-hosny-amiri"), Path("/usr/share/fonts/truetype/fonts-hosny-amiri")]


def amiri() -> Path:
    for folder in AMIRI_DIRS:
        if (folder / "Amiri-Regular.ttf").exists():
            return folder / "Amiri-Regular.ttf"
    raise AssertionError("Amiri is missing: run bin/system-deps (fonts-hosny-amiri).")


def make_pdf(paragraphs: list[str], *, lang: str = "ar") -> bytes:
    """A PDF of ``paragraphs`` typeset by WeasyPrint in Amiri (a full TTF: the text layer
    of web-subset fonts does not extract, see PITFALLS)."""
    import weasyprint

    direction = "rtl" if lang == "ar" else "ltr"
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<html lang="{lang}" dir="{direction}"><head><style>'
        f'@font-face {{ font-family: "Amiri"; src: url("{amiri().as_uri()}"); }}'
        'body { font-family: "Amiri"; font-size: 14pt; }'
        f"</style></head><body>{body}</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _zip(files: dict[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_docx(paragraphs: list[str], *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word document; each paragraph split in two runs, as Word does."""

    def para(text):
        half = len(text) // 2
        return f'<w:p><w:r><w:t>{escape(text[:half])}</w:t></w:r><w:r><w:t xml:space="preserve">{escape(text[half:])}</w:t></w:r></w:p>'

    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{"".join(para(p) for p in paragraphs)}</w:body></w:document>'
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": document,
    }
    files.update(extra or {})
    return _zip(files)


def make_pptx(slides: list[str]) -> bytes:
    ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    files = {"[Content_Types].xml": "<Types/>"}
    for n, text in enumerate(slides, start=1):
        files[f"ppt/slides/slide{n}.xml"] = (
            f"<p:sld {ns}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{escape(text)}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    return _zip(files)


def make_odt(paragraphs: list[str]) -> bytes:
    """A minimal OpenDocument text: mixed content with spans and spaces, like LibreOffice writes."""
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    paras = "".join(
        f"<text:p>{escape(p.split(' ', 1)[0])}<text:s/><text:span>{escape(p.split(' ', 1)[1] if ' ' in p else '')}</text:span></text:p>"
        for p in paragraphs
    )
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:text>{paras}</office:text></office:body></office:document-content>'
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


def make_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_zip_bomb_docx(uncompressed_bytes: int) -> bytes:
    """A .docx whose document part inflates to ``uncompressed_bytes`` of spaces (a few KB on disk)."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'
    filler = " " * uncompressed_bytes
    return _zip({"word/document.xml": head + filler + "</w:t></w:r></w:p></w:body></w:document>"})


def save_document(title: str, filename: str, data: bytes):
    """A Wagtail document with this file (saving it queues the text extraction)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def make_recording(title: str = "Recording"):
    """A recording row without an encode (its captions are what search reads); marked ready
    so that saving it queues no transcoding of the placeholder file."""
    from django.core.files.base import ContentFile

    from media_pipeline import get_media_model
    from media_pipeline.models import MediaStatus

    asset = get_media_model()(title=title, type="video", status=MediaStatus.READY)
    asset.file.save("placeholder.mp4", ContentFile(b"not a video"), save=False)
    asset.save()
    return asset
