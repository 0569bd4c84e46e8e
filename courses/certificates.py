"""Certificate PDFs, rendered by WeasyPrint.

WeasyPrint lays text out through Pango/HarfBuzz, so Arabic is shaped and set right to
left like in a browser, from an ordinary HTML template. The font must be a full
TrueType file (Debian's Amiri here): with web-subset WOFF2 fonts the PDF's text layer
comes out broken (see PITFALLS), and the text layer is what screen readers, search and
``pdftotext`` read.
"""

from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Certificate

# Debian has shipped fonts-hosny-amiri under both trees over the years.
FONT_DIRS = ["/usr/share/fonts/opentype/fonts-hosny-amiri", "/usr/share/fonts/truetype/fonts-hosny-amiri"]


def font_dir() -> Path:
    """The folder holding Amiri-Regular.ttf and Amiri-Bold.ttf (``COURSES_CERTIFICATE_FONT_DIR`` overrides)."""
    configured = getattr(settings, "COURSES_CERTIFICATE_FONT_DIR", None)
    if configured:
        return Path(configured)
    for candidate in FONT_DIRS:
        if (Path(candidate) / "Amiri-Regular.ttf").exists():
            return Path(candidate)
    return Path(FONT_DIRS[0])


def verification_url(certificate: Certificate, *, base_url: str, language: str | None = None) -> str:
    """The public address that the QR code points to, in ``language`` (the certificate's by default)."""
    with translation.override(language or certificate.language):
        path = reverse("courses:certificate_verify", args=[certificate.code])
    return base_url.rstrip("/") + path


def certificate_facts(certificate: Certificate, *, language: str) -> dict:
    """What a certificate states in ``language``: the module's title in that language (its
    translation's title when the module has one, else the title copied at issue), its length,
    the wording agreeing with the learner's gender, and who signs it (two queries)."""
    from accounts.selectors import is_feminine

    from .selectors import course_minutes

    course = certificate.course  # None for an attendance or cycle certificate
    title = certificate.course_title
    if course is not None and language != certificate.language:
        translated = course.get_translations(inclusive=False).filter(locale__language_code=language).first()
        title = translated.title if translated is not None else title
    signatory = getattr(settings, "COURSES_CERTIFICATE_SIGNATORY", {}) or {}
    return {
        "course_title": title,
        "minutes": course_minutes([course])[course.pk] if course is not None else None,
        "feminine": is_feminine(certificate.user),
        "signatory_name": signatory.get(language, "") if isinstance(signatory, dict) else str(signatory),
    }


def certificate_pdf(certificate: Certificate, *, base_url: str, language: str | None = None) -> bytes:
    """The certificate as a PDF in ``language`` (its own by default), with a QR code to its
    verification page in that language."""
    from weasyprint import HTML

    language = language or certificate.language
    url = verification_url(certificate, base_url=base_url, language=language)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=1)
    with translation.override(language):
        html = render_to_string("courses/certificate_pdf.html", {
            "certificate": certificate, "verify_url": url, "qr": qr, "font_dir": font_dir().as_uri(),
            "bidi": translation.get_language_bidi(), **certificate_facts(certificate, language=language),
        })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
