"""Reads of the evaluations: who may evaluate, and the aggregates staff and trainers see."""

from django.db.models import Avg, Count, Exists, OuterRef

from programme.models import Attendance, Evaluation, Registration, Session, SessionStatus

#: Evaluations open once the session has been held (and stay open after it is closed).
EVALUATION_STATUSES = (SessionStatus.HELD, SessionStatus.CLOSED)


def evaluable_registration(*, user, session: Session) -> Registration | None:
    """The user's registration at ``session`` if they attended it and it has been held; else None."""
    if not user.is_authenticated or session.status not in EVALUATION_STATUSES:
        return None
    return (
        Registration.objects.filter(session=session, user=user).exclude(status=Registration.Status.CANCELLED)
        .filter(Exists(Attendance.objects.filter(registration=OuterRef("pk")))).first()
    )


def evaluation_summary(*, session: Session) -> dict:
    """Count, averages and the distribution (1 to 5) of satisfaction and usefulness, and the comments."""
    qs = Evaluation.objects.filter(registration__session=session)
    totals = qs.aggregate(count=Count("pk"), satisfaction=Avg("satisfaction"), usefulness=Avg("usefulness"))
    distribution = {field: dict.fromkeys(range(1, 6), 0) for field in ("satisfaction", "usefulness")}
    for field in distribution:
        for row in qs.values(field).annotate(n=Count("pk")).order_by():
            distribution[field][row[field]] = row["n"]
    rows = [
        {"score": score, "satisfaction": distribution["satisfaction"][score], "usefulness": distribution["usefulness"][score]}
        for score in range(5, 0, -1)
    ]
    comments = list(qs.exclude(comment="").order_by("-created_at").values_list("comment", flat=True))
    return {**totals, "rows": rows, "comments": comments}
