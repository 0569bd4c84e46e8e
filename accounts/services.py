"""Account write operations. Views and commands call these; nothing else writes users."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .groups import LEARNERS
from .tasks import send_welcome_email

User = get_user_model()

PROFILE_FIELDS = ("full_name", "province", "commune", "category", "position", "gender", "preferred_language")


def sync_admin_language(user) -> None:
    # The Wagtail admin reads its language from its own profile row: keep the two in step
    # so that an Arabic-preferring editor gets the admin in Arabic.
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != user.preferred_language:
        profile.preferred_language = user.preferred_language
        profile.save(update_fields=["preferred_language"])


def _check_profile_fields(fields) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    full_name: str,
    groups: tuple[str, ...] = (LEARNERS,),
    is_staff: bool = False,
    is_superuser: bool = False,
    welcome: bool = True,
    **profile,
) -> User:
    """Create an account with its profile, groups and admin flags, then send the welcome e-mail.

    ``welcome=False`` skips the e-mail (accounts made by a command, not by their owner).
    Raises ``ValidationError`` (nothing saved) when a field is invalid or the
    e-mail address is taken.
    """
    _check_profile_fields(profile)
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
        **profile,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    sync_admin_language(user)
    if welcome:
        transaction.on_commit(lambda: send_welcome_email.enqueue(user_id=user.pk))
    return user


@transaction.atomic
def user_set_access(
    *, user: User, groups: tuple[str, ...], is_staff: bool, is_superuser: bool, password: str | None = None
) -> User:
    """Set an account's groups and admin flags, and its password when ``password`` is given and differs."""
    user.is_staff, user.is_superuser = is_staff, is_superuser
    if password is not None and not user.check_password(password):
        user.set_password(password)
    user.full_clean()
    user.save(update_fields=["is_staff", "is_superuser", "password"])
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@transaction.atomic
def user_update_profile(*, user: User, **fields) -> User:
    """Update a user's profile fields; validates before saving anything."""
    _check_profile_fields(fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(fields))
    sync_admin_language(user)
    return user


@transaction.atomic
def personal_data_delete(*, user, password: str) -> None:
    """Delete the person (law 09-08): every app removes or blanks its part (``personal_data_erase``
    hook), then the account is deleted. The aggregates stay: registrations keep their counted fields
    and beneficiary key. Refused (``ValidationError``) without the account's password."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .personal_data import erase_parts

    if not user.check_password(password or ""):
        raise ValidationError({"password": _("This is not your password.")})
    erase_parts(user)
    user.delete()
