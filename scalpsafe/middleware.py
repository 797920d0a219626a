"""The security headers on every response, including the ones Django makes from an early error.

Django turns an exception raised inside a middleware into a response right there, at that
middleware: the response then only passes back through the middleware above it. A bad Host
header is refused (DisallowedHost, a 400) by the first middleware that asks for the host: the
SecurityMiddleware itself when it redirects to HTTPS, else CommonMiddleware. So that 400 missed
the Content-Security-Policy and X-Frame-Options set further down, and, when SecurityMiddleware
raised it, every header SecurityMiddleware sets.

`SecurityHeadersOnEveryResponse`, first in settings.MIDDLEWARE, runs the same header-setting
middleware again on the way out. Each of them only adds a header that is missing and honours a
view's exemption (`xframe_options_exempt`, `csp_exempt`), so a normal page is unchanged and an
early error page gets the same headers, with the same values, from the same settings.
"""

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware


class SecurityHeadersOnEveryResponse:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header_middleware = [
            SecurityMiddleware(get_response),
            XFrameOptionsMiddleware(get_response),
            CSPMiddleware(get_response),
        ]

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Django wraps every middleware so that an exception becomes a response: this always gets
        # one, whichever middleware below refused the request.
        response = self.get_response(request)
        for middleware in self.header_middleware:
            response = middleware.process_response(request, response)
        return response
