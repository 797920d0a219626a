"""'My assessments' exports: JSON and CSV, one's own assessments only, formulas neutralised."""

import csv
import io
import json

import pytest

from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION
from tests.support.assessments import save_daily_assessments
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db


def test_the_json_export_has_all_of_ones_own_assessments_and_nobody_elses(
    owner_client, owner, someone_else
):
    mine = take_assessment(owner_client, {**SAFE_ANSWERS, "frequency": "daily"})
    save_daily_assessments(someone_else, 3)
    response = owner_client.get("/my/assessments/export.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [a["id"] for a in data["assessments"]] == [str(mine.id)]
    exported = data["assessments"][0]
    assert exported["answers"]["frequency"] == "daily"
    assert exported["factors"][0]["rule_id"] == "R-DAILY"
    assert exported["consent"]["notice_version"] == PRIVACY_NOTICE_VERSION


def test_the_csv_export_has_codes_and_labels_and_neutralises_formulas(owner_client, someone_else):
    take_assessment(owner_client, {**SAFE_ANSWERS, "notes": '=HYPERLINK("http://x")'})
    take_assessment(owner_client, {**SAFE_ANSWERS, "notes": "-2+3"})
    save_daily_assessments(someone_else, 2)
    response = owner_client.get("/my/assessments/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert rows[0]["needle_length"] == "0_3_to_0_5"
    assert rows[0]["needle_length (label)"] == "0.3\u20130.5 mm"
    assert {row["notes"] for row in rows} == {'\'=HYPERLINK("http://x")', "'-2+3"}
