"""The privacy notice shown before the questionnaire, and its version, kept together.

The version is stored with each consent (`Assessment.consent_notice_version`), so it says which
words a person agreed to: change the version whenever the meaning of the text changes.
"""

from dataclasses import dataclass

VERSION = "2026-11"


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


def sections(*, retention_days: int) -> tuple[Section, ...]:
    """The notice, heading by heading; `retention_days` is the promise the purge job keeps."""
    return (
        Section(
            "What we store",
            "Your answers, the result they give, the date and time, and that you agreed to this "
            "notice. If you are signed in, they are linked to your account; if not, to this "
            "browser session only. We do not ask for your name to take the assessment.",
        ),
        Section(
            "When",
            "Nothing is stored until you tick \u201cI agree\u201d below. While you answer, your "
            "answers are kept in your session so you can go back and continue later; the "
            "assessment is saved when you submit the last page.",
        ),
        Section(
            "For how long",
            f"Saved assessments are kept for at most {retention_days} days, then deleted.",
        ),
        Section(
            "Who can see it",
            "You, and the clinic staff who review submissions to see who needs a "
            "professional\u2019s attention first. Nobody else: other people get \u201cnot "
            "found\u201d for your result\u2019s address.",
        ),
        Section(
            "Your choices",
            "You can print or save your result page, and delete it from there. With an account, "
            "\u201cMy assessments\u201d lets you download all your assessments (JSON or CSV) and "
            "delete any of them, or your whole account. An assessment taken without an account "
            "can be opened only from this browser session, until the session ends; creating an "
            "account or logging in keeps it.",
        ),
    )
