"""The privacy notice shown before the questionnaire, and its version, kept together.

The version is stored with each consent (`Assessment.consent_notice_version`), so it says which
words a person agreed to: change the version whenever the meaning of the text changes. A
questionnaire started from a clinic's link has its own variant, naming the clinic and what its
staff will see; its version says so ("2026-12b-clinic"), and the share records which clinic.
"""

from dataclasses import dataclass

# 2026-12b: with an account, the checks before and after sessions and the sessions logged are
# stored too, and a result sent to a clinic goes with them (rulebook section 6).
VERSION = "2026-12b"
CLINIC_VERSION = f"{VERSION}-clinic"


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


def version(*, clinic_name: str | None = None) -> str:
    """The version of the notice shown: the clinic variant's when a clinic is named."""
    return CLINIC_VERSION if clinic_name else VERSION


def sections(*, retention_days: int, clinic_name: str | None = None) -> tuple[Section, ...]:
    """The notice, heading by heading; `retention_days` is the promise the purge job keeps.

    With `clinic_name` (the questionnaire was started from that clinic's link), the notice says
    that the result goes to that clinic and what its staff will see.
    """
    if clinic_name:
        return _sections_for_a_clinic(retention_days=retention_days, clinic_name=clinic_name)
    return (
        Section(
            "What we store",
            "Your answers, the result they give, the date and time, and that you agreed to this "
            "notice. If you are signed in, they are linked to your account; if not, to this "
            "browser session only. We do not ask for your name to take the assessment. With "
            "an account, also the checks you take before and after sessions with your roller, "
            "the sessions you log, and whether you want reminder emails.",
        ),
        Section(
            "When",
            "Nothing is stored until you tick \u201cI agree\u201d below. While you answer, your "
            "answers are kept in your session so you can go back and continue later; the "
            "assessment is saved when you submit the last page.",
        ),
        Section(
            "For how long",
            f"Saved assessments are kept for at most {retention_days} days, then deleted, with "
            "the checks and sessions logged against them.",
        ),
        Section(
            "Who can see it",
            "You. A clinic\u2019s staff only if you choose to send your result to that clinic "
            "(with the checks before and after sessions you log against it), and only until "
            "you stop sharing it. Anyone you give a private link to it (you can "
            "make one, and revoke it, from the result page). The people who run ScalpSafe can "
            "open any result to keep the service working; each time they do is recorded. "
            "Nobody else: other people get \u201cnot found\u201d for your result\u2019s address.",
        ),
        Section(
            "Your choices",
            "You can print or save your result page, and delete it from there. With an account, "
            "\u201cMy assessments\u201d lets you download all your assessments (JSON or CSV) and "
            "delete any of them, or your whole account. An assessment taken without an account "
            "can be opened only from this browser session, until the session ends, or through a "
            "private link you make from its page. When you create an account or log in in this "
            "browser, we ask whether to add it to your account, and add it only if you say yes. "
            "If you send it to a clinic, the contact details you give are kept with it until "
            "you stop sharing it or it is deleted.",
        ),
    )


def _sections_for_a_clinic(*, retention_days: int, clinic_name: str) -> tuple[Section, ...]:
    return (
        Section(
            "What we store",
            "Your answers, the result they give, the date and time, that you agreed to this "
            "notice, and, on the last page, how "
            f"{clinic_name} can contact you (or that you would rather not be contacted). If "
            "you are signed in, they are linked to your account; if not, to this browser "
            "session and a private link we give you. With an account, also the checks you take "
            "before and after sessions with your roller and the sessions you log.",
        ),
        Section(
            f"Sent to {clinic_name}",
            f"When you submit the last page, your result is sent to {clinic_name}. Its staff "
            "will see your answers, your result, the contact details you give, and the checks "
            "before and after sessions you log against this result, so that they can decide "
            "whether and how soon to contact you.",
        ),
        Section(
            "When",
            "Nothing is stored until you tick \u201cI agree\u201d below. While you answer, your "
            "answers are kept in your session so you can go back and continue later; the "
            f"assessment is saved, and sent to {clinic_name}, when you submit the last page.",
        ),
        Section(
            "For how long",
            f"Saved assessments are kept for at most {retention_days} days, then deleted, with "
            "the checks and sessions logged against them and the contact details you gave. "
            "Stopping sharing removes the contact details at once.",
        ),
        Section(
            "Who can see it",
            f"You, and {clinic_name}\u2019s staff until you stop sharing it; anyone who has your "
            "private link, until you revoke it. The people who run "
            "ScalpSafe can open any result to keep the service working; each time they do is "
            "recorded. Nobody else: other people get \u201cnot found\u201d for your result\u2019s "
            "address.",
        ),
        Section(
            "Your choices",
            "From your result page you can stop sharing it (the clinic\u2019s staff lose access "
            "at once), print or save it, and delete it. Without an account you get a private "
            "link to your result to bookmark; we also email it to you if you give an email "
            "address. When you create an account or log in in this browser, we ask whether to "
            "add it to your account, and add it only if you say yes. With an account, "
            "\u201cMy assessments\u201d lets you download or delete your assessments, or your "
            "whole account.",
        ),
    )
