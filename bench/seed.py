"""Seed data for the benchmark, fast, through the Django ORM (bulk_create).

Run with the server's environment (tests/support/live.py `Server.run_script`):

    python bench/seed.py user NAME PASSWORD [--staff] [--assessments N]
    python bench/seed.py fill TOTAL        # add anonymous assessments until the table has TOTAL
    python bench/seed.py clinic SLUG NOTIFY_EMAIL [--staff NAME PASSWORD]
                                           # an active clinic, and a member of its staff

Prints one JSON object on stdout. Rows are real scored results (assessments.scoring.score) of
random valid answers, so a realistic share of them is flagged for a professional.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

import argparse
import json
import os
import random
import sys
import uuid
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scalpsafe.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION  # noqa: E402
from assessments.scoring import score  # noqa: E402
from tests.support.live import random_answers  # noqa: E402

BATCH = 2_000


def _snapshots(count: int = 64) -> list[dict]:
    rng = random.Random(2026)
    return [score(random_answers(rng)).to_dict() for _ in range(count)]


def add_assessments(count: int, owner=None) -> list[uuid.UUID]:
    snapshots = _snapshots()
    now = timezone.now()
    ids: list[uuid.UUID] = []
    for start in range(0, count, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, count)):
            snap = snapshots[i % len(snapshots)]
            created = now - timedelta(minutes=i)
            rows.append(
                Assessment.from_snapshot(
                    snap,
                    owner=owner,
                    anonymous_owner="" if owner else f"bench-{i % 1000}",
                    submission_id=uuid.uuid4(),
                    created_at=created,
                    consent_at=created,
                    consent_notice_version=PRIVACY_NOTICE_VERSION,
                )
            )
        Assessment.objects.bulk_create(rows)
        ids += [row.id for row in rows]
    return ids


def user(args) -> dict:
    model = get_user_model()
    person = model.objects.create_user(args.name, f"{args.name}@example.org", args.password)
    # Confirmed, as after signing up: the site's log-in asks to confirm an address otherwise.
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    if args.staff:
        person.is_staff = person.is_superuser = True
        person.save()
    ids = add_assessments(args.assessments, owner=person)
    return {"username": args.name, "assessment_ids": [str(i) for i in ids[:3]]}


def fill(args) -> dict:
    missing = max(0, args.total - Assessment.objects.count())
    add_assessments(missing)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: fresh planner statistics (and the row
        # estimate the admin's paginator reads).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE assessments_assessment")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"added": missing, "total": Assessment.objects.count()}


def clinic(args) -> dict:
    from clinics.services import clinic_create, clinic_staff_create

    made = clinic_create(name=f"Clinic {args.slug}", slug=args.slug, notify_email=args.notify_email)
    staff = None
    if args.staff:
        name, password = args.staff
        staff = clinic_staff_create(
            username=name, email=f"{name}@example.org", password=password, clinics=[made]
        ).username
    return {"clinic": made.pk, "slug": made.slug, "staff": staff}


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    user_parser = commands.add_parser("user")
    user_parser.add_argument("name")
    user_parser.add_argument("password")
    user_parser.add_argument("--staff", action="store_true")
    user_parser.add_argument("--assessments", type=int, default=0)
    fill_parser = commands.add_parser("fill")
    fill_parser.add_argument("total", type=int)
    clinic_parser = commands.add_parser("clinic")
    clinic_parser.add_argument("slug")
    clinic_parser.add_argument("notify_email")
    clinic_parser.add_argument("--staff", nargs=2, metavar=("NAME", "PASSWORD"))
    args = parser.parse_args()
    commands_by_name = {"user": user, "fill": fill, "clinic": clinic}
    print(json.dumps(commands_by_name[args.command](args)))


if __name__ == "__main__":
    main()
