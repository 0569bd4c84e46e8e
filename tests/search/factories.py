"""Factories for the search tests' page type."""

import factory
from wagtail.models import Site

from tests.search.testapp.models import TopicPage


def site_root():
    return Site.objects.get(is_default_site=True).root_page


class TopicPageFactory(factory.Factory):
    """A live TopicPage under the default site's root (``parent=`` to place it elsewhere)."""

    class Meta:
        model = TopicPage

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    body = ""
    theme = ""
    year = None
    province = ""
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or site_root()).add_child(instance=page)
        return page
