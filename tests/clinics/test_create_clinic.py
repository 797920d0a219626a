"""`manage.py create_clinic`: a clinic people can send their results to, with its link."""

import io

import pytest
from django.core.management import CommandError, call_command

from clinics.models import Clinic

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_clinic", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_active_clinic_and_prints_its_link():
    output = run(
        "--name",
        " East Trichology ",
        "--slug",
        "east",
        "--notify-email",
        "queue@east.example",
        "--phone",
        "020 7946 0099",
        "--email",
        "hello@east.example",
        "--address",
        "1 High Street",
    )

    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.slug, clinic.notify_email, clinic.is_active) == (
        "East Trichology",
        "east",
        "queue@east.example",
        True,
    )
    assert (clinic.phone, clinic.email, clinic.address) == (
        "020 7946 0099",
        "hello@east.example",
        "1 High Street",
    )
    assert "Its link: /c/east/" in output
    assert clinic.get_absolute_url() == "/c/east/"


def test_it_refuses_a_slug_already_taken(clinic):
    with pytest.raises(CommandError, match="--slug"):
        run("--name", "Another", "--slug", "north", "--notify-email", "a@b.example")

    assert Clinic.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--slug", "has space"], "--slug"),
        (["--slug", "x" * 61], "--slug"),
        (["--slug", "nul\x00"], "--slug"),
        (["--notify-email", "not-an-email"], "--notify-email"),
        (["--email", "nope"], "--email"),
        (["--name", ""], "--name"),
        (["--name", "x" * 1_000_000], "--name"),
    ],
)
def test_it_refuses_bad_values_with_a_clear_message(args, problem):
    values = {"--name": "East", "--slug": "east", "--notify-email": "queue@east.example"}
    values.update(dict(zip(args[::2], args[1::2], strict=True)))

    with pytest.raises(CommandError, match=problem):
        run(*[part for pair in values.items() for part in pair])

    assert not Clinic.objects.exists()


@pytest.mark.parametrize("missing", ["--name", "--slug", "--notify-email"])
def test_it_needs_a_name_a_slug_and_a_notification_address(missing):
    values = {"--name": "East", "--slug": "east", "--notify-email": "queue@east.example"}
    del values[missing]

    with pytest.raises(CommandError, match=f"required: {missing}"):
        run(*[part for pair in values.items() for part in pair])
