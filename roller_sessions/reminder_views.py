"""Reminder settings and the one-step "turn reminders off" page (being built: issue 15)."""

from django.http import Http404


def _not_yet(request, **kwargs):
    raise Http404()


reminders = reminders_off = _not_yet
