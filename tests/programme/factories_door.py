"""Factories for the door's tests (check-in, sheet), made from the models until progcore's factories land."""

import datetime
import itertools

import factory
from django.contrib.auth.models import Permission

from programme.keys import beneficiary_key, new_code
from programme.models import HalfDay, Registration, Session
from tests.factories import UserFactory


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    code = factory.Sequence(lambda n: f"MDE-2026-D{n:02d}")
    status = "open"
    capacity = 30


def half_days(session: Session, *, start: datetime.date = datetime.date(2026, 12, 10), days: int = 1) -> list[HalfDay]:
    """A morning and an afternoon for each of ``days`` days."""
    return [
        HalfDay.objects.create(session=session, date=start + datetime.timedelta(days=offset), part=part)
        for offset in range(days) for part in ("am", "pm")
    ]


_numbers = itertools.count(1)


def registration(session: Session, *, status: str = "confirmed", full_name: str = "", **fields) -> Registration:
    """A registration of someone without an account (their e-mail gives the beneficiary key)."""
    n = next(_numbers)
    email = fields.pop("email", f"attendee{n}@example.ma")
    return Registration.objects.create(
        session=session, status=status, source=fields.pop("source", "staff"), code=new_code(),
        beneficiary_key=beneficiary_key(email=email), email=email,
        full_name=full_name or f"مشارك {n}", gender=fields.pop("gender", "female"),
        category=fields.pop("category", "elected"), province=fields.pop("province", "marrakech"), **fields,
    )


def door_staff(**fields):
    """A user holding ``programme.check_in`` (as the Programme group does)."""
    user = UserFactory(**fields)
    user.user_permissions.add(Permission.objects.get(codename="check_in", content_type__app_label="programme"))
    return user
