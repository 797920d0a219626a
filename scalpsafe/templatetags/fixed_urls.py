"""{% fixed_url 'name' %}: a URL that is the same on every request, reversed once per process.
{% id_url 'name' object.id %}: a URL whose one argument is an id (a UUID), reversed once per
process with a stand-in id, the real one put in its place.

The header reverses six URL names on every page, the questionnaire's step and the result page
a few more; each `{% url %}` walks the URL resolver again. A name without arguments (or with
one from a fixed set, such as a step's key) always gives the same path while the process runs:
the URL configuration is loaded once. The script prefix (a deployment under a sub-path) and
the URL configuration are part of the key, so nothing else can change the answer. A UUID is
written into a path as its text (Django's `uuid` converter), so a result's URLs differ only
there: the result page and its sharing panel reverse five of them on every request.
{% static_url 'path' %}: as `{% static 'path' %}` for a quoted path, worked out once per process.
Django's tag looks up whether the staticfiles app is installed, imports its storage and escapes
the URL on every use, about 10 µs each: seven times a page in base.html, a tenth of the result
page's template (docs/performance.md, fourteenth sitting). The storage already keeps each name's
URL for the life of the process (scalpsafe/static_storage.py); this keeps the tag's escaped
output, so a use costs a dictionary lookup. The path must be a quoted literal (no variables, no
escaped quotes), as in base.html.

Each reads the script prefix and the URL configuration once per render (`_place`): both are
context-locals, about 3 µs a read, and a page has a dozen or more of these URLs. What is kept
is worked out under the prefix of its key (`_under`), never under whichever is live then.
"""

import contextlib
import functools
import uuid

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf, reverse, set_script_prefix
from django.utils.html import conditional_escape

register = template.Library()

# Stands in for the id in `id_url`'s once-reversed path; no real id is all zeros (uuid4).
_STAND_IN = uuid.UUID(int=0)
# Where a render keeps its script prefix and URL configuration (`_place`).
_PLACE = object()


def _place(context: template.Context | None = None) -> tuple[str, str | None]:
    """The script prefix and URL configuration this render's URLs are for. Read once per
    Context (Django makes one per render) and kept in its root render context, the one every
    included template shares (as Django's `{% include %}` keeps its own cache there): neither
    changes while a template renders."""
    if context is None:
        return get_script_prefix(), get_urlconf()
    root = context.render_context.dicts[0]
    place = root.get(_PLACE)
    if place is None:
        place = root[_PLACE] = (get_script_prefix(), get_urlconf())
    return place


@contextlib.contextmanager
def _under(prefix: str):
    """Work out a URL under `prefix`: what is kept then depends on its key alone, even for a
    Context kept past a change of prefix (reverse() and STATIC_URL read the live one)."""
    live = get_script_prefix()
    if live == prefix:
        yield
        return
    set_script_prefix(prefix)
    try:
        yield
    finally:
        set_script_prefix(live)


@functools.lru_cache(maxsize=256)
def _reversed(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    with _under(prefix):
        return reverse(name, args=args, urlconf=urlconf)


@register.simple_tag(takes_context=True)
def fixed_url(context: template.Context, name: str, *args: str) -> str:
    return _reversed(name, args, *_place(context))


def around_id(name: str, context: template.Context | None = None) -> tuple[str, str] | None:
    """The path of URL `name` (with the script prefix) as the two parts around its one UUID
    argument, reversed once with a stand-in id; None when the id is not written plainly into
    the path. Also tells a result page's path apart (assessments/middleware.py)."""
    return _around(name, *_place(context))


@functools.lru_cache(maxsize=256)
def _around(name: str, prefix: str, urlconf: str | None) -> tuple[str, str] | None:
    path = _reversed(name, (_STAND_IN,), prefix, urlconf)
    before, stand_in, after = path.partition(str(_STAND_IN))
    if not stand_in or str(_STAND_IN) in after:
        return None
    return before, after


@register.simple_tag(takes_context=True)
def id_url(context: template.Context, name: str, id: uuid.UUID) -> str:
    """As `{% url name id %}` for a UUID `id`."""
    plain = isinstance(id, uuid.UUID) and id != _STAND_IN
    around = around_id(name, context) if plain else None
    if around is None:  # not a plain UUID argument: as Django does
        return reverse(name, args=[id])
    return f"{around[0]}{id}{around[1]}"


@functools.lru_cache(maxsize=256)
def _static(path: str, prefix: str, autoescape: bool) -> str:
    with _under(prefix):
        url = StaticNode.handle_simple(path)
    return conditional_escape(url) if autoescape else url


class _StaticURLNode(template.Node):
    def __init__(self, path: str) -> None:
        self.path = path

    def render(self, context: template.Context) -> str:
        return _static(self.path, _place(context)[0], context.autoescape)


@register.tag
def static_url(parser: template.base.Parser, token: template.base.Token) -> _StaticURLNode:
    bits = token.split_contents()
    if len(bits) != 2 or len(bits[1]) < 3 or bits[1][0] not in "'\"" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("{% static_url %} takes one quoted path")
    return _StaticURLNode(bits[1][1:-1])


@receiver(setting_changed)
def _forget_on_new_urls(*, setting: str, **kwargs) -> None:
    # A test that swaps ROOT_URLCONF (the key holds only a per-request override) gets new URLs;
    # one that swaps what static URLs are made from, new static URLs.
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
        _around.cache_clear()
    if setting in ("STATIC_URL", "STATIC_ROOT", "STORAGES", "DEBUG", "INSTALLED_APPS"):
        _static.cache_clear()
