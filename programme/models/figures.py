"""What the figures keep of a deleted person (law 09-08): their online completions, without them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasedCompletion(models.Model):
    """One online module completed by a person whose account was deleted: the counted fields only
    (when, the module's theme, the person's province, category and gender), no link to anyone.

    The courses app deletes enrolments with the account; the programme's figures count completions
    beside the sessions, so its erase hook copies these first and the figures add them back.
    """

    completed_at = models.DateTimeField(_("completed at"))
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    province = models.CharField(_("province or prefecture"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=16, blank=True)
    gender = models.CharField(_("gender"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("completion of a deleted account")
        verbose_name_plural = _("completions of deleted accounts")

    def __str__(self):
        return f"{self.completed_at:%Y-%m-%d} {self.theme}"
