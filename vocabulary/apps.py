from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabularyConfig(AppConfig):
    """The words every content app shares: themes, provinces, communes and people."""

    name = "vocabulary"
    verbose_name = _("Vocabulary")
