"""Each role lands on its work after login, and the header and the admin menu show that role's links."""

import pytest
from django.test import Client

from accounts.groups import EDITORS, LEARNERS, TRAINERS
from accounts.selectors import user_roles
from accounts.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


def make_user(email: str, groups: tuple[str, ...], **flags):
    return user_create(email=email, password=PASSWORD, full_name="حسن", groups=groups, welcome=False, **flags)


@pytest.fixture
def homes(db):
    """The two home pages and their section pages (the header links the sections)."""
    from demo import home as home_demo

    return home_demo.load()


@pytest.fixture
def people(homes):
    return {
        "learner": make_user("learner@example.ma", (LEARNERS,)),
        "trainer": make_user("trainer@example.ma", (TRAINERS,), is_staff=True),
        "editor": make_user("editor@example.ma", (EDITORS,), is_staff=True),
        "admin": make_user("admin@example.ma", (), is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize(
    ("role", "prefix", "landing"),
    [
        ("learner", "", "/my/"),
        ("trainer", "", "/media-pipeline/recordings/"),
        ("editor", "", "/admin/"),
        ("admin", "", "/admin/"),
        ("learner", "/fr", "/fr/my/"),
        ("trainer", "/fr", "/fr/media-pipeline/recordings/"),
    ],
)
def test_each_role_lands_on_its_work_after_login(people, role, prefix, landing):
    """Without a next address, a learner lands on My learning, a trainer on their recordings,
    editors and administrators in the admin, in the language of the login page."""
    response = Client().post(
        f"{prefix}/accounts/login/", {"username": f"{role}@example.ma", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == landing


def test_a_next_address_still_wins_over_the_landing_page(people):
    """A trainer sent to the login page from a module report goes back there, not to the recordings."""
    response = Client().post(
        "/accounts/login/?next=/reports/", {"username": "trainer@example.ma", "password": PASSWORD, "next": "/reports/"}
    )
    assert response["Location"] == "/reports/"


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("learner", ["/my/"], ["/media-pipeline/recordings/", "/reports/", "/admin/"]),
        ("trainer", ["/my/", "/media-pipeline/recordings/", "/reports/", "/admin/"], []),
        ("editor", ["/my/", "/reports/", "/admin/"], []),
    ],
)
def test_the_header_shows_the_links_of_the_role(people, role, shown, hidden):
    """The header links a trainer's recordings and reports, an editor's admin; a learner sees neither."""
    client = Client()
    client.force_login(people[role])
    nav = client.get("/courses/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    for url in shown:
        assert f'href="{url}"' in nav, url
    for url in hidden:
        assert f'href="{url}"' not in nav, url


def test_anonymous_header_has_no_role_links(people):
    """Visitors get the public links and the login, not the staff ones."""
    nav = Client().get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/reports/"' not in nav and 'href="/admin/"' not in nav and 'href="/accounts/login/"' in nav


def test_learner_reports_are_in_the_admin_reports_menu_for_trainers(people):
    """The admin's Reports menu lists the learner reports for trainers and editors (in their language)."""
    for role in ("trainer", "editor"):
        client = Client()
        client.force_login(people[role])
        html = client.get("/admin/").content.decode()
        assert "/reports/" in html, role


def test_roles_cost_one_query_per_request(people, django_assert_num_queries):
    """The roles are read once and kept on the user object: the header asks several times for free."""
    user = people["trainer"]
    with django_assert_num_queries(1):
        assert user_roles(user) == {"learner", "trainer"}
        assert user_roles(user) == {"learner", "trainer"}
