"""What every gunicorn worker would otherwise redo after each fork, done once in the master.

gunicorn loads the site in its master and forks the workers from it (gunicorn.conf.py
`preload_app`), and recycles each worker after about 2,000 requests. A new worker compiled each
of the project's templates it rendered, and hashed the source that keys the page cache, while
serving: measured in a process forked as gunicorn forks, its first result page cost 157-239 ms
of CPU before, 79-117 ms after, most of the rest its database pool's first connection
(docs/performance.md, fourteenth sitting). Compiled here before the fork, each worker starts
with them, in memory it shares with the master. They are Django's cached template loader's, so
no page changes. Other apps' templates (the admin's, allauth's, crispy's) are still compiled on
first use.

A project template that does not compile now stops the server from starting, instead of failing
one page: as wanted before a release serves anyone (the test suite renders them all first).
"""

from pathlib import Path

from django.conf import settings
from django.template import engines

from assessments import page_cache


def warm_up() -> None:
    if settings.DEBUG:
        return  # while developing, runserver restarts on every change: start it fast
    engine = engines["django"]
    for folder in map(Path, engine.engine.dirs):
        for path in sorted(folder.rglob("*.html")):
            engine.get_template(path.relative_to(folder).as_posix())
    page_cache.code_version()
