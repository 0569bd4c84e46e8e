"""Personal data (Morocco's law 09-08): what Takwin holds about a person, and erasing the person.

The accounts app imports no content app: each app supplies its part through two Wagtail hooks.

- ``personal_data_collect``: ``fn(user) -> list[Section]``; a section is a dict with ``key`` (stable, the
  JSON key), ``title`` (for the readable page), ``columns`` (``[(row key, label), ...]``) and ``rows``
  (a list of dicts).
- ``personal_data_erase``: ``fn(user) -> None``, called inside the deletion's transaction before the
  account is deleted: the app removes or blanks what names the person, and keeps what only counts
  (the programme keeps a registration's counted fields and its beneficiary key).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from wagtail import hooks

COLLECT_HOOK = "personal_data_collect"
ERASE_HOOK = "personal_data_erase"


def account_section(user) -> dict:
    """The account itself: identity, profile and dates."""
    fields = [
        ("email", _("E-mail address")), ("full_name", _("Full name")), ("province", _("Province or prefecture")),
        ("commune", _("Commune")), ("category", _("Category")), ("position", _("Position")), ("gender", _("Gender")),
        ("preferred_language", _("Preferred language")), ("date_joined", _("Joined on")), ("last_login", _("Last login")),
    ]
    return {"key": "account", "title": _("Account"), "columns": fields,
            "rows": [{name: getattr(user, name) for name, _label in fields}]}


def collect(user) -> list[dict]:
    """Every section of what Takwin holds about ``user``: the account, then each app's part."""
    sections = [account_section(user)]
    for fn in hooks.get_hooks(COLLECT_HOOK):
        sections.extend(fn(user) or [])
    return sections


def as_json(sections: list[dict]) -> str:
    """The sections as one JSON document (``{key: rows}``), dates in ISO 8601."""
    return json.dumps({s["key"]: s["rows"] for s in sections}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def erase_parts(user) -> None:
    """Ask every app to remove its part of ``user`` (before the account row goes)."""
    for fn in hooks.get_hooks(ERASE_HOOK):
        fn(user)
