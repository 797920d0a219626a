"""The result page as a person sees it, at 360 x 640 (a phone) and 1280 x 800, and on paper.

Screenshots of every disposition (and of the other pages this layout changed) go to
var/screenshots/ (git-ignored), to be looked at: `make test` writes them on every run.
"""

import io
import unicodedata

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments import rulebook
from assessments.rulebook import Disposition
from assessments.scoring import score
from tests.support.answers import ANSWERS_FOR_EACH_DISPOSITION, MOST_RULES, SAFE_ANSWERS
from tests.support.assessments import save_assessment
from tests.support.screenshots import SCREENSHOTS, shoot

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "layout-password-1234"
DISPOSITIONS = ANSWERS_FOR_EACH_DISPOSITION


def signed_in(new_page, django_user_model, viewport: dict, **options) -> tuple[Page, object]:
    user = django_user_model.objects.create_user("layout", "layout@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    page = new_page(viewport=viewport, **options)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("layout")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page, user


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
@pytest.mark.parametrize("disposition", list(DISPOSITIONS), ids=str)
def test_each_disposition_leads_the_page_and_is_seen_without_scrolling(
    new_page, django_user_model, disposition, viewport
):
    answers = DISPOSITIONS[disposition]
    assert score(answers).disposition is disposition
    page, user = signed_in(new_page, django_user_model, viewport)
    page.goto(save_assessment(answers, owner=user).get_absolute_url())

    headline = page.get_by_role("heading", level=1)
    expect(headline).to_have_text(disposition.headline)
    next_step = page.locator(".disposition-next")
    expect(next_step).to_have_text(disposition.next_step)
    bottom = next_step.bounding_box()["y"] + next_step.bounding_box()["height"]
    assert bottom <= viewport["height"], "what to do next is below the fold"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, f"result-{disposition}-{viewport['width']}")


def test_a_factor_opens_without_a_script(new_page, django_user_model):
    page, user = signed_in(new_page, django_user_model, PHONE, java_script_enabled=False)
    page.goto(
        save_assessment({**SAFE_ANSWERS, "frequency": "daily"}, owner=user).get_absolute_url()
    )
    rule = rulebook.RULES_BY_ID["R-DAILY"]
    why = page.get_by_text(rule.why)
    expect(why).to_be_hidden()
    page.locator("summary", has_text=rule.title).click()
    expect(why).to_be_visible()


def test_the_largest_result_prints_on_two_a4_pages_at_most_in_9_pt_or_more(
    new_page, django_user_model
):
    page, user = signed_in(new_page, django_user_model, DESKTOP)
    result = score(MOST_RULES)
    page.goto(save_assessment(MOST_RULES, owner=user).get_absolute_url())
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()

    page.emulate_media(media="print")
    smallest = page.evaluate(
        """() => {
        let smallest = Infinity;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode;
          if (!node.textContent.trim()) continue;
          const element = node.parentElement;
          if (!element.getClientRects().length) continue;  // not printed
          smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
        }
        return smallest;
      }"""
    )
    assert smallest >= 12, f"text at {smallest} px is under 9 pt"

    printed_pdf = page.pdf(format="A4", print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "result-print-most-rules.pdf").write_bytes(printed_pdf)
    pdf = PdfReader(io.BytesIO(printed_pdf))
    assert len(pdf.pages) <= 2
    # NFKC: the PDF's text has ligatures ("fi" as one glyph).
    printed = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pdf.pages))
    printed = " ".join(printed.split())
    for words in [
        Disposition.URGENT.headline,
        "What to do first",
        "Why to see a professional",
        result.factors[-1].title,
        rulebook.QUESTIONS["needle_length"].text,
    ]:
        assert " ".join(words.split())[:40] in printed, words


def test_radio_and_checkbox_targets_and_focus_rings(new_page, django_user_model):
    page, _ = signed_in(new_page, django_user_model, PHONE)
    page.goto("/assessment/before-you-start/")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(rulebook.STEPS[0].title)

    for box in page.locator(".form-check-input").all():
        size = box.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24

    page.locator(".form-check-input").first.focus()
    page.keyboard.press("ArrowDown")  # keyboard focus, as a person moving through the answers
    ring = page.evaluate(
        """() => {
        const style = getComputedStyle(document.activeElement);
        return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor];
      }"""
    )
    assert ring[0] == "solid" and ring[1] >= 2
    assert contrast(ring[2], "rgb(255, 255, 255)") >= 3


def test_my_assessments_on_a_phone_breaks_no_word_and_keeps_chart_labels_legible(
    new_page, django_user_model
):
    page, user = signed_in(new_page, django_user_model, PHONE)
    for answers in [SAFE_ANSWERS, DISPOSITIONS[Disposition.STOP], MOST_RULES]:
        save_assessment(answers, owner=user)
    page.goto("/my/assessments/")
    expect(page.get_by_role("heading", name="How your risk changed")).to_be_visible()

    broken = page.evaluate(
        """() => {
        const broken = [];
        const main = document.querySelector("main");
        const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode;
          const closest = node.parentElement.closest("svg, .visually-hidden");
          if (closest) continue;
          for (const match of node.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (lines.size > 1) broken.push(match[0]);
          }
        }
        return broken;
      }"""
    )
    assert broken == []
    smallest_label = min(
        label.bounding_box()["height"] for label in page.locator(".trend-chart text").all()
    )
    assert smallest_label >= 10, "chart labels shrink below a legible size"
    shoot(page, "my-assessments-360")


def test_the_questionnaire_pages_this_layout_changed(new_page, django_user_model):
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        page.goto("/")
        start = page.get_by_role("link", name="Start the assessment").bounding_box()
        assert start["y"] + start["height"] <= viewport["height"], "the way in is below the fold"
        shoot(page, f"home-{viewport['width']}")
        page.goto("/assessment/before-you-start/")
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name="Start the assessment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(rulebook.STEPS[0].title)
        shoot(page, f"step-blank-{viewport['width']}")  # its fields from the page cache
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#error-summary")).to_be_focused()
        shoot(page, f"step-errors-{viewport['width']}")
        scalp = rulebook.STEPS_BY_KEY["scalp"]
        for question in scalp.questions:
            code = "yes" if question.key == "scalp_open_wounds" else question.codes[-1]
            group = page.get_by_role("group", name=question.text)
            group.get_by_label(question.label_for(code), exact=True).check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name=Disposition.STOP.headline)).to_be_visible()
        shoot(page, f"step-stop-notice-{viewport['width']}")


def contrast(foreground: str, background: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)
