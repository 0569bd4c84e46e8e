"""The training-of-trainers cohort: members, their automatic enrolment in its modules, completion."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.services import enrolment_create
from programme.models import Cohort, CohortMember
from programme.selectors.cohorts import member_status

from .certificates import cycle_certificate_issue


@transaction.atomic
def cohort_member_add(*, cohort: Cohort, user) -> CohortMember:
    """Add ``user`` to ``cohort`` and enrol them in each of its live modules (through the courses
    app's enrolment service, as assigned by staff). Adding a member twice is refused."""
    if CohortMember.objects.filter(cohort=cohort, user=user).exists():
        raise ValidationError(_("This person is already a member of the cohort."), code="member")
    member = CohortMember(cohort=cohort, user=user)
    member.full_clean()
    member.save()
    cohort_enrol_members(cohort=cohort, members=[member])
    return member


@transaction.atomic
def cohort_enrol_members(*, cohort: Cohort, members=None) -> int:
    """Enrol the cohort's members (or ``members``) in every live module of the cohort: after modules are
    added to it, this catches everyone up. Returns the number of (member, module) pairs enrolled."""
    members = list(members if members is not None else cohort.members.select_related("user"))
    modules = [module for module in cohort.modules.all() if module.live]
    for member in members:
        for module in modules:
            enrolment_create(user=member.user, course=module, assigned=True)
    return len(members) * len(modules)


@transaction.atomic
def cohort_review(*, cohort: Cohort, now: datetime | None = None) -> list[CohortMember]:
    """Mark complete (once) every member who meets the cycle's rule, and issue their cycle certificate:
    at least ``sessions_required`` of the cohort's sessions attended and every module completed.
    Returns the members completed by this call."""
    now = now or timezone.now()
    completed = []
    members = list(CohortMember.objects.select_for_update().filter(cohort=cohort, completed_at__isnull=True))
    statuses = member_status(cohort=cohort, members=members)
    for member in members:
        if statuses[member.pk]["rule_met"]:
            member.completed_at = now
            member.save(update_fields=["completed_at"])
            cycle_certificate_issue(cohort=cohort, user=member.user)
            completed.append(member)
    return completed


def cohorts_review_for_completion(*, user_id: int, course_key) -> int:
    """A member completed a module (any of its translations): review each of their unfinished
    cohorts that assigns it. Returns the number of members this completed."""
    cohorts = Cohort.objects.filter(
        members__user_id=user_id, members__completed_at__isnull=True, modules__translation_key=course_key,
    ).distinct()
    return sum(len(cohort_review(cohort=cohort)) for cohort in cohorts)
