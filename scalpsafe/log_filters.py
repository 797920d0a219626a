"""A refused request is one short log line, never a traceback.

Django logs a request it refuses with the exception attached: a bad Host header or a body over
the size limit on "django.security.<exception name>" (DisallowedHost, RequestDataTooBig, ...), a
body it cannot parse or a missing page on "django.request". Each record then prints a whole
traceback, so a flood of bad Host headers wrote a traceback per request. A traceback of a 4xx
says nothing about our code: the client sent something wrong, and the message already says what.

`ClientErrorsOnOneLine` rewrites any record of a 4xx response to its message alone: no
traceback, one line, at most `MAX_MESSAGE` characters (the Host header is quoted in the message,
and a client chooses how long it is). 5xx records keep their traceback. It never drops a record:
one line per refused request, like the access log. Set on the loggers in settings.LOGGING.

Pure standard library: logging is configured before the apps load.
"""

import logging
import re

MAX_MESSAGE = 300
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(message: str) -> str:
    message = _CONTROL_CHARACTERS.sub(" ", message)
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "\u2026"


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not (isinstance(status, int) and 400 <= status < 500):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report, not ours to break
            return True
        record.msg, record.args = one_line(message), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
