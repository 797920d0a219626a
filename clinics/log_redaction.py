"""Keep private-link tokens out of every log: /r/<token>/ is written as /r/…/.

A private link (clinics/private_links.py) is a bearer token in a URL path, so anything that
logs a path could give it away: gunicorn's access log (`RedactingGunicornLogger`, set in
gunicorn.conf.py), Django's "Not Found: /r/…" and CSRF warnings and our own security events
(`RedactPrivateLinks`, a logging filter set in settings.LOGGING on those loggers and on the
console handler). The Referer is handled by the link's own response (Referrer-Policy: no-referrer).

Pure standard library plus gunicorn: gunicorn's master process imports this before Django.
"""

import copy
import logging
import re
from collections.abc import Mapping

from gunicorn.glogging import Logger as GunicornLogger

# The path segment after /r/, wherever it appears (a path, a full URL, a request line). Any
# segment is hidden, not only 43-character ones: a token cut short or mistyped is still most
# of a real one. The admin's /admin/r/<type>/<id>/ shortcut is hidden too; nothing is lost.
PRIVATE_LINK_PATH = re.compile(r"/r/[^/\s?#\"'<>]+")
REDACTED = "/r/\u2026"


def redact(text: str) -> str:
    return PRIVATE_LINK_PATH.sub(REDACTED, text)


class RedactPrivateLinks(logging.Filter):
    """Rewrites a log record so that no private-link token remains in its message or request.

    The message is formatted here (arguments included) and redacted; a request attached by
    Django (`record.request`) is replaced by a copy whose path is redacted, so a handler that
    reports the request (the admins' email) cannot show it either. Never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report, not ours to break
            return True
        if PRIVATE_LINK_PATH.search(message):
            record.msg, record.args = redact(message), None
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and PRIVATE_LINK_PATH.search(path):
            record.request = _redacted_request(request)
        return True


def _redacted_request(request):
    clean = copy.copy(request)
    for name in ("path", "path_info"):
        if isinstance(getattr(request, name, None), str):
            setattr(clean, name, redact(getattr(request, name)))
    meta = getattr(request, "META", None)
    if isinstance(meta, Mapping):
        clean.META = {
            key: redact(value) if isinstance(value, str) else value for key, value in meta.items()
        }
    return clean


class RedactingGunicornLogger(GunicornLogger):
    """Gunicorn's logger, with every access-log atom and error-log line redacted."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.addFilter(RedactPrivateLinks())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
