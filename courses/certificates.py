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


def verification_url(certificate: Certificate, *, base_url: str) -> str:
    """The public address that the QR code points to, in the certificate's language."""
    with translation.override(certificate.language):
        path = reverse("courses:certificate_verify", args=[certificate.code])
    return base_url.rstrip("/") + path


def certificate_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    """The certificate as a PDF in its language, with a QR code to its verification page."""
    from weasyprint import HTML

    url = verification_url(certificate, base_url=base_url)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=1)
    with translation.override(certificate.language):
        html = render_to_string("courses/certificate_pdf.html", {
            "certificate": certificate, "verify_url": url, "qr": qr, "font_dir": font_dir().as_uri(),
            "bidi": translation.get_language_bidi(),
        })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
