"""Browsers find Takwin's icon: no page triggers a 404 for /favicon.ico."""

from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client


def test_favicon_ico_redirects_to_the_static_icon():
    """/favicon.ico answers a permanent redirect to the SVG icon, which the static files hold."""
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")


def test_every_page_links_the_icon():
    """The base template declares the icon, so browsers need not guess /favicon.ico."""
    source = get_template("base.html").template.source
    assert '<link rel="icon" href="{% static \'favicon.svg\' %}" type="image/svg+xml">' in source
