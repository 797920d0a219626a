"""Browser fixtures: one Debian Chromium per test session, a fresh context and page per test.

Never `playwright install`: it downloads a browser of its own. These tests drive the Chromium
that `apt-get install chromium` provides (or `CHROMIUM_PATH`), and skip when it is missing.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.support.skips import needs

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses
# database work (pytest-django's flush after each live-server test) from a thread with a running
# loop. Django reads this variable at call time, so setting it here, at import, is enough.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless, sandbox-free (containers), and quiet: no update checks or other background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Fail a stuck step in seconds rather than after Playwright's default 30.
ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(autouse=True)
def _cookies_over_plain_http(settings):
    # Production sends the session and CSRF cookies over HTTPS only; the live server is plain
    # HTTP, where the browser would drop them and every POST would fail the CSRF check.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.skip(needs("chromium", f"Debian's Chromium not found at {CHROMIUM_PATH}"))
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a new browser context (its own cookies) on the live server.

    Keyword arguments go to `Browser.new_context`, e.g. `viewport` or `java_script_enabled`.
    """
    contexts: list[BrowserContext] = []

    def open_page(**context_options) -> Page:
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
