"""What programme staff run: a session's status, capacity, registration window, half-days and quotas.

A session has one ``Session`` row shared by its Arabic and French pages (``SessionPage.session``): the
places, the registrations and the attendance are the same whatever language a visitor reads.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from vocabulary.regions import Province


class SessionStatus(models.TextChoices):
    """A session's life: planned → open → (full) → held → closed (published in the archive), or cancelled."""

    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for registration")
    FULL = "full", _("Full")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed and archived")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    """Who a session is for."""

    ELECTED = "elected", _("Elected officials")
    STAFF = "staff", _("Commune staff")
    BOTH = "both", _("Elected officials and staff")


class Session(ClusterableModel):
    """An in-person session of the plan as programme staff run it (shared by its language pages)."""

    code = models.CharField(
        _("code"), max_length=64, unique=True,
        help_text=_("The session's reference, e.g. MDE-2026-S01; also its archive reference code."),
    )
    status = models.CharField(_("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices, default=Audience.BOTH)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    cohort = models.ForeignKey(
        "programme.Cohort", verbose_name=_("training-of-trainers cohort"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="sessions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["code"]

    def __str__(self):
        return self.code

    def clean(self):
        super().clean()
        if (
            self.registration_opens_at and self.registration_deadline
            and self.registration_deadline < self.registration_opens_at
        ):
            raise ValidationError({"registration_deadline": _("The deadline cannot be before registration opens.")})
        if self.status == SessionStatus.CANCELLED and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": _("Say why the session is cancelled.")})
        if self.pk and self.capacity is not None:
            confirmed = self.registrations.filter(status="confirmed").count()
            if self.capacity < confirmed:
                raise ValidationError({"capacity": _(
                    "The session already has %(count)s confirmed registrations: it cannot have fewer places."
                ) % {"count": confirmed}})


class HalfDay(Orderable):
    """A morning or an afternoon of a session: attendance is taken per half-day."""

    class Part(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")

    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="half_days")
    date = models.DateField(_("date"))
    part = models.CharField(_("half-day"), max_length=2, choices=Part.choices, default=Part.MORNING)

    class Meta(Orderable.Meta):
        verbose_name = _("half-day")
        verbose_name_plural = _("half-days")
        ordering = ["date", "part"]
        constraints = [models.UniqueConstraint(fields=["session", "date", "part"], name="unique_half_day")]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_part_display()}"


class Quota(Orderable):
    """Places kept for a province or a commune (optional; the rest are open to all)."""

    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="quotas")
    province = models.CharField(_("province"), max_length=32, choices=Province.choices, blank=True)
    commune = models.ForeignKey(
        "vocabulary.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    places = models.PositiveIntegerField(_("places"))

    class Meta(Orderable.Meta):
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def clean(self):
        super().clean()
        if bool(self.province) == bool(self.commune_id):
            raise ValidationError(_("A quota is for one province or one commune."))


class SessionModule(Orderable):
    """An online module learners do before or after the session."""

    class When(models.TextChoices):
        BEFORE = "before", _("Before the session")
        AFTER = "after", _("After the session")

    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="modules")
    module = models.ForeignKey("courses.CoursePage", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+")
    when = models.CharField(_("when"), max_length=6, choices=When.choices, default=When.BEFORE)

    class Meta(Orderable.Meta):
        verbose_name = _("linked module")
        verbose_name_plural = _("linked modules")
        constraints = [models.UniqueConstraint(fields=["session", "module"], name="unique_session_module")]
