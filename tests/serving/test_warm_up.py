"""scalpsafe/warm_up.py: the templates compiled, and the page cache's code version worked out, in
gunicorn's master before it forks the workers (tests/serving/test_gunicorn.py checks the master
still opens no connection)."""

from django.conf import settings
from django.template import engines

from assessments import page_cache
from scalpsafe.warm_up import warm_up


def cached_loader():
    (loader,) = engines["django"].engine.template_loaders
    assert hasattr(loader, "get_template_cache"), "Django's cached loader"
    return loader


def project_templates() -> list[str]:
    folder = settings.BASE_DIR / "templates"
    return [path.relative_to(folder).as_posix() for path in folder.rglob("*.html")]


def test_every_template_of_the_project_is_compiled_beforehand():
    loader = cached_loader()
    loader.reset()
    page_cache.code_version.cache_clear()
    warm_up()
    names = project_templates()
    assert "assessments/result.html" in names and "base.html" in names
    assert set(names) <= set(loader.get_template_cache)
    assert page_cache.code_version.cache_info().currsize == 1
    compiled = loader.get_template_cache["assessments/result.html"]
    assert loader.get_template("assessments/result.html") is compiled  # not compiled again


def test_the_wsgi_module_gunicorn_preloads_warms_up():
    source = (settings.BASE_DIR / "scalpsafe" / "wsgi.py").read_text()
    assert "\nwarm_up()\n" in source


def test_nothing_is_compiled_beforehand_while_developing(settings):
    settings.DEBUG = True
    loader = cached_loader()
    loader.reset()
    warm_up()
    assert loader.get_template_cache == {}
