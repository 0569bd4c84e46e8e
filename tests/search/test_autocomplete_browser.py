"""The header box suggests pages after two letters (Debian's chromium)."""

import pytest
from django.core.management import call_command

from tests.search.factories import TopicPageFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_header_box_suggests_after_two_letters(page, live_server, search_index_dir):
    """One letter shows nothing; two show matching titles; a click opens the page."""
    TopicPageFactory(title="الميزانية التشاركية", slug="budget-participatif")
    call_command("update_index", verbosity=0)
    page.goto(live_server.url + "/search/")
    box = page.locator("#header-q")
    box.press_sequentially("ا", delay=50)
    page.wait_for_timeout(600)
    assert page.locator("#header-q-suggestions li").count() == 0
    box.press_sequentially("لميز", delay=50)
    suggestion = page.locator("#header-q-suggestions a", has_text="الميزانية التشاركية")
    suggestion.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    suggestion.click()
    page.wait_for_url("**/budget-participatif/")
