"""Sign-up, login, logout, password reset and profile pages."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from .forms import DeleteAccountForm, LoginForm, ProfileForm, SignupForm
from .personal_data import as_json, collect
from .selectors import landing_url
from .services import PROFILE_FIELDS, personal_data_delete, user_create, user_update_profile


def _apply_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@sensitive_post_parameters("password1", "password2")
def signup(request):
    """Create a learner account and log it in."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                email=data["email"],
                password=data["password1"],
                **{name: data[name] for name in PROFILE_FIELDS},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Takwin! Your account is ready."))
            return redirect("dashboard")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a ``next`` address, each role lands on its work (``accounts.selectors.landing_url``)."""
        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request):
    """Show and edit the signed-in user's profile."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(user=request.user, **{name: form.cleaned_data[name] for name in PROFILE_FIELDS})
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_data(request):
    """Everything Takwin holds about the signed-in person, readable (law 09-08)."""
    sections = collect(request.user)
    for section in sections:
        section["cells"] = [[row.get(key) for key, _label in section["columns"]] for row in section["rows"]]
    return render(request, "accounts/my_data.html", {"sections": sections})


@login_required
def my_data_json(request):
    """The same as a JSON download."""
    response = HttpResponse(as_json(collect(request.user)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="takwin-my-data.json"'
    return response


@login_required
@sensitive_post_parameters("password")
def delete_account(request):
    """Ask for deletion: with the password, the person is removed and the aggregates stay."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("/" if request.LANGUAGE_CODE == "ar" else f"/{request.LANGUAGE_CODE}/")
    return render(request, "accounts/delete_account.html", {"form": form}, status=400 if form.errors else 200)


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/email/password_reset_body.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
