"""Reminder settings (on or off, off by default) and the page that turns reminders off from an
email's link, without signing in (roller_sessions/reminders.py writes and sends them)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from roller_sessions import reminders as service

ON, OFF = "on", "off"


class ReminderChoiceForm(forms.Form):
    email_reminders = forms.ChoiceField(
        label="Email reminders",
        choices=[
            (ON, "On: email me when a check-in or my next session is due"),
            (OFF, "Off: no reminder emails"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, address: str | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.address = address

    def clean_email_reminders(self) -> bool:
        on = self.cleaned_data["email_reminders"] == ON
        if on and self.address is None:
            raise forms.ValidationError(
                "Reminders need a confirmed email address. Confirm or add one first."
            )
        return on


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    address = service.reminder_address(request.user)
    on = service.reminders_wanted(request.user)
    # An empty POST is a form with errors, not a fresh form.
    data = request.POST if request.method == "POST" else None
    form = ReminderChoiceForm(data, address=address, initial={"email_reminders": ON if on else OFF})
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["email_reminders"]
        service.reminders_set(user=request.user, on=on)
        if on:
            messages.success(request, f"Reminders are on. They go to {address}.")
        else:
            messages.success(request, "Reminders are off. We will not email you reminders.")
        return redirect("roller_sessions:reminders")
    context = {"form": form, "address": address, "on": on}
    return render(request, "roller_sessions/reminders.html", context)


# Exempt from CSRF on purpose, and only this view: RFC 8058's one-click unsubscribe is a POST
# from the mail client (body "List-Unsubscribe=One-Click"), with no cookies and so no CSRF
# token. What authorises it is the signed token in the address, which only the email carries;
# all a forged POST can do is turn the token's owner's reminders off, which is what the link is
# for. A GET changes nothing: mail scanners open links before the person does.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    user = service.user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "roller_sessions/reminders_off_bad_link.html", status=404)
    if request.method == "POST":
        service.reminders_set(user=user, on=False)
        return render(request, "roller_sessions/reminders_off_done.html")
    return render(request, "roller_sessions/reminders_off.html")
