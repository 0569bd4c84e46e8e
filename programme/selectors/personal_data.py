"""What the programme holds about one person, for their personal-data page and download (law 09-08)."""

from django.utils.translation import gettext as _

from programme.models import Attendance, CohortMember, Evaluation, Registration


def programme_sections(*, user) -> list[dict]:
    """Registrations, attendance, evaluations and cohort memberships of ``user`` (four queries)."""
    registrations = list(Registration.objects.filter(user=user).select_related("session", "commune").order_by("created_at"))
    attendance = Attendance.objects.filter(registration__user=user).select_related("registration__session", "half_day")
    evaluations = Evaluation.objects.filter(registration__user=user).select_related("registration__session")
    members = CohortMember.objects.filter(user=user).select_related("cohort")
    return [
        {"key": "registrations", "title": _("Session registrations"),
         "columns": [("session", _("Session")), ("status", _("Status")), ("full_name", _("Full name")),
                     ("email", _("E-mail address")), ("phone", _("Phone")), ("category", _("Category")),
                     ("gender", _("Gender")), ("province", _("Province")), ("commune", _("Commune")),
                     ("code", _("Check-in code")), ("created_at", _("Registered on"))],
         "rows": [{"session": r.session.code, "status": r.status, "full_name": r.full_name, "email": r.email,
                   "phone": r.phone, "category": r.category, "gender": r.gender, "province": r.province,
                   "commune": str(r.commune) if r.commune else "", "code": r.code, "created_at": r.created_at}
                  for r in registrations]},
        {"key": "attendance", "title": _("Attendance"),
         "columns": [("session", _("Session")), ("half_day", _("Half-day")), ("method", _("How")), ("seen_at", _("Seen at"))],
         "rows": [{"session": a.registration.session.code, "half_day": str(a.half_day), "method": a.method,
                   "seen_at": a.seen_at} for a in attendance]},
        {"key": "evaluations", "title": _("Evaluations"),
         "columns": [("session", _("Session")), ("satisfaction", _("Satisfaction")), ("usefulness", _("Usefulness")),
                     ("comment", _("Comment"))],
         "rows": [{"session": e.registration.session.code, "satisfaction": e.satisfaction, "usefulness": e.usefulness,
                   "comment": e.comment} for e in evaluations]},
        {"key": "cohorts", "title": _("Training-of-trainers cohorts"),
         "columns": [("cohort", _("Cohort")), ("joined_at", _("Joined on")), ("completed_at", _("Completed on"))],
         "rows": [{"cohort": str(m.cohort), "joined_at": m.joined_at, "completed_at": m.completed_at} for m in members]},
    ]
