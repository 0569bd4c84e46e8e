"""Fixtures of the learning apps' tests."""

import pytest


@pytest.fixture
def homes(db):
    """The two home pages and their section pages (no modules)."""
    from demo import home as home_demo

    return home_demo.load()


def make_learner():
    from tests.factories import UserFactory

    return UserFactory(full_name="فاطمة الزهراء أيت علي")


@pytest.fixture
def learner(db):
    return make_learner()
