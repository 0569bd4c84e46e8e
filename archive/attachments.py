"""Which files the archive import may store as documents: decided by their content, not their name.

A file is accepted when its extension is one the site's documents allow (``WAGTAILDOCS_EXTENSIONS``)
and has a content check below, and its bytes are what that extension promises: ``evil.html`` is
refused for its type, an HTML page renamed ``.pdf`` for its content. Nothing here trusts the name alone.
"""

import io
import os
import re
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

# Markup a browser would render or run; refused even in a plain-text file.
_MARKUP_RE = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml)\b", re.IGNORECASE)
# How far into a text file the markup check looks, and where a PDF's end marker may sit.
_TEXT_SNIFF_BYTES = 64 * 1024
_PDF_TAIL_BYTES = 2048


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-_PDF_TAIL_BYTES:]


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _ooxml(main_part: str) -> Callable[[bytes], bool]:
    """An Office Open XML package holding its type's main part (word/document.xml for .docx…)."""

    def check(data: bytes) -> bool:
        names = _zip_names(data)
        return bool(names) and "[Content_Types].xml" in names and main_part in names

    return check


def _odf(mimetype: str) -> Callable[[bytes], bool]:
    """An OpenDocument package: a ZIP whose first member ``mimetype`` names the type."""

    def check(data: bytes) -> bool:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                first = archive.infolist()[0]
                return first.filename == "mimetype" and archive.read(first)[:100].strip() == mimetype.encode()
        except (zipfile.BadZipFile, IndexError, KeyError, ValueError, OSError):
            return False

    return check


def _image(pillow_format: str) -> Callable[[bytes], bool]:
    """An image that Pillow opens and verifies as ``pillow_format`` (SVG, which can hold script, never)."""

    def check(data: bytes) -> bool:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                return image.format == pillow_format
        except Exception:  # Pillow raises many types (and DecompressionBombError) for a bad file
            return False

    return check


def _is_mp4(data: bytes) -> bool:
    # ISO base media file: the first box is "ftyp".
    return len(data) > 12 and data[4:8] == b"ftyp"


def _is_webm(data: bytes) -> bool:
    # Matroska/WebM: the EBML magic, then the "webm" doctype in the header.
    return data.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:64]


def _is_rtf(data: bytes) -> bool:
    return data.startswith(b"{\\rtf")


def _is_text(data: bytes) -> bool:
    # Any byte sequence without NUL decodes as Windows-1256, so the test is: no binary, no markup.
    head = data[:_TEXT_SNIFF_BYTES]
    return b"\x00" not in head and not _MARKUP_RE.search(head)


CHECKS: dict[str, Callable[[bytes], bool]] = {
    "pdf": _is_pdf,
    "docx": _ooxml("word/document.xml"),
    "pptx": _ooxml("ppt/presentation.xml"),
    "xlsx": _ooxml("xl/workbook.xml"),
    "odt": _odf("application/vnd.oasis.opendocument.text"),
    "odp": _odf("application/vnd.oasis.opendocument.presentation"),
    "ods": _odf("application/vnd.oasis.opendocument.spreadsheet"),
    "rtf": _is_rtf,
    "txt": _is_text,
    "csv": _is_text,
    "jpg": _image("JPEG"),
    "jpeg": _image("JPEG"),
    "png": _image("PNG"),
    "webp": _image("WEBP"),
    "mp4": _is_mp4,
    "webm": _is_webm,
}


def allowed_extensions() -> list[str]:
    """Extensions the import accepts: those the site's documents allow and that have a content check."""
    documents = {ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or CHECKS}
    return sorted(ext for ext in CHECKS if ext in documents)


def attachment_problem(name: str, data: bytes) -> str | None:
    """Why the file ``name`` with content ``data`` may not be stored, in the active language; None if it may."""
    extension = os.path.splitext(name)[1][1:].lower()
    allowed = allowed_extensions()
    if extension not in allowed:
        return _("The attachment “%(name)s” is of a type the archive does not accept (accepted: %(types)s).") % {
            "name": name,
            "types": ", ".join(allowed),
        }
    if not CHECKS[extension](data):
        return _("The attachment “%(name)s” is not a real %(type)s file: its content does not match its name.") % {
            "name": name,
            "type": extension.upper(),
        }
    return None
