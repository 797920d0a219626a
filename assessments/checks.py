"""Rulebook section 6: the answer sets of a check before a session and of a check-in after one.

Pure, like scoring: no database, no request, no clock (`today` is given). A check adds no rule:
it builds a full answer set from the base assessment's answers and today's answers, and
`scoring.score` scores it. The tables (codes, gaps, days) are the rulebook's
(`assessments/rulebook.py`, "Section 6"); this module only applies them.

Readings of section 6 (the most conservative inside what it says):
1. `device_uses` after a `new_device` check counts the sessions logged since and including the
   newest session logged after such a check; the base's uses no longer count (a new device).
   A check answered `new_device` itself gives 0, as the section says.
2. The frequency comes from the whole days between the last logged session and `today`.
3. Every reaction in `log` (`added_reactions`) is carried, whichever session's check-in
   recorded it: what check-ins record "stays for every later check and check-in of this base".
4. A `many` answer that repeats a code is de-duplicated, as the questionnaire's answers are.
"""

from __future__ import annotations

import copy
import datetime
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assessments import rulebook
from assessments.scoring import AnswerError, Result, clean_answer

_PAST_REACTIONS = rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS]
_NONE = _PAST_REACTIONS.exclusive


def clean_check(check: Mapping[str, Any]) -> dict[str, Any]:
    """The three answers of a check before a session, validated (AnswerError names the key)."""
    return _clean(check, rulebook.CHECK_QUESTIONS)


def clean_checkin(checkin: Mapping[str, Any]) -> dict[str, Any]:
    """The answer of a check-in, validated (AnswerError names the key)."""
    return _clean(checkin, rulebook.CHECKIN_QUESTIONS)


def _clean(given: Mapping[str, Any], questions: Sequence[rulebook.Question]) -> dict[str, Any]:
    if not isinstance(given, Mapping):
        raise TypeError(f"answers must be a mapping, not {type(given).__name__}")
    known = {question.key for question in questions}
    for key in sorted(given, key=repr):
        if key not in known:
            raise AnswerError(key, given[key], "is not a question of this check")
    clean = {}
    for question in questions:
        if question.key not in given:
            raise AnswerError(question.key, None, "is required")
        clean[question.key] = clean_answer(question, given[question.key])
    return clean


def reactions_merge(reactions: Iterable[str], added: Iterable[str]) -> list[str]:
    """`past_reactions` with `added` merged in: `none` goes once another code is there, a code
    already there stays once, in the rulebook's order."""
    chosen = set(reactions) | set(added)
    if len(chosen) > 1:
        chosen.discard(_NONE)
    if not chosen:
        chosen = {_NONE}
    return [code for code in _PAST_REACTIONS.codes if code in chosen]


def frequency_for_gap(days: int) -> str:
    """The `frequency` answer for `days` since the last logged session."""
    frequency = rulebook.FREQUENCY_BY_GAP[0][1]
    for fewest_days, code in rulebook.FREQUENCY_BY_GAP:
        if days >= fewest_days:
            frequency = code
    return frequency


def device_uses(base: Mapping[str, Any], log: Sequence[Mapping[str, Any]]) -> int:
    """How many times the device has been used, for the next check with the same device: the
    base's uses plus the sessions logged since the base, or, once a session was logged after a
    `new_device` check, the sessions since and including the newest such one; at most 1000."""
    uses = base[rulebook.KEY_DEVICE_USES]
    for session in log:
        uses = 1 if session["device_today"] == rulebook.NEW_DEVICE else uses + 1
    return min(uses, rulebook.DEVICE_USES_CAP)


def next_session_earliest(base: Mapping[str, Any], last_session: datetime.date) -> datetime.date:
    """The earliest date for the next session: the shortest gap that adds no frequency points."""
    superficial = base[rulebook.KEY_NEEDLE_LENGTH] == rulebook.SUPERFICIAL_NEEDLE
    if superficial:
        gap = rulebook.NEXT_SESSION_GAP_DAYS_SUPERFICIAL
    else:
        gap = rulebook.NEXT_SESSION_GAP_DAYS
    return last_session + datetime.timedelta(days=gap)


def _check_log(log: Sequence[Mapping[str, Any]], today: datetime.date) -> None:
    if not isinstance(today, datetime.date) or isinstance(today, datetime.datetime):
        raise AnswerError("today", today, "must be a date")
    previous = None
    for session in log:
        date = session.get("date")
        if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
            raise AnswerError("date", date, "must be a date")
        if previous is not None and date < previous:
            raise AnswerError("date", date, "sessions must be listed oldest first")
        clean_answer(rulebook.DEVICE_TODAY, session.get("device_today"))
        for code in session.get("added_reactions", ()):
            if code not in _PAST_REACTIONS.codes or code == _NONE:
                raise AnswerError("added_reactions", code, "is not a reaction a check-in records")
        previous = date
    if previous is not None and today < previous:
        raise AnswerError("today", today, "is before the last logged session")


def check_answers(
    base: Mapping[str, Any],
    check: Mapping[str, Any],
    log: Sequence[Mapping[str, Any]],
    today: datetime.date,
) -> dict[str, Any]:
    """The full answer set of a check before a session (section 6), ready for `score`.

    `base`: the base assessment's (validated) answers. `check`: `scalp_today`, `reaction_now`,
    `device_today`. `log`: the sessions logged since the base, oldest first, each with `date`,
    `device_today` and `added_reactions` (what its check-ins recorded). Raises AnswerError (a
    ValueError naming the key) for an invalid check or log, or `today` before the last session.
    """
    clean = clean_check(check)
    _check_log(log, today)
    answers = copy.deepcopy(dict(base))

    scalp_today = set(clean[rulebook.SCALP_TODAY.key])
    for code, (key, ticked, otherwise) in rulebook.SCALP_TODAY_SETS.items():
        if code in scalp_today:
            answers[key] = ticked
        elif otherwise is not None:
            answers[key] = otherwise

    answers[rulebook.KEY_REACTION_NOW] = clean[rulebook.KEY_REACTION_NOW]
    answers[rulebook.KEY_USED_BEFORE] = "yes"

    device_today = clean[rulebook.DEVICE_TODAY.key]
    answers[rulebook.KEY_DEVICE_CONDITION] = rulebook.DEVICE_TODAY_CONDITION[device_today]
    answers[rulebook.KEY_DEVICE_USES] = (
        0 if device_today == rulebook.NEW_DEVICE else device_uses(base, log)
    )

    if log:
        gap = (today - log[-1]["date"]).days
        answers[rulebook.KEY_FREQUENCY] = frequency_for_gap(gap)

    carried = [code for session in log for code in session.get("added_reactions", ())]
    base_reactions = base.get(rulebook.KEY_PAST_REACTIONS) or [_NONE]
    answers[rulebook.KEY_PAST_REACTIONS] = reactions_merge(base_reactions, carried)
    return answers


def checkin_answers(
    session_answers: Mapping[str, Any], checkin: Mapping[str, Any], days_after: int
) -> tuple[dict[str, Any], list[str]]:
    """The answer set of a check-in `days_after` days after its session, and the
    `past_reactions` codes it records (section 6).

    `session_answers`: the session's check answer set with every reaction recorded so far for
    the base already merged. Raises AnswerError for an invalid `after_signs` or day count.
    """
    clean = clean_checkin(checkin)
    if isinstance(days_after, bool) or not isinstance(days_after, int) or days_after < 0:
        raise AnswerError("days_after", days_after, "must be a whole number of days, 0 or more")
    signs = clean[rulebook.AFTER_SIGNS.key]
    recorded = [
        rulebook.AFTER_SIGNS_RECORDS[code]
        for code in signs
        if code in rulebook.AFTER_SIGNS_RECORDS
        and (code != rulebook.REDNESS_LASTING or days_after >= rulebook.REDNESS_RECORDS_FROM_DAY)
    ]
    answers = copy.deepcopy(dict(session_answers))
    reaction = any(code in rulebook.AFTER_SIGNS_REACTION_NOW for code in signs)
    answers[rulebook.KEY_REACTION_NOW] = "yes" if reaction else "no"
    answers[rulebook.KEY_PAST_REACTIONS] = reactions_merge(
        answers.get(rulebook.KEY_PAST_REACTIONS) or [_NONE], recorded
    )
    return answers, recorded


# --- When a check may be taken, and when its session may be logged ---------------------------


class CheckRefusal(enum.StrEnum):
    """Why there is no check today (section 6, "When a check may be taken")."""

    # More than 90 days old, or scored with an older rulebook: the full questionnaire first.
    RETAKE = "retake"
    # The base says urgent or stop: the page repeats its disposition instead.
    REPEAT = "repeat"


def check_refusal(
    *,
    base_date: datetime.date,
    base_rulebook_version: str,
    base_disposition: rulebook.Disposition,
    today: datetime.date,
) -> CheckRefusal | None:
    """Why no check may be taken against this base today, or None when one may."""
    if base_disposition.is_stop:
        return CheckRefusal.REPEAT
    too_old = (today - base_date).days > rulebook.BASE_MAX_AGE_DAYS
    if too_old or base_rulebook_version != rulebook.VERSION:
        return CheckRefusal.RETAKE
    return None


def consult_reasons(result: Result) -> list[str]:
    """What a consult confirmation confirms: the fired rules marked consult, plus the high
    level (`HIGH_LEVEL_REASON`) when the level is high."""
    reasons = [factor.rule_id for factor in result.factors if factor.consult]
    if result.level is rulebook.Level.HIGH:
        reasons.append(rulebook.HIGH_LEVEL_REASON)
    return reasons


def session_may_be_logged(result: Result, confirmed: Iterable[str]) -> bool:
    """Whether a check's result allows logging its session: `go_ahead` or `change`, or
    `consult` with every consult reason among those confirmed so far for this base."""
    disposition = result.disposition
    if disposition in (rulebook.Disposition.GO_AHEAD, rulebook.Disposition.CHANGE):
        return True
    if disposition is rulebook.Disposition.CONSULT:
        return set(consult_reasons(result)) <= set(confirmed)
    return False
