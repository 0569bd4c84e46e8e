"""The shared vocabulary: themes of the training plan, the region's communes, and the people
(trainers, speakers, experts) who give the institution's modules and activities.

Every content app may use these models; this app uses none of the content apps.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin

from vocabulary.regions import Province


def _language_of(language_code: str | None, arabic: str, french: str) -> str:
    """The language ``_in_language`` picks for these texts ("ar" or "fr"): templates mark a name
    shown in the other language (``lang="fr"`` on an Arabic page) for screen readers and checks."""
    if (language_code or "ar").startswith("ar"):
        return "ar" if arabic else "fr"
    return "fr" if french else "ar"


def _in_language(language_code: str | None, arabic: str, french: str) -> str:
    """The Arabic or French text for ``language_code``, falling back to the other one."""
    if (language_code or "ar").startswith("ar"):
        return arabic or french
    return french or arabic


class Theme(TranslatableMixin, models.Model):
    """A training theme of the institution's plan (shared by modules, the archive and the plan)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class Commune(models.Model):
    """A commune of the region, named in both languages, in one of its provinces."""

    class Kind(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150)
    province = models.CharField(_("province or prefecture"), max_length=32, choices=Province.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RURAL)

    panels = [FieldPanel("name_ar"), FieldPanel("name_fr"), FieldPanel("province"), FieldPanel("kind")]

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province", "name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name_fr"], name="unique_commune_fr_per_province"),
            models.UniqueConstraint(fields=["province", "name_ar"], name="unique_commune_ar_per_province"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return _in_language(get_language(), self.name_ar, self.name_fr)


class Person(models.Model):
    """A trainer, speaker or expert of the institution's modules and activities.

    Never a beneficiary: beneficiaries are only counted. Linked to an account, a person
    also sees the reports of the modules they train.
    """

    class Kind(models.TextChoices):
        EXPERT = "expert", _("Expert")
        STATE_OFFICIAL = "state-official", _("Official of a state service")
        ACADEMIC = "academic", _("Academic")
        TRAINER = "trainer", _("Trainer")

    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXPERT)
    affiliation_ar = models.CharField(_("affiliation in Arabic"), max_length=250, blank=True)
    affiliation_fr = models.CharField(_("affiliation in French"), max_length=250, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("The person's account: it sees the reports of the modules this person trains."),
    )
    bio_ar = models.TextField(_("biography in Arabic"), blank=True)
    bio_fr = models.TextField(_("biography in French"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name_ar"), FieldPanel("name_fr")]),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("affiliation_ar"), FieldPanel("affiliation_fr")]),
        FieldPanel("photo"),
        FieldPanel("user"),
        MultiFieldPanel([FieldPanel("bio_ar"), FieldPanel("bio_fr")], heading=_("Biography")),
    ]

    class Meta:
        verbose_name = _("trainer or speaker")
        verbose_name_plural = _("trainers and speakers")
        ordering = ["name_fr", "name_ar"]
        indexes = [
            models.Index(fields=["name_ar"], name="person_name_ar_idx"),
            models.Index(fields=["name_fr"], name="person_name_fr_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not (self.name_ar.strip() or self.name_fr.strip()):
            raise ValidationError({"name_ar": _("Give the name in Arabic, in French or both.")})

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        return _in_language(get_language(), self.name_ar, self.name_fr)

    @property
    def name_lang(self) -> str:
        """The language of ``name`` ("ar" or "fr")."""
        return _language_of(get_language(), self.name_ar, self.name_fr)

    @property
    def affiliation(self) -> str:
        """The affiliation in the active language, falling back to the other one."""
        return _in_language(get_language(), self.affiliation_ar, self.affiliation_fr)

    @property
    def affiliation_lang(self) -> str:
        """The language of ``affiliation`` ("ar" or "fr")."""
        return _language_of(get_language(), self.affiliation_ar, self.affiliation_fr)

    @property
    def bio(self) -> str:
        """The biography in the active language, falling back to the other one."""
        return _in_language(get_language(), self.bio_ar, self.bio_fr)
