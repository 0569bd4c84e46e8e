"""Erasing a person from the programme (law 09-08) while the figures stay right."""

from django.core.cache import cache
from django.db import transaction

from courses.selectors import completion_rows
from programme.models import ErasedCompletion, Evaluation, Registration


@transaction.atomic
def registrations_anonymise(*, user) -> int:
    """Blank the name, e-mail and phone of ``user``'s registrations and unlink the account; keep the
    beneficiary key, gender, category, province and commune (what the figures count), and the
    attendance. Evaluation comments, free text that may name someone, are blanked; the scores stay.
    Returns the number of registrations anonymised."""
    registrations = Registration.objects.filter(user=user)
    Evaluation.objects.filter(registration__in=registrations).update(comment="")
    return registrations.update(full_name="", email="", phone="", user=None)


@transaction.atomic
def completions_keep_anonymous(*, user) -> int:
    """Copy ``user``'s completed online modules into anonymous rows (when, theme, province, category,
    gender) before the account and its enrolments go: the figures keep counting them. Returns the
    number of rows kept."""
    rows = [row for row in completion_rows() if row["user_id"] == user.pk]
    ErasedCompletion.objects.bulk_create([
        ErasedCompletion(completed_at=row["completed_at"], theme=row["theme"] or "", province=row["province"] or "",
                         category=row["category"] or "", gender=row["gender"] or "")
        for row in rows
    ])
    if rows:
        from programme.selectors.figures import ERASED_KEY

        # Now (this transaction reads them next) and after the commit (a reader in between cached the old rows).
        cache.delete(ERASED_KEY)
        transaction.on_commit(lambda: cache.delete(ERASED_KEY))
    return len(rows)
