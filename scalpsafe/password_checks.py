"""Every password check counts towards the log-in lock-out (django-axes).

Deleting the account and changing the password ask for the current password. A wrong one is
recorded as a failed log-in for that username from this address (Django's `user_login_failed`,
which axes and the security log listen to), so 5 wrong passwords anywhere lock that pair for
15 minutes, and a locked pair is refused before the password is even looked at: the request
ends with axes' lock-out page (429), as a locked log-in does.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from scalpsafe.security import log_event


def password_check(request: HttpRequest, user: AbstractBaseUser, password: str) -> bool:
    """Whether `password` is `user`'s, counting a wrong one towards the lock-out.

    False also when the pair is locked out; `request.axes_locked_out` is then set, and
    AxesMiddleware answers with the lock-out page whatever the view returns.
    """
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.axes_locked_out = True
        request.axes_credentials = credentials
        log_event("lockout", request, username=user.get_username())
        return False
    if user.check_password(password):
        return True
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return False
