"""Deploy checks of our own (`manage.py check --deploy`), beside Django's."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs) -> list[Warning]:
    """SITE_URL starts every link in an email (a clinic's notification, a private link): in
    production it must be the site's own HTTPS address, or the links lead nowhere (or, worse,
    to a plain-HTTP address where a private link's token could be read on the way)."""
    address = urlsplit(settings.SITE_URL)
    if address.scheme == "https" and address.hostname in settings.ALLOWED_HOSTS:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails must use the site's own HTTPS "
            "address, whose host is in ALLOWED_HOSTS.",
            hint="Set SITE_URL, e.g. SITE_URL=https://scalpsafe.example.org",
            id="scalpsafe.W001",
        )
    ]
