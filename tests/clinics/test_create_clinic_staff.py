"""`manage.py create_clinic_staff`: a member of the "Clinic staff" group for named clinics, made
or extended one at a time, never by default."""

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


@pytest.fixture(autouse=True)
def _clinics(clinic, other_clinic):
    """Every test here has the two clinics of the cast: "north" and "south"."""


def run(*args: str, clinics: tuple[str, ...] = ("north",)) -> str:
    out = io.StringIO()
    clinic_args = [arg for slug in clinics for arg in ("--clinic", slug)]
    call_command("create_clinic_staff", *args, *clinic_args, stdout=out)
    return out.getvalue()


def test_it_creates_a_staff_member_of_the_clinic_with_the_prompted_password(
    terminal, django_user_model, clinic
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
    assert "Member of: North Hair Clinic." in output
    assert list(user.clinics.all()) == [clinic]
    assert list(user.groups.values_list("name", flat=True)) == [CLINIC_STAFF_GROUP]
    # The queue of what was sent to their clinic, and its audit trail; not every assessment.
    assert user.has_perm("clinics.view_share")
    assert user.has_perm("clinics.change_share")
    assert user.has_perm("assessments.view_auditevent")
    assert not user.has_perm("assessments.view_assessment")
    assert not user.has_perm("clinics.delete_share")
    assert not user.has_perm("clinics.change_clinic")
    assert not user.has_perm("auth.change_user")


def test_it_makes_a_member_of_every_clinic_named(terminal, django_user_model, clinic, other_clinic):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])

    run("nurse.jo", "--email", "jo@clinic.example", clinics=("south", "north", "north"))

    user = django_user_model.objects.get(username="nurse.jo")
    assert set(user.clinics.all()) == {clinic, other_clinic}


def test_run_again_for_a_staff_member_it_adds_the_clinic_and_changes_nothing_else(
    terminal, clinic_staff, clinic, other_clinic
):
    password_before = clinic_staff.password

    output = run("STAFF", "--email", "STAFF@example.org", clinics=("south",))

    clinic_staff.refresh_from_db()
    assert "Added 'staff' to: South Skin Clinic." in output
    assert set(clinic_staff.clinics.all()) == {clinic, other_clinic}
    assert clinic_staff.password == password_before
    assert terminal == []  # no password was asked for
    assert "already a member" in run("staff", "--email", "staff@example.org")


def test_it_refuses_to_extend_an_account_that_is_not_clinic_staff(owner, admin_user):
    for user in (owner, admin_user):
        with pytest.raises(CommandError, match="is not clinic staff"):
            run(user.get_username(), "--email", user.email)

        assert not user.clinics.exists()


def test_it_refuses_to_extend_a_staff_member_given_another_email(clinic_staff, other_clinic):
    with pytest.raises(CommandError, match="another email"):
        run("staff", "--email", "someone.else@example.org", clinics=("south",))

    assert not other_clinic.members.exists()


@pytest.mark.parametrize("slug", ["nowhere", "NORTH", "", "x" * 500, "north\x00"])
def test_it_refuses_a_clinic_that_does_not_exist(terminal, django_user_model, slug):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])

    with pytest.raises(CommandError, match="No clinic with the slug"):
        run("nurse.jo", "--email", "jo@clinic.example", clinics=(slug,))

    assert not django_user_model.objects.filter(username="nurse.jo").exists()


def test_it_needs_a_clinic(django_user_model):
    with pytest.raises(CommandError, match="--clinic"):
        run("nurse.jo", "--email", "jo@clinic.example", clinics=())

    assert not django_user_model.objects.filter(username="nurse.jo").exists()


def test_it_lets_the_new_staff_member_into_their_clinic_queue(terminal, client):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])
    run("nurse.jo", "--email", "jo@clinic.example")

    response = client.post(
        "/admin/login/?next=/admin/clinics/share/",
        {"username": "nurse.jo", "password": GOOD_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/admin/clinics/share/"
    assert response.status_code == 200


def test_the_new_staff_member_logs_in_on_the_sites_log_in_page_too(terminal, client):
    # The operator vouches for the address: no "Check your email" at the site's log-in.
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])
    run("nurse.jo", "--email", "jo@clinic.example")

    response = client.post(
        "/accounts/login/", {"login": "nurse.jo", "password": GOOD_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/my/assessments/"
    assert client.get("/admin/clinics/share/").status_code == 200


def test_it_refuses_an_address_another_account_has_confirmed(terminal, owner, django_user_model):
    terminal.extend([GOOD_PASSWORD, GOOD_PASSWORD])

    with pytest.raises(CommandError, match="Another account already has that email address"):
        run("nurse.jo", "--email", owner.email.upper())

    assert not django_user_model.objects.filter(username="nurse.jo").exists()


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

    assert not django_user_model.objects.filter(username="nurse.jo").exists()


def test_it_refuses_a_bad_email(terminal, django_user_model):
    with pytest.raises(CommandError, match="Not a valid email"):
        run("nurse.jo", "--email", "not-an-email")

    assert not django_user_model.objects.filter(username="nurse.jo").exists()


def test_it_refuses_to_prompt_without_a_terminal(monkeypatch, django_user_model):
    monkeypatch.setattr(create_clinic_staff, "can_prompt", lambda: False)

    with pytest.raises(CommandError, match="--set-password-link"):
        run("nurse.jo", "--email", "jo@clinic.example")

    assert not django_user_model.objects.filter(username="nurse.jo").exists()


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
    assert link.startswith("https://scalpsafe.example.org/accounts/password/reset/key/")
    form = client.get(link.removeprefix("https://scalpsafe.example.org"), follow=True)
    assert "Set my new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    # Used once: the same link no longer works.
    again = client.get(link.removeprefix("https://scalpsafe.example.org"), follow=True)
    assert "expired or has already been used" in again.content.decode()


@pytest.mark.parametrize("base_url", [None, "scalpsafe.example.org", "ftp://example.org"])
def test_it_needs_a_web_address_for_the_link(django_user_model, base_url):
    args = ["nurse.jo", "--email", "jo@clinic.example", "--set-password-link"]
    if base_url:
        args += ["--base-url", base_url]

    with pytest.raises(CommandError, match="base-url"):
        run(*args)

    assert not django_user_model.objects.filter(username="nurse.jo").exists()
