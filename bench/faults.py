"""`make faults`: the reliability scenarios of docs/reliability.md, against a real gunicorn,
on SQLite and on PostgreSQL.

    python bench/faults.py [--database sqlite|postgresql|both] [--seconds 30] [scenario ...]

restart        stop and start gunicorn mid-questionnaire: the person resumes at the same step.
database-down  the database cut and restored under a running gunicorn (SQLite: its folder renamed
               away, then an exclusive lock held past the busy timeout; PostgreSQL: a loopback
               TCP proxy in front of it cut): the friendly 503 page while cut, every request
               served again afterwards by the same master and workers (no restart).
replays        20 concurrent replays of the final submit make exactly one assessment.
cut-submit     a final submit cut off (connection dropped; worker killed -9 mid-request): the
               person resubmits and reaches the one saved result.
kill-worker    kill -9 three workers under load: the master replaces every one, nothing
               completed is lost, questionnaires in progress resume, requests succeed after.
Then the access log is checked: no 500 at all, 503 only from database-down.

PostgreSQL: a fresh database, dropped afterwards, named by DATABASE_URL (or BENCH_DATABASE_URL)
if set, else postgres://postgres@127.0.0.1:5432/scalpsafe_faults; its name must contain
"faults" (it is dropped first) and it must be on loopback. Nobody else's connections are
touched. Every scenario is bounded in time; everything started is stopped. Writes
bench-results/faults-<time>.json; exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.faults import (  # noqa: E402
    SqliteCut,
    cut_submit,
    database_down,
    kill_worker,
    proxied_postgres,
    replays,
    restart,
)
from tests.support.live import REPO, Database, Server, log, workdir  # noqa: E402

SCENARIOS = ("restart", "database-down", "replays", "cut-submit", "kill-worker")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/scalpsafe_faults"


@contextlib.contextmanager
def databases(kind: str, folder: Path):
    """(database to count in, database gunicorn uses, cutter)."""
    if kind == "sqlite":
        database = Database.sqlite(folder)
        yield database, database, SqliteCut(database)
        return
    url = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "faults" not in name:
        raise SystemExit(
            f"{name!r}: the faults database is dropped and made afresh; its name "
            'must contain "faults" (e.g. scalpsafe_faults)'
        )
    with proxied_postgres(name, url) as found:
        yield found


def run(kind: str, chosen: list[str], seconds: float) -> dict[str, dict]:
    results: dict[str, dict] = {}
    with (
        workdir(f"scalpsafe-faults-{kind}-") as folder,
        databases(kind, folder) as (
            database,
            served,
            cutter,
        ),
        Server(served, folder) as server,
    ):
        server.prepare()
        server.start()
        results["setup"] = {
            "passed": True,
            "workers": len(server.worker_pids()),
            "gunicorn": server.gunicorn_settings(),
            "cpus": os.cpu_count(),
        }
        scenarios = {
            "restart": lambda: restart(server, database),
            "database-down": lambda: database_down(server, database, cutter, lock=kind == "sqlite"),
            "replays": lambda: replays(server, database),
            "cut-submit": lambda: cut_submit(server, database),
            "kill-worker": lambda: kill_worker(server, database, seconds=seconds),
        }
        for name in SCENARIOS:
            if name not in chosen:
                continue
            log(f"{kind}: fault: {name}")
            began = time.monotonic()
            try:
                results[name] = {"passed": True, **scenarios[name]()}
            except Exception as error:  # noqa: BLE001 (reported, and the exit status says so)
                results[name] = {"passed": False, "error": f"{type(error).__name__}: {error}"}
            results[name]["seconds"] = round(time.monotonic() - began, 1)
            log(f"{kind}: {name}: {'PASS' if results[name]['passed'] else 'FAIL'} {results[name]}")
        statuses = server.access_log_statuses()
        server_errors = {s: n for s, n in statuses.items() if s >= 500}
        expected_503 = "database-down" in chosen
        results["access-log"] = {
            "passed": not {s for s in server_errors if s != 503 or not expected_503},
            "requests": sum(statuses.values()),
            "5xx": server_errors,
        }
        log(f"{kind}: access log: {results['access-log']}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default all)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=30, help="load duration for kill-worker")
    args = parser.parse_args()
    chosen = args.scenarios or list(SCENARIOS)
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = {"date": time.strftime("%Y-%m-%d %H:%M")}
    for kind in kinds:
        began = time.monotonic()
        results[kind] = run(kind, chosen, args.seconds)
        results[kind]["seconds"] = round(time.monotonic() - began, 1)
    print(json.dumps(results, indent=2))
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, indent=2) + "\n"
    )
    passed = all(
        r["passed"] for kind in kinds for r in results[kind].values() if isinstance(r, dict)
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
