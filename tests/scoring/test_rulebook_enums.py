"""Level and Severity: the rulebook's codes as enums, with their labels and is_stop.

(The headline a result leads with is its disposition's: tests/scoring/test_disposition.py.)"""

import json

from assessments import rulebook
from assessments.rulebook import Level, Severity
from assessments.scoring import Result, score
from tests.support.answers import SAFE_ANSWERS


def test_the_codes_are_the_stored_strings():
    assert [str(level) for level in Level] == ["low", "moderate", "high"]
    assert [str(severity) for severity in Severity] == ["stop", "high", "caution", "info"]
    assert Level("high") is Level.HIGH and Level.HIGH == "high"
    assert json.dumps([Level.MODERATE, Severity.CAUTION]) == '["moderate", "caution"]'


def test_each_level_and_each_severity_has_a_label():
    assert Level.LOW.label == "Lower risk"
    assert len({level.label for level in Level}) == len(Level)
    assert Severity.STOP.label == "Stop: see a professional first"
    assert len({severity.label for severity in Severity}) == len(Severity)


def test_only_stop_is_a_stop():
    assert [severity for severity in Severity if severity.is_stop] == [Severity.STOP]


def test_every_rule_factor_and_suggestion_carries_the_enum_not_a_bare_string():
    result = score({**SAFE_ANSWERS, "needle_length": "over_1_5", "pressure": "not_sure"})
    assert isinstance(result.level, Level)
    assert all(isinstance(f.severity, Severity) for f in result.factors)
    assert all(isinstance(s.level, Level) for s in result.lower_risk)
    assert all(isinstance(rule.severity, Severity) for rule in rulebook.RULES)


def test_a_saved_snapshot_holds_plain_codes_and_reads_back_as_enums():
    result = score({**SAFE_ANSWERS, "needle_length": "over_1_5"})
    snapshot = json.loads(json.dumps(result.to_dict()))
    assert snapshot["level"] == "high" and type(snapshot["level"]) is str
    assert snapshot["factors"][0]["severity"] == "stop"
    again = Result.from_dict(snapshot)
    assert again == result
    assert again.level is Level.HIGH and again.factors[0].is_stop
