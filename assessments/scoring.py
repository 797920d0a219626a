"""Score a set of answers against the rulebook: a pure, deterministic function.

`score(answers)` validates the answers (raising `AnswerError` for anything the rulebook does not
allow), fires the rules of `assessments.rulebook`, and returns a frozen `Result`. No Django, no
database, no I/O: the same answers always give the same result, so a stored result can be
re-checked and the scoring can be tested on its own.

Rulebook interpretations
------------------------
Where rulebook 2026.12 is silent or ambiguous, the most conservative reasonable reading is used
(2026.12 settled the questions 2026.11 left open; what it settled is noted):

1. `needle_length` = `up_to_0_25` with `frequency` = `2_3_per_week` fires no frequency rule
   (settled by 2026.12; the code for 2026.11 added R-FREQUENT-SHORT's point there).
2. `past_reactions` and `reaction_now` given although `used_before` = `no`: scored as given
   (settled by 2026.12); a reported reaction still counts.
3. The grade "A (shared), D (wear)" is shared by four rules in section 3. R-SHARED gets "A"
   and R-WORN gets "D" (settled by 2026.12). R-RINSED-ONLY and R-NOT-CLEANED keep the combined
   string unchanged: they are about infection from a device that is neither shared nor worn,
   so neither half applies alone. All four keep the row's full source list.
4. R-WORN fires on `device_uses` >= 15 whatever else `device_condition` says. "New, sterile"
   with a use count above 0 is an input error (2026.12), named on `device_uses`, the answer
   that contradicts the sealed pack.
5. Answers are scored as given even when they look contradictory, e.g. hair-loss red flags with
   `diagnosis` = `no_hair_loss`: a red flag still stops.
6. A `many` answer listing the same code twice is normalised (de-duplicated, rulebook order),
   not rejected: the rulebook lists no such error and the meaning is unambiguous.
7. The safe-use checklist says "0.25-0.5 mm"; `up_to_0_25` and `0_3_to_0_5` both meet it
   (settled by 2026.12), and the "expected redness" item is information, never ticked.
8. A safer answer is the rulebook's change and nothing else, so re-scoring may fire a
   different rule: a shorter needle at 2-3 times a week swaps R-FREQUENT-LONG (3) for
   R-FREQUENT-SHORT (1); replacing `minoxidil_immediately` by `minoxidil_after_24h` removes
   R-MINOXIDIL-IMMEDIATE but not R-HEART-MINOXIDIL. The suggestion shows the net result.
9. R-SHARED's and R-WORN's safer answers also set `device_condition` = `new_sterile` (and
   `device_uses` = 0), so they also clear R-RINSED-ONLY, R-NOT-CLEANED and R-WORN; that is
   what "a new device" means.
10. An absent `notes` is normalised to "", so a stored result always has every key.
11. Stop rules carry 0 points, so when a stop answer replaces a sibling answer that had points
    (`18_21` -> `under_18`, `history` -> `flare`, `1_1_to_1_5` -> `over_1_5`) the total can
    fall. Section 2's "never lowers the points" holds for *added* risk factors; the level and
    the consult flag never fall either way. Show the level, not the total, for a hard stop.
12. "What would lower my risk" (section 2): the lines of fired *stop* rules come first (their
    change is the way out of that stop, even when another stop remains), then the lines whose
    level is lower than the result's, then fewest points left (the largest drop), then rule
    table order. Each line carries its own level and disposition.
13. "All the changes together" applies every fired rule's safer answer in rule-table order,
    each to the answers the previous ones left, so a later change of a key replaces an earlier
    one and the `aftercare` changes combine; it is re-validated like a suggestion.
14. A result saved under 2026.11 has no disposition: it is derived from its stored hard stop,
    flag and level (no `urgent` in 2026.11), never by re-scoring; it has no "all the changes
    together". Its factors, saved in rule-table order, are shown in the display order (a
    stable sort on their stored severity and points), which changes no content.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments import rulebook
from assessments.rulebook import Disposition, Level, Question, Rule, Severity, Source

_MISSING = object()


class AnswerError(ValueError):
    """An answer the rulebook does not allow. `key` and `value` say which one.

    The message quotes the value (the contract asks for it), and answers are health data: do not
    send these messages to logs or error trackers verbatim.
    """

    def __init__(self, key: object, value: object, problem: str) -> None:
        self.key = key
        self.value = value
        self.problem = problem
        super().__init__(f"{key!r}: {problem} (got {value!r})")


@dataclass(frozen=True)
class Factor:
    rule_id: str
    points: int
    severity: Severity
    consult: bool
    title: str
    why: str
    advice: str
    grade: str
    sources: tuple[Source, ...]

    def __post_init__(self) -> None:
        # A snapshot gives the code; the member carries its label.
        object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def is_stop(self) -> bool:
        return self.severity.is_stop

    @property
    def badge(self) -> str:
        """How serious, in words: the urgent stop says how soon, like the disposition."""
        if self.rule_id == rulebook.URGENT_RULE_ID:
            return Disposition.URGENT.label
        return self.severity.label

    @property
    def grade_meanings(self) -> tuple[tuple[str, str], ...]:
        """(letter, meaning) for each letter of the grade: a grade is never shown bare."""
        return rulebook.grade_meanings(self.grade)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Factor:
        """A factor of a saved snapshot (`Result.to_dict()["factors"]`)."""
        return cls(
            **{k: v for k, v in data.items() if k != "sources"},
            sources=tuple(Source(id=s["id"], citation=s["citation"]) for s in data["sources"]),
        )

    @classmethod
    def from_rule(cls, rule: Rule) -> Factor:
        return cls(
            rule_id=rule.id,
            points=rule.points,
            severity=rule.severity,
            consult=rule.consult,
            title=rule.title,
            why=rule.why,
            advice=rule.advice,
            grade=rule.grade,
            sources=rule.sources,
        )


def consult_reasons(factors: tuple[Factor, ...], consult_professional: bool) -> tuple[Factor, ...]:
    """The factors behind a result's consult flag: its stop and consult rules; else, when the
    flag is set only because the total is high, every factor (each contributed)."""
    specific = tuple(f for f in factors if f.is_stop or f.consult)
    if specific:
        return specific
    if consult_professional:
        return factors
    return ()


def _saved_disposition(data: Mapping[str, Any]) -> Disposition:
    """A snapshot's disposition; 2026.11 saved none, so it is derived from what it did save
    (its hard stop, flag and level: 2026.11 had no urgent rule), never by re-scoring."""
    if data.get("disposition"):
        return Disposition(data["disposition"])
    return Disposition.decide(
        urgent=False,
        hard_stop=data["hard_stop"],
        consult_professional=data["consult_professional"],
        level=data["level"],
    )


@dataclass(frozen=True)
class Suggestion:
    """What the result would be with one rule's safer answer applied."""

    rule_id: str
    change: str
    points: int
    level: Level
    hard_stop: bool
    consult_professional: bool
    disposition: Disposition

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Suggestion:
        return cls(**{**data, "disposition": _saved_disposition(data)})

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))


@dataclass(frozen=True)
class AllChanges:
    """What every safer answer together would give (section 2, "All the changes together")."""

    points: int
    level: Level
    hard_stop: bool
    consult_professional: bool
    disposition: Disposition
    remaining_stops: tuple[str, ...]  # rule ids of the stops no answer can change

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "level": self.level,
            "hard_stop": self.hard_stop,
            "consult_professional": self.consult_professional,
            "disposition": self.disposition.value,
            "remaining_stops": list(self.remaining_stops),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AllChanges:
        return cls(
            **{
                **data,
                "disposition": Disposition(data["disposition"]),
                "remaining_stops": tuple(data["remaining_stops"]),
            }
        )

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))


@dataclass(frozen=True)
class ChecklistTick:
    id: str
    text: str
    met: bool | None


@dataclass(frozen=True)
class Result:
    points: int
    level: Level
    hard_stop: bool
    consult_professional: bool
    disposition: Disposition
    factors: tuple[Factor, ...]  # in display order (section 2, "Order of the factors")
    lower_risk: tuple[Suggestion, ...]
    all_changes: AllChanges | None  # None when no fired rule has a safer answer
    checklist: tuple[ChecklistTick, ...]
    rulebook_version: str
    answers: dict[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Level(self.level))

    @property
    def first_actions(self) -> tuple[str, ...]:
        """The what-to-do of the first three factors, in display order ("What to do first")."""
        return tuple(factor.advice for factor in self.factors[:3])

    @property
    def remaining_stop_factors(self) -> tuple[Factor, ...]:
        """The factors of the stops that all the changes together would leave."""
        if self.all_changes is None:
            return ()
        remaining = set(self.all_changes.remaining_stops)
        return tuple(f for f in self.factors if f.rule_id in remaining)

    @property
    def consult_reasons(self) -> tuple[Factor, ...]:
        """The factors behind the consult flag.

        When the flag is set only because the total is high, every factor contributed, so all
        are returned (the page says "your total is high").
        """
        return consult_reasons(self.factors, self.consult_professional)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot; old results are re-rendered from it, never re-scored."""
        return {
            "rulebook_version": self.rulebook_version,
            "points": self.points,
            "level": self.level.value,
            "hard_stop": self.hard_stop,
            "consult_professional": self.consult_professional,
            "disposition": self.disposition.value,
            "factors": [
                {
                    "rule_id": f.rule_id,
                    "points": f.points,
                    "severity": f.severity.value,
                    "consult": f.consult,
                    "title": f.title,
                    "why": f.why,
                    "advice": f.advice,
                    "grade": f.grade,
                    "sources": [{"id": s.id, "citation": s.citation} for s in f.sources],
                }
                for f in self.factors
            ],
            "lower_risk": [
                {
                    "rule_id": s.rule_id,
                    "change": s.change,
                    "points": s.points,
                    "level": s.level.value,
                    "hard_stop": s.hard_stop,
                    "consult_professional": s.consult_professional,
                    "disposition": s.disposition.value,
                }
                for s in self.lower_risk
            ],
            "all_changes": self.all_changes.to_dict() if self.all_changes else None,
            "checklist": [{"id": t.id, "text": t.text, "met": t.met} for t in self.checklist],
            # A copy, so later changes to the snapshot cannot reach back into this result.
            "answers": copy.deepcopy(self.answers),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        """Rebuild a result from `to_dict()` output without consulting the current rulebook.

        Accepts a snapshot saved under 2026.11 too: see interpretation 14.
        """
        factors = tuple(Factor.from_dict(f) for f in data["factors"])
        disposition = _saved_disposition(data)
        all_changes = data.get("all_changes")
        return cls(
            points=data["points"],
            level=data["level"],
            hard_stop=data["hard_stop"],
            consult_professional=data["consult_professional"],
            disposition=Disposition(disposition),
            # Stable: a new snapshot is already in this order, an old one in rule-table order.
            factors=tuple(
                sorted(
                    factors, key=lambda f: rulebook.factor_order(f.rule_id, f.severity, f.points)
                )
            ),
            lower_risk=tuple(Suggestion.from_dict(s) for s in data["lower_risk"]),
            all_changes=AllChanges.from_dict(all_changes) if all_changes else None,
            checklist=tuple(ChecklistTick(**t) for t in data["checklist"]),
            rulebook_version=data["rulebook_version"],
            answers=copy.deepcopy(dict(data["answers"])),
        )


# --- Validation -----------------------------------------------------------------------------


def _clean_one(question: Question, value: object) -> str:
    if not isinstance(value, str):
        raise AnswerError(question.key, value, "must be one answer code")
    if value not in question.codes:
        raise AnswerError(question.key, value, "is not an answer code for this question")
    return value


def _clean_many(question: Question, value: object) -> list[str]:
    # A bare string is iterable too; rejecting it stops "none" being read as four letters.
    if not isinstance(value, list | tuple):
        raise AnswerError(question.key, value, "must be a list of answer codes")
    if not value:
        raise AnswerError(question.key, value, "must have at least one answer code")
    for code in value:
        if not isinstance(code, str) or code not in question.codes:
            raise AnswerError(question.key, code, "is not an answer code for this question")
    chosen = set(value)
    if question.exclusive in chosen and len(chosen) > 1:
        raise AnswerError(
            question.key, value, f"{question.exclusive!r} cannot be combined with other answers"
        )
    return [code for code in question.codes if code in chosen]


def _clean_int(question: Question, value: object) -> int:
    # bool is an int subclass; True must not count as one use.
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(question.key, value, "must be a whole number")
    low = question.min_value
    high = question.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        raise AnswerError(question.key, value, f"must be between {low} and {high}")
    return value


def _clean_text(question: Question, value: object) -> str:
    if not isinstance(value, str):
        raise AnswerError(question.key, value, "must be text")
    if question.max_length is not None and len(value) > question.max_length:
        raise AnswerError(question.key, value, f"must be at most {question.max_length} characters")
    return value


_CLEANERS = {"one": _clean_one, "many": _clean_many, "int": _clean_int, "text": _clean_text}


def clean_answer(question: Question, value: object) -> Any:
    """One answer checked and normalised as `validate` does it (the checks of section 6 ask
    questions of their own with the same kinds). Raises AnswerError naming the key."""
    return _CLEANERS[question.kind](question, value)


def _skipped_answer(question: Question) -> object:
    # Only the answers the rulebook says a skipped step counts as; anything else stays required.
    if question.key in rulebook.SKIPPED_ANSWERS:
        return copy.deepcopy(rulebook.SKIPPED_ANSWERS[question.key])
    raise AnswerError(question.key, None, "is required")


def validate(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Check answers against the rulebook and return them normalised.

    Normalised means: every question key present; `many` answers as lists, de-duplicated, in
    rulebook code order; a skipped step's `past_reactions` filled with ["none"] and
    `reaction_now` with "no"; an absent `notes` as "". Raises `AnswerError` (naming the key and
    the bad value) for anything else, two answers that contradict each other included.
    """
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a mapping, not {type(answers).__name__}")
    for key in sorted(answers, key=repr):
        if key not in rulebook.QUESTIONS:
            raise AnswerError(key, answers[key], "is not a question in this rulebook")

    clean: dict[str, Any] = {}
    for step in rulebook.STEPS:
        # Earlier steps are already clean here, so the condition sees validated answers.
        shown = rulebook.step_is_shown(step.key, clean)
        for question in step.questions:
            value = answers.get(question.key, _MISSING)
            if value is not _MISSING:
                clean[question.key] = _CLEANERS[question.kind](question, value)
            elif not shown:
                clean[question.key] = _skipped_answer(question)
            else:
                raise AnswerError(question.key, None, "is required")

    notes = answers.get(rulebook.NOTES.key, "")
    clean[rulebook.NOTES.key] = _clean_text(rulebook.NOTES, notes)
    for contradiction in rulebook.CONTRADICTIONS:
        if contradiction.when(clean):
            key = contradiction.key
            raise AnswerError(key, clean[key], contradiction.problem)
    return clean


# --- Scoring --------------------------------------------------------------------------------


def _level(points: int, hard_stop: bool) -> Level:
    if hard_stop or points >= rulebook.HIGH_MIN_POINTS:
        return Level.HIGH
    if points >= rulebook.MODERATE_MIN_POINTS:
        return Level.MODERATE
    return Level.LOW


@dataclass(frozen=True)
class _Outcome:
    fired: tuple[Rule, ...]  # in rule-table order
    points: int
    level: Level
    hard_stop: bool
    consult_professional: bool
    disposition: Disposition


def _evaluate(clean: Mapping[str, Any]) -> _Outcome:
    fired = tuple(rule for rule in rulebook.RULES if rule.fires(clean))
    points = sum(rule.points for rule in fired)
    hard_stop = any(rule.is_stop for rule in fired)
    level = _level(points, hard_stop)
    consult = hard_stop or level is Level.HIGH or any(rule.consult for rule in fired)
    disposition = Disposition.decide(
        urgent=any(rule.is_urgent for rule in fired),
        hard_stop=hard_stop,
        consult_professional=consult,
        level=level,
    )
    return _Outcome(fired, points, level, hard_stop, consult, disposition)


def _suggestions(clean: dict[str, Any], outcome: _Outcome) -> tuple[Suggestion, ...]:
    lines = []
    for rule in outcome.fired:
        if rule.safer is None:
            continue
        # Re-validating proves the safer answer is itself a valid answer set.
        after = _evaluate(validate(rule.safer.apply(clean)))
        suggestion = Suggestion(
            rule_id=rule.id,
            change=rule.safer.change,
            points=after.points,
            level=after.level,
            hard_stop=after.hard_stop,
            consult_professional=after.consult_professional,
            disposition=after.disposition,
        )
        lines.append((rule, suggestion))
    order = {rule.id: index for index, rule in enumerate(rulebook.RULES)}
    level_rank = list(Level).index(outcome.level)

    def key(line: tuple[Rule, Suggestion]) -> tuple[bool, bool, int, int]:
        # Interpretation 12: a stop's way out, then a lower level, then the largest drop.
        rule, suggestion = line
        lower_level = list(Level).index(suggestion.level) < level_rank
        return (not rule.is_stop, not lower_level, suggestion.points, order[rule.id])

    return tuple(suggestion for _, suggestion in sorted(lines, key=key))


def _all_changes(clean: dict[str, Any], outcome: _Outcome) -> AllChanges | None:
    modifiable = [rule for rule in outcome.fired if rule.safer is not None]
    if not modifiable:
        return None
    changed: dict[str, Any] = clean
    for rule in modifiable:  # rule-table order: a later change of a key replaces an earlier one
        changed = rule.safer.apply(changed)
    after = _evaluate(validate(changed))
    return AllChanges(
        points=after.points,
        level=after.level,
        hard_stop=after.hard_stop,
        consult_professional=after.consult_professional,
        disposition=after.disposition,
        remaining_stops=tuple(rule.id for rule in after.fired if rule.is_stop),
    )


def _display_order(fired: tuple[Rule, ...]) -> tuple[Rule, ...]:
    # sorted() is stable, so rules that tie keep the rule table's order.
    return tuple(sorted(fired, key=lambda r: rulebook.factor_order(r.id, r.severity, r.points)))


def score(answers: Mapping[str, Any]) -> Result:
    """Validate and score one assessment. Raises `AnswerError` for answers outside the rulebook."""
    clean = validate(answers)
    outcome = _evaluate(clean)
    return Result(
        points=outcome.points,
        level=outcome.level,
        hard_stop=outcome.hard_stop,
        consult_professional=outcome.consult_professional,
        disposition=outcome.disposition,
        factors=tuple(Factor.from_rule(rule) for rule in _display_order(outcome.fired)),
        lower_risk=_suggestions(clean, outcome),
        all_changes=_all_changes(clean, outcome),
        checklist=tuple(
            ChecklistTick(id=item.id, text=item.text, met=item.met(clean))
            for item in rulebook.CHECKLIST
        ),
        rulebook_version=rulebook.VERSION,
        answers=clean,
    )
