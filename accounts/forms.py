"""Sign-up, login and profile forms. They validate input; services do the writing."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

User = get_user_model()


class LanguageSelect(forms.Select):
    """Languages named in their own language ("Français" on an Arabic page), each option marked
    with its ``lang`` so that screen readers read it in that language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option


class ProfileForm(forms.ModelForm):
    """The learner profile fields shown at sign-up and on the profile page."""

    class Meta:
        model = User
        fields = ("full_name", "province", "commune", "category", "position", "gender", "preferred_language")
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "commune": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "position": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "preferred_language": LanguageSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("province", "category", "gender"):
            self.fields[name].required = True


class SignupForm(ProfileForm):
    """Creates a learner account: e-mail, password twice, and the profile."""

    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta(ProfileForm.Meta):
        fields = ("email", *ProfileForm.Meta.fields)

    field_order = ["email", "password1", "password2", *ProfileForm.Meta.fields]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this e-mail address. Log in, or reset your password."),
                code="email_taken",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def _post_clean(self):
        # The model is validated by the service, with the hashed password set.
        pass


class LoginForm(AuthenticationForm):
    """Login by e-mail; the field keeps the name "username" that django-axes watches."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class DeleteAccountForm(forms.Form):
    """Deleting one's account asks for the password (a left-open session is not enough)."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("I understand that my account and my personal data will be deleted."))
