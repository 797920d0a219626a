"""Account forms of our own: deleting the account, allauth's password forms in the site's
words, and its password change with its password check counted towards the log-in lock-out
(scalpsafe/password_checks.py)."""

from allauth.account.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)
from allauth.core import context
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest

from scalpsafe.password_checks import password_check


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is you.",
    )

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_check(self.request, self.request.user, password):
            raise forms.ValidationError("That is not your password.")
        return password


class SiteWordsMixin:
    """allauth's account forms as the site's other forms are: labels in sentence case ("New
    password", not allauth's "New Password") and no placeholder repeating a label inside its
    box (it vanishes as one types, and the label above says it)."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


# "Confirm new password", not "New password (again)": the error summary names a field in
# brackets, and "(New password (again))" read badly.
NEW_PASSWORD_LABELS = {"password1": "New password", "password2": "Confirm new password"}


class ThrottledChangePasswordForm(SiteWordsMixin, ChangePasswordForm):
    labels = {"oldpassword": "Current password", **NEW_PASSWORD_LABELS}

    def clean_oldpassword(self) -> str:
        # allauth builds this form without the request; its middleware keeps it in context.
        if not password_check(context.request, self.user, self.cleaned_data.get("oldpassword", "")):
            # The delete-account form's words: the box was filled in, with the wrong password.
            raise forms.ValidationError("That is not your current password.")
        return self.cleaned_data["oldpassword"]


class EvenTimeSignupForm(SiteWordsMixin, SignupForm):
    """allauth's sign-up, taking as long for an address that has an account as for a new one.

    A new account hashes its password (the slow step, on purpose); for a taken address allauth
    only queues an email to its owner, so without this the answer would come back far sooner and
    say that the address has an account. The hash made here is thrown away.
    """

    # "Confirm password", not "Password (again)": the error summary names a field in brackets.
    labels = {"password2": "Confirm password"}

    def try_save(self, request: HttpRequest):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class NewPasswordFromLinkForm(SiteWordsMixin, ResetPasswordKeyForm):
    labels = NEW_PASSWORD_LABELS


class FirstPasswordForm(SiteWordsMixin, SetPasswordForm):
    labels = NEW_PASSWORD_LABELS


class SiteLoginForm(SiteWordsMixin, LoginForm):
    pass


class SiteResetPasswordForm(SiteWordsMixin, ResetPasswordForm):
    pass
