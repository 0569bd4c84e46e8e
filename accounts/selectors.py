"""Read queries of the accounts app: which roles a user holds and where each role's work is.

A role is a group (``accounts.groups``) or, for editors, the superuser flag. The header, the
landing page after login and the admin menu all ask these functions, so they cannot disagree.
"""

from django.urls import reverse

from .groups import EDITORS, TRAINERS

EDITOR, TRAINER, LEARNER = "editor", "trainer", "learner"

_CACHE = "_takwin_roles"


def user_roles(user) -> frozenset[str]:
    """The roles of ``user`` (empty for anonymous visitors): one query, kept on the user object
    for the rest of the request. Every signed-in user is also a learner (anyone may follow a module)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        roles = {LEARNER}
        if user.is_superuser or EDITORS in names:
            roles.add(EDITOR)
        if TRAINERS in names:
            roles.add(TRAINER)
        cached = frozenset(roles)
        setattr(user, _CACHE, cached)
    return cached


def may_read_reports(user) -> bool:
    """Whether the learner reports concern ``user``: administrators, editors who may read every
    enrolment, and trainers (who read their own modules' reports). Learners are not staff: their
    pages pay no permission query for this."""
    roles = user_roles(user)
    return bool({EDITOR, TRAINER} & roles) or (user.is_staff and user.has_perm("courses.view_enrolment"))


def landing_url(user) -> str:
    """Where ``user`` lands after login: editors in the admin, trainers on their recordings
    (the page links their modules' reports), learners on "My learning"."""
    roles = user_roles(user)
    if EDITOR in roles:
        return reverse("wagtailadmin_home")
    if TRAINER in roles:
        return reverse("media_pipeline:my_recordings")
    return reverse("dashboard")


def is_feminine(user) -> bool:
    """Whether wording addressed to ``user`` (or about them) takes the feminine form: Arabic and
    French agree participles with the person ("أتمّت", "inscrite"). Unknown gender reads masculine,
    the languages' unmarked form."""
    return getattr(user, "gender", "") == "female"


def gendered(user, *, default: str, feminine: str) -> str:
    """``feminine`` for a woman, else ``default``. Both are already translated: the feminine one
    with the message context "feminine" (``pgettext("feminine", …)``), so the catalogues hold
    both forms of the same English text."""
    return feminine if is_feminine(user) else default
