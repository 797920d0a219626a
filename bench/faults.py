"""`make faults`: the reliability scenarios of docs/reliability.md, against a real gunicorn.

    python bench/faults.py [kill-worker] [restart] [database-down] [replays] [--seconds 30]

(a) kill-worker: kill -9 gunicorn workers while people take the questionnaire: no completed
    assessment is lost, and questionnaires in progress resume at their step.
(b) restart: stop and start gunicorn mid-questionnaire: the person resumes at the same step.
(c) database-down: PostgreSQL behind a TCP proxy on loopback, cut and restored: /healthz and
    pages answer 503 (the friendly page) while it is cut and recover without a restart.
(d) replays: 20 concurrent replays of the final submit make exactly one assessment.

(a), (b) and (d) run on SQLite; (c) needs PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432) and uses a fresh database of its own; nobody else's
connections are touched. Every scenario is bounded in time. Exit status 1 if any fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.faults import database_down, kill_worker, replays, restart  # noqa: E402
from tests.support.live import REPO, Database, Server, log, workdir  # noqa: E402

SCENARIOS = ("kill-worker", "restart", "database-down", "replays")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default all)")
    parser.add_argument("--seconds", type=float, default=30, help="load duration for kill-worker")
    args = parser.parse_args()
    chosen = args.scenarios or list(SCENARIOS)
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario: {', '.join(sorted(unknown))}")
    results: dict[str, dict] = {}
    with workdir("scalpsafe-faults-") as folder:
        database = Database.sqlite(folder)
        with Server(database, folder) as server:
            if set(chosen) & {"kill-worker", "restart", "replays"}:
                server.prepare()
                server.start()
            for name, scenario in (
                ("kill-worker", lambda: kill_worker(server, database, seconds=args.seconds)),
                ("restart", lambda: restart(server, database)),
                ("replays", lambda: replays(server, database)),
                ("database-down", lambda: database_down(folder / "pg")),
            ):
                if name not in chosen:
                    continue
                log(f"fault: {name}")
                if name == "database-down":
                    (folder / "pg").mkdir(exist_ok=True)
                try:
                    results[name] = {"passed": True, **scenario()}
                except Exception as error:  # noqa: BLE001 (reported, and the exit status says so)
                    results[name] = {"passed": False, "error": f"{type(error).__name__}: {error}"}
                log(f"{name}: {'PASS' if results[name]['passed'] else 'FAIL'} {results[name]}")
    print(json.dumps(results, indent=2))
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, indent=2) + "\n"
    )
    return 0 if all(r["passed"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
