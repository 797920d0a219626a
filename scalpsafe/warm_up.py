"""What every gunicorn worker would otherwise redo after each fork, done once in the master.

gunicorn loads the site in its master and forks the workers from it (gunicorn.conf.py
`preload_app`), and recycles each worker after about 2,000 requests. A new worker then compiled
every template it rendered, and hashed the source that keys the page cache, while serving: about
85 ms of its CPU on its first result page (docs/performance.md, fourteenth sitting). Compiled
here before the fork, each worker starts with them, in memory it shares with the master. The
templates are Django's cached loader's (on whenever DEBUG is off), so this changes no output.
"""

from django.conf import settings
from django.template import engines

from assessments import page_cache


def warm_up() -> None:
    if settings.DEBUG:
        return  # templates are read afresh on each use while developing: nothing to keep
    engine = engines["django"]
    folder = settings.BASE_DIR / "templates"
    for path in sorted(folder.rglob("*.html")):
        engine.get_template(path.relative_to(folder).as_posix())
    page_cache.code_version()
