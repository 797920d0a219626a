"""What a queue item's row says of the result: its reasons (the factors behind the disposition,
a few words each) and whether the person left a note.

Worked out once, when the result is sent (clinics.services.share_send), and kept on the share
(`Share.queue_reasons`, `Share.has_note`): a result's answers and factor snapshot never change
after scoring, so neither can go stale, and the queue's list reads two small columns instead of
decoding every listed result's snapshot (about 11 KB of JSON each) and its answers
(docs/performance.md).
"""

from collections.abc import Iterable
from functools import lru_cache

from django.utils.text import Truncator

from assessments import rulebook
from assessments.scoring import Factor, consult_reasons

REASON_WORDS = 6
ELLIPSIS = "\u2026"  # what Truncator ends a cut title with
REASONS_SHOWN = 2


def reasons_in_words(factors: Iterable[dict], consult_professional: bool) -> str:
    """The factors behind the disposition (a result's consult reasons), a few words each, from
    the factors of a saved snapshot."""
    reasons = consult_reasons(tuple(map(Factor.from_dict, factors)), consult_professional)
    titles = [_short_title(f.title) for f in reasons[:REASONS_SHOWN]]
    if len(reasons) > REASONS_SHOWN:
        titles.append(f"+{len(reasons) - REASONS_SHOWN} more")
    return "; ".join(titles)


def has_note(answers: dict) -> bool:
    """Whether the person wrote anything in the questionnaire's note (the list's "Their note")."""
    return bool(answers.get(rulebook.NOTES.key))


@lru_cache(maxsize=1024)
def _short_title(title: str) -> str:
    # A factor's title comes from the rulebook (a few dozen), so each is shortened once per
    # process (Truncator translates its ellipsis each time).
    short = Truncator(title).words(REASON_WORDS)
    if short != title:
        # Cut after a comma or a colon, "Redness, swelling,…" reads as a list left open.
        short = short.removesuffix(ELLIPSIS).rstrip(",;:") + ELLIPSIS
    return short
