"""Fixtures of the programme's tests: a plan, an open session, officials."""

import pytest

from tests.factories import UserFactory

from .factories import make_plan, make_session


@pytest.fixture
def plan(db):
    return make_plan()


@pytest.fixture
def session(plan):
    """An open session with 3 places."""
    return make_session(plan)


@pytest.fixture
def official(db):
    return UserFactory(full_name="فاطمة الزهراء أيت علي", category="elected", email="fatima@example.ma")


@pytest.fixture
def officials(db):
    return [UserFactory(category="elected") for _ in range(5)]


@pytest.fixture
def plan_transactional(transactional_db):
    from tests.archive.conftest import _ensure_wagtail_roots

    _ensure_wagtail_roots()
    return make_plan()
