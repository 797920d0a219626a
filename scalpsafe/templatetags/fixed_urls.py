"""{% fixed_url 'name' %}: a URL that is the same on every request, reversed once per process.

The header reverses six URL names on every page, the questionnaire's step and the result page
a few more; each `{% url %}` walks the URL resolver again. A name without arguments (or with
one from a fixed set, such as a step's key) always gives the same path while the process runs:
the URL configuration is loaded once. The script prefix (a deployment under a sub-path) and
the URL configuration are part of the key, so nothing else can change the answer. Anything
reversed with a per-object argument (an assessment's id) keeps Django's `{% url %}`.
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@functools.lru_cache(maxsize=256)
def _reversed(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)


@register.simple_tag
def fixed_url(name: str, *args: str) -> str:
    return _reversed(name, args, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget_on_new_urls(*, setting: str, **kwargs) -> None:
    # A test that swaps ROOT_URLCONF (the key holds only a per-request override) gets new URLs.
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
