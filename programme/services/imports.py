"""Staff's import of attendees who have no account, from a spreadsheet (CSV or XLSX), into one session.

Columns (header row, any order): full_name, email, phone, gender, category, province, commune, language.
Every row is checked first (names, e-mail, Moroccan phone numbers, known communes, duplicates within
the file); then the rows are registered through the registration service in one transaction, which a
dry run (or any refused row: audience, quota, places) rolls back whole: all or nothing. Someone already
registered for the session is left as they are, so importing the same file again changes nothing.
The report's messages are in the staff's language.
"""

import re
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from exports import Column
from exports.readers import choice_lookup, fold, read_rows
from exports.reports import ImportReport as BaseImportReport
from exports.reports import RowReport
from vocabulary.models import Commune
from vocabulary.regions import Province

from ..keys import beneficiary_key
from ..models import Registration, Session
from .registration import Attendee, register

#: The sheet's columns, named by their key or by their label in Arabic, French or English.
SHEET_COLUMNS = [
    Column("full_name", gettext_lazy("Full name")), Column("email", gettext_lazy("E-mail")),
    Column("phone", gettext_lazy("Phone")), Column("gender", gettext_lazy("Gender")),
    Column("category", gettext_lazy("Category")), Column("province", gettext_lazy("Province")),
    Column("commune", gettext_lazy("Commune")), Column("language", gettext_lazy("Language")),
]
COLUMNS = tuple(column.key for column in SHEET_COLUMNS)
# 0612345678, 06 12 34 56 78, 06.12.34.56.78, +212 6 12 34 56 78, 00212612345678, and 612345678 as a
# spreadsheet's number cell drops the leading 0: mobile (6, 7) and fixed (5) lines.
_PHONE = re.compile(r"^(?:\+212|00212|212|0)?([5-7]\d{8})$")
_GENDERS = {"female": "female", "f": "female", "femme": "female", "أنثى": "female", "امرأة": "female",
            "male": "male", "m": "male", "h": "male", "homme": "male", "ذكر": "male", "رجل": "male"}
_CATEGORIES = {"elu": "elected", "elue": "elected", "منتخب": "elected", "منتخبة": "elected",
               "fonctionnaire": "staff", "cadre": "staff", "personnel": "staff", "موظف": "staff", "موظفة": "staff",
               "autre": "other", "آخر": "other"}


@dataclass
class ImportReport(BaseImportReport):
    """What an import found (dry run) or did: rows labelled by name, registered or already there.

    A valid row's ``data`` is its :class:`Attendee`.
    """

    ACTION_LABELS: ClassVar = {"confirm": gettext_lazy("Registered"), "unchanged": gettext_lazy("Already registered")}

    @property
    def new(self) -> int:
        return self.count("confirm")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


def normalise_phone(value) -> str | None:
    """A Moroccan number as +212XXXXXXXXX; None when it is not one."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    digits = re.sub(r"[\s.\-()/]", "", text)
    match = _PHONE.match(digits)
    return f"+212{match.group(1)}" if match else None


def _cell(row: dict, name: str) -> str:
    value = row.get(name, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Lookups:
    """The choices and communes rows are checked against, read once per import."""

    def __init__(self):
        self.provinces = choice_lookup(Province.choices)
        self.genders = {fold(k): v for k, v in {**_GENDERS, **choice_lookup(User.Gender.choices)}.items()}
        self.categories = {**{fold(k): v for k, v in _CATEGORIES.items()}, **choice_lookup(User.Category.choices)}
        self.communes: dict[str, list[Commune]] = {}
        for commune in Commune.objects.all():
            for name in {fold(commune.name_fr), fold(commune.name_ar)}:
                self.communes.setdefault(name, []).append(commune)


def _check_choice(value: str, table: dict, message: str, errors: list[str]) -> str:
    if not value:
        return ""
    found = table.get(fold(value))
    if found is None:
        errors.append(message % {"value": value})
        return ""
    return found


def _check_commune(name: str, province: str, lookups: _Lookups, errors: list[str]) -> Commune | None:
    if not name:
        return None
    candidates = [c for c in lookups.communes.get(fold(name), []) if not province or c.province == province]
    if not candidates:
        errors.append(_("Unknown commune “%(value)s”.") % {"value": name})
        return None
    if len(candidates) > 1:
        errors.append(_("Several communes are called “%(value)s”: give the province.") % {"value": name})
        return None
    return candidates[0]


def _check_contacts(row: dict, errors: list[str]) -> tuple[str, str]:
    email, phone_text = _cell(row, "email").lower(), _cell(row, "phone")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("The e-mail address “%(value)s” is not valid.") % {"value": email})
    phone = ""
    if phone_text:
        phone = normalise_phone(row.get("phone", "")) or ""
        if not phone:
            errors.append(_("The phone number “%(value)s” is not a Moroccan number (e.g. 06 12 34 56 78 or +212 6 12 34 56 78).") % {"value": phone_text})
    if not email and not phone_text:
        errors.append(_("Give an e-mail address or a phone number: without either the person cannot be told apart."))
    return email, phone


def _check_row(number: int, row: dict, lookups: _Lookups) -> RowReport:
    result = RowReport(number=number, label=_cell(row, "full_name"))
    errors = result.errors
    if not result.label:
        errors.append(_("The full name is missing."))
    elif len(result.label) > 150:
        errors.append(_("The full name is longer than 150 characters."))
    email, phone = _check_contacts(row, errors)
    gender = _check_choice(_cell(row, "gender"), lookups.genders, _("Unknown gender “%(value)s”."), errors)
    category = _check_choice(_cell(row, "category"), lookups.categories, _("Unknown category “%(value)s”."), errors)
    province = _check_choice(_cell(row, "province"), lookups.provinces, _("Unknown province “%(value)s”."), errors)
    commune = _check_commune(_cell(row, "commune"), province, lookups, errors)
    language = _cell(row, "language").lower() or "ar"
    if language not in ("ar", "fr"):
        errors.append(_("The language must be ar or fr, not “%(value)s”.") % {"value": language})
    if not errors:
        result.data = Attendee(
            full_name=result.label, email=email, phone=phone, gender=gender, category=category,
            province=commune.province if commune else province, commune=commune, language=language,
        )
    return result


def _mark_duplicates(rows: list[RowReport]) -> None:
    seen: dict[object, int] = {}
    for row in rows:
        if row.data is None:
            continue
        keys = {beneficiary_key(email=row.data.email)} if row.data.email else set()
        if row.data.phone:
            keys.add(beneficiary_key(phone=row.data.phone))
        for key in keys:
            if key in seen:
                row.errors.append(_("The same person as row %(row)s.") % {"row": seen[key]})
                break
        for key in keys:
            seen.setdefault(key, row.number)


def _register_rows(session: Session, rows: list[RowReport]) -> None:
    live = set(
        Registration.objects.filter(session=session).exclude(status=Registration.Status.CANCELLED)
        .values_list("beneficiary_key", flat=True)
    )
    for row in rows:
        key = beneficiary_key(email=row.data.email, phone=row.data.phone)
        if key in live:
            row.action = "unchanged"
            continue
        try:
            register(session=session, attendee=row.data, source=Registration.Source.IMPORT,
                     check_window=False, waiting_allowed=False)
        except ValidationError as error:
            row.errors.extend(error.messages)
        else:
            row.action = "confirm"


def run_import(*, session: Session, data: bytes, filename: str, dry_run: bool, language: str) -> ImportReport:
    """Check the spreadsheet's rows and, unless ``dry_run``, register them all (or none)."""
    report = ImportReport(dry_run=dry_run)
    with translation.override(language):
        try:
            raw_rows = read_rows(data, filename, columns=SHEET_COLUMNS, required=("full_name",))
        except ValueError as error:
            report.file_errors.append(str(error))
            return report
        lookups = _Lookups()
        report.rows = [_check_row(number, row, lookups) for number, row in enumerate(raw_rows, start=2)]
        _mark_duplicates(report.rows)
        if not report.ok:
            return report
        with transaction.atomic():
            _register_rows(session, report.rows)
            report.written = report.ok and not dry_run
            if not report.written:
                transaction.set_rollback(True)
    return report

