"""The shared vocabulary in the Wagtail admin: themes, communes, trainers and speakers."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Commune, Person, Theme


class ThemeViewSet(SnippetViewSet):
    """The plan's themes, translated per locale (simple_translation's "Translate" action)."""

    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    list_display = ["name", "slug", "sort_order", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class CommuneViewSet(SnippetViewSet):
    """The region's communes, filtered by province."""

    model = Commune
    icon = "site"
    menu_label = _("Communes")
    list_display = ["name_ar", "name_fr", "province", "kind"]
    list_filter = ["province", "kind"]
    search_fields = ["name_ar", "name_fr"]


class PersonViewSet(SnippetViewSet):
    """Trainers, speakers and experts, with the account that lets a trainer read their reports."""

    model = Person
    icon = "user"
    menu_label = _("Trainers and speakers")
    list_display = ["name_ar", "name_fr", "kind", "affiliation", "user"]
    list_filter = ["kind"]
    search_fields = ["name_ar", "name_fr", "affiliation_ar", "affiliation_fr"]


class VocabularyGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, CommuneViewSet, PersonViewSet)
    menu_icon = "list-ul"
    menu_label = _("Vocabulary")
    menu_order = 250


register_snippet(VocabularyGroup)
