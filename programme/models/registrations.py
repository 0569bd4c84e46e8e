"""Registrations (with the waiting list) and attendance per half-day.

A registration keeps its own copy of who the attendee is (name, contacts, gender, category,
province, commune) as it was when they registered: the figures of a past session do not move when
a profile changes, and deleting a person (law 09-08) erases the name and contacts but keeps the
counted fields. ``beneficiary_key`` is the same for every registration of one person (derived from
the account, or from the e-mail or phone of someone without one), so the figures count distinct
beneficiaries across sessions even after the person is deleted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from vocabulary.regions import Province

from .sessions import HalfDay, Session

#: Namespace of the pseudonymous beneficiary keys (uuid5 of "user:<pk>", "email:<address>", "phone:<digits>").
BENEFICIARY_NAMESPACE = uuid.UUID("6f0b7e1c-3a52-4c2e-9a43-5d1c0e6b2f17")


class Registration(models.Model):
    """One person's place (or place in the queue) at one session."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        SELF = "self", _("Registered online")
        STAFF = "staff", _("Registered by staff")
        IMPORT = "import", _("Imported from a spreadsheet")
        WALK_IN = "walk-in", _("Walk-in at the door")

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="session_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.SELF)
    #: What the QR code carries: letters and digits only (the ``<code:>`` converter), unguessable.
    code = models.CharField(_("check-in code"), max_length=32, unique=True)
    beneficiary_key = models.UUIDField(_("beneficiary key"), db_index=True)

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=User.Gender.choices, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=User.Category.choices, blank=True)
    province = models.CharField(_("province or prefecture"), max_length=32, choices=Province.choices, blank=True)
    commune = models.ForeignKey(
        "vocabulary.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=2, choices=User.Language.choices, default=User.Language.ARABIC)

    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    #: The waiting list's order: when the person joined it (promotion takes the oldest first).
    queued_at = models.DateTimeField(_("joined the waiting list at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    #: When the day-before reminder went out (the reminder task sends each one once).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            # One live registration per person and session; cancelled ones stay as history.
            models.UniqueConstraint(
                fields=["session", "beneficiary_key"], condition=~models.Q(status="cancelled"),
                name="unique_live_registration",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"], name="registration_queue_idx")]

    def __str__(self):
        return f"{self.session.code} · {self.full_name or self.code}"


class Attendance(models.Model):
    """A registration present at one half-day (one row however many phones scanned it)."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code scanned")
        NAME = "name", _("Found by name")
        WALK_IN = "walk-in", _("Walk-in")
        SHEET = "sheet", _("Entered from the sign-in sheet")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    half_day = models.ForeignKey(HalfDay, verbose_name=_("half-day"), on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(_("how"), max_length=8, choices=Method.choices, default=Method.QR)
    #: When the phone saw the person (it may sync much later).
    seen_at = models.DateTimeField(_("seen at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    device = models.CharField(_("device"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["registration", "half_day"], name="unique_attendance")]
        # Held by the "Programme" group (migration 0003 grants it): the door's check-in page and its sync.
        permissions = [("check_in", _("Can check attendees in at the door"))]

    def __str__(self):
        return f"{self.registration} · {self.half_day}"
