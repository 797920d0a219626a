"""Account forms of our own: deleting the account, and allauth's password change with its
password check counted towards the log-in lock-out (scalpsafe/password_checks.py)."""

from allauth.account.forms import ChangePasswordForm, SignupForm
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


class ThrottledChangePasswordForm(ChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The site's sentence case, not allauth's "Current Password".
        for name, label in (
            ("oldpassword", "Current password"),
            ("password1", "New password"),
            ("password2", "New password (again)"),
        ):
            self.fields[name].label = label
            # allauth repeats its label inside the box; the label above says it.
            self.fields[name].widget.attrs.pop("placeholder", None)

    def clean_oldpassword(self) -> str:
        # allauth builds this form without the request; its middleware keeps it in context.
        if not password_check(context.request, self.user, self.cleaned_data.get("oldpassword", "")):
            # The delete-account form's words: the box was filled in, with the wrong password.
            raise forms.ValidationError("That is not your current password.")
        return self.cleaned_data["oldpassword"]


class EvenTimeSignupForm(SignupForm):
    """allauth's sign-up, taking as long for an address that has an account as for a new one.

    A new account hashes its password (the slow step, on purpose); for a taken address allauth
    only queues an email to its owner, so without this the answer would come back far sooner and
    say that the address has an account. The hash made here is thrown away.
    """

    def try_save(self, request: HttpRequest):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
