"""Seed data for the benchmark, fast, through the Django ORM (bulk_create).

Run with the server's environment (tests/support/live.py `Server.run_script`):

    python bench/seed.py user NAME PASSWORD [--staff | --clinic SLUG] [--assessments N]
    python bench/seed.py fill TOTAL [--shared-to SLUG]
        # add anonymous assessments until the table has TOTAL, each sent to the clinic SLUG
    python bench/seed.py clinic SLUG NOTIFY_EMAIL [--staff NAME PASSWORD]
        # an active clinic, and a member of its staff

--staff makes the operator (a superuser); --clinic SLUG a member of that clinic's staff (the
clinic is made when missing), who sees its queue in the admin.

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
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION  # noqa: E402
from assessments.scoring import score  # noqa: E402
from clinics.models import Clinic, ContactWay, Share  # noqa: E402
from clinics.queue_reasons import has_note, reasons_in_words  # noqa: E402
from clinics.services import CLINIC_STAFF_GROUP  # noqa: E402
from clinics.working_time import due_at  # noqa: E402
from tests.support.live import random_answers  # noqa: E402

BATCH = 2_000


def _snapshots(count: int = 64) -> list[dict]:
    rng = random.Random(2026)
    return [score(random_answers(rng)).to_dict() for _ in range(count)]


def bench_clinic(slug: str) -> Clinic:
    clinic, _ = Clinic.objects.get_or_create(
        slug=slug, defaults={"name": f"Clinic {slug}", "notify_email": f"{slug}@example.org"}
    )
    return clinic


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
    if args.clinic:
        person.is_staff = True
        person.save()
        person.groups.add(Group.objects.get(name=CLINIC_STAFF_GROUP))
        bench_clinic(args.clinic).members.add(person)
    ids = add_assessments(args.assessments, owner=person)
    return {"username": args.name, "assessment_ids": [str(i) for i in ids[:3]]}


def _copy_sql(source_ids: list, shift_minutes: int) -> tuple[str, list]:
    """SQL copying the rows `source_ids` as new anonymous rows taken `shift_minutes` earlier."""
    vendor = connection.vendor
    new_uuid = "gen_random_uuid()" if vendor == "postgresql" else "lower(hex(randomblob(16)))"

    def earlier(column: str) -> str:
        if vendor == "postgresql":
            return f"{column} - interval '{shift_minutes} minutes'"
        return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '-{shift_minutes} minutes')"

    columns, values = [], []
    for field in Assessment._meta.concrete_fields:
        if field.generated:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in ("id", "submission_id"):
            values.append(new_uuid)
        elif field.name in ("created_at", "consent_at"):
            values.append(earlier(field.column))
        else:
            values.append(connection.ops.quote_name(field.column))
    table = Assessment._meta.db_table
    placeholders = ", ".join(["%s"] * len(source_ids))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {table} WHERE id IN ({placeholders})"
    )
    pk = Assessment._meta.pk
    return sql, [pk.get_db_prep_value(i, connection) for i in source_ids]


def _share_unshared(clinic: Clinic) -> None:
    """A share to `clinic` for every anonymous assessment not sent anywhere, as share_send
    makes it (without its notification and audit rows): sent when taken, due as its
    disposition's reply time after that, contact details given."""
    now = timezone.now()
    due_after = {}
    unshared = Assessment.objects.filter(owner=None, shares=None).order_by("pk")
    last = None
    while True:
        # A batch at a time: each row carries its factor snapshot (about 11 KB), for the reasons.
        rows = list(
            (unshared.filter(pk__gt=last) if last else unshared).values_list(
                "pk", "created_at", "disposition", "factors", "consult_professional", "answers"
            )[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        batch = []
        for pk, created, disposition, factors, consult, answers in rows:
            if disposition not in due_after:
                due = due_at(disposition, now)
                due_after[disposition] = None if due is None else due - now
            batch.append(
                Share(
                    assessment_id=pk,
                    clinic=clinic,
                    sent_at=created,
                    disposition=disposition,
                    result_disposition=disposition,
                    due_at=None
                    if due_after[disposition] is None
                    else created + due_after[disposition],
                    queue_reasons=reasons_in_words(factors, consult),
                    has_note=has_note(answers),
                    contact_way=ContactWay.EMAIL,
                    contact_name="Bench Person",
                    contact_email="person@example.org",
                )
            )
        Share.objects.bulk_create(batch)


def fill(args) -> dict:
    """Scored rows for the first BATCH, then copies of them in SQL (each copy taken
    BATCH minutes earlier than the last): 100,000 rows in seconds rather than minutes."""
    missing = max(0, args.total - Assessment.objects.count())
    first = add_assessments(min(missing, BATCH))
    copied = 1
    while len(first) * copied < missing:
        chunk = first[: missing - len(first) * copied]
        sql, params = _copy_sql(chunk, BATCH * copied)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
        copied += 1
    if args.shared_to:
        _share_unshared(bench_clinic(args.shared_to))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load, done before measuring rather than
            # during the first run: the tables' visibility maps and fresh planner statistics
            # (and the row estimate the admin's paginator reads).
            cursor.execute("VACUUM (ANALYZE) assessments_assessment")
            cursor.execute("VACUUM (ANALYZE) clinics_share")
            # And the checkpoint that would otherwise write the load out during the first run
            # (the sixteenth sitting's first PostgreSQL run was low on every page). Only a
            # superuser may ask for one, as the bench's own server role is.
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
    return {
        "added": missing,
        "total": Assessment.objects.count(),
        "shared": Share.objects.count(),
    }


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
    user_parser.add_argument("--clinic", metavar="SLUG")
    user_parser.add_argument("--assessments", type=int, default=0)
    fill_parser = commands.add_parser("fill")
    fill_parser.add_argument("total", type=int)
    fill_parser.add_argument("--shared-to", metavar="SLUG")
    clinic_parser = commands.add_parser("clinic")
    clinic_parser.add_argument("slug")
    clinic_parser.add_argument("notify_email")
    clinic_parser.add_argument("--staff", nargs=2, metavar=("NAME", "PASSWORD"))
    args = parser.parse_args()
    commands_by_name = {"user": user, "fill": fill, "clinic": clinic}
    print(json.dumps(commands_by_name[args.command](args)))


if __name__ == "__main__":
    main()
