"""Results of two rulebook versions side by side: a 2026.11 result keeps rendering as saved.

A 2026.11 snapshot is stored the old way (the dict 2026.11's `Result.to_dict()` produced, saved
before migration 0004 or through the model), then read and rendered under 2026.12: its content
is unchanged, its disposition derived from its hard stop, flag and level. New results carry the
new snapshot fields; the trend, "since last time" and the admin tell the versions apart.
"""

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from assessments import rulebook
from assessments.models import Assessment
from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION
from assessments.rulebook import Disposition, describe_answers
from assessments.scoring import Result, score
from assessments.trend import since_last_time, trend_chart
from tests.support.assessments import CHANGELIST_URL, build_assessment, save_assessment
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment
from tests.support.snapshot_2026_11 import FIELDS_2026_11, SNAPSHOT_2026_11, snapshot_2026_11


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def one_line(words: str) -> str:
    return " ".join(words.split())


def assert_rendered_as_saved(html: str, snapshot: dict) -> None:
    """Every part of the saved result is on the page, word for word; nothing was re-scored."""
    page = text(html)
    for factor in snapshot["factors"]:
        for part in (factor["title"], factor["why"], factor["advice"]):
            assert one_line(part) in page, part
        assert f"How strong the evidence is: grade {factor['grade']}" in page
        for source in factor["sources"]:
            assert one_line(source["citation"]) in page
    for suggestion in snapshot["lower_risk"]:
        assert suggestion["change"] in page
    for item in snapshot["checklist"]:
        assert one_line(item["text"]) in page
    for row in describe_answers(snapshot["answers"]):
        assert one_line(row["question"]) in page and one_line(row["answer"]) in page
    if snapshot["hard_stop"]:  # a stop never reads as points
        assert "because at least one answer is a reason to stop" in page
    else:
        assert f"{snapshot['points']} points" in page
    assert f"Rulebook version {snapshot['rulebook_version']}" in page
    # 2026.11 had no "all the changes together": nothing is made up for it.
    assert "All the changes below together" not in page


def assert_the_saved_stop_opens_unchanged(assessment: Assessment, owner) -> None:
    """The stored 2026.11 fields are as saved, and its owner's page shows them under 2026.12."""
    assert {name: getattr(assessment, name) for name in FIELDS_2026_11} == SNAPSHOT_2026_11
    client = Client()
    client.force_login(owner)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert headline(html) == Disposition.STOP.headline
    assert_rendered_as_saved(html, SNAPSHOT_2026_11)


def headline(html: str) -> str:
    return one_line(unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)))


# --- Reading a 2026.11 snapshot -------------------------------------------------------------


def test_a_2026_11_snapshot_is_read_without_rescoring_and_gets_a_derived_disposition():
    given = snapshot_2026_11()
    result = Result.from_dict(given)
    assert given == SNAPSHOT_2026_11, "reading must not change the snapshot"
    assert result.disposition is Disposition.STOP
    assert result.all_changes is None
    assert (result.points, result.level, result.rulebook_version) == (7, "high", "2026.11")
    # The saved factors, word for word, in the display order (stop, high, caution, info).
    assert [f.rule_id for f in result.factors] == [
        "R-SHARED",
        "R-PREGNANT",
        "R-PINPOINT",
        "R-FREQUENT-SHORT",
    ]
    saved = {f["rule_id"]: f for f in given["factors"]}
    for factor in result.factors:
        assert (factor.title, factor.advice, factor.grade) == (
            saved[factor.rule_id]["title"],
            saved[factor.rule_id]["advice"],
            saved[factor.rule_id]["grade"],
        )
    pregnant = next(f for f in result.factors if f.rule_id == "R-PREGNANT")
    assert [s.id for s in pregnant.sources] == ["S31", "S36"], "2026.11's sources, as saved"
    assert result.first_actions[0] == saved["R-SHARED"]["advice"]
    # Each saved line gets the disposition its saved flags and level give.
    assert [s.disposition for s in result.lower_risk] == [
        Disposition.CONSULT,
        Disposition.STOP,
        Disposition.STOP,
    ]


@pytest.mark.parametrize(
    ("changes", "disposition"),
    [
        ({}, Disposition.STOP),
        ({"hard_stop": False}, Disposition.CONSULT),
        ({"hard_stop": False, "consult_professional": False, "level": "moderate"}, "change"),
        ({"hard_stop": False, "consult_professional": False, "level": "low"}, "go_ahead"),
    ],
)
def test_a_2026_11_disposition_comes_from_the_stored_stop_flag_and_level(changes, disposition):
    assert Result.from_dict(snapshot_2026_11(**changes)).disposition == disposition


def test_a_2026_11_result_could_not_be_rescored_under_2026_12():
    # Its answers are now an input error (new_sterile with 3 uses): re-scoring is impossible,
    # so showing it as saved is the only honest way.
    with pytest.raises(ValueError, match="device_uses"):
        score(SNAPSHOT_2026_11["answers"])


# --- Stored the old way, rendered after the upgrade ------------------------------------------

BEFORE_0004 = [("assessments", "0003_clinic_staff_group")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_derives_the_disposition_and_the_result_renders_as_saved(owner):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_0004)
    try:
        # Saved as 2026.11's code did, by the model as it was then.
        old_model = executor.loader.project_state(BEFORE_0004).apps.get_model(
            "assessments", "Assessment"
        )

        def save_2026_11(**changes):
            snapshot = snapshot_2026_11(**changes)
            return old_model.objects.create(
                **{name: snapshot[name] for name in FIELDS_2026_11},
                owner_id=owner.pk,
                submission_id=uuid.uuid4(),
                consent_at=timezone.now(),
                consent_notice_version=PRIVACY_NOTICE_VERSION,
            ).pk

        # The last three only differ in the stored flags and level.
        saved = {
            "stop": save_2026_11(),
            "consult": save_2026_11(hard_stop=False),
            "change": save_2026_11(hard_stop=False, consult_professional=False, level="moderate"),
            "go_ahead": save_2026_11(hard_stop=False, consult_professional=False, level="low"),
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    for disposition, pk in saved.items():
        assessment = Assessment.objects.get(pk=pk)
        assert (assessment.disposition, assessment.all_changes) == (disposition, None)
        assert assessment.rulebook_version == "2026.11"
    assert_the_saved_stop_opens_unchanged(Assessment.objects.get(pk=saved["stop"]), owner)


@pytest.mark.django_db
def test_a_2026_11_snapshot_saved_through_the_model_renders_as_saved(owner):
    assessment = build_assessment(snapshot=snapshot_2026_11(), owner=owner)
    assessment.full_clean(validate_unique=False)
    assessment.save(force_insert=True)
    assessment.refresh_from_db()
    assert (assessment.disposition, assessment.all_changes) == ("stop", None)
    assert_the_saved_stop_opens_unchanged(assessment, owner)


@pytest.mark.django_db
def test_a_new_result_is_saved_under_2026_12_with_the_new_snapshot_fields(client):
    answers = {**SAFE_ANSWERS, "device_shared": "yes", "pressure": "not_sure"}
    assessment = take_assessment(client, answers)
    assessment.refresh_from_db()
    result = score(answers)
    assert assessment.rulebook_version == rulebook.VERSION == "2026.12"
    assert assessment.disposition == "stop"
    assert assessment.all_changes == {
        "points": 0,
        "level": "low",
        "hard_stop": False,
        "consult_professional": False,
        "disposition": "go_ahead",
        "remaining_stops": [],
    }
    assert [s["disposition"] for s in assessment.lower_risk] == ["go_ahead", "stop"]
    assert assessment.result == result
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "All the changes below together" in text(html)


# --- Comparing results of different versions -----------------------------------------------


def test_the_trend_marks_where_the_rulebook_changed():
    start = timezone.now()
    history = [
        (start, 7, "high", True),
        (start + timedelta(days=1), 3, "low", False),
        (start + timedelta(days=2), 2, "low", False),
    ]
    chart = trend_chart(history, ["2026.11", "2026.11", "2026.12"])
    assert [change.version for change in chart.version_changes] == ["2026.12"]
    second, third = chart.marks[1], chart.marks[2]
    assert second.x < chart.version_changes[0].x < third.x
    assert "different rulebooks (2026.11 and 2026.12)" in chart.version_note
    assert chart.version_note in chart.description

    same = trend_chart(history, ["2026.12"] * 3)
    assert (same.version_changes, same.version_note) == ((), "")
    assert "different rulebooks" not in same.description
    assert trend_chart(history).version_note == ""


def test_since_last_time_says_when_the_two_were_scored_with_different_rulebooks():
    factor = {"rule_id": "R-FREQUENT-SHORT", "title": "Short needle, 2 to 3 times a week"}
    changes = since_last_time([], [factor], latest_version="2026.12", previous_version="2026.11")
    assert changes.went_away == (factor,)
    assert "different rulebooks (2026.11 and 2026.12)" in changes.version_note
    same = since_last_time([], [factor], latest_version="2026.12", previous_version="2026.12")
    assert same.version_note == ""


@pytest.mark.django_db
def test_my_assessments_says_which_results_were_scored_with_different_rulebooks(owner):
    old = build_assessment(
        snapshot=snapshot_2026_11(), owner=owner, created_at=timezone.now() - timedelta(days=7)
    )
    old.save(force_insert=True)
    client = Client()
    client.force_login(owner)
    # The same answers, but a device from a sealed pack has not been used (2026.12).
    take_assessment(client, {**SNAPSHOT_2026_11["answers"], "device_uses": 0})

    html = client.get("/my/assessments/").content.decode()
    note = re.search(r'<p class="since-version-note">(.*?)</p>', html, re.S).group(1)
    assert "different rulebooks (2026.11 and 2026.12)" in unescape(note)
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert 'class="version-change"' in figure
    assert "different rulebooks (2026.11 and 2026.12)" in unescape(figure)
    # 2026.12 no longer fires R-FREQUENT-SHORT for a 0.25 mm needle: gone, and the page says
    # why the comparison may differ.
    went_away = html[html.index('class="since-went-away"') :].split("</ul>")[0]
    assert SNAPSHOT_2026_11["factors"][2]["title"] in went_away


@pytest.mark.django_db
def test_my_assessments_says_nothing_about_rulebooks_when_both_are_the_same(owner):
    client = Client()
    client.force_login(owner)
    take_assessment(client)
    take_assessment(client, {**SAFE_ANSWERS, "frequency": "daily"})
    html = client.get("/my/assessments/").content.decode()
    assert "different rulebooks" not in html
    assert 'class="version-change"' not in html


# --- The operator's assessment list -------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_filters_by_rulebook_version(admin_client):
    old = build_assessment(snapshot=snapshot_2026_11())
    old.save(force_insert=True)
    new = save_assessment(SAFE_ANSWERS)

    changelist = admin_client.get(CHANGELIST_URL).context_data["cl"]
    version_filter = next(f for f in changelist.filter_specs if f.title == "rulebook version")
    offered = [choice["display"] for choice in version_filter.choices(changelist)]
    assert offered == ["All", "2026.12", "2026.11"]
    for version, expected in [("2026.11", old), ("2026.12", new)]:
        response = admin_client.get(CHANGELIST_URL, {"rulebook_version": version})
        assert [row.pk for row in response.context_data["cl"].result_list] == [expected.pk]


@pytest.mark.django_db
def test_the_admin_lists_and_filters_by_disposition(admin_client):
    old = build_assessment(snapshot=snapshot_2026_11())
    old.save(force_insert=True)
    safe = save_assessment(SAFE_ANSWERS)

    page = admin_client.get(CHANGELIST_URL).content.decode()
    assert Disposition.STOP.label in page and Disposition.GO_AHEAD.label in page
    for code, expected in [("stop", old), ("go_ahead", safe)]:
        response = admin_client.get(CHANGELIST_URL, {"disposition__exact": code})
        assert [row.pk for row in response.context_data["cl"].result_list] == [expected.pk]
