"""The QR code of a registration: what the door's scanner reads (the bare check-in code).

One place makes it, for the official's "my sessions" page (an SVG data URI) and for the e-mails (PNG).
"""

import io

import segno


def _qr(code: str):
    # Error level "m" survives a cracked phone screen or a creased print-out; the code is short.
    return segno.make(code, error="m")


def registration_qr_svg(code: str) -> str:
    """The QR code of ``code`` as an SVG ``data:`` URI for an ``<img>`` (the page's CSP allows ``data:``)."""
    return _qr(code).svg_data_uri(scale=6, border=2)


def registration_qr_png(code: str) -> bytes:
    """The QR code of ``code`` as PNG bytes, attached to the e-mails (mail clients block SVG)."""
    out = io.BytesIO()
    _qr(code).save(out, kind="png", scale=8, border=2)
    return out.getvalue()
