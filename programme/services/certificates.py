"""Attendance certificates for a closed session's attendees, and the training cycle's certificate.

Both are ``courses`` certificates of another kind: the same code, PDF and public verification page
(``/certificates/verify/<code>/``) as a module's.
"""

from django.db import transaction

from courses.models import Certificate, CertificateKind
from courses.services import certificate_issue_for
from programme.models import Cohort, Session, SessionStatus
from programme.selectors.attendance import attendees


def _title(session: Session, language: str) -> str:
    pages = {page.locale.language_code: page.title for page in session.pages.select_related("locale")}
    return pages.get(language) or next(iter(pages.values()), session.code)


@transaction.atomic
def attendance_certificates_issue(*, session: Session) -> list[Certificate]:
    """A certificate of attendance for each attendee of the closed ``session`` who has an account
    (people without one have nowhere to keep it); issued once, in the attendee's language."""
    if session.status != SessionStatus.CLOSED:
        return []
    issued = []
    for registration in attendees(session=session).filter(user__isnull=False).select_related("user"):
        language = registration.user.preferred_language or registration.language
        issued.append(certificate_issue_for(
            user=registration.user, kind=CertificateKind.ATTENDANCE, subject=session.code,
            title=_title(session, language), language=language,
        ))
    return issued


def cycle_certificate_issue(*, cohort: Cohort, user) -> Certificate:
    """The certificate of the training-of-trainers cycle, in the member's language."""
    language = user.preferred_language or "ar"
    return certificate_issue_for(
        user=user, kind=CertificateKind.CYCLE, subject=f"cohort-{cohort.pk}",
        title=cohort.name_ar if language == "ar" else cohort.name_fr, language=language,
    )
