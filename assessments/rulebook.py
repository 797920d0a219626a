"""The ScalpSafe clinical rulebook, version 2026.12, as data.

This module is the single source of truth for every question, answer code, label, rule, piece of
advice, evidence grade and source. Forms, scoring, the result page, the admin and exports read it;
none of them re-types a code or a label.

Codes (question keys, answer codes, rule ids) are a contract with stored answers and exports: they
never change meaning inside a rulebook version. Labels and advice may be polished.

Pure standard library on purpose: scoring must run (and be tested) without Django.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

VERSION = "2026.12"
# Every version a saved result may have been scored with, oldest first (results are never
# re-scored: an old one is shown as it was saved).
VERSIONS: tuple[str, ...] = ("2026.11", VERSION)

STATUS_NOTICE = (
    "Not a diagnosis. This rulebook has not been clinically validated; it summarises published "
    "evidence and needs review by a clinician before clinical use."
)
# Section 2: the same last words on every result, whatever it says above them.
SAFETY_NET = (
    "If, after any session, you get spreading redness, warmth, pus, a fever, a growing lump or "
    "new bald patches, get medical help the same day."
)

# --- Levels and severities ------------------------------------------------------------------
# String-valued enums: a member is its code (`Level.HIGH == "high"`), so stored results and
# exports keep the same strings; the label and the rest live on the member.


class _LabelledCode(StrEnum):
    """A code with its label: members are written `NAME = "code", "Label"`."""

    label: str

    def __new__(cls, code: str, label: str) -> _LabelledCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member


class Level(_LabelledCode):
    """The risk level of a result (rulebook section 2), lowest first."""

    LOW = "low", "Lower risk"
    MODERATE = "moderate", "Moderate risk"
    HIGH = "high", "High risk"


class Severity(_LabelledCode):
    """How serious one fired rule is (rulebook section 2), most serious first."""

    STOP = "stop", "Stop: see a professional first"
    HIGH = "high", "High concern"
    CAUTION = "caution", "Caution"
    INFO = "info", "Good to know"

    @property
    def is_stop(self) -> bool:
        """A stop rule: the level is high whatever the points, and a professional comes first."""
        return self is Severity.STOP


# Bands from rulebook section 2: low 0-3, moderate 4-7, high 8 or more.
MODERATE_MIN_POINTS = 4
HIGH_MIN_POINTS = 8

QUESTION_KINDS: tuple[str, ...] = ("one", "many", "int", "text")


# --- Questions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: str
    help_text: str = ""
    choices: tuple[Choice, ...] = ()
    exclusive: str | None = None
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    # For a number: what to enter, in words, for the questionnaire's error messages
    # ("Enter how many times you have used this device, from 0 to 1000").
    what_to_enter: str = ""

    def label_for(self, code: str) -> str:
        """The human label of `code`; an unknown code is returned as-is so old data still shows."""
        for choice in self.choices:
            if choice.code == code:
                return choice.label
        return code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)

    @property
    def model_choices(self) -> list[tuple[str, str]]:
        """(code, label) pairs, for a model field or a form field."""
        return [(choice.code, choice.label) for choice in self.choices]

    def describe(self, value: object) -> str:
        """An answer as people read it: the one way every page and export puts it in words.

        A code becomes its label, several codes their labels joined by "; ", a number or a note
        stays as given; no answer (None) is "".
        """
        if value is None:
            return ""
        if self.kind == "many":
            return "; ".join(self.label_for(code) for code in value)
        if self.kind == "one":
            return self.label_for(value)
        return str(value)


@dataclass(frozen=True)
class WhenAnswered:
    """A step's condition: shown once question `key` was answered `code`, and not before."""

    key: str
    code: str

    def __call__(self, answers_so_far: Mapping[str, object]) -> bool:
        return answers_so_far.get(self.key) == self.code


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    # None: always asked. Otherwise called with the answers of the earlier steps.
    shown_when: Callable[[Mapping[str, object]], bool] | None = None

    def is_shown(self, answers_so_far: Mapping[str, object]) -> bool:
        return self.shown_when is None or self.shown_when(answers_so_far)


YES = Choice("yes", "Yes")
NO = Choice("no", "No")
NOT_SURE = Choice("not_sure", "Not sure")
YES_NO = (YES, NO)
YES_NO_NOT_SURE = (YES, NO, NOT_SURE)


def _one(key: str, text: str, choices: tuple[Choice, ...], help_text: str = "") -> Question:
    return Question(key=key, kind="one", text=text, help_text=help_text, choices=choices)


def _many(
    key: str, text: str, choices: tuple[Choice, ...], exclusive: str, help_text: str = ""
) -> Question:
    return Question(
        key=key, kind="many", text=text, help_text=help_text, choices=choices, exclusive=exclusive
    )


STEPS: tuple[Step, ...] = (
    Step(
        key="scalp",
        title="Your scalp today",
        intro="First, a few questions about how your scalp is right now.",
        questions=(
            _one(
                "scalp_open_wounds",
                "Right now, do you have open cuts, sores, pus-filled bumps, crusting, cold sores "
                "or shingles, or a diagnosed scalp infection (bacterial, fungal such as ringworm, "
                "or viral)?",
                YES_NO,
                help_text="Answer for the area you would treat.",
            ),
            _one(
                "scalp_inflammatory",
                "Do you have psoriasis, seborrhoeic dermatitis (dandruff with redness), eczema or "
                "lichen planus on your scalp?",
                (
                    Choice("flare", "Yes, I have a flare right now"),
                    Choice("history", "I have had it, but it is clear at the moment"),
                    Choice("never", "No, never"),
                ),
            ),
            _one(
                "scarring_signs",
                "Do you have any of these: burning, pain or tenderness of the scalp; persistent "
                "redness or scaling around hairs; smooth shiny patches where hair openings have "
                "gone; hair loss spreading at the front hairline or eyebrows?",
                YES_NO,
            ),
            _one(
                "suspicious_lesion",
                "Do you have any new, changing, itching or bleeding spot or mole on your scalp?",
                YES_NO,
            ),
            _one(
                "scalp_irritated",
                "Is your scalp sunburned, freshly bleached, coloured, permed or relaxed, or "
                "otherwise irritated right now?",
                YES_NO,
            ),
        ),
    ),
    Step(
        key="hair",
        title="Your hair loss",
        intro="Some patterns of hair loss need a doctor before any home treatment.",
        questions=(
            _many(
                "hair_loss_signs",
                "Does your hair loss have any of these features?",
                (
                    Choice("sudden", "It started suddenly"),
                    Choice("patches", "Patches or bald spots"),
                    Choice("clumps", "Hair coming out in clumps"),
                    Choice("itching_burning", "With itching or burning"),
                    Choice("none", "None of these"),
                ),
                exclusive="none",
                help_text="Tick all that apply, or \u201cNone of these\u201d.",
            ),
            _one(
                "diagnosis",
                "Has a doctor told you what is causing your hair loss?",
                (
                    Choice(
                        "aga",
                        "Yes: pattern hair loss (androgenetic alopecia)",
                    ),
                    Choice(
                        "other_diagnosis",
                        "Yes: another cause, for example alopecia areata",
                    ),
                    Choice("not_diagnosed", "I have hair loss, but it has not been diagnosed"),
                    Choice("no_hair_loss", "I have no hair loss; I use it for another reason"),
                ),
            ),
            _one(
                "systemic_symptoms",
                "Along with hair loss, in the last 6 months have you had fever or a serious "
                "illness, unexplained weight loss, extreme tiredness, felt unusually cold or hot, "
                "a rash, or joint pains?",
                YES_NO,
            ),
            _one(
                "recent_trigger",
                "In the last 6 months, have you had childbirth, surgery, major stress, crash "
                "dieting or started a new medicine?",
                YES_NO,
            ),
        ),
    ),
    Step(
        key="health",
        title="Your health and medicines",
        intro="Some health conditions and medicines change how safely skin can be needled.",
        questions=(
            _one(
                "age_band",
                "How old are you?",
                (
                    Choice("under_18", "Under 18"),
                    Choice("18_21", "18 to 21"),
                    Choice("22_plus", "22 or older"),
                ),
            ),
            _one(
                "pregnant_or_breastfeeding",
                "Are you pregnant or breastfeeding?",
                (YES, NO, Choice("not_applicable", "Does not apply to me")),
            ),
            _one(
                "bleeding_risk",
                "Do you have a bleeding or clotting disorder, or take blood thinners (warfarin, "
                "apixaban, rivaroxaban, heparin, clopidogrel, daily aspirin)?",
                YES_NO,
            ),
            _one(
                "isotretinoin",
                "Do you take, or have you taken, isotretinoin (Roaccutane, Accutane) for acne?",
                (
                    Choice("current", "Yes, I take it now"),
                    Choice("within_6_months", "I stopped less than 6 months ago"),
                    Choice("over_6_months", "I stopped more than 6 months ago"),
                    Choice("never", "Never"),
                ),
            ),
            _one(
                "immunosuppressed",
                "Do you take immunosuppressants, biologics, high-dose steroids or chemotherapy, "
                "or have a condition that weakens your immunity?",
                YES_NO,
            ),
            _one(
                "diabetes",
                "Do you have diabetes?",
                (
                    Choice("no", "No"),
                    Choice("controlled", "Yes, and it is well controlled"),
                    Choice(
                        "uncontrolled_or_unsure",
                        "Yes, and it is not well controlled, or I am not sure",
                    ),
                ),
            ),
            _one(
                "keloid",
                "Have you had raised, thick or keloid scars?",
                YES_NO_NOT_SURE,
            ),
            _one(
                "metal_allergy",
                "Are you allergic to nickel or other metals (for example, reactions to cheap "
                "jewellery)?",
                YES_NO_NOT_SURE,
            ),
            _one(
                "heart_condition",
                "Do you have heart disease or low blood pressure, or do you often feel dizzy or "
                "faint?",
                YES_NO,
            ),
        ),
    ),
    Step(
        key="device",
        title="Your device",
        intro="Tell us about the device you use or plan to use.",
        questions=(
            _one(
                "device_type",
                "What kind of device is it?",
                (
                    Choice("roller", "Dermaroller"),
                    Choice("stamp", "Derma stamp"),
                    Choice("pen", "Motorised microneedling pen"),
                ),
            ),
            _one(
                "needle_length",
                "How long are the needles?",
                (
                    Choice("up_to_0_25", "0.25 mm or shorter"),
                    Choice("0_3_to_0_5", "0.3\u20130.5 mm"),
                    Choice("0_6_to_1_0", "0.6\u20131.0 mm"),
                    Choice("1_1_to_1_5", "1.1\u20131.5 mm"),
                    Choice("over_1_5", "Longer than 1.5 mm"),
                    Choice("unknown", "I don't know"),
                ),
                help_text="It is usually printed on the packaging or the handle.",
            ),
            _one(
                "device_condition",
                "What condition is the device in?",
                (
                    Choice("new_sterile", "New, from a sealed sterile pack"),
                    Choice(
                        "reused_disinfected",
                        "Used before, disinfected in 70% isopropyl alcohol after each use",
                    ),
                    Choice("reused_rinsed", "Used before, rinsed with water only"),
                    Choice("reused_not_cleaned", "Used before, not cleaned"),
                ),
            ),
            Question(
                key="device_uses",
                kind="int",
                text="How many times has this device already been used?",
                help_text="Enter 0 for a new device. An estimate is fine; if it is more than "
                "1000, enter 1000.",
                what_to_enter="how many times you have used this device",
                min_value=0,
                max_value=1000,
            ),
            _one(
                "device_shared",
                "Has anyone else ever used this device?",
                YES_NO_NOT_SURE,
            ),
        ),
    ),
    Step(
        key="technique",
        title="How you use it",
        intro="How often and how hard you needle matters as much as the device.",
        questions=(
            _one(
                "frequency",
                "How often do you use it, or plan to?",
                (
                    Choice("daily", "Every day"),
                    Choice("2_3_per_week", "2 to 3 times a week"),
                    Choice("weekly", "Once a week"),
                    Choice("every_2_weeks", "Every 2 weeks"),
                    Choice("monthly_or_less", "Once a month or less"),
                ),
            ),
            _one(
                "pressure",
                "How hard do you press?",
                (
                    Choice("light", "Lightly, stopping at mild redness"),
                    Choice("pinpoint_bleeding", "Until there is pinpoint bleeding"),
                    Choice("hard_bleeding", "Hard, until it is clearly bleeding"),
                    NOT_SURE,
                ),
            ),
            _many(
                "aftercare",
                "What do you put on your scalp after needling?",
                (
                    Choice("nothing", "Nothing"),
                    Choice("plain_moisturiser_or_saline", "Plain moisturiser or saline"),
                    Choice("minoxidil_immediately", "Minoxidil, straight after"),
                    Choice("minoxidil_after_24h", "Minoxidil, after waiting about 24 hours"),
                    Choice("serum", "A vitamin C, peptide or \u201cgrowth\u201d serum"),
                    Choice("prp_or_injectable", "PRP, exosomes or another injectable product"),
                ),
                exclusive="nothing",
                help_text="Tick all that apply, or \u201cNothing\u201d.",
            ),
            _one(
                "used_before",
                "Have you used a microneedling device on your scalp before?",
                YES_NO,
            ),
        ),
    ),
    Step(
        key="history",
        title="Your previous sessions",
        intro="How your skin reacted before is the best guide to how it will react again.",
        # Only for people who have needled before.
        shown_when=WhenAnswered("used_before", "yes"),
        questions=(
            _many(
                "past_reactions",
                "After previous sessions, did you have any of these?",
                (
                    Choice("none", "None of these"),
                    Choice("redness_over_7_days", "Redness or swelling lasting more than 7 days"),
                    Choice("infection_signs", "Pus, spreading redness, warmth or fever"),
                    Choice("delayed_lumps", "Lumps or bumps appearing days to weeks later"),
                    Choice("track_marks", "Lines or track marks"),
                    Choice("new_bald_patches", "New bald patches"),
                    Choice("shedding", "More shedding in the 3 months after starting"),
                ),
                exclusive="none",
                help_text="Tick all that apply, or \u201cNone of these\u201d.",
            ),
            _one(
                "reaction_now",
                "Right now, after a recent session, do you have spreading redness, warmth or "
                "swelling, pus, a fever, or a lump that is getting bigger?",
                YES_NO,
            ),
        ),
    ),
)

# Asked once, on the final review screen, whichever steps were shown; never scored.
NOTES = Question(
    key="notes",
    kind="text",
    text="Anything else the clinic should know?",
    help_text="Optional. Up to 1000 characters.",
    required=False,
    max_length=1000,
)

QUESTIONS: dict[str, Question] = {
    **{question.key: question for step in STEPS for question in step.questions},
    NOTES.key: NOTES,
}
STEPS_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}

# The questionnaire's last step, after the rulebook's: check the answers, add the note, submit.
REVIEW_STEP_KEY = "review"
ALWAYS_SHOWN_STEP_KEYS: tuple[str, ...] = tuple(
    step.key for step in STEPS if step.shown_when is None
)

# The answer lists show beside the level (My assessments, the clinic's admin).
NEEDLE_LENGTH: Question = QUESTIONS["needle_length"]


# What the answers of a skipped history step count as (section 1): nothing happened.
SKIPPED_ANSWERS: dict[str, object] = {"past_reactions": ["none"], "reaction_now": "no"}


def step_is_shown(step_key: str, answers_so_far: Mapping[str, object]) -> bool:
    """Whether the wizard asks this step, given the answers collected before it.

    A conditional step is not shown until its condition's answer is given. An unknown step key
    raises KeyError so a typo cannot hide a step.
    """
    return STEPS_BY_KEY[step_key].is_shown(answers_so_far)


def describe_answers(answers: Mapping[str, object]) -> list[dict[str, str]]:
    """One row per question the person was asked, in rulebook order: key, question text and
    the answer in words (`Question.describe`).

    A skipped step's answers (what scoring counts them as, section 1) were never given, so they
    are left out; an optional note left empty says so.
    """
    asked = {
        question.key for step in STEPS if step.is_shown(answers) for question in step.questions
    } | {NOTES.key}
    return [
        {
            "key": key,
            "question": question.text,
            "answer": question.describe(answers[key]) or "None given",
        }
        for key, question in QUESTIONS.items()
        if key in answers and key in asked
    ]


# --- Sources --------------------------------------------------------------------------------


_DOI = re.compile(r"\bdoi:(\S+)")


@dataclass(frozen=True)
class Source:
    id: str
    citation: str

    @property
    def doi(self) -> str:
        """The DOI the citation gives ("doi:10.…"), or "" when it gives none.

        Read from the citation text, so a source saved in an old result's snapshot has it too.
        """
        match = _DOI.search(self.citation)
        return match.group(1).rstrip(".,;") if match else ""

    @property
    def doi_url(self) -> str:
        """Where the DOI resolves (section 4: https://doi.org/<doi>), or ""."""
        return f"https://doi.org/{self.doi}" if self.doi else ""


_CITATIONS = {
    "S0": 'Article "Can Derma roller Cause Hair Loss?": no direct evidence of hair loss from '
    "proper use; aggressive use or excess pressure may irritate the scalp and damage follicles "
    "(temporary shedding); 0.25\u20130.5 mm for the scalp; sanitise; gentle pressure; consult a "
    "professional with scalp conditions or hair-loss concerns",
    "S1": "Dhurat R et al. A randomized evaluator blinded study of effect of microneedling in "
    "androgenetic alopecia. Int J Trichology 2013;5(1):6\u201311. doi:10.4103/0974-7753.114700",
    "S3": "Kumar MK, Inamadar AC, Palit A. Minoxidil plus microneedling vs minoxidil alone in AGA. "
    "J Cutan Aesthet Surg 2018;11(4):211\u2013216. doi:10.4103/JCAS.JCAS_130_17",
    "S5": "English RS Jr, Ruiz S, DoAmaral P. Microneedling and its use in hair loss disorders: a "
    "systematic review. Dermatol Ther 2022;12:41\u201360. doi:10.1007/s13555-021-00653-2",
    "S11": "Chu S, Foulad DP, Atanaskova Mesinkovska N. Safety profile for microneedling: a "
    "systematic review. Dermatol Surg 2021;47(9):1249\u20131254",
    "S13": "Friedmann DP et al. Granulomatous reactions from microneedling: a systematic review. "
    "Dermatol Surg 2024. doi:10.1097/DSS.0000000000004450",
    "S14": "Soltani-Arabshahi R et al. Facial allergic granulomatous reaction and systemic "
    "hypersensitivity associated with microneedle therapy. JAMA Dermatol 2014;150(1):68\u201372",
    "S15": "Martin ED, Huang WW. Granulomatous dermatitis after microneedling. JAAD Case Rep "
    "2021;10:96\u201398",
    "S16": "Harris AG, Naidoo C, Murrell DF. Skin needling as a treatment for acne scarring. Int J "
    "Womens Dermatol 2015;1:77\u201381",
    "S17": "Microneedling in the nickel-allergic patient (commentary)",
    "S18": "Esmat S et al. Koebnerisation after microneedling in stable vitiligo. J Dermatolog "
    "Treat 2022;33(5)",
    "S19": "Waldman A et al. ASDS consensus on procedures during and after isotretinoin. "
    "Dermatol Surg 2017",
    "S21": "Isotretinoin package insert, as quoted by Winkelmann R (Project LEAD)",
    "S23": "US FDA. Regulatory considerations for microneedling products, 2020",
    "S24": "US FDA. Microneedling devices (authorised uses, age 22+)",
    "S25": "US FDA consumer update. Microneedling devices: getting to the point on benefits, "
    "risks and safety",
    "S26": "CDC MMWR 2024;73(16):372\u2013376. HIV transmission associated with microneedling at a "
    "spa",
    "S27": "Doddaballapur S. Microneedling with dermaroller. J Cutan Aesthet Surg "
    "2009;2(2):110\u2013111",
    "S29": "Kalluri H, Kolli CS, Banga AK. Characterization of microchannels created by metal "
    "microneedles. AAPS J 2011;13(3):473\u2013481",
    "S30": "Basilio FMA et al. Minoxidil microinfusion and blood pressure, RCT. Arch Dermatol Res "
    "2025;317:750",
    "S31": "Topical minoxidil label (as restated by drug-information services)",
    "S32": "NHS. Hair loss: when to see a GP",
    "S33": "Cicatricial Alopecia Research Foundation FAQ; NORD, Cicatricial alopecia",
    "S34": "NHS Lothian RefHelp. Alopecia referral guidance, 2024",
    "S35": "BNSSG Remedy. Alopecia (scarring alopecia red flag)",
    "S36": "GPnotebook. Referral criteria, alopecia areata",
    "S37": "Perfect Hair Health. Microneedling the scalp (2024)",
    "S39": "Allure 2017. Dermatologists on at-home microneedling (Wexler, Marchbein)",
    "S41": "Koebner phenomenon in psoriasis (25\u201330%), secondary summary",
    "S43": "Vendor device-care pages (70% isopropyl alcohol, replacement after 12\u201315 uses)",
    "S47": "Juhasz MLW, Cohen JL. Microneedling for the treatment of scars. CCID "
    "2020;13:997\u20131003",
}
SOURCES: dict[str, Source] = {
    source_id: Source(id=source_id, citation=citation) for source_id, citation in _CITATIONS.items()
}

# Section 4 of the rulebook; shown beside every grade.
EVIDENCE_GRADES: dict[str, str] = {
    "A": "Systematic review, randomised trial, or regulator / public-health agency",
    "B": "Case series, consensus, referral guidance or animal study",
    "C": "A named clinician quoted, or a label restated",
    "D": "Vendor or consumer pages",
}
_GRADE_LETTER = re.compile(r"\b[A-D]\b")


def grade_meanings(grade: str) -> tuple[tuple[str, str], ...]:
    """Each grade letter in `grade` ("A/B", "A (shared), D (wear)") with its meaning, in order.

    Section 4 asks for the meaning wherever a grade is shown; a grade from an old snapshot is
    read the same way.
    """
    letters = dict.fromkeys(_GRADE_LETTER.findall(grade))
    return tuple((letter, EVIDENCE_GRADES[letter]) for letter in letters)


# --- Predicates and safer answers -----------------------------------------------------------
# Small frozen callables rather than lambdas so a rule can be inspected (the consistency tests
# check that every code a rule mentions exists) and shows a readable repr in the admin.

# Values are validated before any rule sees them (see scoring.validate).
Answers = Mapping[str, Any]


@dataclass(frozen=True)
class AnswerIs:
    """Fires when a single-choice answer is one of `codes`."""

    key: str
    codes: tuple[str, ...]

    def __call__(self, answers: Answers) -> bool:
        return answers[self.key] in self.codes

    @property
    def keys(self) -> frozenset[str]:
        return frozenset({self.key})


@dataclass(frozen=True)
class AnswerHas:
    """Fires when a multiple-choice answer contains any of `codes`."""

    key: str
    codes: tuple[str, ...]

    def __call__(self, answers: Answers) -> bool:
        chosen = answers[self.key]
        return any(code in chosen for code in self.codes)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset({self.key})


@dataclass(frozen=True)
class AtLeast:
    """Fires when a whole-number answer is at least `minimum`."""

    key: str
    minimum: int

    def __call__(self, answers: Answers) -> bool:
        value = answers[self.key]
        return value >= self.minimum

    @property
    def keys(self) -> frozenset[str]:
        return frozenset({self.key})


@dataclass(frozen=True)
class AllOf:
    """Fires when every part fires (combination rules)."""

    parts: tuple[AnswerIs | AnswerHas | AtLeast | AllOf, ...]

    def __call__(self, answers: Answers) -> bool:
        return all(part(answers) for part in self.parts)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset().union(*(part.keys for part in self.parts))


# What a rule's `fires` may be: each knows the answer keys it reads.
Condition = AnswerIs | AnswerHas | AtLeast | AllOf


def _is(key: str, *codes: str) -> AnswerIs:
    return AnswerIs(key, codes)


def _has(key: str, *codes: str) -> AnswerHas:
    return AnswerHas(key, codes)


@dataclass(frozen=True)
class SetAnswers:
    """Safer answer that replaces whole answers, e.g. a shorter needle."""

    changes: tuple[tuple[str, object], ...]

    def __call__(self, answers: Answers) -> dict:
        return {**answers, **dict(self.changes)}


@dataclass(frozen=True)
class ReplaceCode:
    """Safer answer that swaps one code of a multiple-choice answer for another."""

    key: str
    old: str
    new: str

    def __call__(self, answers: Answers) -> dict:
        chosen = answers[self.key]
        replaced = [self.new if code == self.old else code for code in chosen]
        # dict.fromkeys keeps order and drops the duplicate when `new` was already chosen.
        return {**answers, self.key: list(dict.fromkeys(replaced))}


@dataclass(frozen=True)
class DropCode:
    """Safer answer that removes one code; an emptied list becomes the exclusive code."""

    key: str
    code: str
    when_empty: str

    def __call__(self, answers: Answers) -> dict:
        chosen = answers[self.key]
        kept = [code for code in chosen if code != self.code]
        return {**answers, self.key: kept or [self.when_empty]}


def _set(**changes: object) -> SetAnswers:
    return SetAnswers(tuple(changes.items()))


@dataclass(frozen=True)
class SaferAnswer:
    change: str
    apply: Callable[[Answers], dict]


# --- Rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    points: int
    severity: Severity
    consult: bool
    fires: Condition
    title: str
    why: str
    advice: str
    grade: str
    source_ids: tuple[str, ...]
    safer: SaferAnswer | None = None

    def __post_init__(self) -> None:
        # The table below gives each severity as its code; an unknown one fails at import.
        object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(SOURCES[source_id] for source_id in self.source_ids)

    @property
    def is_stop(self) -> bool:
        return self.severity.is_stop

    @property
    def is_urgent(self) -> bool:
        """The one rule that makes a result urgent (section 2, the disposition)."""
        return self.id == URGENT_RULE_ID


# Shared "why it matters" texts, grades and sources: section 3 of the rulebook gives one row to
# each group of rules, so each row is written once here.
_WHY_SCALP_OPEN = (
    "Needling infected or broken skin can spread the infection deeper and further. Wait until "
    "the skin has healed, and get any infection treated first."
)
_WHY_KOEBNER = (
    "In psoriasis and similar conditions, injuring the skin can trigger new patches where the "
    "needles went in (the Koebner response)."
)
_SRC_KOEBNER = ("S18", "S34", "S39", "S41")
_WHY_REDFLAG = (
    "Sudden, patchy or clumped hair loss, itching or burning, or hair loss together with "
    "symptoms elsewhere in the body need a doctor to find the cause, such as thyroid problems, "
    "low iron, infection or an autoimmune condition."
)
_SRC_REDFLAG = ("S32", "S34")
_WHY_DIAGNOSIS = (
    "The evidence for microneedling is for diagnosed pattern hair loss, mostly as an add-on to "
    "minoxidil. Other causes of hair loss need their own treatment."
)
_SRC_DIAGNOSIS = ("S5", "S34")
_WHY_AGE = (
    "Authorised microneedling devices are for adults aged 22 and over, and hair loss in young "
    "people needs a proper assessment."
)
_WHY_HEALING = (
    "This raises the risk of bleeding, slow healing or infection after needling. It is a "
    "commonly listed reason not to microneedle, although the evidence behind it is weak."
)
_SRC_HEALING = ("S23", "S39")
_WHY_KELOID = (
    "A tendency to raised or keloid scars is listed as a reason not to microneedle, although "
    "needling is also used to treat such scars, so it needs a clinician's judgement."
)
_SRC_KELOID = ("S39", "S47")
_WHY_METAL = (
    "A metal allergy is a risk factor for skin reactions to needling, and steel needles contain "
    "nickel."
)
_SRC_METAL = ("S11", "S17")
_WHY_NEEDLE = (
    "For home use on the scalp, 0.25\u20130.5 mm needles are advised. Trials used longer needles "
    "in clinics, and longer needles reach blood vessels and nerves."
)
_SRC_NEEDLE = ("S0", "S5", "S25", "S39")
_WHY_HYGIENE = (
    "Infections, and diseases passed between people who shared a device, have been documented. "
    "Blunt, worn needles tear the skin instead of piercing it cleanly."
)
_GRADE_HYGIENE = "A (shared), D (wear)"
_SRC_HYGIENE = ("S23", "S25", "S26", "S27", "S43")
_WHY_FREQUENCY = (
    "The skin barrier needs time to recover between sessions, and the trials needled weekly or "
    "less often."
)
_SRC_FREQUENCY = ("S1", "S3", "S29")
_WHY_PRESSURE = (
    "Pressing too hard irritates the scalp and can damage hair follicles; tram-track scarring is "
    "a known harm."
)
_SRC_PRESSURE = ("S0", "S11", "S16")
_WHY_PRODUCTS = (
    "Products pushed into the skin through needle channels have caused granulomas: lumps that "
    "can be very hard to treat."
)
_SRC_PRODUCTS = ("S11", "S13", "S14", "S15")
_WHY_PAST = (
    "Normal redness settles within about 7 days. Longer reactions, signs of infection, lumps "
    "that appear later, or track marks need a clinician to look at them."
)
_SRC_PAST = ("S11", "S13", "S16", "S37")

_SHORTER_NEEDLE = SaferAnswer(
    change="Use a 0.3\u20130.5 mm needle", apply=_set(needle_length="0_3_to_0_5")
)
_WEEKLY = SaferAnswer(change="Needle once a week at most", apply=_set(frequency="weekly"))
_LIGHT_PRESSURE = SaferAnswer(
    change="Press lightly and stop at mild redness", apply=_set(pressure="light")
)
_DISINFECT = SaferAnswer(
    change="Disinfect the device in 70% isopropyl alcohol after every use and let it air-dry",
    apply=_set(device_condition="reused_disinfected"),
)

RULES: tuple[Rule, ...] = (
    Rule(
        id="R-SCALP-OPEN",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("scalp_open_wounds", "yes"),
        title="Broken or infected skin on your scalp",
        why=_WHY_SCALP_OPEN,
        advice="Do not microneedle now. Let the skin heal completely, and see a GP or pharmacist "
        "about any sore, infection or cold sore before you think about needling again.",
        grade="A/B",
        source_ids=("S11", "S34", "S39", "S31"),
    ),
    Rule(
        id="R-SCALP-FLARE",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("scalp_inflammatory", "flare"),
        title="A scalp condition is flaring right now",
        why=_WHY_KOEBNER,
        advice="Do not microneedle during a flare. Ask your GP or dermatologist whether "
        "needling is suitable for you once the flare has settled.",
        grade="A/B",
        source_ids=_SRC_KOEBNER,
    ),
    Rule(
        id="R-SCALP-HISTORY",
        points=2,
        severity="caution",
        consult=False,
        fires=_is("scalp_inflammatory", "history"),
        title="You have had psoriasis, dermatitis, eczema or lichen planus on your scalp",
        why=_WHY_KOEBNER,
        advice="Needle only while your scalp is clear, test a small area first, and stop if new "
        "patches appear. Your GP or dermatologist can advise you.",
        grade="A/B",
        source_ids=_SRC_KOEBNER,
    ),
    Rule(
        id="R-SCARRING",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("scarring_signs", "yes"),
        title="Possible signs of scarring hair loss",
        why="These can be signs of scarring alopecia, a kind of hair loss that is permanent and "
        "needs prompt specialist care.",
        advice="Do not microneedle. Book a GP appointment soon and mention these symptoms, so "
        "you can be referred to a dermatologist if needed.",
        grade="B",
        source_ids=("S33", "S34", "S35"),
    ),
    Rule(
        id="R-LESION",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("suspicious_lesion", "yes"),
        title="A new or changing spot on your scalp",
        why="New or changing spots need checking before any procedure is done over them.",
        advice="Do not needle over or near the spot. Ask your GP to look at it first.",
        grade="C",
        source_ids=("S39",),
    ),
    Rule(
        id="R-IRRITATED",
        points=2,
        severity="caution",
        consult=False,
        fires=_is("scalp_irritated", "yes"),
        title="Your scalp is irritated right now",
        why="Irritated or sunburned skin absorbs more and heals worse; wait until it has settled.",
        advice="Wait until your scalp is fully settled (no redness, soreness or peeling) before "
        "needling, and leave a gap after bleaching, colouring, perming or relaxing.",
        grade="C",
        source_ids=("S31", "S41"),
        safer=SaferAnswer(
            change="Wait until your scalp has healed", apply=_set(scalp_irritated="no")
        ),
    ),
    Rule(
        id="R-HAIR-REDFLAG",
        points=0,
        severity="stop",
        consult=True,
        fires=_has("hair_loss_signs", "sudden", "patches", "clumps", "itching_burning"),
        title="Your hair loss has features a doctor should check",
        why=_WHY_REDFLAG,
        advice="Do not microneedle yet. See your GP, who can look for the cause, for example "
        "with blood tests, and treat it.",
        grade="A/B",
        source_ids=_SRC_REDFLAG,
    ),
    Rule(
        id="R-SYSTEMIC",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("systemic_symptoms", "yes"),
        title="Hair loss together with symptoms elsewhere in your body",
        why=_WHY_REDFLAG,
        advice="Do not microneedle. See your GP about these symptoms; the hair loss may be a "
        "sign of something that needs treating.",
        grade="A/B",
        source_ids=_SRC_REDFLAG,
    ),
    Rule(
        id="R-UNDIAGNOSED",
        points=2,
        severity="caution",
        consult=False,
        fires=_is("diagnosis", "not_diagnosed"),
        title="Your hair loss has not been diagnosed",
        why=_WHY_DIAGNOSIS,
        advice="Consider asking a GP or pharmacist what kind of hair loss you have before "
        "relying on microneedling, so you can choose a treatment that works for it.",
        grade="A",
        source_ids=_SRC_DIAGNOSIS,
    ),
    Rule(
        id="R-OTHER-DIAGNOSIS",
        points=3,
        severity="high",
        consult=True,
        fires=_is("diagnosis", "other_diagnosis"),
        title="Your hair loss has a cause other than pattern hair loss",
        why=_WHY_DIAGNOSIS,
        advice="Ask the doctor treating your hair loss whether microneedling is suitable before "
        "you start.",
        grade="A",
        source_ids=_SRC_DIAGNOSIS,
    ),
    Rule(
        id="R-RECENT-TRIGGER",
        points=1,
        severity="info",
        consult=False,
        fires=_is("recent_trigger", "yes"),
        title="A recent event may explain extra shedding",
        why="Shedding after an illness, childbirth or a new medicine often recovers by itself; "
        "check the cause first.",
        advice="Give it time: this kind of shedding often settles within a few months. If it "
        "does not, or you are worried, see your GP.",
        grade="A",
        source_ids=("S32",),
    ),
    Rule(
        id="R-MINOR",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("age_band", "under_18"),
        title="Under 18",
        why=_WHY_AGE,
        # Not "your hair loss": some people under 18 have none (they use a roller for another
        # reason), and the advice must not contradict their answers.
        advice="Do not microneedle. Talk to a parent or carer and your GP about your hair or "
        "scalp.",
        grade="A (indirect)",
        source_ids=("S24",),
    ),
    Rule(
        id="R-YOUNG-ADULT",
        points=1,
        severity="info",
        consult=False,
        fires=_is("age_band", "18_21"),
        title="Aged 18 to 21",
        why=_WHY_AGE,
        advice="If you have hair loss, consider seeing your GP before you start, so its cause is "
        "known.",
        grade="A (indirect)",
        source_ids=("S24",),
    ),
    Rule(
        id="R-PREGNANT",
        points=4,
        severity="high",
        consult=True,
        fires=_is("pregnant_or_breastfeeding", "yes"),
        title="Pregnant or breastfeeding",
        why="There are no safety data for microneedling in pregnancy, and minoxidil must not be "
        "used in pregnancy.",
        advice="Wait until after pregnancy and breastfeeding, and ask your midwife, GP or "
        "pharmacist before using any hair-loss treatment.",
        grade="C",
        source_ids=("S31",),
    ),
    Rule(
        id="R-BLEEDING",
        points=4,
        severity="high",
        consult=True,
        fires=_is("bleeding_risk", "yes"),
        title="Bleeding disorder or blood thinners",
        why=_WHY_HEALING,
        advice="Ask the doctor who looks after your bleeding disorder or prescribes your blood "
        "thinner before needling. Never stop a blood thinner on your own.",
        grade="D",
        source_ids=_SRC_HEALING,
    ),
    Rule(
        id="R-ISOTRETINOIN",
        points=4,
        severity="high",
        consult=True,
        fires=_is("isotretinoin", "current", "within_6_months"),
        title="Isotretinoin now or in the last 6 months",
        why="The label says no skin procedures during treatment and for 6 months after. Newer "
        "expert consensus disputes this for superficial procedures, so ask your doctor.",
        advice="Ask the doctor who prescribes your isotretinoin before needling; until then, "
        "wait until 6 months after your last dose.",
        grade="B/C",
        source_ids=("S19", "S21"),
    ),
    Rule(
        id="R-IMMUNO",
        points=4,
        severity="high",
        consult=True,
        fires=_is("immunosuppressed", "yes"),
        title="Weakened immunity",
        why=_WHY_HEALING,
        advice="Ask the doctor who looks after your condition or treatment before needling, "
        "and seek help quickly for any sign of infection.",
        grade="D",
        source_ids=_SRC_HEALING,
    ),
    Rule(
        id="R-DIABETES-CONTROLLED",
        points=1,
        severity="info",
        consult=False,
        fires=_is("diabetes", "controlled"),
        title="Diabetes, well controlled",
        why=_WHY_HEALING,
        advice="Keep the device and your scalp very clean, and watch closely for slow healing "
        "or signs of infection.",
        grade="D",
        source_ids=_SRC_HEALING,
    ),
    Rule(
        id="R-DIABETES-UNCONTROLLED",
        points=4,
        severity="high",
        consult=True,
        fires=_is("diabetes", "uncontrolled_or_unsure"),
        title="Diabetes that is not well controlled, or you are not sure",
        why=_WHY_HEALING,
        advice="Talk to your GP or diabetes team before needling; healing and infection risk "
        "improve once your blood sugar is under control.",
        grade="D",
        source_ids=_SRC_HEALING,
    ),
    Rule(
        id="R-KELOID",
        points=4,
        severity="high",
        consult=True,
        fires=_is("keloid", "yes"),
        title="You have had raised or keloid scars",
        why=_WHY_KELOID,
        advice="Ask a dermatologist before needling your scalp.",
        grade="C (conflicting)",
        source_ids=_SRC_KELOID,
    ),
    Rule(
        id="R-KELOID-UNSURE",
        points=1,
        severity="info",
        consult=False,
        fires=_is("keloid", "not_sure"),
        title="Not sure whether you form raised scars",
        why=_WHY_KELOID,
        advice="Look at old cuts, piercings or surgery scars: if any became raised or thick, "
        "ask a dermatologist before needling.",
        grade="C (conflicting)",
        source_ids=_SRC_KELOID,
    ),
    Rule(
        id="R-METAL",
        points=3,
        severity="caution",
        consult=False,
        fires=_is("metal_allergy", "yes"),
        title="Metal allergy",
        why=_WHY_METAL,
        advice="Choose a device whose needles are made for people with nickel allergy (for "
        "example titanium or gold-plated), and stop if your scalp becomes itchy or red.",
        grade="A/B",
        source_ids=_SRC_METAL,
    ),
    Rule(
        id="R-METAL-UNSURE",
        points=1,
        severity="info",
        consult=False,
        fires=_is("metal_allergy", "not_sure"),
        title="Not sure about a metal allergy",
        why=_WHY_METAL,
        advice="If jewellery, watch straps or belt buckles have made your skin itchy or red, "
        "treat it as a metal allergy and choose a nickel-free device.",
        grade="A/B",
        source_ids=_SRC_METAL,
    ),
    Rule(
        id="R-HEART-MINOXIDIL",
        points=3,
        severity="high",
        consult=True,
        fires=AllOf(
            (
                _is("heart_condition", "yes"),
                _has("aftercare", "minoxidil_immediately", "minoxidil_after_24h"),
            )
        ),
        title="Heart condition or low blood pressure, and minoxidil",
        why="Needled skin absorbs more minoxidil, and minoxidil lowers blood pressure.",
        advice="Ask your GP or pharmacist before combining microneedling with minoxidil, and "
        "stop and get help if you feel dizzy, faint or your heart races.",
        grade="A/B",
        source_ids=("S30", "S31"),
    ),
    Rule(
        id="R-PEN",
        points=2,
        severity="caution",
        consult=False,
        fires=_is("device_type", "pen"),
        title="Motorised microneedling pen",
        why="Motorised pens were involved in most reports of granulomas (hard-to-treat lumps) "
        "after microneedling.",
        advice="For home use, a simple dermaroller is the safer choice.",
        grade="A",
        source_ids=("S13",),
        safer=SaferAnswer(change="Use a dermaroller instead", apply=_set(device_type="roller")),
    ),
    Rule(
        id="R-NEEDLE-MEDIUM",
        points=3,
        severity="caution",
        consult=False,
        fires=_is("needle_length", "0_6_to_1_0"),
        title="Needle longer than advised for home use",
        why=_WHY_NEEDLE,
        advice="Switch to a 0.3\u20130.5 mm device for home use; leave longer needles to a clinic.",
        grade="A/C",
        source_ids=_SRC_NEEDLE,
        safer=_SHORTER_NEEDLE,
    ),
    Rule(
        id="R-NEEDLE-LONG",
        points=5,
        severity="high",
        consult=True,
        fires=_is("needle_length", "1_1_to_1_5"),
        title="Long needle meant for clinic use",
        why=_WHY_NEEDLE,
        advice="Do not use this at home. Switch to a 0.3\u20130.5 mm device, or have longer-"
        "needle treatment done by a trained professional.",
        grade="A/C",
        source_ids=_SRC_NEEDLE,
        safer=_SHORTER_NEEDLE,
    ),
    Rule(
        id="R-NEEDLE-CLINICAL",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("needle_length", "over_1_5"),
        title="Needle longer than 1.5 mm",
        why=_WHY_NEEDLE,
        advice="Stop using this device on your scalp. Needles this long belong in a clinic; "
        "for home use, switch to a 0.3\u20130.5 mm device.",
        grade="A/C",
        source_ids=_SRC_NEEDLE,
        safer=_SHORTER_NEEDLE,
    ),
    Rule(
        id="R-NEEDLE-UNKNOWN",
        points=2,
        severity="caution",
        consult=False,
        fires=_is("needle_length", "unknown"),
        title="Needle length not known",
        why=_WHY_NEEDLE,
        advice="Check the packaging or the handle for the needle length. If you cannot find "
        "it, do not use the device; buy one that is clearly labelled 0.3\u20130.5 mm.",
        grade="A/C",
        source_ids=_SRC_NEEDLE,
        safer=SaferAnswer(
            change="Check the packaging, and use a 0.3\u20130.5 mm needle",
            apply=_set(needle_length="0_3_to_0_5"),
        ),
    ),
    Rule(
        id="R-RINSED-ONLY",
        points=4,
        severity="caution",
        consult=False,
        fires=_is("device_condition", "reused_rinsed"),
        title="Device only rinsed with water",
        why=_WHY_HYGIENE,
        advice="Water does not disinfect. After every use, soak the device in 70% isopropyl "
        "alcohol and let it air-dry before storing it in its case.",
        grade=_GRADE_HYGIENE,
        source_ids=_SRC_HYGIENE,
        safer=_DISINFECT,
    ),
    Rule(
        id="R-NOT-CLEANED",
        points=5,
        severity="high",
        consult=False,
        fires=_is("device_condition", "reused_not_cleaned"),
        title="Device not cleaned between uses",
        why=_WHY_HYGIENE,
        advice="Do not use it again as it is. After every use, soak the device in 70% isopropyl "
        "alcohol and let it air-dry; if it has been stored dirty, replace it.",
        grade=_GRADE_HYGIENE,
        source_ids=_SRC_HYGIENE,
        safer=_DISINFECT,
    ),
    Rule(
        id="R-WORN",
        points=2,
        severity="caution",
        consult=False,
        fires=AtLeast("device_uses", 15),
        title="Device used 15 times or more",
        why=_WHY_HYGIENE,
        advice="Needles go blunt with use. Replace the device with a new, sterile one.",
        grade="D",
        source_ids=_SRC_HYGIENE,
        safer=SaferAnswer(
            change="Replace it with a new, sterile device",
            apply=_set(device_uses=0, device_condition="new_sterile"),
        ),
    ),
    Rule(
        id="R-SHARED",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("device_shared", "yes", "not_sure"),
        title="Device shared, or it may have been",
        why=_WHY_HYGIENE,
        advice="Stop using this device: cleaning cannot make a shared device safe. Get a new "
        "device that only you use. If it was shared, consider asking your GP about a blood-"
        "borne virus test.",
        grade="A",
        source_ids=_SRC_HYGIENE,
        safer=SaferAnswer(
            change="Use a new device of your own",
            apply=_set(device_shared="no", device_condition="new_sterile", device_uses=0),
        ),
    ),
    Rule(
        id="R-DAILY",
        points=4,
        severity="caution",
        consult=False,
        fires=_is("frequency", "daily"),
        title="Needling every day",
        why=_WHY_FREQUENCY,
        advice="Needle no more than once a week, so your scalp can recover between sessions.",
        grade="A/B",
        source_ids=_SRC_FREQUENCY,
        safer=_WEEKLY,
    ),
    Rule(
        id="R-FREQUENT-SHORT",
        points=1,
        severity="info",
        consult=False,
        # Only 0.3-0.5 mm: up_to_0_25 at 2-3 times a week fires no frequency rule (section 2).
        fires=AllOf((_is("frequency", "2_3_per_week"), _is("needle_length", "0_3_to_0_5"))),
        title="Needling 2 to 3 times a week",
        why=_WHY_FREQUENCY,
        advice="Once a week is enough; the trials that showed benefit needled weekly or less "
        "often.",
        grade="A/B",
        source_ids=_SRC_FREQUENCY,
        safer=_WEEKLY,
    ),
    Rule(
        id="R-FREQUENT-LONG",
        points=3,
        severity="caution",
        consult=False,
        fires=AllOf(
            (
                _is("frequency", "2_3_per_week"),
                _is("needle_length", "0_6_to_1_0", "1_1_to_1_5", "over_1_5", "unknown"),
            )
        ),
        title="Longer or unknown needle, 2 to 3 times a week",
        why=_WHY_FREQUENCY,
        advice="Needle no more than once a week: deeper needling needs even longer to heal.",
        grade="A/B",
        source_ids=_SRC_FREQUENCY,
        safer=_WEEKLY,
    ),
    Rule(
        id="R-PINPOINT",
        points=2,
        severity="caution",
        consult=False,
        fires=_is("pressure", "pinpoint_bleeding"),
        title="Needling until pinpoint bleeding",
        why=_WHY_PRESSURE,
        advice="Press lightly and stop when the skin turns mildly pink; bleeding is not needed "
        "at home.",
        grade="A/B",
        source_ids=_SRC_PRESSURE,
        safer=_LIGHT_PRESSURE,
    ),
    Rule(
        id="R-HARD",
        points=4,
        severity="high",
        consult=False,
        fires=_is("pressure", "hard_bleeding"),
        title="Pressing hard until it bleeds",
        why=_WHY_PRESSURE,
        advice="Ease off: let the device do the work with light pressure, and stop at mild "
        "redness.",
        grade="A/B",
        source_ids=_SRC_PRESSURE,
        safer=_LIGHT_PRESSURE,
    ),
    Rule(
        id="R-PRESSURE-UNSURE",
        points=1,
        severity="info",
        consult=False,
        fires=_is("pressure", "not_sure"),
        title="Not sure how hard to press",
        why=_WHY_PRESSURE,
        advice="Use only the weight of the device with a light touch, and stop as soon as the "
        "skin turns mildly pink.",
        grade="A/B",
        source_ids=_SRC_PRESSURE,
        safer=_LIGHT_PRESSURE,
    ),
    Rule(
        id="R-MINOXIDIL-IMMEDIATE",
        points=2,
        severity="caution",
        consult=False,
        fires=_has("aftercare", "minoxidil_immediately"),
        title="Minoxidil straight after needling",
        why="More minoxidil is absorbed through freshly needled skin; waiting about 24 hours is "
        "common advice.",
        advice="Wait about 24 hours after needling before your next minoxidil application.",
        grade="B/C (conflicting)",
        source_ids=("S1", "S30", "S31"),
        safer=SaferAnswer(
            change="Wait about 24 hours before applying minoxidil",
            apply=ReplaceCode("aftercare", "minoxidil_immediately", "minoxidil_after_24h"),
        ),
    ),
    Rule(
        id="R-SERUM",
        points=4,
        severity="high",
        consult=True,
        fires=_has("aftercare", "serum"),
        title="Serum on freshly needled skin",
        why=_WHY_PRODUCTS,
        advice="Do not put serums on needled skin. Plain moisturiser or saline is enough "
        "afterwards.",
        grade="A/B",
        source_ids=_SRC_PRODUCTS,
        safer=SaferAnswer(
            change="Stop using serums on needled skin",
            apply=DropCode("aftercare", "serum", "nothing"),
        ),
    ),
    Rule(
        id="R-INJECTABLE",
        points=4,
        severity="high",
        consult=True,
        fires=_has("aftercare", "prp_or_injectable"),
        title="PRP, exosomes or injectable products on needled skin",
        why=_WHY_PRODUCTS,
        advice="Do not apply these at home. If you want PRP or similar treatment, have it done "
        "by a doctor in a clinic.",
        grade="A/B",
        source_ids=_SRC_PRODUCTS,
        safer=SaferAnswer(
            change="Stop using PRP, exosomes or injectable products at home",
            apply=DropCode("aftercare", "prp_or_injectable", "nothing"),
        ),
    ),
    Rule(
        id="R-PAST-SERIOUS",
        points=0,
        severity="stop",
        consult=True,
        fires=_has(
            "past_reactions",
            "redness_over_7_days",
            "infection_signs",
            "delayed_lumps",
            "track_marks",
            "new_bald_patches",
        ),
        title="A serious reaction after a previous session",
        why=_WHY_PAST,
        advice="Do not needle again until a clinician has seen your scalp. If you have signs of "
        "infection now (pus, spreading redness, warmth or fever), get help today.",
        grade="A/B",
        source_ids=_SRC_PAST,
    ),
    Rule(
        id="R-PAST-SHEDDING",
        points=2,
        severity="caution",
        consult=False,
        fires=_has("past_reactions", "shedding"),
        title="More shedding after starting",
        why=_WHY_PAST,
        advice="Some shedding early on can happen; if it carries on past 3 months or is heavy, "
        "pause and ask your GP or pharmacist.",
        grade="A/B",
        source_ids=_SRC_PAST,
    ),
    Rule(
        id="R-REACTION-NOW",
        points=0,
        severity="stop",
        consult=True,
        fires=_is("reaction_now", "yes"),
        title="A reaction after a recent session, happening now",
        why="Spreading redness, warmth, pus or a fever after needling can be an infection, and a "
        "growing lump can be a granuloma. Both need a clinician now, not at the next session.",
        # Not the urgent disposition's next step again: the page leads with that already.
        advice="Show this result to the clinician who sees you today, and tell them when your last "
        "session was and what you put on your scalp after it.",
        grade="A/B",
        source_ids=("S11", "S13", "S25"),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


# --- Disposition and the order of the factors (section 2) -----------------------------------

# The one rule that makes a result urgent; it is also listed before every other factor.
URGENT_RULE_ID = "R-REACTION-NOW"


class Disposition(enum.StrEnum):
    """What to do, and how soon: every result has exactly one, the first that applies."""

    URGENT = "urgent"
    STOP = "stop"
    CONSULT = "consult"
    CHANGE = "change"
    GO_AHEAD = "go_ahead"

    @property
    def label(self) -> str:
        """A short name, for lists and for "what would lower my risk" lines."""
        return _DISPOSITION_TEXT[self][0]

    @property
    def headline(self) -> str:
        return _DISPOSITION_TEXT[self][1]

    @property
    def next_step(self) -> str:
        """The rulebook's "what to do next"."""
        return _DISPOSITION_TEXT[self][2]

    @property
    def is_stop(self) -> bool:
        """Not to needle at all until a professional has seen it."""
        return self in (Disposition.URGENT, Disposition.STOP)

    @property
    def is_urgent(self) -> bool:
        """Get help today, not at the next appointment."""
        return self is Disposition.URGENT

    @classmethod
    def decide(
        cls, *, urgent: bool, hard_stop: bool, consult_professional: bool, level: str
    ) -> Disposition:
        """The first disposition that applies. `urgent`: R-REACTION-NOW fired.

        A result saved under 2026.11 (which has no urgent rule) gets its disposition from its
        stored hard stop, flag and level with `urgent=False`.
        """
        if urgent:
            return cls.URGENT
        if hard_stop:
            return cls.STOP
        if consult_professional:
            return cls.CONSULT
        if level == Level.MODERATE:
            return cls.CHANGE
        return cls.GO_AHEAD


_URGENT_HEADLINE = "Get medical help today"  # its short label too: nothing shorter says it
_DISPOSITION_TEXT: dict[Disposition, tuple[str, str, str]] = {
    Disposition.URGENT: (
        _URGENT_HEADLINE,
        _URGENT_HEADLINE,
        "Contact your GP surgery today, or an urgent care service (in the UK: NHS 111). Don't "
        "needle again until a clinician has seen it.",
    ),
    Disposition.STOP: (
        "See a professional first",
        "Don't use a dermaroller on your scalp until you've seen a professional",
        "Book an appointment with your GP, a dermatologist or a trichologist and show them this "
        "result.",
    ),
    Disposition.CONSULT: (
        "Talk to a professional first",
        "Talk to a professional before you use it",
        "Ask your GP, a dermatologist or a pharmacist about the reasons below before your next "
        "session.",
    ),
    Disposition.CHANGE: (
        "Make changes first",
        "Make these changes before you use it",
        "Change what is listed under \u201cWhat would lower my risk\u201d, then follow the "
        "safe-use checklist.",
    ),
    Disposition.GO_AHEAD: (
        "Go ahead with care",
        "Lower risk: go ahead with care",
        "Follow the safe-use checklist every session.",
    ),
}


def factor_order(rule_id: str, severity: str, points: int) -> tuple[int, int, int]:
    """Sort key of the factors' display order, before the rule table's own order.

    R-REACTION-NOW first, then stop, high, caution, info, then most points first. Sort stably
    from rule-table order to get the whole order (an unknown severity goes last).
    """
    severities = list(Severity)
    severity_rank = severities.index(severity) if severity in severities else len(severities)
    return (0 if rule_id == URGENT_RULE_ID else 1, severity_rank, -points)


# --- Input errors between two answers (section 2) -------------------------------------------


@dataclass(frozen=True)
class Contradiction:
    """Two answers that cannot both be true. The error names `key` and its value."""

    key: str
    keys: tuple[str, ...]  # every answer it reads (all on one step, where it is corrected)
    when: Callable[[Answers], bool]
    problem: str  # for the scoring error
    message: str  # for the person, on the questionnaire step


CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        key="device_uses",
        keys=("device_condition", "device_uses"),
        when=AllOf((_is("device_condition", "new_sterile"), AtLeast("device_uses", 1))),
        problem="must be 0 when device_condition is 'new_sterile' (a sealed pack is unused)",
        message="A new device from a sealed sterile pack has not been used yet: enter 0, or "
        "choose the answer above that says how it was cleaned after use.",
    ),
)


def stops_fired_by(step_key: str, answers_so_far: Answers) -> tuple[Rule, ...]:
    """The stop rules that the answers of `step_key` fire, from the steps answered so far.

    For the questionnaire's notice on the next page: a rule is judged only once every answer it
    reads has been given, so a later step never fires it early.
    """
    asked = {question.key for question in STEPS_BY_KEY[step_key].questions}
    return tuple(
        rule
        for rule in RULES
        if rule.is_stop
        and rule.fires.keys & asked
        and rule.fires.keys <= answers_so_far.keys()
        and rule.fires(answers_so_far)
    )


# --- Safe-use checklist ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    met: Callable[[Answers], bool | None]


@dataclass(frozen=True)
class NeverMet:
    """For checklist items that are information only: no answer can tick them."""

    def __call__(self, answers: Answers) -> None:
        return None


@dataclass(frozen=True)
class NoneOf:
    """Met when none of `parts` fires."""

    parts: tuple[Callable[[Answers], bool], ...]

    def __call__(self, answers: Answers) -> bool:
        return not any(part(answers) for part in self.parts)


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        id="needle",
        text="Use a needle of 0.25\u20130.5 mm for home scalp use.",
        met=_is("needle_length", "up_to_0_25", "0_3_to_0_5"),
    ),
    ChecklistItem(
        id="own_clean_device",
        text="Use a device of your own, disinfected with 70% isopropyl alcohol and air-dried.",
        met=AllOf(
            (
                _is("device_shared", "no"),
                _is("device_condition", "new_sterile", "reused_disinfected"),
            )
        ),
    ),
    ChecklistItem(
        id="light_pressure",
        text="Use light pressure, and stop at mild redness.",
        met=_is("pressure", "light"),
    ),
    ChecklistItem(
        id="no_serums",
        text="Put no serums or injectable products on needled skin.",
        met=NoneOf((_has("aftercare", "serum", "prp_or_injectable"),)),
    ),
    ChecklistItem(
        id="minoxidil_wait",
        text="Wait about 24 hours after needling before applying minoxidil.",
        met=NoneOf((_has("aftercare", "minoxidil_immediately"),)),
    ),
    ChecklistItem(
        id="warning_signs",
        text="Expected redness settles within about 7 days. Redness that lasts longer, pus, "
        "spreading redness, fever or new bald patches need a clinician.",
        met=NeverMet(),
    ),
)


# --- Section 6: sessions, a check before each one and check-ins after ------------------------
# The questions and tables of section 6; the mapping that uses them is assessments/checks.py.
# No scoring rule is added: a check builds a full answer set and scores it with sections 2-3.

# The keys of the full answer set a check or check-in sets (section 6).
KEY_SCALP_OPEN_WOUNDS = "scalp_open_wounds"
KEY_SCALP_INFLAMMATORY = "scalp_inflammatory"
KEY_SCALP_IRRITATED = "scalp_irritated"
KEY_SUSPICIOUS_LESION = "suspicious_lesion"
KEY_REACTION_NOW = "reaction_now"
KEY_USED_BEFORE = "used_before"
KEY_DEVICE_CONDITION = "device_condition"
KEY_DEVICE_USES = "device_uses"
KEY_FREQUENCY = "frequency"
KEY_PAST_REACTIONS = "past_reactions"
KEY_NEEDLE_LENGTH = "needle_length"

SCALP_TODAY = _many(
    "scalp_today",
    "How is your scalp today?",
    (
        Choice("none", "None of these: my scalp is as it was"),
        Choice(
            "open_wounds",
            "Cuts, sores, pus-filled bumps, crusting, cold sores or shingles, or a scalp infection",
        ),
        Choice("flare", "A psoriasis, dermatitis, eczema or lichen planus flare"),
        Choice(
            "irritated", "Sunburned, freshly bleached, coloured, permed or relaxed, or irritated"
        ),
        Choice("new_spot", "A new, changing, itching or bleeding spot"),
    ),
    exclusive="none",
    help_text="Tick all that apply, or \u201cNone of these\u201d.",
)
DEVICE_TODAY = _one(
    "device_today",
    "Which device will you use today?",
    (
        Choice(
            "same_disinfected",
            "The same device, disinfected in 70% isopropyl alcohol after its last use",
        ),
        Choice("same_rinsed", "The same device, rinsed with water only"),
        Choice("same_not_cleaned", "The same device, not cleaned"),
        Choice("new_device", "A new device from a sealed sterile pack"),
    ),
    help_text="A new device of another type or needle length needs the full questionnaire.",
)
# The check before a session: one page, these three questions (reaction_now as in history).
CHECK_QUESTIONS: tuple[Question, ...] = (SCALP_TODAY, QUESTIONS[KEY_REACTION_NOW], DEVICE_TODAY)

# scalp_today code -> (answer key, value when ticked, value when not ticked; None = the base's).
SCALP_TODAY_SETS: dict[str, tuple[str, str, str | None]] = {
    "open_wounds": (KEY_SCALP_OPEN_WOUNDS, "yes", None),
    "flare": (KEY_SCALP_INFLAMMATORY, "flare", None),
    "irritated": (KEY_SCALP_IRRITATED, "yes", "no"),
    "new_spot": (KEY_SUSPICIOUS_LESION, "yes", None),
}
NEW_DEVICE = "new_device"
# device_today -> device_condition.
DEVICE_TODAY_CONDITION: dict[str, str] = {
    "same_disinfected": "reused_disinfected",
    "same_rinsed": "reused_rinsed",
    "same_not_cleaned": "reused_not_cleaned",
    NEW_DEVICE: "new_sterile",
}
DEVICE_USES_CAP = 1000
# (fewest days since the last logged session, frequency), shortest gap first.
FREQUENCY_BY_GAP: tuple[tuple[int, str], ...] = (
    (0, "daily"),
    (2, "2_3_per_week"),
    (7, "weekly"),
    (14, "every_2_weeks"),
    (30, "monthly_or_less"),
)
# More than this many days between the base and today: the full questionnaire first.
BASE_MAX_AGE_DAYS = 90
# The earliest next session: the last one plus the shortest gap that adds no frequency points.
SUPERFICIAL_NEEDLE = "up_to_0_25"
NEXT_SESSION_GAP_DAYS_SUPERFICIAL = 2
NEXT_SESSION_GAP_DAYS = 7
# The frequency rules: in a check, their change reads "wait until" the earliest next date.
FREQUENCY_RULE_IDS: frozenset[str] = frozenset({"R-DAILY", "R-FREQUENT-SHORT", "R-FREQUENT-LONG"})
# Besides the fired consult rules, a high level is a consult reason of its own.
HIGH_LEVEL_REASON = Level.HIGH.value

AFTER_SIGNS = _many(
    "after_signs",
    "Since the session, have you noticed any of these?",
    (
        Choice("none", "None of these"),
        Choice("infection_signs", "Pus, spreading redness, warmth or a fever"),
        Choice("growing_lump", "A lump or bump that is getting bigger"),
        Choice("redness_lasting", "Redness or swelling that is still there"),
        Choice("track_marks", "Lines or track marks"),
        Choice("new_bald_patches", "New bald patches"),
        Choice("shedding", "More hair shedding than usual"),
    ),
    exclusive="none",
    help_text="Tick all that apply, or \u201cNone of these\u201d.",
)
CHECKIN_QUESTIONS: tuple[Question, ...] = (AFTER_SIGNS,)
# Check-ins are offered this many days after each logged session.
CHECKIN_DAYS: tuple[int, ...] = (1, 3, 7)
# after_signs codes that make reaction_now "yes".
AFTER_SIGNS_REACTION_NOW: frozenset[str] = frozenset({"infection_signs", "growing_lump"})
# after_signs code -> the past_reactions code it records.
AFTER_SIGNS_RECORDS: dict[str, str] = {
    "infection_signs": "infection_signs",
    "growing_lump": "delayed_lumps",
    "redness_lasting": "redness_over_7_days",
    "track_marks": "track_marks",
    "new_bald_patches": "new_bald_patches",
    "shedding": "shedding",
}
# Redness records only on a check-in this many days or more after the session (earlier, it is
# expected and records nothing).
REDNESS_LASTING = "redness_lasting"
REDNESS_RECORDS_FROM_DAY = 7
