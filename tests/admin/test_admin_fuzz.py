"""Whatever staff send, the admin never answers 500 and never shows another clinic's rows.

Every list registered on `admin.site` (read at collection time, so a new admin is covered
without touching this file), as clinic staff (the lists they can open) and as the operator (a
superuser): bad list parameters by GET, bad object ids on every object URL and on the admin's
"view on site" shortcut, and bad posts to every action. Each answer is a 400, a 404, a redirect
(Django's "?e=1" for a filter it cannot apply) or the list, never a 500. On PostgreSQL too:
`DATABASE_URL=postgres://... pytest tests/admin/test_admin_fuzz.py`.
"""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from assessments.models import AuditEvent
from tests.support.queue import CONSULT_ANSWERS, send

pytestmark = pytest.mark.django_db

ALLOWED = (200, 302, 400, 404)
HUGE = "9" * 30
LEAK_NAME = "Leaky Otherclinic"

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
ADMIN_IDS = [model._meta.label for model, _ in ADMINS]
WHO = ["staff", "operator"]


def date_drill_downs(field: str) -> list[dict]:
    year, month, day = f"{field}__year", f"{field}__month", f"{field}__day"
    return [
        {year: "9999", month: "12"},
        {year: "9999", month: "12", day: "31"},
        {year: "9999"},
        {year: "1", month: "1", day: "1"},
        {year: "0"},
        {year: "-1"},
        {year: "abc"},
        {year: HUGE},
        {year: "2026", month: "13"},
        {year: "2026", month: "0"},
        {year: "2026", month: HUGE},
        {year: "2026", month: "2", day: "31"},
        {year: "2026", month: "1", day: "32"},
        {year: "2026", month: "1", day: HUGE},
        {year: "2026", month: "1", day: "abc"},
        {day: "32"},
        {month: "12"},
        {year: "2026\x00"},
    ]


COMMON_PARAMS = [
    {"index": "abc"},
    {"p": "abc"},
    {"p": "-1"},
    {"p": "99999"},
    {"p": HUGE},
    {"o": "abc"},
    {"o": "-1"},
    {"o": "99"},
    {"o": "1.-2.x"},
    {"foo": "bar"},
    {"e": "1"},
    {"all": "1"},
    {"_facets": "1"},
    {"_to_field": "id"},
    {"_to_field": "password"},
    {"_popup": "1"},
    {"q": "\x00"},
    {"q": "a\x00b"},
    {"q": "x" * 100_000},
    {"q": "%' OR 1=1 --"},
    {"q": "00000000-0000-0000-0000-000000000000"},
    {"\x00": "x"},
    {"o": "\x00"},
    {"p": "\x00"},
    {"foo": "\x00"},
    {"e": "\x00"},
]


def filter_params(changelist) -> list[dict]:
    """For each parameter the list's own filters read: a NUL byte, words, a huge number."""
    names = set()
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    bad = []
    for name in sorted(names):
        for value in ("\x00", "a\x00", "abc", HUGE, "-1", "2026-13-45", "x" * 10_000):
            bad.append({name: value})
    return bad


def date_field_params(changelist) -> list[dict]:
    """Any date field of the model can be filtered by its parts in the URL, not only the date
    hierarchy's: `due_at__year=0` must be refused as surely as `sent_at__year=0`."""
    bad = []
    for field in changelist.model._meta.concrete_fields:
        if isinstance(field, models.DateField):  # DateTimeField is one too
            name = field.name
            for part, value in (("year", "0"), ("year", "99999"), ("month", "13"), ("day", "0")):
                bad.append({f"{name}__{part}": value})
            bad.append({f"{name}__week": HUGE})
    return bad


def bad_list_params(changelist) -> list[dict]:
    params = [*COMMON_PARAMS, *filter_params(changelist), *date_field_params(changelist)]
    if changelist.date_hierarchy:
        params += date_drill_downs(changelist.date_hierarchy)
    return params


BAD_IDS = [
    "1",
    "-1",
    "0",
    HUGE,
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "x" * 5000,
    "a%00b",
    "_5Fx",
]


def bad_selections() -> list[dict]:
    return [
        {},
        {helpers.ACTION_CHECKBOX_NAME: []},
        {helpers.ACTION_CHECKBOX_NAME: [""]},
        {helpers.ACTION_CHECKBOX_NAME: ["not-a-uuid"]},
        {helpers.ACTION_CHECKBOX_NAME: ["\x00"]},
        {helpers.ACTION_CHECKBOX_NAME: ["1", "-1", HUGE]},
        {helpers.ACTION_CHECKBOX_NAME: ["x" * 10_000]},
        {"select_across": "1"},
        {"select_across": "1", helpers.ACTION_CHECKBOX_NAME: ["not-a-uuid"]},
        {"select_across": "abc", helpers.ACTION_CHECKBOX_NAME: ["\x00"]},
        {"select_across": "\x00"},
        {"index": "abc", helpers.ACTION_CHECKBOX_NAME: ["1"]},
        {"index": "-5", helpers.ACTION_CHECKBOX_NAME: ["not-a-uuid"]},
        {"index": HUGE},
    ]


@pytest.fixture
def cast(request, clinic, other_clinic, other_clinic_staff, admin_user):
    """One item in each clinic's queue; the other clinic's carries names staff must never see."""
    own = send(clinic, CONSULT_ANSWERS)
    elsewhere = send(
        other_clinic,
        CONSULT_ANSWERS,
        contact={"contact_way": "phone", "contact_name": LEAK_NAME, "contact_phone": "1"},
    )
    # An entry in each clinic's audit trail, and one without a clinic (the operator's).
    viewer = Client()
    viewer.force_login(other_clinic_staff)
    viewer.get(reverse("admin:clinics_share_change", args=[elsewhere.pk]))
    operator = Client()
    operator.force_login(admin_user)
    operator.get(reverse("admin:assessments_assessment_change", args=[own.assessment_id]))
    secrets = {
        LEAK_NAME,
        str(elsewhere.pk),
        str(elsewhere.assessment_id),
        *(str(pk) for pk in AuditEvent.objects.filter(clinic=other_clinic).values_list("pk")),
    }
    return {"own": own, "elsewhere": elsewhere, "secrets": secrets}


@pytest.fixture
def as_who(request, client, admin_user):
    """(the logged-in client, the user) for "staff" or "operator"."""

    def log_in(who):
        user = request.getfixturevalue("clinic_staff") if who == "staff" else admin_user
        client.force_login(user)
        # A 500 is collected as an answer, with the others, rather than raised at the first.
        client.raise_request_exception = False
        return client, user

    return log_in


def list_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def opens_list(model_admin, user) -> bool:
    request = RequestFactory().get("/")
    request.user = user
    return model_admin.has_view_or_change_permission(request) and (
        model_admin.has_module_permission(request)
    )


def row_exists(model, object_id: str) -> bool:
    """Whether `object_id` is a (small) integer key of a row of `model`, such as "1"."""
    try:
        key = model._meta.pk.to_python(object_id)
    except ValidationError:
        return False
    return isinstance(key, int) and abs(key) < 2**31 and model._base_manager.filter(pk=key).exists()


class Failures:
    """Collects every bad answer, so one run names them all."""

    def __init__(self, secrets: set[str], staff: bool):
        self.secrets = secrets if staff else set()
        self.found: list[str] = []

    def check(self, what: str, response, *, forbidden_is_fine: bool = False) -> None:
        allowed = (*ALLOWED, 403) if forbidden_is_fine else ALLOWED
        if response.status_code not in allowed:
            self.found.append(f"{response.status_code} for {what!r}")
            return
        body = b"".join(response) if response.streaming else response.content
        text = body.decode(errors="replace") + response.get("Location", "")
        leaked = sorted(secret for secret in self.secrets if secret in text)
        if leaked:
            self.found.append(f"{leaked} shown for {what!r}")

    def assert_none(self) -> None:
        assert not self.found, "\n".join(self.found)


def _changelist(client, model):
    response = client.get(list_url(model))
    assert response.status_code == 200, response.status_code
    return response.context_data["cl"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=ADMIN_IDS)
def test_bad_list_parameters_are_never_a_500_nor_a_leak(cast, as_who, who, model, model_admin):
    client, user = as_who(who)
    url = list_url(model)
    if not opens_list(model_admin, user):
        assert client.get(url).status_code in (302, 403, 404)
        return
    failures = Failures(cast["secrets"], who == "staff")

    for params in bad_list_params(_changelist(client, model)):
        query = urlencode(params, doseq=True)
        response = client.get(f"{url}?{query}")
        failures.check(query[:80], response)
        if response.status_code == 302:
            failures.check(f"then {query[:80]}", client.get(response["Location"]))

    failures.assert_none()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=ADMIN_IDS)
def test_bad_object_ids_are_404(cast, as_who, who, model, model_admin):
    client, user = as_who(who)
    failures = Failures(cast["secrets"], who == "staff")
    base = list_url(model)
    content_type = ContentType.objects.get_for_model(model)
    # Django's own answer where the row is there (an integer id such as 1) or where this user
    # may not use the model at all (auth's change-password view asks before looking up): 403.
    no_permission = not opens_list(model_admin, user)

    for object_id in BAD_IDS:
        forbidden_is_fine = no_permission or row_exists(model, object_id)
        for view in ("change", "history", "delete", "password"):
            url = f"{base}{object_id}/{view}/"
            for method in (client.get, client.post):
                response = method(url, {"post": "yes"})
                what = f"{method.__name__.upper()} {url[:80]}"
                failures.check(what, response, forbidden_is_fine=forbidden_is_fine)
        failures.check(f"{base}{object_id[:40]}", client.get(f"{base}{object_id}/"))
        shortcut = f"/admin/r/{content_type.pk}/{object_id}/"
        failures.check(shortcut[:80], client.get(shortcut))

    failures.assert_none()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    "url",
    [
        "/admin/r/1/1/",
        "/admin/r/abc/1/",
        "/admin/r/-1/1/",
        f"/admin/r/{HUGE}/1/",
        "/admin/r/1/not-a-uuid/",
        "/admin/r/%00/%00/",
        "/admin/r/1/%00/",
    ],
)
def test_the_view_on_site_shortcut_never_fails(cast, as_who, who, url):
    client, _ = as_who(who)

    assert client.get(url).status_code in ALLOWED


@pytest.mark.parametrize(("who", "answer"), [("staff", 404), ("operator", 302)])
def test_view_on_site_is_only_for_a_row_the_users_admin_shows(cast, as_who, who, answer):
    # Assessments have a page on the site (the result); their admin list is the operator's.
    client, _ = as_who(who)
    content_type = ContentType.objects.get_for_model(cast["own"].assessment)

    response = client.get(f"/admin/r/{content_type.pk}/{cast['own'].assessment_id}/")

    assert response.status_code == answer


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=ADMIN_IDS)
def test_bad_action_posts_are_never_a_500_nor_a_leak(cast, as_who, who, model, model_admin):
    client, user = as_who(who)
    url = list_url(model)
    if not opens_list(model_admin, user):
        assert client.post(url, {"action": "x"}).status_code in (302, 403, 404)
        return
    failures = Failures(cast["secrets"], who == "staff")
    request = RequestFactory().get(url)
    request.user = user
    actions = list(model_admin.get_actions(request))

    for action in actions:
        for selection in bad_selections():
            data = {"action": action, **selection}
            failures.check(f"{action} {selection}"[:120], client.post(url, data))
    for action in ("nonsense", "", "\x00", ["x", "y"]):
        data = {"action": action, helpers.ACTION_CHECKBOX_NAME: ["not-a-uuid"], "index": "1"}
        failures.check(f"unknown action {action!r}", client.post(url, data))
    for action in actions:
        # An action over "all" of a list filtered with bad parameters.
        for query in ("q=%00", "p=abc", "foo=bar", "o=abc"):
            data = {"action": action, "select_across": "1"}
            failures.check(f"{action} all of ?{query}", client.post(f"{url}?{query}", data))

    failures.assert_none()


def test_the_leak_check_would_see_another_clinics_row(cast, as_who):
    # The names the checks above look for are on the page whenever the row is listed.
    client, _ = as_who("operator")

    page = client.get(reverse("admin:clinics_share_changelist")).content.decode()

    assert LEAK_NAME in page or str(cast["elsewhere"].pk) in page
