"""Assessments as CSV: codes and labels from the rulebook, every cell safe to open in a spreadsheet.

Shared by the clinic's admin export and a person's export of their own assessments; each caller
adds its own columns (`extra_columns`) and decides who may see which rows.
"""

import csv
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from assessments import rulebook
from assessments.models import Assessment

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Column = tuple[str, Callable[[Assessment], Any]]


def csv_safe(value: Any) -> str:
    """`value` as cell text, with a leading quote if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def _answer_code(key: str) -> Callable[[Assessment], Any]:
    def code(assessment: Assessment) -> Any:
        value = assessment.answers.get(key)
        if isinstance(value, list):
            return ";".join(value)
        return value

    return code


def _answer_label(question: rulebook.Question) -> Callable[[Assessment], str]:
    def label(assessment: Assessment) -> str:
        value = assessment.answers.get(question.key)
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(question.label_for(code) for code in value)
        return question.label_for(value)

    return label


def _answer_columns() -> list[Column]:
    """Every rulebook question, in order: its codes, then (for coded questions) their labels."""
    columns: list[Column] = []
    for key, question in rulebook.QUESTIONS.items():
        columns.append((key, _answer_code(key)))
        if question.choices:
            columns.append((f"{key} (label)", _answer_label(question)))
    return columns


RESULT_COLUMNS: list[Column] = [
    ("id", lambda a: a.id),
    ("created_at", lambda a: a.created_at.isoformat()),
    ("rulebook_version", lambda a: a.rulebook_version),
    ("level", lambda a: a.level),
    ("level (label)", lambda a: a.level_label),
    ("points", lambda a: a.points),
    ("hard_stop", lambda a: yes_no(a.hard_stop)),
    ("consult_professional", lambda a: yes_no(a.consult_professional)),
    ("disposition", lambda a: a.disposition),
    ("disposition (label)", lambda a: a.get_disposition_display()),
    ("fired_rules", lambda a: ";".join(factor["rule_id"] for factor in a.factors)),
]


def assessment_columns(extra_columns: Sequence[Column] = ()) -> list[Column]:
    return [*RESULT_COLUMNS, *extra_columns, *_answer_columns()]


def write_assessments_csv(
    out: TextIO, assessments: Iterable[Assessment], extra_columns: Sequence[Column] = ()
) -> None:
    """Write a header and one row per assessment to `out`; every cell goes through csv_safe."""
    columns = assessment_columns(extra_columns)
    writer = csv.writer(out)
    writer.writerow([csv_safe(name) for name, _ in columns])
    for assessment in assessments:
        writer.writerow([csv_safe(value(assessment)) for _, value in columns])
