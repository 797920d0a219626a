"""Answers as people read them: question text and answer labels, from the rulebook."""

from collections.abc import Mapping

from assessments import rulebook


def describe_answers(answers: Mapping) -> list[dict[str, str]]:
    """One row per answered question, in rulebook order: key, question text and answer label."""
    rows = []
    for key, question in rulebook.QUESTIONS.items():
        if key not in answers:
            continue
        value = answers[key]
        if question.kind == "many":
            answer = "; ".join(question.label_for(code) for code in value)
        elif question.kind == "one":
            answer = question.label_for(value)
        else:
            answer = str(value)
        rows.append({"key": key, "question": question.text, "answer": answer})
    return rows
