"""The site's own date and time formats (settings.FORMAT_MODULE_PATH), over Django's for the
language; anything not set here stays Django's."""
