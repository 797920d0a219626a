"""{% site_header %}: the site's header and navigation, as templates/includes/header.html has it.

Signed out, the header says the same on every page of the same name: its links are fixed URLs
and its "current page" mark follows the page's URL name. So for someone signed out it is
rendered once per process for each page name (with the script prefix and URL configuration its
links were made under, as `{% fixed_url %}` keys them) and kept. The template engine spent
about a tenth of a millisecond on it on every page, a tenth of the result page's template
(docs/performance.md, sixteenth sitting), and most pages are seen signed out. The header's text
is not translated (USE_I18N is off); were it, the language would belong in the key.

Signed in, it has the log-out form's CSRF token (new on every page) and links that depend on
the account: rendered every time, as an `{% include %}` would. With DEBUG on it is always
rendered, so an edit to the template shows at once.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import SafeString

# The script prefix and URL configuration of this render, as {% fixed_url %} reads them.
from scalpsafe.templatetags.fixed_urls import _place

register = template.Library()

HEADER = "includes/header.html"
# (URL name, namespace, script prefix, URL configuration) -> the signed-out header: one entry
# per named page and prefix. A prefix comes from the request (SCRIPT_NAME), so the entries
# are capped: past the cap, a header is rendered, not kept.
_signed_out: dict[tuple, SafeString] = {}
_MOST_KEPT = 512
# A render that draws a CSRF token is one browser's: never kept (an edit to the template's
# signed-out part that added a form would otherwise hand one token to everyone).
_CSRF_FIELD = "csrfmiddlewaretoken"


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    key = _signed_out_key(context)
    if key is None:
        return _render(context)
    kept = _signed_out.get(key)
    if kept is None:
        kept = _render(context)
        if len(_signed_out) < _MOST_KEPT and _CSRF_FIELD not in kept:
            _signed_out[key] = kept
    return kept


def _signed_out_key(context: template.Context) -> tuple | None:
    """What the signed-out header depends on, or None when it must be rendered now: someone is
    (or may be) signed in, the request was not resolved to a page, or DEBUG is on."""
    user = context.get("user")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    signed_out = getattr(user, "is_authenticated", None) is False
    if settings.DEBUG or not signed_out or match is None:
        return None
    return (match.url_name, match.namespace, *_place(context))


def _render(context: template.Context) -> SafeString:
    # As {% include %} renders a template: in the page's own context.
    header = context.template.engine.get_template(HEADER)
    with context.push():
        return header.render(context)


def forget_kept_headers() -> None:
    _signed_out.clear()


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs) -> None:
    # A test that swaps the URL configuration or the templates gets a new header.
    if setting in ("ROOT_URLCONF", "TEMPLATES", "DEBUG", "INSTALLED_APPS"):
        forget_kept_headers()
