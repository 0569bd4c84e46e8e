"""Plain text out of the documents editors attach (PDF, office files, plain text).

``extract_text(path_or_file, filename)`` never raises for a bad file: a corrupt,
encrypted, oversized or unknown file gives an :class:`Extraction` with empty text
and a reason, so one broken upload cannot stop the worker's queue.

- PDF: Debian's ``pdftotext`` (poppler-utils, installed by ``bin/system-deps``),
  run with an argument list, a timeout and a page cap.
- Office Open XML (.docx, .pptx, .xlsx) and OpenDocument (.odt, .odp, .ods): the
  XML parts of the ZIP, read with the standard library and parsed with
  ``defusedxml`` (already installed as a dependency of Willow, Wagtail's image
  library; pinned in requirements.txt since we import it). Uncompressed bytes
  are capped, so a zip bomb stops at the cap.
- .txt, .csv, .md: decoded as UTF-8 (Windows-1256/Latin-1 as fallbacks).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from defusedxml import ElementTree as DefusedET

#: Text kept per document (about 80 pages of prose).
MAX_CHARS = 200_000
#: Pages of a PDF that ``pdftotext`` reads.
MAX_PDF_PAGES = 300
PDFTOTEXT_TIMEOUT = 60
#: Uncompressed bytes read from an office file's XML parts, all parts together.
MAX_XML_BYTES = 40 * 1024 * 1024
#: Bytes read from a plain-text file.
MAX_PLAIN_BYTES = 2 * 1024 * 1024
#: Files larger than this are not read at all.
MAX_FILE_BYTES = 200 * 1024 * 1024

PDF = {".pdf"}
OOXML = {".docx", ".pptx", ".xlsx", ".docm", ".pptm", ".xlsm"}
ODF = {".odt", ".odp", ".ods"}
PLAIN = {".txt", ".csv", ".md", ".text"}
SUPPORTED = PDF | OOXML | ODF | PLAIN

_SPACES_RE = re.compile(r"[ \t\u00a0\u200b\f\v]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")
# Controls other than tab and newline (pdftotext emits form feeds between pages).
_CONTROL_RE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f]")
# pdftotext wraps right-to-left lines in bidi embeddings (U+202B ... U+202C): drop them all.
_BIDI_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class ExtractionError(Exception):
    """The file could not be read; the message says why (stored on DocumentText)."""


@dataclass
class Extraction:
    """What came out of one file: its text, or empty text and the reason."""

    text: str = ""
    error: str = ""
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


def extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower()


def is_supported(filename: str) -> bool:
    """Whether :func:`extract_text` can read files with this name."""
    return extension(filename) in SUPPORTED


def normalize(text: str, *, max_chars: int = MAX_CHARS) -> tuple[str, bool]:
    """NFC, no control characters, single spaces, no runs of blank lines; cut at ``max_chars``."""
    text = unicodedata.normalize("NFC", text)
    text = _BIDI_RE.sub("", text)
    text = _CONTROL_RE.sub("\n", text)
    text = _SPACES_RE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES_RE.sub("\n\n", text).strip()
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def extract_text(path_or_file: str | os.PathLike | BinaryIO, filename: str) -> Extraction:
    """The text of a document, chosen by ``filename``'s extension.

    ``path_or_file`` is a local path or a readable binary file (a Django ``File``
    from any storage works: it is copied to a temporary file when a tool needs a
    path). Unknown types give empty text and no error.
    """
    ext = extension(filename)
    if ext not in SUPPORTED:
        return Extraction()
    try:
        with _local_path(path_or_file) as path:
            size = os.path.getsize(path)
            if size > MAX_FILE_BYTES:
                raise ExtractionError(f"file too large ({size} bytes)")
            if ext in PDF:
                raw = _pdf_text(path)
            elif ext in OOXML:
                raw = _ooxml_text(path, ext)
            elif ext in ODF:
                raw = _odf_text(path)
            else:
                raw = _plain_text(path)
    except ExtractionError as exc:
        return Extraction(error=str(exc)[:500])
    except Exception as exc:  # noqa: BLE001 - a bad upload must never escape into the worker
        return Extraction(error=f"{type(exc).__name__}: {exc}"[:500])
    text, truncated = normalize(raw)
    return Extraction(text=text, truncated=truncated)


class _local_path:
    """A local path for ``path_or_file``: the path itself, or a temporary copy of the stream."""

    def __init__(self, path_or_file):
        self.source = path_or_file
        self.tmp: str | None = None

    def __enter__(self) -> str:
        if isinstance(self.source, (str, os.PathLike)):
            return os.fspath(self.source)
        local = getattr(self.source, "path", None)
        if isinstance(local, str) and os.path.exists(local):
            return local
        fd, self.tmp = tempfile.mkstemp(prefix="takwin-extract-")
        with os.fdopen(fd, "wb") as out:
            if hasattr(self.source, "seek"):
                with contextlib.suppress(OSError, ValueError):
                    self.source.seek(0)
            copied = 0
            while chunk := self.source.read(1024 * 1024):
                copied += len(chunk)
                if copied > MAX_FILE_BYTES:
                    raise ExtractionError("file too large")
                out.write(chunk)
        return self.tmp

    def __exit__(self, *exc):
        if self.tmp:
            Path(self.tmp).unlink(missing_ok=True)
        return False


# -- PDF --


def pdftotext_path() -> str | None:
    return shutil.which("pdftotext")


def _pdf_text(path: str) -> str:
    exe = pdftotext_path()
    if exe is None:
        raise ExtractionError("pdftotext is not installed (poppler-utils, see bin/system-deps)")
    with open(path, "rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF"):
            raise ExtractionError("not a PDF file")
    args = [exe, "-q", "-enc", "UTF-8", "-nopgbrk", "-l", str(MAX_PDF_PAGES), path, "-"]
    try:
        done = subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell
            args, capture_output=True, timeout=PDFTOTEXT_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(f"pdftotext took longer than {PDFTOTEXT_TIMEOUT} s") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[:200]
        raise ExtractionError(f"pdftotext failed (exit {done.returncode}){': ' + detail if detail else ''}")
    # Enough text is kept even when the output is huge; decode only what we keep.
    return done.stdout[: MAX_CHARS * 4].decode("utf-8", "replace")


# -- ZIP-based office files --


class _CappedZip:
    """Reads members of a ZIP with one budget of uncompressed bytes for the whole file."""

    def __init__(self, path: str):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ExtractionError("not a valid office file (damaged ZIP)") from exc
        self.budget = MAX_XML_BYTES

    def names(self) -> list[str]:
        return self.zip.namelist()

    def read(self, name: str) -> bytes:
        """The member's bytes; raises when the budget runs out (the declared size is
        not trusted: the stream is read in chunks and stopped at the cap)."""
        out = io.BytesIO()
        with self.zip.open(name) as member:
            while chunk := member.read(64 * 1024):
                self.budget -= len(chunk)
                if self.budget < 0:
                    raise ExtractionError(f"office file expands past {MAX_XML_BYTES} bytes (zip bomb?)")
                out.write(chunk)
        return out.getvalue()

    def close(self):
        self.zip.close()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_text(data: bytes, *, text_tags: set[str], break_tags: set[str], tab_tags: frozenset = frozenset()) -> str:
    """Text of the elements named in ``text_tags``; a newline after each of ``break_tags``."""
    try:
        root = DefusedET.fromstring(data)
    except Exception as exc:  # defusedxml raises its own errors for entities and DTDs
        raise ExtractionError(f"unreadable XML part ({type(exc).__name__})") from exc
    parts: list[str] = []

    def walk(element):
        name = _local(element.tag)
        if name in text_tags and element.text:
            parts.append(element.text)
        elif name in tab_tags:
            parts.append(" ")
        for child in element:
            walk(child)
        if name in break_tags:
            parts.append("\n")

    walk(root)
    return "".join(parts)


def _natural_key(name: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _ooxml_text(path: str, ext: str) -> str:
    archive = _CappedZip(path)
    try:
        names = archive.names()
        if not any(n.startswith(("word/", "ppt/", "xl/")) for n in names):
            raise ExtractionError("not an Office Open XML file")
        out: list[str] = []
        if ext.startswith(".doc"):
            parts = [
                n
                for n in names
                if n == "word/document.xml" or re.fullmatch(r"word/(header|footer|footnotes|endnotes)\d*\.xml", n)
            ]
            parts.sort(key=lambda n: (n != "word/document.xml", _natural_key(n)))
            for name in parts:
                out.append(
                    _xml_text(
                        archive.read(name), text_tags={"t"}, break_tags={"p", "tr"}, tab_tags=frozenset({"tab", "br"})
                    )
                )
        elif ext.startswith(".ppt"):
            slides = sorted((n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=_natural_key)
            notes = sorted(
                (n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n)), key=_natural_key
            )
            for name in slides + notes:
                out.append(_xml_text(archive.read(name), text_tags={"t"}, break_tags={"p"}))
        else:
            if "xl/sharedStrings.xml" in names:
                out.append(_xml_text(archive.read("xl/sharedStrings.xml"), text_tags={"t"}, break_tags={"si"}))
            # Inline strings written straight into the sheets (openpyxl does this for some cells).
            for name in sorted((n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)), key=_natural_key):
                out.append(_xml_text(archive.read(name), text_tags={"t"}, break_tags={"is"}))
        return "\n".join(part.strip("\n") for part in out)
    finally:
        archive.close()


def _odf_text(path: str) -> str:
    archive = _CappedZip(path)
    try:
        if "content.xml" not in archive.names():
            raise ExtractionError("not an OpenDocument file (no content.xml)")
        data = archive.read("content.xml")
    finally:
        archive.close()
    try:
        root = DefusedET.fromstring(data)
    except Exception as exc:
        raise ExtractionError(f"unreadable XML part ({type(exc).__name__})") from exc
    # OpenDocument keeps text as mixed content of text:p / text:h with spans inside.
    parts: list[str] = []

    def walk(element):
        name = _local(element.tag)
        if name in {"s", "tab", "line-break"}:
            parts.append(" ")
        elif element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if name in {"p", "h", "table-row"}:
            parts.append("\n")
        elif name == "table-cell":
            parts.append(" ")

    body = next((el for el in root.iter() if _local(el.tag) == "body"), root)
    walk(body)
    return "".join(parts)


def _plain_text(path: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read(MAX_PLAIN_BYTES)
    if b"\x00" in data[:8192]:
        raise ExtractionError("binary data in a text file")
    for encoding in ("utf-8-sig", "cp1256", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")  # pragma: no cover - latin-1 decodes everything
