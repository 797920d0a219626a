"""Every page of the app, checked in Chromium: zero CSP violations, zero axe-core WCAG 2 A/AA
violations, zero Nu HTML Checker errors.

The pages are those of tests/browser/pages.py's tour. axe-core and the checker (vnu-jar) come
from npm (`npm ci` at the repository root); the checker needs Java. Each test skips, saying what
is missing, when its tool is not there.
"""

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page

from tests.browser.pages import DocumentLog, make_cast, tour_every_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_2_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Registered through the DevTools protocol before any page script runs, so CSP does not block it.
COLLECT_CSP_VIOLATIONS = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__csp.push("
    "e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber))"
)

# The Django admin's own markup, which we don't write: axe and the HTML checker look only at
# what we control there (see ADMIN_AXE_EXCLUDE and ADMIN_VNU_IGNORED); CSP holds on every page.
ADMIN_PAGE_PREFIX = "admin "
ADMIN_AXE_EXCLUDE: list[str] = []
ADMIN_VNU_IGNORED: list[str] = []


def _require(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.relative_to(settings.BASE_DIR)} is missing: run `npm ci`")


def test_no_page_violates_the_content_security_policy(new_page: Callable[..., Page]):
    cast = make_cast()
    violations: list[str] = []

    def open_page() -> Page:
        page = new_page()
        page.context.add_init_script(COLLECT_CSP_VIOLATIONS)

        def on_console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                violations.append(f"{page.url}: console: {message.text[:200]}")

        page.on("console", on_console)
        return page

    def check(name: str, page: Page) -> None:
        found = page.evaluate("window.__csp.splice(0)")
        violations.extend(f"{name}: {violation}" for violation in found)

    tour_every_page(open_page, check, cast)

    assert violations == [], "CSP violations:\n" + "\n".join(violations)


def test_every_page_has_no_axe_violations(new_page: Callable[..., Page]):
    _require(AXE_JS)
    cast = make_cast()
    problems: list[str] = []

    def check(name: str, page: Page) -> None:
        page.add_script_tag(path=AXE_JS)
        context = {"exclude": ADMIN_AXE_EXCLUDE} if name.startswith(ADMIN_PAGE_PREFIX) else {}
        results = page.evaluate(
            "([context, tags]) => axe.run("
            "context.exclude ? context : document, {runOnly: {type: 'tag', values: tags}})",
            [context, WCAG_2_A_AA],
        )
        for violation in results["violations"]:
            targets = [node["target"] for node in violation["nodes"]]
            problems.append(f"{name}: {violation['id']}: {violation['help']} {targets}")

    # axe is injected as an inline script, which our CSP rightly blocks: bypass it here only.
    tour_every_page(lambda: new_page(bypass_csp=True), check, cast)

    assert problems == [], "axe-core violations:\n" + "\n".join(problems)


def test_every_page_is_valid_html(new_page: Callable[..., Page], tmp_path: Path):
    _require(VNU_JAR)
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is missing: the Nu HTML Checker needs Java 17 or later")
    cast = make_cast()
    documents = DocumentLog()
    files: dict[str, str] = {}

    def open_page() -> Page:
        page = new_page()
        documents.watch(page)
        return page

    def check(name: str, page: Page) -> None:
        path = tmp_path / f"{len(files):02d}.html"
        path.write_text(documents.html(page), encoding="utf-8")
        files[path.name] = name

    tour_every_page(open_page, check, cast)

    # One JVM for every page: it takes seconds to start.
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *(str(tmp_path / file) for file in sorted(files))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "HTML errors:\n" + "\n".join(errors)
