"""Takwin's user: e-mail as login, plus the learner profile reports rely on."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from vocabulary.regions import Province


class UserManager(BaseUserManager):
    """Creates users keyed by e-mail (there is no username)."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: learner, trainer, editor or administrator.

    The profile fields live on the user row itself: every report groups learners by
    province, category and gender, and one table keeps those reports join-free.
    """

    class Category(models.TextChoices):
        ELECTED = "elected", _("Elected official")
        STAFF = "staff", _("Commune staff")
        OTHER = "other", _("Other")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Language(models.TextChoices):
        ARABIC = "ar", "العربية"
        FRENCH = "fr", "Français"

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    province = models.CharField(_("province or prefecture"), max_length=32, choices=Province.choices, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]
