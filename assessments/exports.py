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
        return question.describe(assessment.answers.get(question.key))

    return label


def _answer_columns() -> list[Column]:
    """Every rulebook question, in order: its codes, then (for coded questions) their labels."""
    columns: list[Column] = []
    for key, question in rulebook.QUESTIONS.items():
        columns.append((key, _answer_code(key)))
        if question.choices:
            columns.append((f"{key} (label)", _answer_label(question)))
    return columns


# The saved result's own (non-JSON) fields in the order the exports have always had them, new
# fields at the end, so a spreadsheet that reads columns by position keeps working. A test
# checks it names every such field of `Result` exactly once.
RESULT_FIELD_ORDER: tuple[str, ...] = (
    "rulebook_version",
    "level",
    "points",
    "hard_stop",
    "consult_professional",
    "disposition",  # since rulebook 2026.12
)


def _result_columns() -> list[Column]:
    """The saved result's own columns (its JSON parts aside), each coded one with its label."""
    columns: list[Column] = [
        ("id", lambda a: a.id),
        ("created_at", lambda a: a.created_at.isoformat()),
    ]
    for name in RESULT_FIELD_ORDER:
        field = Assessment._meta.get_field(name)
        if field.get_internal_type() == "BooleanField":
            columns.append((name, lambda a, name=name: yes_no(getattr(a, name))))
        else:
            columns.append((name, lambda a, name=name: getattr(a, name)))
        if field.choices:
            label = f"get_{name}_display"  # Django's display method for a field with choices
            columns.append((f"{name} (label)", lambda a, label=label: getattr(a, label)()))
    columns.append(("fired_rules", lambda a: ";".join(f["rule_id"] for f in a.factors)))
    return columns


RESULT_COLUMNS: list[Column] = _result_columns()


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
