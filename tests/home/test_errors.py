"""The server-error page is in the visitor's language and links to that language's home."""

from django.template.loader import render_to_string
from django.utils import translation


def test_500_page_in_french_links_to_the_french_home():
    """Rendered without a request (as Django does for 500), the French page is French and left to right."""
    with translation.override("fr"):
        html = render_to_string("500.html")
    assert '<html lang="fr" dir="ltr">' in html and 'href="/fr/"' in html
    with translation.override("ar"):
        html = render_to_string("500.html")
    assert '<html lang="ar" dir="rtl">' in html and 'href="/"' in html
