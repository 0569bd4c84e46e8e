"""Factories shared by the test suite."""

import factory
from django.contrib.auth import get_user_model

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ma")
    full_name = factory.Sequence(lambda n: f"مستعمل {n}")
    province = "marrakech"
    category = "staff"
    gender = "female"
    preferred_language = "ar"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
