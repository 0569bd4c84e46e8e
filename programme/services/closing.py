"""Closing a held session: its attendance becomes its archive entry, published in both languages."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programme.models import Session, SessionPage, SessionStatus
from programme.selectors.attendance import attendance_figures

from .certificates import attendance_certificates_issue
from .cohorts import cohort_review


@transaction.atomic
def session_close(*, session: Session, by=None) -> Session:
    """Close a held session: write the real attendance figures into every language page of it,
    list it in the archive, publish a new revision of each page, and mark the session closed; then issue
    the attendees' certificates of attendance and, for a cohort's session, review the cycle's completion.

    Refused (``ValidationError``, nothing written) for a session that is not held, already closed, has
    no page, or has attendees whose gender is unknown (the archive's breakdown would not add up).
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CLOSED:
        raise ValidationError(_("This session is already closed."), code="closed")
    if session.status != SessionStatus.HELD:
        raise ValidationError(_("Only a held session can be closed."), code="not_held")
    figures = attendance_figures(session=session)
    if figures["unknown_gender"]:
        raise ValidationError(
            _("%(count)s attendees have no gender recorded: complete their registrations first.")
            % {"count": figures["unknown_gender"]}, code="unknown_gender",
        )
    pages = list(SessionPage.objects.filter(session=session).select_for_update())
    if not pages:
        raise ValidationError(_("This session has no page to publish."), code="no_page")
    for page in pages:
        for name, value in figures["counts"].items():
            setattr(page, name, value)
        page.beneficiaries_total = figures["beneficiaries_total"]
        page.communes_count = figures["communes_count"]
        page.listed = True
        # The permission to close is the programme's (checked by the caller), not the page tree's: staff
        # who run sessions publish their session's archive entry without being archive editors.
        page.save_revision(user=by, clean=True, log_action=True).publish(user=by, skip_permission_checks=True)
    session.status = SessionStatus.CLOSED
    session.full_clean()
    session.save(update_fields=["status", "updated_at"])
    attendance_certificates_issue(session=session)
    if session.cohort_id:
        cohort_review(cohort=session.cohort)
    return session
