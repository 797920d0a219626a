"""`manage.py create_clinic_staff`: one member of the "Clinic staff" group, never a default."""

import io

import pytest
from django.core.management import CommandError, call_command

from clinics.management.commands import create_clinic_staff
from clinics.services import CLINIC_STAFF_GROUP

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def terminal(monkeypatch):
    """A terminal that answers the password prompts with `answers`, in order."""
    answers: list[str] = []
    monkeypatch.setattr(create_clinic_staff, "can_prompt", lambda: True)
    monkeypatch.setattr(create_clinic_staff.getpass, "getpass", lambda prompt: answers.pop(0))
    return answers


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_clinic_staff", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_staff_member_in_the_group_with_the_prompted_password(
    terminal, django_user_model
):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])

    output = run("nurse.jo", "--email", "jo@clinic.example")

    user = django_user_model.objects.get(username="nurse.jo")
    assert "Created clinic staff member 'nurse.jo'" in output
    assert GOOD_PASSWORD not in output
    assert (user.email, user.is_staff, user.is_active, user.is_superuser) == (
        "jo@clinic.example",
        True,
        True,
        False,
    )
    assert user.check_password(GOOD_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [CLINIC_STAFF_GROUP]
    assert user.has_perm("assessments.change_assessment")
    assert not user.has_perm("assessments.delete_assessment")
    assert not user.has_perm("assessments.add_assessment")
    assert not user.has_perm("auth.change_user")


def test_it_lets_the_new_staff_member_into_the_admin(terminal, client):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])
    run("nurse.jo", "--email", "jo@clinic.example")

    response = client.post(
        "/admin/login/?next=/admin/assessments/assessment/",
        {"username": "nurse.jo", "password": GOOD_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/admin/assessments/assessment/"
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([GOOD_PASSWORD, GOOD_PASSWORD + "x"], "did not match"),
        (["short", "short"], "too short"),
        (["nurse.jo1234", "nurse.jo1234"], "too similar"),
        (["123456789012", "123456789012"], "entirely numeric"),
    ],
)
def test_it_refuses_a_bad_password(terminal, django_user_model, answers, message):
    terminal.extend(answers)

    with pytest.raises(CommandError, match=message):
        run("nurse.jo", "--email", "jo@clinic.example")

    assert not django_user_model.objects.exists()


def test_it_refuses_an_existing_username(terminal, clinic_staff, django_user_model):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])

    with pytest.raises(CommandError, match="already exists"):
        run("STAFF", "--email", "other@clinic.example")

    assert django_user_model.objects.count() == 1


def test_it_refuses_a_bad_email(terminal, django_user_model):
    with pytest.raises(CommandError, match="Not a valid email"):
        run("nurse.jo", "--email", "not-an-email")

    assert not django_user_model.objects.exists()


def test_it_refuses_to_prompt_without_a_terminal(monkeypatch, django_user_model):
    monkeypatch.setattr(create_clinic_staff, "can_prompt", lambda: False)

    with pytest.raises(CommandError, match="--set-password-link"):
        run("nurse.jo", "--email", "jo@clinic.example")

    assert not django_user_model.objects.exists()


def test_it_prints_a_one_time_link_to_set_the_password(client, django_user_model):
    output = run(
        "nurse.jo",
        "--email",
        "jo@clinic.example",
        "--set-password-link",
        "--base-url",
        "https://scalpsafe.example.org/",
    )

    user = django_user_model.objects.get(username="nurse.jo")
    assert not user.has_usable_password()
    link = output.strip().splitlines()[-1]
    assert link.startswith("https://scalpsafe.example.org/accounts/reset/")
    form = client.get(link.removeprefix("https://scalpsafe.example.org"), follow=True)
    assert form.context["validlink"] is True
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    # Used once: the same link no longer works.
    again = client.get(link.removeprefix("https://scalpsafe.example.org"), follow=True)
    assert again.context["validlink"] is False


@pytest.mark.parametrize("base_url", [None, "scalpsafe.example.org", "ftp://example.org"])
def test_it_needs_a_web_address_for_the_link(django_user_model, base_url):
    args = ["nurse.jo", "--email", "jo@clinic.example", "--set-password-link"]
    if base_url:
        args += ["--base-url", base_url]

    with pytest.raises(CommandError, match="base-url"):
        run(*args)

    assert not django_user_model.objects.exists()
