"""Bad parameters on the queue and the audit trail: never a 500 (a 400, a 404, or the list with
a message), and never another clinic's rows."""

import pytest

from tests.support.queue import AUDIT_URL, CONSULT_ANSWERS, QUEUE_URL, send

pytestmark = pytest.mark.django_db

BAD_PARAMS = [
    {"sent_at__year": "abc"},
    {"sent_at__year": "2026", "sent_at__month": "13"},
    {"sent_at__year": "2026", "sent_at__month": "2", "sent_at__day": "31"},
    {"sent_at__year": "99999"},
    {"sent_at__year": "0"},
    {"sent_at__year": "-1"},
    {"at__year": "abc"},
    {"q": "\x00"},
    {"q": "x" * 1_000_000},
    {"q": "not-a-uuid-0000-0000-0000-000000000000"},
    {"q": "%' OR 1=1 --"},
    {"status__exact": "\x00"},
    {"status__exact": "nonsense"},
    {"disposition__exact": "x" * 10_000},
    {"overdue": "\x00"},
    {"assigned": "everyone"},
    {"clinic": "\x00"},
    {"clinic__id__exact": "abc"},
    {"action__exact": "\x00"},
    {"actor__id__exact": "abc"},
    {"index": "abc"},
    {"p": "abc"},
    {"p": "-1"},
    {"p": "99999999999999999999"},
    {"o": "\x00"},
    {"_facets": "\x00"},
    {"all": "\x00"},
    {"e": "1"},
    {"_to_field": "id"},
    {"_to_field": "assessment__answers"},
    {"assessment__answers__contains": "x"},
]


@pytest.mark.parametrize("url", [QUEUE_URL, AUDIT_URL])
@pytest.mark.parametrize("params", BAD_PARAMS, ids=lambda p: "&".join(p)[:40] or "none")
def test_bad_list_parameters_are_never_a_500_nor_a_leak(staff_client, other_clinic, url, params):
    send(other_clinic, CONSULT_ANSWERS, contact={"contact_way": "phone", "contact_name": "Leak"})

    response = staff_client.get(url, params)

    assert response.status_code in (200, 302, 400, 404), response.status_code
    if response.status_code == 200:
        assert list(response.context_data["cl"].result_list) == []
        assert ">Leak<" not in response.content.decode()


@pytest.mark.parametrize(
    "object_id",
    ["not-a-uuid", "%00", "1", "x" * 5000, "00000000-0000-0000-0000-000000000000"],
)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_bad_item_ids_are_404(staff_client, object_id, view):
    response = staff_client.get(f"{QUEUE_URL}{object_id}/{view}/")
    posted = staff_client.post(f"{QUEUE_URL}{object_id}/{view}/", {"status": "closed"})

    assert response.status_code == 404
    assert posted.status_code == 404


@pytest.mark.parametrize(
    "selected", [["not-a-uuid"], ["\x00"], ["x" * 100_000], [], ["1", "2"]], ids=str
)
def test_bad_selections_for_actions_are_never_a_500(staff_client, clinic, selected):
    send(clinic, CONSULT_ANSWERS)

    for action in ("assign_to_me", "mark_closed", "export_csv", "nonsense", "\x00"):
        response = staff_client.post(QUEUE_URL, {"action": action, "_selected_action": selected})
        assert response.status_code in (200, 302, 400), (action, response.status_code)
