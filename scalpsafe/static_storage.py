"""Static files in production: WhiteNoise's compressed, hashed files, each URL worked out once.

`{% static %}` (and base.html's `{% static_url %}`, the first time it meets a name:
scalpsafe/templatetags/fixed_urls.py) asks the storage for a file's URL. Django's manifest
storage keeps the manifest in memory but still splits, joins and quotes the name on each call.
The manifest only changes when collectstatic runs, and a running process does not pick that up
anyway (it reads the manifest once), so each name's URL is kept for the life of the process;
collectstatic in this process starts afresh.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            # A name missing from the manifest raises here, and is not kept.
            url = self._urls[name] = super().url(name)
            return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
