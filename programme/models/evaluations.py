"""Attendees' evaluation of a held session."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registrations import Registration

_SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    """One attendee's evaluation (1 to 5 for satisfaction and usefulness, and a comment)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="evaluation")
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), validators=_SCALE)
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=_SCALE)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.registration} · {self.satisfaction}/{self.usefulness}"
