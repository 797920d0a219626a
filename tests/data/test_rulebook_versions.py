"""Results of two rulebook versions side by side: a 2026.11 result keeps rendering as saved.

A 2026.11 snapshot is stored the old way (the dict 2026.11's `Result.to_dict()` produced, saved
before migration 0004 or through the model), then read and rendered under 2026.12: its content
is unchanged, its disposition derived from its hard stop, flag and level. New results carry the
new snapshot fields; the trend, "since last time" and the admin tell the versions apart.
"""

# The 2026.11 snapshot below is verbatim, long lines included.
# ruff: noqa: E501

import copy
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

# Exactly what rulebook 2026.11's score(...).to_dict() gave for: a device shared or maybe
# (R-SHARED, a stop), pregnant (R-PREGNANT, then citing S36 with grade B/C), pinpoint bleeding,
# and a 0.25 mm needle 2-3 times a week (R-FREQUENT-SHORT, which 2026.12 no longer fires), on a
# "new, sterile" device used 3 times (an input error since 2026.12).
SNAPSHOT_2026_11 = {
    "rulebook_version": "2026.11",
    "points": 7,
    "level": "high",
    "hard_stop": True,
    "consult_professional": True,
    "factors": [
        {
            "rule_id": "R-PREGNANT",
            "points": 4,
            "severity": "high",
            "consult": True,
            "title": "Pregnant or breastfeeding",
            "why": "There are no safety data for microneedling in pregnancy, and minoxidil must not be used in pregnancy.",
            "advice": "Wait until after pregnancy and breastfeeding, and ask your midwife, GP or pharmacist before using any hair-loss treatment.",
            "grade": "B/C",
            "sources": [
                {
                    "id": "S31",
                    "citation": "Topical minoxidil label (as restated by drug-information services)",
                },
                {"id": "S36", "citation": "GPnotebook. Referral criteria, alopecia areata"},
            ],
        },
        {
            "rule_id": "R-SHARED",
            "points": 0,
            "severity": "stop",
            "consult": True,
            "title": "Device shared, or it may have been",
            "why": "Infections, and diseases passed between people who shared a device, have been documented. Blunt, worn needles tear the skin instead of piercing it cleanly.",
            "advice": "Stop using this device: cleaning cannot make a shared device safe. Get a new device that only you use. If it was shared, consider asking your GP about a blood-borne virus test.",
            "grade": "A",
            "sources": [
                {
                    "id": "S23",
                    "citation": "US FDA. Regulatory considerations for microneedling products, 2020",
                },
                {
                    "id": "S25",
                    "citation": "US FDA consumer update. Microneedling devices: getting to the point on benefits, risks and safety",
                },
                {
                    "id": "S26",
                    "citation": "CDC MMWR 2024;73(16):372–376. HIV transmission associated with microneedling at a spa",
                },
                {
                    "id": "S27",
                    "citation": "Doddaballapur S. Microneedling with dermaroller. J Cutan Aesthet Surg 2009;2(2):110–111",
                },
                {
                    "id": "S43",
                    "citation": "Vendor device-care pages (70% isopropyl alcohol, replacement after 12–15 uses)",
                },
            ],
        },
        {
            "rule_id": "R-FREQUENT-SHORT",
            "points": 1,
            "severity": "info",
            "consult": False,
            "title": "Short needle, 2 to 3 times a week",
            "why": "The skin barrier needs time to recover between sessions, and the trials needled weekly or less often.",
            "advice": "Once a week is enough; the trials that showed benefit needled weekly or less often.",
            "grade": "A/B",
            "sources": [
                {
                    "id": "S1",
                    "citation": "Dhurat R et al. A randomized evaluator blinded study of effect of microneedling in androgenetic alopecia. Int J Trichology 2013;5(1):6–11. doi:10.4103/0974-7753.114700",
                },
                {
                    "id": "S3",
                    "citation": "Kumar MK, Inamadar AC, Palit A. Minoxidil plus microneedling vs minoxidil alone in AGA. J Cutan Aesthet Surg 2018;11(4):211–216. doi:10.4103/JCAS.JCAS_130_17",
                },
                {
                    "id": "S29",
                    "citation": "Kalluri H, Kolli CS, Banga AK. Characterization of microchannels created by metal microneedles. AAPS J 2011;13(3):473–481",
                },
            ],
        },
        {
            "rule_id": "R-PINPOINT",
            "points": 2,
            "severity": "caution",
            "consult": False,
            "title": "Needling until pinpoint bleeding",
            "why": "Pressing too hard irritates the scalp and can damage hair follicles; tram-track scarring is a known harm.",
            "advice": "Press lightly and stop when the skin turns mildly pink; bleeding is not needed at home.",
            "grade": "A/B",
            "sources": [
                {
                    "id": "S0",
                    "citation": 'Article "Can Derma roller Cause Hair Loss?": no direct evidence of hair loss from proper use; aggressive use or excess pressure may irritate the scalp and damage follicles (temporary shedding); 0.25–0.5 mm for the scalp; sanitise; gentle pressure; consult a professional with scalp conditions or hair-loss concerns',
                },
                {
                    "id": "S11",
                    "citation": "Chu S, Foulad DP, Atanaskova Mesinkovska N. Safety profile for microneedling: a systematic review. Dermatol Surg 2021;47(9):1249–1254",
                },
                {
                    "id": "S16",
                    "citation": "Harris AG, Naidoo C, Murrell DF. Skin needling as a treatment for acne scarring. Int J Womens Dermatol 2015;1:77–81",
                },
            ],
        },
    ],
    "lower_risk": [
        {
            "rule_id": "R-SHARED",
            "change": "Use a new device of your own",
            "points": 7,
            "level": "moderate",
            "hard_stop": False,
            "consult_professional": True,
        },
        {
            "rule_id": "R-PINPOINT",
            "change": "Press lightly and stop at mild redness",
            "points": 5,
            "level": "high",
            "hard_stop": True,
            "consult_professional": True,
        },
        {
            "rule_id": "R-FREQUENT-SHORT",
            "change": "Needle once a week at most",
            "points": 6,
            "level": "high",
            "hard_stop": True,
            "consult_professional": True,
        },
    ],
    "checklist": [
        {"id": "needle", "text": "Use a needle of 0.25–0.5 mm for home scalp use.", "met": True},
        {
            "id": "own_clean_device",
            "text": "Use a device of your own, disinfected with 70% isopropyl alcohol and air-dried.",
            "met": False,
        },
        {
            "id": "light_pressure",
            "text": "Use light pressure, and stop at mild redness.",
            "met": False,
        },
        {
            "id": "no_serums",
            "text": "Put no serums or injectable products on needled skin.",
            "met": True,
        },
        {
            "id": "minoxidil_wait",
            "text": "Wait about 24 hours after needling before applying minoxidil.",
            "met": True,
        },
        {
            "id": "warning_signs",
            "text": "Expected redness settles within about 7 days. Redness that lasts longer, pus, spreading redness, fever or new bald patches need a clinician.",
            "met": None,
        },
    ],
    "answers": {
        "scalp_open_wounds": "no",
        "scalp_inflammatory": "never",
        "scarring_signs": "no",
        "suspicious_lesion": "no",
        "scalp_irritated": "no",
        "hair_loss_signs": ["none"],
        "diagnosis": "aga",
        "systemic_symptoms": "no",
        "recent_trigger": "no",
        "age_band": "22_plus",
        "pregnant_or_breastfeeding": "yes",
        "bleeding_risk": "no",
        "isotretinoin": "never",
        "immunosuppressed": "no",
        "diabetes": "no",
        "keloid": "no",
        "metal_allergy": "no",
        "heart_condition": "no",
        "device_type": "roller",
        "needle_length": "up_to_0_25",
        "device_condition": "new_sterile",
        "device_uses": 3,
        "device_shared": "not_sure",
        "frequency": "2_3_per_week",
        "pressure": "pinpoint_bleeding",
        "aftercare": ["plain_moisturiser_or_saline"],
        "used_before": "no",
        "past_reactions": ["none"],
        "notes": "",
    },
}
# The model fields a 2026.11 result was saved in: the keys of its snapshot.
FIELDS_2026_11 = tuple(SNAPSHOT_2026_11)


def snapshot_2026_11(**changes) -> dict:
    return {**copy.deepcopy(SNAPSHOT_2026_11), **changes}


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
    stopped = Assessment.objects.get(pk=saved["stop"])
    assert {name: getattr(stopped, name) for name in FIELDS_2026_11} == SNAPSHOT_2026_11

    client = Client()
    client.force_login(owner)
    html = client.get(stopped.get_absolute_url()).content.decode()
    assert headline(html) == Disposition.STOP.headline
    assert_rendered_as_saved(html, SNAPSHOT_2026_11)


@pytest.mark.django_db
def test_a_2026_11_snapshot_saved_through_the_model_renders_as_saved(owner):
    assessment = build_assessment(snapshot=snapshot_2026_11(), owner=owner)
    assessment.full_clean(validate_unique=False)
    assessment.save(force_insert=True)
    assessment.refresh_from_db()
    assert (assessment.disposition, assessment.all_changes) == ("stop", None)
    assert {name: getattr(assessment, name) for name in FIELDS_2026_11} == SNAPSHOT_2026_11

    client = Client()
    client.force_login(owner)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert headline(html) == Disposition.STOP.headline
    assert_rendered_as_saved(html, SNAPSHOT_2026_11)


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


# --- The admin --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_filters_by_rulebook_version(staff_client):
    old = build_assessment(snapshot=snapshot_2026_11())
    old.save(force_insert=True)
    new = save_assessment(SAFE_ANSWERS)

    changelist = staff_client.get(CHANGELIST_URL).context["cl"]
    version_filter = next(f for f in changelist.filter_specs if f.title == "rulebook version")
    offered = [choice["display"] for choice in version_filter.choices(changelist)]
    assert offered == ["All", "2026.12", "2026.11"]
    for version, expected in [("2026.11", old), ("2026.12", new)]:
        response = staff_client.get(CHANGELIST_URL, {"rulebook_version": version})
        assert [row.pk for row in response.context["cl"].result_list] == [expected.pk]


@pytest.mark.django_db
def test_the_admin_lists_and_filters_by_disposition(staff_client):
    old = build_assessment(snapshot=snapshot_2026_11())
    old.save(force_insert=True)
    safe = save_assessment(SAFE_ANSWERS)

    page = staff_client.get(CHANGELIST_URL).content.decode()
    assert Disposition.STOP.label in page and Disposition.GO_AHEAD.label in page
    for code, expected in [("stop", old), ("go_ahead", safe)]:
        response = staff_client.get(CHANGELIST_URL, {"disposition__exact": code})
        assert [row.pk for row in response.context["cl"].result_list] == [expected.pk]
