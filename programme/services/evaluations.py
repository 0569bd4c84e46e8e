"""Attendees evaluate a held session: once per registration, attendees only."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programme.models import Evaluation, Session
from programme.selectors.evaluations import evaluable_registration


@transaction.atomic
def evaluation_submit(*, user, session: Session, satisfaction: int, usefulness: int, comment: str = "") -> Evaluation:
    """Record ``user``'s evaluation of ``session``.

    Refused for someone who did not attend it (``PermissionDenied``), and for a second evaluation or
    scores outside 1 to 5 (``ValidationError``).
    """
    registration = evaluable_registration(user=user, session=session)
    if registration is None:
        raise PermissionDenied(_("Only attendees of a held session can evaluate it."))
    if Evaluation.objects.filter(registration=registration).exists():
        raise ValidationError(_("You have already evaluated this session."), code="twice")
    evaluation = Evaluation(
        registration=registration, satisfaction=satisfaction, usefulness=usefulness, comment=(comment or "").strip(),
    )
    evaluation.full_clean()
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as error:  # a double submit raced this one
        raise ValidationError(_("You have already evaluated this session."), code="twice") from error
    return evaluation
