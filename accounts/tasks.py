"""Background work for accounts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_welcome_email(*, user_id: int) -> str:
    """E-mail a new account its welcome message in the user's language; returns the address."""
    user = get_user_model().objects.get(pk=user_id)
    with translation.override(user.preferred_language):
        context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL}
        subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/welcome_body.txt", context)
    send_mail(subject, body, None, [user.email])
    return user.email
