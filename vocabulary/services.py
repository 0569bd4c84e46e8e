"""Writing the shared vocabulary."""

import re

from django.db import transaction
from django.db.models import Q
from wagtail.models import Locale

from .models import Commune, Person, Theme

# Arabic script blocks (letters, supplements, presentation forms): a name written in them
# is the Arabic name, any other is the French one.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic(text: str) -> bool:
    """Whether ``text`` is written in Arabic script."""
    return bool(_ARABIC.search(text or ""))


@transaction.atomic
def person_for_record(*, name: str, affiliation: str = "", kind: str = Person.Kind.EXPERT, user=None) -> Person:
    """The person a record names (a trainer or speaker of an imported activity), created when unknown.

    ``name`` and ``affiliation`` go to the Arabic or French field by their script; an existing
    person is found by either name. A given affiliation and kind that differ update the person.
    A given ``user`` links a person that has no account yet (an existing link is kept).
    """
    name = name.strip()
    affiliation_field = "affiliation_ar" if is_arabic(affiliation) else "affiliation_fr"
    person = Person.objects.filter(Q(name_ar=name) | Q(name_fr=name)).order_by("pk").first()
    link = user is not None and (person is None or person.user_id is None)
    if person is None:
        person = Person(
            **{"name_ar" if is_arabic(name) else "name_fr": name, affiliation_field: affiliation, "kind": kind}
        )
    elif not link and (not affiliation or (getattr(person, affiliation_field), person.kind) == (affiliation, kind)):
        return person
    elif affiliation:
        setattr(person, affiliation_field, affiliation)
        person.kind = kind
    if link:
        person.user = user
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_ensure(
    *,
    name_ar: str,
    name_fr: str,
    affiliation_ar: str = "",
    affiliation_fr: str = "",
    kind: str = Person.Kind.EXPERT,
    user=None,
) -> Person:
    """The person named ``name_ar`` or ``name_fr``, with both names and affiliations, created when unknown.

    Unlike :func:`person_for_record`, which knows one spelling, this writes both languages' forms,
    so that Arabic pages show the Arabic name. Given fields that differ update the person; a given
    ``user`` links a person that has no account yet.
    """
    person = Person.objects.filter(Q(name_ar=name_ar) | Q(name_fr=name_fr)).order_by("pk").first() or Person()
    wanted = {"name_ar": name_ar, "name_fr": name_fr, "affiliation_ar": affiliation_ar, "affiliation_fr": affiliation_fr, "kind": kind}
    changed = {key: value for key, value in wanted.items() if value and getattr(person, key) != value}
    if user is not None and person.user_id is None:
        changed["user"] = user
    if person.pk and not changed:
        return person
    for key, value in changed.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def commune_ensure(*, province: str, name_ar: str, name_fr: str, kind: str = Commune.Kind.RURAL) -> Commune:
    """The commune named ``name_fr`` in ``province``: created, or updated when its other fields differ."""
    commune = Commune.objects.filter(province=province, name_fr=name_fr).first() or Commune(
        province=province, name_fr=name_fr
    )
    if commune.pk and (commune.name_ar, commune.kind) == (name_ar, kind):
        return commune
    commune.name_ar, commune.kind = name_ar, kind
    commune.full_clean()
    commune.save()
    return commune


@transaction.atomic
def theme_ensure(*, slug: str, names: dict[str, str], sort_order: int = 0) -> dict[str, Theme]:
    """The theme ``slug`` in every language of ``names`` (language code → name), created or updated.

    The first language is the source; the others are its translations (same ``translation_key``).
    Returns the theme of each language code.
    """
    themes: dict[str, Theme] = {}
    for code, name in names.items():
        locale, _created = Locale.objects.get_or_create(language_code=code)
        theme = Theme.objects.filter(locale=locale, slug=slug).first() or Theme(locale=locale, slug=slug)
        if theme.pk and (theme.name, theme.sort_order) == (name, sort_order):
            themes[code] = theme
            continue
        theme.name, theme.sort_order = name, sort_order
        if theme.pk is None and themes:
            theme.translation_key = next(iter(themes.values())).translation_key
        theme.full_clean()
        theme.save()
        themes[code] = theme
    return themes
