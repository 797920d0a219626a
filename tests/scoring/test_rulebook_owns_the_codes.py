"""The rulebook is the one home of codes: the questionnaire's steps and conditions come from it,
and no other module or template types a code."""

import re
from pathlib import Path

import pytest

from assessments import rulebook
from assessments.wizard import QuestionnaireWizard

ROOT = Path(__file__).resolve().parents[2]
# Codes that once were typed outside the rulebook, quoted as a program would use them, and those
# rulebook 2026.12 added (not "consult" and "change": also a snapshot key and an admin permission).
TYPED_CODE = re.compile(
    r"""["'](stop|high|moderate|low|needle_length|technique|used_before|history|review"""
    r"""|urgent|go_ahead|reaction_now)["']"""
)
SCANNED = sorted(
    [
        *(p for p in (ROOT / "assessments").rglob("*.py") if "migrations" not in p.parts),
        *(ROOT / "scalpsafe").rglob("*.py"),
        *(p for p in (ROOT / "roller_sessions").rglob("*.py") if "migrations" not in p.parts),
        *(ROOT / "templates").rglob("*.html"),
    ]
)


def test_the_wizard_asks_the_rulebook_steps_then_the_review_step():
    # Then, for a clinic's link only, how to contact the person: not a rulebook question.
    keys = [key for key, _ in QuestionnaireWizard.form_list]
    assert keys == [*(step.key for step in rulebook.STEPS), rulebook.REVIEW_STEP_KEY, "contact"]
    assert "contact" not in rulebook.STEPS_BY_KEY


def test_the_wizard_reads_each_step_condition_from_the_rulebook():
    conditional = {step.key for step in rulebook.STEPS if step.shown_when is not None}
    assert conditional, "the history step has a condition"
    # The contact step's condition is the clinic's link, not an answer.
    assert set(QuestionnaireWizard.condition_dict) == {*conditional, "contact"}


def test_a_step_condition_sees_the_earlier_answers():
    history = rulebook.STEPS_BY_KEY["history"]
    assert history.is_shown({"used_before": "yes"})
    assert not history.is_shown({"used_before": "no"})
    assert not history.is_shown({}), "not shown before the question is answered"


def test_it_scans_the_app_and_its_templates():
    assert ROOT / "assessments" / "wizard.py" in SCANNED
    assert ROOT / "templates" / "base.html" in SCANNED
    assert ROOT / "roller_sessions" / "views.py" in SCANNED


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_or_template_but_the_rulebook_types_a_code(path):
    if path.name in {"rulebook.py", "settings.py"}:
        return
    typed = [m.group(0) for m in TYPED_CODE.finditer(path.read_text())]
    assert typed == [], f"{path.relative_to(ROOT)} types {typed}: use the rulebook's enums"
