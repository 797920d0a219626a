"""The result page prints cleanly: the result itself, without navigation or buttons."""

import pytest
from playwright.sync_api import Page, expect

from assessments import rulebook
from tests.support.browser_questionnaire import take_questionnaire
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.browser

HARD_STOP = {**SAFE_ANSWERS, "scalp_open_wounds": "yes"}


def test_the_result_prints_without_navigation_or_buttons(page: Page, tmp_path):
    take_questionnaire(page, HARD_STOP)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("link", name="Take the assessment again")).to_be_hidden()
    expect(page.get_by_role("link", name="Delete this assessment")).to_be_hidden()
    for visible in [
        page.get_by_role("heading", level=1),
        page.get_by_role("heading", name="Why to see a professional"),
        page.locator("summary", has_text=rulebook.RULES_BY_ID["R-SCALP-OPEN"].title),
        page.get_by_role("heading", name="After any session"),
        page.get_by_role("heading", name="Your answers"),
        page.get_by_text(f"Rulebook version {rulebook.VERSION}"),
    ]:
        expect(visible).to_be_visible()
    # Advice for the person, not the summary for a doctor: on the screen only.
    expect(page.get_by_role("heading", name="Safe-use checklist")).to_be_hidden()
    expect(page.get_by_role("heading", name="What would lower my risk")).to_be_hidden()
    pdf = tmp_path / "result.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF")
