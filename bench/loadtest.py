"""`make loadtest`: 50 simulated people take the whole questionnaire for 60 s against gunicorn.

Some go Back, some leave and resume through /assessment/, some (--share, 20 %) send their result
to a clinic. Runs on SQLite and on PostgreSQL (a fresh database `scalpsafe_loadtest` on
BENCH_DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432). Passes only with zero
errors and exactly as many saved assessments as completed questionnaires.

    python bench/loadtest.py [--seconds 60] [--people 50] [--database sqlite|postgres|both]
    python bench/loadtest.py --url http://127.0.0.1:PORT --database-url postgres://...

--url drives a site that is already running (`make cluster` runs it through nginx this way),
counting saved assessments in --database-url; its database must have an active clinic when
--share is above 0. LOADTEST_SECONDS shortens a run. People start no new questionnaire after
the time is up and finish the one they are in (at most 120 s more), so the count is exact.
Loopback only.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.live import REPO, Database, Load, Server, log, workdir  # noqa: E402

SEED = Path(__file__).resolve().parent / "seed.py"


def summarise(load: Load, *, database: str, saved: int, server_errors: int) -> dict:
    summary = {
        "database": database,
        "people": load.people,
        "seconds": round(load.elapsed, 1),
        "completed": len(load.completed),
        "saved": saved,
        "sent_to_a_clinic": len(load.shared),
        "errors": sum(load.errors.values()),
        "errors_by_kind": dict(load.errors),
        "error_examples": load.error_examples,
        "server_5xx_in_access_log": server_errors,
        "went_back": load.behaviour["went back"],
        "left_and_resumed": load.behaviour["left and resumed"],
        "cut_and_retried": dict(load.cut_retried),
    }
    summary["passed"] = (
        summary["errors"] == 0 and summary["completed"] == saved and server_errors == 0
    )
    return summary


def drive(base_url: str, *, people: int, seconds: float, share: float, **options) -> Load:
    """The load itself, against a site already serving at `base_url` (options: Load's)."""
    return Load(base_url, people=people, seconds=seconds, share=share, **options).run()


def run_against(url: str, database_url: str, *, seconds: float, people: int, share: float) -> dict:
    database = Database(url=database_url)
    before = database.count_assessments()
    log(f"{url}: {people} people for {seconds:.0f} s")
    load = drive(url, people=people, seconds=seconds, share=share)
    saved = database.count_assessments() - before
    return summarise(load, database=database.kind, saved=saved, server_errors=0)


def run_one(kind: str, *, seconds: float, people: int, share: float) -> dict:
    with workdir(f"scalpsafe-loadtest-{kind}-") as folder:
        database = (
            Database.postgres("scalpsafe_loadtest")
            if kind == "postgres"
            else Database.sqlite(folder)
        )
        try:
            with Server(database, folder) as server:
                log(f"{kind}: collectstatic, migrate, gunicorn")
                server.prepare()
                server.run_script(SEED, "clinic", "loadtest", "clinic@example.org")
                server.start()
                log(f"{kind}: {people} people for {seconds:.0f} s")
                load = drive(server.base_url, people=people, seconds=seconds, share=share)
                saved = database.count_assessments()
                server_errors = sum(
                    1 for line in server.log_path.read_text().splitlines() if '" 5' in line
                )
        finally:
            database.drop()
    return summarise(load, database=kind, saved=saved, server_errors=server_errors)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("LOADTEST_SECONDS", 60))
    )
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--share", type=float, default=0.2, help="fraction sent to a clinic (default 0.2)"
    )
    parser.add_argument("--url", help="drive this running site instead of starting gunicorn")
    parser.add_argument("--database-url", help="with --url: the site's PostgreSQL database")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 < args.people <= 200 or not 0 <= args.share <= 1:
        raise SystemExit(
            "--seconds must be in (0, 600], --people in (0, 200] and --share in [0, 1]"
        )
    if args.url:
        if not args.database_url:
            raise SystemExit("--url needs --database-url, to count what was saved")
        results = [
            run_against(
                args.url,
                args.database_url,
                seconds=args.seconds,
                people=args.people,
                share=args.share,
            )
        ]
    else:
        kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
        results = [
            run_one(kind, seconds=args.seconds, people=args.people, share=args.share)
            for kind in kinds
        ]
    print(
        f"{'database':<10} {'people':>6} {'seconds':>7} {'completed':>9} {'saved':>6} "
        f"{'errors':>6} {'back':>5} {'resumed':>7} {'sent':>5}  result"
    )
    for r in results:
        print(
            f"{r['database']:<10} {r['people']:>6} {r['seconds']:>7} {r['completed']:>9} "
            f"{r['saved']:>6} {r['errors']:>6} {r['went_back']:>5} {r['left_and_resumed']:>7} "
            f"{r['sent_to_a_clinic']:>5}  {'PASS' if r['passed'] else 'FAIL'}"
        )
        for example in r["error_examples"]:
            print(f"  {example}")
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"loadtest-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {path.relative_to(REPO)}")
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
