"""Every page of the app, checked in Chromium: zero CSP violations, zero axe-core WCAG 2 A/AA
violations, zero Nu HTML Checker errors.

The pages are those of tests/support/browser_tour.py's tour. axe-core and the checker (vnu-jar)
come from npm (`npm ci` at the repository root, which `make test` runs); the checker needs Java.
Each test skips, saying what is missing, when its tool is not there.
"""

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page

from tests.support.browser_tour import DocumentLog, make_cast, tour_every_page
from tests.support.skips import needs

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

# Nothing is left out: the admin's breadcrumb links, told apart from the text around them by
# colour alone, are underlined by static/css/admin.css (templates/admin/base_site.html).
ADMIN_PAGE_PREFIX = "admin "
ADMIN_AXE_EXCLUDE: list[str] = []


def _require(path: Path) -> None:
    if not path.exists():
        missing = f"{path.relative_to(settings.BASE_DIR)} is missing"
        if shutil.which("npm") is None:
            pytest.skip(needs("npm", f"{missing} and npm is not installed"))
        pytest.skip(needs("npm-packages", f"{missing}: run `npm ci --ignore-scripts`"))


def test_no_page_violates_the_content_security_policy(new_page: Callable[..., Page]):
    cast = make_cast()
    documents = DocumentLog()
    violations: list[str] = []

    def open_page() -> Page:
        page = new_page()
        documents.watch(page)
        page.context.add_init_script(COLLECT_CSP_VIOLATIONS)

        def on_console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                violations.append(f"{page.url}: console: {message.text[:200]}")

        page.on("console", on_console)
        return page

    def check(name: str, page: Page) -> None:
        # No violations on a page without the policy would prove nothing.
        if "content-security-policy" not in documents.response(page).headers:
            violations.append(f"{name}: no Content-Security-Policy header")
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
        exclude = ADMIN_AXE_EXCLUDE if name.startswith(ADMIN_PAGE_PREFIX) else []
        results = page.evaluate(
            "([exclude, tags]) => axe.run({exclude: exclude.map(s => [s])},"
            " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            [exclude, WCAG_2_A_AA],
        )
        for violation in results["violations"]:
            targets = [node["target"] for node in violation["nodes"]]
            problems.append(f"{name}: {violation['id']}: {violation['help']} {targets}")

    # axe is injected as an inline script, which our CSP rightly blocks: bypass it here only.
    tour_every_page(lambda: new_page(bypass_csp=True), check, cast)

    assert problems == [], "axe-core violations:\n" + "\n".join(problems)


@pytest.mark.system
def test_every_page_is_valid_html(new_page: Callable[..., Page], tmp_path: Path):
    _require(VNU_JAR)
    java = shutil.which("java")
    if java is None:
        pytest.skip(needs("java", "java is missing: the Nu HTML Checker needs Java 17 or later"))
    cast = make_cast()
    documents = DocumentLog()
    names: dict[str, str] = {}  # file name -> page name
    saved: set[str] = set()

    def open_page() -> Page:
        page = new_page()
        documents.watch(page)
        return page

    def check(name: str, page: Page) -> None:
        html = documents.html(page)
        if html in saved:  # the same document in another state (a box ticked): checked once
            return
        saved.add(html)
        path = tmp_path / f"{len(names):02d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name

    tour_every_page(open_page, check, cast)

    # One JVM for every page: it takes seconds to start.
    files = [str(tmp_path / name) for name in sorted(names)]
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    # The report is JSON on stderr, exit status 1 when it has errors; with --errors-only every
    # message in it is an error (or a file it could not read).
    assert run.returncode in (0, 1) and run.stderr.startswith("{"), run.stderr[-2000:]
    errors = [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in json.loads(run.stderr)["messages"]
    ]
    assert errors == [], "HTML errors:\n" + "\n".join(errors)
