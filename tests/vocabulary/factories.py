"""Builders for the shared vocabulary's models."""

import factory

from vocabulary.models import Commune, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_fr = factory.Sequence(lambda n: f"Formateur {n}")
    name_ar = factory.Sequence(lambda n: f"مكون {n}")
    kind = Person.Kind.TRAINER


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    name_fr = factory.Sequence(lambda n: f"Commune {n}")
    name_ar = factory.Sequence(lambda n: f"جماعة {n}")
    province = "safi"
    kind = Commune.Kind.RURAL
