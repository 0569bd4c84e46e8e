"""The training-of-trainers cycle: a cohort, its members, its sessions and its modules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel


class Cohort(ClusterableModel):
    """A cohort of the training-of-trainers cycle (the first has 20 experienced staff)."""

    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    modules = ParentalManyToManyField("courses.CoursePage", verbose_name=_("online modules"), blank=True, related_name="+")
    #: The completion rule: at least this many of the cohort's sessions attended, and every module completed.
    sessions_required = models.PositiveSmallIntegerField(_("sessions to attend"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training-of-trainers cohort")
        verbose_name_plural = _("training-of-trainers cohorts")
        ordering = ["-year", "name_fr"]

    def __str__(self):
        return self.name_fr or self.name_ar


class CohortMember(models.Model):
    """A member of a cohort; ``completed_at`` is set when the cycle's rule is met."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="unique_cohort_member")]

    def __str__(self):
        return f"{self.cohort} · {self.user}"
