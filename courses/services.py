"""Writes of the courses app: enrolment, its completion and certificates.

A module and its translations share one enrolment and one certificate per learner: rows are
looked up by the module's ``translation_key`` (``course_key``), whichever translation is open.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.selectors import gendered

from .models import Certificate, CertificateKind, CoursePage, Enrolment
from .selectors import certificate_for
from .signals import enrolment_completed


def can_enrol(*, user, course: CoursePage) -> bool:
    """Whether ``user`` may enrol: open modules to anyone signed in, cohort modules to their groups."""
    if not user.is_authenticated:
        return False
    if course.enrolment_mode == CoursePage.EnrolmentMode.OPEN:
        return True
    # ``cohorts`` is a modelcluster relation (it has no ``values()``): compare ids.
    return user.groups.filter(pk__in=[group.pk for group in course.cohorts.all()]).exists()


def _save_once(obj, **unique):
    """Validate and save ``obj``; when a concurrent request saved the same row first (``unique``
    lookup, a double click), return that row instead."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        return type(obj).objects.get(**unique)
    return obj


@transaction.atomic
def enrolment_create(*, user, course: CoursePage, now: datetime | None = None, assigned: bool = False) -> Enrolment:
    """Enrol ``user`` in ``course``; re-enrolling after unenrolling reactivates the same row and its history.

    ``assigned``: staff assigned the module (a training-of-trainers cohort's members are enrolled in
    its modules), so the module's own enrolment rule (open, or reserved to groups) does not apply.
    """
    if not course.live:
        raise ValidationError(_("This module is not published."), code="not_live")
    if not assigned and not can_enrol(user=user, course=course):
        raise PermissionDenied(_("This module is reserved for a group you are not part of."))
    now = now or timezone.now()
    key = course.translation_key
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course_key=key).first()
    if enrolment is None:
        enrolment = Enrolment(user=user, course=course, course_key=key, enrolled_at=now, last_activity_at=now)
    elif enrolment.is_active:
        return enrolment
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.unenrolled_at = None
    return _save_once(enrolment, user=user, course_key=key)


@transaction.atomic
def enrolment_withdraw(*, user, course: CoursePage, now: datetime | None = None) -> Enrolment:
    """Unenrol (from the module in every language): the row, progress, attempts and certificates stay as history."""
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course_key=course.translation_key).first()
    if enrolment is None or not enrolment.is_active:
        message = gendered(user, default=_("You are not enrolled in this module."),
                           feminine=pgettext("feminine", "You are not enrolled in this module."))
        raise ValidationError(message, code="not_enrolled")
    enrolment.status = Enrolment.Status.UNENROLLED
    enrolment.unenrolled_at = now or timezone.now()
    enrolment.save(update_fields=["status", "unenrolled_at"])
    return enrolment


@transaction.atomic
def enrolment_complete(*, user, course: CoursePage, now: datetime | None = None) -> Certificate | None:
    """Mark the learner's enrolment completed (once) and issue the certificate when the module gives one.

    Whether the module's completion rule is met is read from the learner's progress by the
    lessons app (``lessons.services.course_completion_check``), which calls this. Without an
    enrolment nothing happens. A first completion sends ``signals.enrolment_completed`` once the
    transaction commits (apps above courses, such as the programme's cohorts, answer it).
    """
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course_key=course.translation_key).first()
    if enrolment is None:
        return None
    now = now or timezone.now()
    if enrolment.completed_at is None:
        enrolment.completed_at = now
        enrolment.save(update_fields=["completed_at"])
        user_id, course_key = user.pk, enrolment.course_key
        transaction.on_commit(lambda: enrolment_completed.send(sender=Enrolment, user_id=user_id, course_key=course_key))
    if course.certificate_enabled:
        return certificate_issue(user=user, course=course, now=now)
    return None


@transaction.atomic
def certificate_issue(*, user, course: CoursePage, now: datetime | None = None) -> Certificate:
    """The learner's certificate for ``course`` (in any of its languages): issued once, in the
    language of the translation completed, and returned as is afterwards (revoked or not)."""
    key = course.translation_key
    existing = certificate_for(user=user, course=course)
    if existing is not None:
        return existing
    certificate = Certificate(
        user=user, course=course, course_key=key, learner_name=user.get_full_name(), course_title=course.title,
        language=course.locale.language_code, issued_at=now or timezone.now(),
    )
    return _save_once(certificate, user=user, course_key=key, revoked_at__isnull=True)



@transaction.atomic
def certificate_issue_for(
    *, user, kind: str, subject: str, title: str, language: str, now: datetime | None = None,
) -> Certificate:
    """A certificate of another kind than a module's (a session attended, a cycle completed), with the
    same code, PDF and verification page: issued once per user, kind and subject, returned afterwards."""
    if kind == CertificateKind.MODULE:
        raise ValueError("module certificates are issued by certificate_issue")
    existing = Certificate.objects.filter(user=user, kind=kind, subject=subject).first()
    if existing is not None:
        return existing
    certificate = Certificate(
        user=user, kind=kind, subject=subject, learner_name=user.get_full_name(), course_title=title[:255],
        language=language, issued_at=now or timezone.now(),
    )
    return _save_once(certificate, user=user, kind=kind, subject=subject)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str, now: datetime | None = None) -> Certificate:
    """Revoke a certificate (staff only); the verification page then says so."""
    if not (by.is_staff and by.has_perm("courses.change_certificate")):
        raise PermissionDenied(_("Only staff can revoke a certificate."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason[:300]
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return certificate
