"""The reasons a queue item lists: the factors behind the result's disposition, a few words each.

Worked out once, when the result is sent (clinics.services.share_send), and kept on the share
(`Share.queue_reasons`): a result's factor snapshot never changes after scoring, so the words cannot
go stale, and the queue's list reads a short text column instead of decoding every listed
result's whole snapshot (about 11 KB of JSON each; docs/performance.md).
"""

from collections.abc import Iterable
from functools import lru_cache

from django.utils.text import Truncator

from assessments.rulebook import Severity

REASON_WORDS = 6
REASONS_SHOWN = 2


def reasons_in_words(factors: Iterable[dict], consult_professional: bool) -> str:
    """The factors behind the disposition, a few words each (Result.consult_reasons' choice)."""
    factors = list(factors)
    specific = [f for f in factors if Severity(f["severity"]).is_stop or f.get("consult")]
    reasons = specific or (factors if consult_professional else [])
    titles = [_short_title(f["title"]) for f in reasons[:REASONS_SHOWN]]
    if len(reasons) > REASONS_SHOWN:
        titles.append(f"+{len(reasons) - REASONS_SHOWN} more")
    return "; ".join(titles)


@lru_cache(maxsize=1024)
def _short_title(title: str) -> str:
    # A factor's title comes from the rulebook (a few dozen), so each is shortened once per
    # process (Truncator translates its ellipsis each time).
    return Truncator(title).words(REASON_WORDS)
