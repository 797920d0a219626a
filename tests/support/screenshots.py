"""Screenshots the browser tests leave in var/screenshots/ (git-ignored), for people to look at."""

from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shoot(page: Page, name: str) -> Path:
    """The whole page as it is now, as var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
