"""{% site_header %}: the site's header and navigation, as templates/includes/header.html has it.

Signed out, the header says the same on every page of the same name: its links are fixed URLs
and its "current page" mark follows the page's URL name. So for someone signed out it is
rendered once per process for each page name (with the script prefix and URL configuration its
links were made under, as `{% fixed_url %}` keys them) and kept. The template engine spent
about a tenth of a millisecond on it on every page, a tenth of the result page's template
(docs/performance.md, sixteenth sitting), and most pages are seen signed out.

Signed in, it has the log-out form's CSRF token (new on every page) and links that depend on
the account: rendered every time, as an `{% include %}` would. With DEBUG on it is always
rendered, so an edit to the template shows at once.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import SafeString

from scalpsafe.templatetags.fixed_urls import _place

register = template.Library()

HEADER = "includes/header.html"
# (URL name, namespace, script prefix, URL configuration) -> the signed-out header. As many
# entries as the site has named pages: nothing else is in the key.
_signed_out: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    key = _signed_out_key(context)
    if key is None:
        return _render(context)
    kept = _signed_out.get(key)
    if kept is None:
        kept = _signed_out[key] = _render(context)
    return kept


def _signed_out_key(context: template.Context) -> tuple | None:
    """What the signed-out header depends on, or None when it must be rendered now: someone is
    signed in, or the page has no URL name (an error page), or DEBUG is on."""
    user = context.get("user")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if settings.DEBUG or user is None or user.is_authenticated or match is None:
        return None
    return (match.url_name, match.namespace, *_place(context))


def _render(context: template.Context) -> SafeString:
    # As {% include %} renders a template: in the page's own context.
    header = context.template.engine.get_template(HEADER)
    with context.push():
        return header.render(context)


# What the kept headers were made under.
_HEADER_SETTINGS = ("ROOT_URLCONF", "TEMPLATES", "STATIC_URL", "STORAGES", "DEBUG")


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs) -> None:
    # A test that swaps the URL configuration, the templates or the static files gets a new header.
    if setting in _HEADER_SETTINGS:
        _signed_out.clear()
