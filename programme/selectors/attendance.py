"""Who came to a session, counted the way the archive records an activity's beneficiaries."""

from collections import Counter

from django.db.models import Exists, OuterRef, QuerySet

from programme.models import Attendance, Registration, Session

#: A registration's category as the archive's breakdown names it (anything else counts as "other").
ARCHIVE_CATEGORY = {"elected": "elected", "staff": "staff"}
ARCHIVE_GENDER = {"female": "women", "male": "men"}


def attendees(*, session: Session) -> QuerySet[Registration]:
    """The session's registrations present at one half-day at least (cancelled ones never count)."""
    present = Attendance.objects.filter(registration=OuterRef("pk"))
    return (
        Registration.objects.filter(session=session).exclude(status=Registration.Status.CANCELLED)
        .filter(Exists(present)).order_by("full_name", "pk")
    )


def attendance_figures(*, session: Session) -> dict:
    """The archive's figures for ``session`` from its attendance: one query.

    ``counts`` holds the six ``<category>_<women|men>`` fields of ``ActivityPage``; ``unknown_gender``
    the attendees whose gender is not recorded (they cannot be placed in the breakdown).
    """
    rows = list(attendees(session=session).values_list("category", "gender", "commune_id", "beneficiary_key"))
    counts = Counter()
    unknown = 0
    for category, gender, _commune, _key in rows:
        if gender not in ARCHIVE_GENDER:
            unknown += 1
            continue
        counts[f"{ARCHIVE_CATEGORY.get(category, 'other')}_{ARCHIVE_GENDER[gender]}"] += 1
    fields = {f"{c}_{g}": counts.get(f"{c}_{g}", 0) for c in ("elected", "staff", "other") for g in ("women", "men")}
    return {
        "counts": fields,
        "beneficiaries_total": len({key for *_rest, key in rows}),
        "communes_count": len({commune for _c, _g, commune, _k in rows if commune is not None}),
        "unknown_gender": unknown,
    }
