"""The printable sign-in sheet of a half-day, for venues where phones are not enough.

Rendered by WeasyPrint with the certificates' full TrueType font (Amiri): Arabic names are shaped
and their text layer extracts correctly (a web-subset font breaks it, see PITFALLS). Each line
carries the registration's code, so the sheet can be entered afterwards (``sheet_entry``) or a code
typed at the door.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from courses.certificates import font_dir

from .models import HalfDay, Session
from .selectors.checkin import session_title, sheet_rows

#: Blank lines at the end for walk-ins who sign by hand.
BLANK_LINES = 5


def sheet_pdf(*, session: Session, half_day: HalfDay, language: str) -> bytes:
    """The sheet of ``half_day`` in ``language``: confirmed attendees in name order, a signature column."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("programme/signin_sheet_pdf.html", {
            "session": session, "half_day": half_day, "rows": sheet_rows(session, half_day),
            "title": session_title(session, language=language), "blanks": range(BLANK_LINES),
            "font_dir": font_dir().as_uri(), "bidi": translation.get_language_bidi(),
        })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
