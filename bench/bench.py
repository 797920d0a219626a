"""`make bench`: throughput and latency of the main pages, as ratios to GET /healthz, one run.

Serves the site with gunicorn as `make serve` does (tests/support/live.py), seeds data with
bench/seed.py, measures each page with wrk at 32 connections, samples the workers' memory
throughout, prints a table and writes bench-results/bench-<timestamp>.json.

    python bench/bench.py [--postgres] [--duration 10] [--connections 32] [--strict]

--postgres uses a fresh database `scalpsafe_bench` (or --database-name) on BENCH_DATABASE_URL's
server (default postgres://postgres@127.0.0.1:5432). --strict exits 1 when a target is missed.
Needs wrk (`apt-get install -y wrk`); nothing is installed here.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.live import (  # noqa: E402
    REPO,
    Browser,
    Database,
    Person,
    Server,
    log,
    memory_kb,
    workdir,
)

LUA = Path(__file__).with_name("latency.lua")
SEED = Path(__file__).with_name("seed.py")
ADMIN_LIST = "/admin/assessments/assessment/"
QUEUE = "/admin/clinics/share/"
QUEUE_PAGE = "clinic triage list, 100,000 rows"
WORKER_MEMORY_TARGET_MB = 120
# page: minimum ratio of its throughput to /healthz's (issue 16)
THROUGHPUT_TARGETS = {
    "questionnaire step GET": 0.5,
    "result page": 0.4,
    "my assessments, 200": 0.2,
    QUEUE_PAGE: 0.1,
}


class MemorySampler(threading.Thread):
    """Samples every worker's resident memory (and its kernel-kept peak) until stopped."""

    def __init__(self, server: Server, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.peak_kb, self.peak_pid = 0, 0
        self.stopped = threading.Event()

    def sample(self) -> None:
        for pid in self.server.worker_pids():
            memory = memory_kb(pid)
            peak = max(memory.get("VmRSS", 0), memory.get("VmHWM", 0))
            if peak > self.peak_kb:
                self.peak_kb, self.peak_pid = peak, pid

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sample()


def wrk(url: str, cookie: str, *, duration: int, connections: int, threads: int = 2) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
    command += ["-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-JSON "))
    stats = json.loads(line.removeprefix("BENCH-JSON "))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["errors"] = sum(value for key, value in stats.items() if key.startswith("errors_"))
    return stats


def cookie_header(browser: Browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def login(server: Server, username: str, password: str) -> Browser:
    browser = Browser(server.base_url)
    browser.get("/accounts/login/")
    # allauth's log-in form calls the username field "login".
    response = browser.post("/accounts/login/", {"login": username, "password": password})
    if response.status != 302:
        raise RuntimeError(f"login of {username} failed: HTTP {response.status}")
    return browser


def check_page(browser: Browser, path: str, must_contain: str) -> None:
    response = browser.get(path)
    if response.status != 200 or must_contain not in response.body:
        raise RuntimeError(f"{path}: HTTP {response.status}, expected 200 with {must_contain!r}")


def run(args) -> dict:
    if not shutil.which("wrk"):
        raise SystemExit(
            "wrk is not installed: apt-get install -y wrk (the Makefile does it as root)"
        )
    results: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "kernel": platform.release(),
        },
        "settings": {"duration_s": args.duration, "connections": args.connections},
        "pages": {},
    }
    with workdir("scalpsafe-bench-") as folder:
        database = (
            Database.postgres(args.database_name) if args.postgres else Database.sqlite(folder)
        )
        results["database"] = database.kind
        server = Server(database, folder)
        sampler = MemorySampler(server)
        try:
            log(f"preparing ({database.kind}): collectstatic, migrate")
            server.prepare()
            server.start()
            results["gunicorn_workers"] = len(server.worker_pids())
            sampler.start()
            measure = {}

            def bench(name: str, path: str, browser: Browser | None) -> None:
                cookie = cookie_header(browser) if browser else ""
                url = server.base_url + path
                log(f"warming up {name} ({path})")
                wrk(url, cookie, duration=2, connections=args.connections)
                log(f"measuring {name} for {args.duration} s")
                stats = wrk(url, cookie, duration=args.duration, connections=args.connections)
                sampler.sample()
                stats["path"] = path.split("/results/")[0] + (
                    "/results/<id>/" if "/results/" in path else ""
                )
                measure[name] = stats

            # The operator, a clinic's staff member, a person with 200 assessments, people
            # mid-questionnaire and done, and 100,000 results, each sent to the staff's clinic.
            admin_password = secrets.token_urlsafe(16)
            server.run_script(SEED, "user", "bench-admin", admin_password, "--staff")
            admin = login(server, "bench-admin", admin_password)
            staff_password = secrets.token_urlsafe(16)
            server.run_script(SEED, "user", "bench-staff", staff_password, "--clinic", "bench")
            staff = login(server, "bench-staff", staff_password)
            owner_password = secrets.token_urlsafe(16)
            server.run_script(SEED, "user", "bench-owner", owner_password, "--assessments", "200")
            owner = login(server, "bench-owner", owner_password)
            midway = Person(server.base_url, random.Random(1))
            midway.start()
            midway.answer("scalp")
            done = Person(server.base_url, random.Random(2))
            result_path = done.complete()
            log("adding assessments up to 100,000")
            filled = json.loads(server.run_script(SEED, "fill", "100000", "--shared-to", "bench"))
            results["assessments_in_table"] = filled["total"]
            results["queue_items"] = filled["shared"]
            check_page(admin, ADMIN_LIST, "Select assessment to change")
            check_page(staff, QUEUE, "queue item")
            check_page(midway.browser, "/assessment/hair/", "Your hair loss")
            check_page(done.browser, result_path, "Not a diagnosis")
            check_page(owner, "/my/assessments/", "200")

            bench("GET /healthz", "/healthz", None)
            bench("questionnaire step GET", "/assessment/hair/", midway.browser)
            bench("result page", result_path, done.browser)
            bench("my assessments, 200", "/my/assessments/", owner)
            bench(QUEUE_PAGE, QUEUE, staff)
            bench("operator's list, 100,000 rows", ADMIN_LIST, admin)
        except BaseException:
            # Keep the server's log (access log and any traceback) for whoever looks next.
            kept = REPO / "bench-results" / f"bench-failed-{time.strftime('%Y%m%d-%H%M%S')}.log"
            kept.parent.mkdir(exist_ok=True)
            if server.log_path.exists():
                kept.write_bytes(server.log_path.read_bytes())
                log(f"gunicorn's log kept in {kept.relative_to(REPO)}")
            raise
        finally:
            sampler.stopped.set()
            server.stop()
            if args.postgres:
                database.drop()

    healthz = measure["GET /healthz"]["rps"]
    for name, stats in measure.items():
        stats["ratio_to_healthz"] = stats["rps"] / healthz
        results["pages"][name] = stats
    targets = []
    for name, minimum in THROUGHPUT_TARGETS.items():
        ratio = measure[name]["ratio_to_healthz"]
        targets.append(
            {
                "target": f"{name} >= {minimum}x /healthz",
                "measured": round(ratio, 3),
                "met": ratio >= minimum,
            }
        )
    peak_mb = sampler.peak_kb / 1024
    results["worker_peak_memory_mb"] = round(peak_mb, 1)
    targets.append(
        {
            "target": f"worker peak memory <= {WORKER_MEMORY_TARGET_MB} MB",
            "measured": round(peak_mb, 1),
            "met": peak_mb <= WORKER_MEMORY_TARGET_MB,
        }
    )
    results["targets"] = targets
    return results


def report(results: dict) -> str:
    lines = [
        f"ScalpSafe bench, {results['started']}, {results['machine']['cpus']} CPUs, "
        f"{results['database']}, gunicorn {results['gunicorn_workers']} workers, "
        f"wrk {results['settings']['connections']} connections "
        f"x {results['settings']['duration_s']} s",
        "",
        f"{'page':<26} {'req/s':>8} {'x healthz':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6}",
    ]
    for name, stats in results["pages"].items():
        lines.append(
            f"{name:<26} {stats['rps']:>8.1f} {stats['ratio_to_healthz']:>9.2f} "
            f"{stats['p50_us'] / 1000:>8.1f} {stats['p95_us'] / 1000:>8.1f} "
            f"{stats['p99_us'] / 1000:>8.1f} {stats['errors']:>6}"
        )
    lines += ["", f"{'target':<58} {'measured':>9}  met?"]
    for target in results["targets"]:
        lines.append(
            f"{target['target']:<58} {target['measured']:>9}  {'yes' if target['met'] else 'NO'}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--database-name",
        default="scalpsafe_bench",
        help="PostgreSQL database made (and dropped) for the run; another name lets two runs "
        "share a server",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    args.postgres = args.postgres or bool(os.environ.get("BENCH_DATABASE_URL"))
    results = run(args)
    print(report(results))
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}-{results['database']}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten: {path.relative_to(REPO)}")
    errors = sum(stats["errors"] for stats in results["pages"].values())
    if errors:
        print(f"{errors} requests failed during the benchmark", file=sys.stderr)
        return 1
    if args.strict and not all(target["met"] for target in results["targets"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
