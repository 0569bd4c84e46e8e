"""Sign-up, login, rate limiting, profile and password reset."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.factories import PASSWORD, UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

VALID = {
    "email": "Amina.Saidi@Example.ma",
    "password1": "marrakech-safi-2026",
    "password2": "marrakech-safi-2026",
    "full_name": "أمينة السعيدي",
    "province": "essaouira",
    "commune": "تمنار",
    "category": "elected",
    "position": "نائبة الرئيس",
    "gender": "female",
    "preferred_language": "ar",
}


def signup_url(lang="ar"):
    with translation.override(lang):
        return reverse("accounts:signup")


def test_signup_creates_a_learner_logs_in_and_sends_the_welcome_email(client, django_capture_on_commit_callbacks):
    """A valid sign-up creates one learner (e-mail lower-cased), logs it in and e-mails a welcome."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup_url(), VALID)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get()
    assert user.email == "amina.saidi@example.ma"
    assert user.province == "essaouira" and user.gender == "female" and user.category == "elected"
    assert list(user.groups.values_list("name", flat=True)) == ["Learners"]
    assert client.get(reverse("dashboard")).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina.saidi@example.ma"]
    assert "تكوين" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ar", "يوجد حساب يستعمل عنوان البريد الإلكتروني هذا"), ("fr", "Un compte utilise déjà cette adresse")],
)
def test_signup_with_a_taken_email_is_refused_in_the_users_language(client, lang, expected):
    """A second account with the same e-mail (any case) is refused with a localised message."""
    UserFactory(email="amina.saidi@example.ma")
    response = client.post(signup_url(lang), VALID)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("lang", "password", "expected"),
    [
        ("ar", "12345678901", "كلمة المرور"),
        ("fr", "short", "mot de passe"),
        ("fr", "password123", "trop courant"),
    ],
)
def test_signup_with_a_weak_password_is_refused(client, lang, password, expected):
    """Weak passwords get the validators' message in the user's language and create nothing."""
    response = client.post(signup_url(lang), {**VALID, "password1": password, "password2": password})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(("lang", "expected"), [("ar", "هذا الحقل مطلوب"), ("fr", "Champ requis")])
def test_signup_with_missing_fields_names_each_one(client, lang, expected):
    """Missing required fields are flagged next to each field, localised."""
    response = client.post(signup_url(lang), {"email": "x@example.ma"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count(expected) >= 5  # passwords, name, province, category, gender
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client):
    """Two different passwords are refused."""
    response = client.post(signup_url("fr"), {**VALID, "password2": "something-else-2026"})
    assert response.status_code == 400
    assert "ne correspondent pas" in response.content.decode()


def test_login_by_email_then_logout(client):
    """A user logs in with their e-mail (any case) and logs out with a POST."""
    UserFactory(email="karim@example.ma")
    response = client.post(reverse("accounts:login"), {"username": "KARIM@example.ma", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_password_gives_a_localised_error(client):
    """A wrong password is reported in Arabic without saying which part was wrong."""
    UserFactory(email="karim@example.ma")
    response = client.post(reverse("accounts:login"), {"username": "karim@example.ma", "password": "nope"})
    assert response.status_code == 200
    assert "عنوان البريد الإلكتروني أو كلمة المرور غير صحيح" in response.content.decode()


def test_login_attempts_are_rate_limited(client):
    """After five failures the account is locked for this address, even with the right password."""
    UserFactory(email="target@example.ma")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "target@example.ma", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "target@example.ma", "password": PASSWORD})
    assert response.status_code == 429
    assert "محاولات كثيرة" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_profile_update_sets_the_admin_language(client):
    """Choosing French on the profile page switches the Wagtail admin to French too."""
    user = UserFactory(preferred_language="ar")
    client.force_login(user)
    data = {"full_name": "Nadia B.", "province": "safi", "commune": "Safi", "category": "staff",
            "position": "Technicienne", "gender": "female", "preferred_language": "fr"}
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "fr" and user.province == "safi"
    assert UserProfile.get_for_user(user).preferred_language == "fr"


def test_profile_rejects_an_unknown_province(client):
    """A province outside the region's eight is refused and nothing changes."""
    user = UserFactory(province="marrakech")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"full_name": "X", "province": "paris", "category": "staff",
                                                        "gender": "male", "preferred_language": "ar"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.province == "marrakech"


def test_password_reset_sends_a_working_link(client):
    """The reset e-mail carries a link that lets the user choose a new password and log in with it."""
    UserFactory(email="reset@example.ma")
    client.post(reverse("accounts:password_reset"), {"email": "reset@example.ma"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "nouveau-mot-2026", "new_password2": "nouveau-mot-2026"})
    assert response.status_code == 302
    assert User.objects.get(email="reset@example.ma").check_password("nouveau-mot-2026")


def test_groups_exist_with_their_permissions():
    """Editors edit pages but publish only through review (editorial's migration takes their
    publish right), trainers can reach the admin, learners have no admin access."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    editors, trainers, learners = (Group.objects.get(name=n) for n in ("Editors", "Trainers", "Learners"))
    assert GroupPagePermission.objects.filter(group=editors, permission__codename="change_page").exists()
    assert not GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").exists()
    assert not GroupPagePermission.objects.filter(group=trainers, permission__codename="publish_page").exists()
    assert trainers.permissions.filter(codename="access_admin").exists()
    assert not learners.permissions.exists()


def test_trainers_may_upload_recordings_and_learners_may_not():
    """Trainers get the media pipeline's add permission; learners do not."""
    from django.contrib.auth.models import Group

    trainer, learner = UserFactory(), UserFactory()
    trainer.groups.add(Group.objects.get(name="Trainers"))
    learner.groups.add(Group.objects.get(name="Learners"))
    assert trainer.has_perm("media_pipeline.add_mediaasset")
    assert not learner.has_perm("media_pipeline.add_mediaasset")
