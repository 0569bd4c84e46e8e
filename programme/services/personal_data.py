"""Erasing a person from the programme (law 09-08) while the figures stay right."""

from django.db import transaction

from programme.models import Evaluation, Registration


@transaction.atomic
def registrations_anonymise(*, user) -> int:
    """Blank the name, e-mail and phone of ``user``'s registrations and unlink the account; keep the
    beneficiary key, gender, category, province and commune (what the figures count), and the
    attendance. Evaluation comments, free text that may name someone, are blanked; the scores stay.
    Returns the number of registrations anonymised."""
    registrations = Registration.objects.filter(user=user)
    Evaluation.objects.filter(registration__in=registrations).update(comment="")
    return registrations.update(full_name="", email="", phone="", user=None)
