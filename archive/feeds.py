"""The Atom feed of the newest archive entries, per language."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .selectors import activity_list

FEED_SIZE = 30


class ActivityFeed(Feed):
    """Newest published activities of one archive page's locale, newest publication first."""

    feed_type = Atom1Feed

    def __init__(self, *, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return self.index_page.title

    def link(self):
        return self.index_page.url

    def subtitle(self):
        return self.index_page.search_description or self.index_page.title

    def items(self):
        return activity_list(locale=self.index_page.locale).select_related("locale").order_by("-first_published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"takwin:{item.locale.language_code}:{item.reference_code}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.activity_type]
