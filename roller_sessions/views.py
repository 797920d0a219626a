"""The person's session pages (being built: issue 15). Placeholders answer 404."""

from django.http import Http404


def _not_yet(request, **kwargs):
    raise Http404()


my_sessions = check_new = check = consult_confirm = session_log = session = checkin = _not_yet
session_delete = export_json = export_csv = _not_yet
