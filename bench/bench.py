"""`make bench`: throughput and latency of the main pages, as ratios to GET /healthz.

Serves the site with gunicorn as `make serve` does (tests/support/live.py), seeds data with
bench/seed.py, measures each page with wrk at 32 connections, samples the workers' memory
throughout, prints a table and writes bench-results/bench-<timestamp>-<mode>.json.

    python bench/bench.py [--postgres [--no-redis] | --cluster] [--runs 3] [--duration 10]
                          [--connections 32] [--strict] [--pages queue,result]

Three modes, each measured the same way (the same pages, users and 100,000 shared rows):
- SQLite (the default): one gunicorn host, the embedded setup (no Redis);
- --postgres: one gunicorn host on a fresh database `scalpsafe_bench` (or --database-name) on
  BENCH_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432), with Redis for the
  cache and browser sessions (REDIS_URL, database --redis-db of 127.0.0.1:6379, started when
  nothing listens there, as .ci/run does); --no-redis leaves Redis out;
- --cluster: bench/cluster.py's parts (bench/parts.py): nginx in front of two gunicorn hosts on
  that PostgreSQL database and Redis; every page, /healthz too, measured through nginx.

Each page is measured in five turns of wrk taken in turn with five of /healthz (PAIRED_ORDER),
each waiting for the hosts to drain, and its ratio is to the /healthz of its own turns.
--runs N measures every page N times on the same servers and data and reports each page's
median; the JSON keeps every run and turn.
--strict exits 1 when a target is missed. The whole run is bounded and stops everything it
started. Needs wrk (`apt-get install -y wrk`; `make bench` installs it as root).
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.parts import (  # noqa: E402
    Cluster,
    new_password,
    postgresql_on_loopback,
    redis_server,
    settings_in_use,
)
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
# The pages --pages can name (each measured with /healthz, in this order).
PAGE_KEYS = ("step", "result", "mine", "queue", "operator")
ROWS = 100_000
WORKER_MEMORY_TARGET_MB = 120
# page: minimum ratio of its throughput to /healthz's (issue 16)
THROUGHPUT_TARGETS = {
    "questionnaire step GET": 0.5,
    "result page": 0.4,
    "my assessments, 200": 0.2,
    QUEUE_PAGE: 0.1,
}
# How a page and /healthz take turns while the page is measured (True: the page), five each.
# A ratio of two throughputs measured apart moved with whatever changed between them: the
# shared machine's speed, and how gunicorn's workers happened to take wrk's 32 connections,
# dealt again at every start of wrk (docs/performance.md, nineteenth to twenty-first sittings).
# In turns, both numbers of a ratio are measured through the same moments, each over five
# deals of the connections. A turn that follows the page (its warm-up counts) could start while
# the hosts still answer the page's last requests, as the seventh sitting found: so each wrk
# waits for the hosts to drain (DRAIN_SECONDS_AT_MOST), and three turns of each follow the
# page, so whatever is left falls on both alike.
PAIRED_ORDER = (True, False, False, True, True, False, False, True, True, False)
# After wrk stops, the hosts answer what it sent last: `wrk` waits as long as its slowest answer
# took, up to this, before it returns.
DRAIN_SECONDS_AT_MOST = 3.0
# Not make cluster's (14) nor .ci/run's (0), nor the 5..9 test runs use.
BENCH_REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "13"))
CLUSTER_WORKERS = 3  # per app host, as make cluster runs them
# Seconds for everything but the measuring (collectstatic, migrate, seeding 100,000 rows on a
# busy machine, stopping): past it and the run's own limit, the run stops and cleans up.
SETUP_SECONDS = 1200


class MemorySampler(threading.Thread):
    """Samples every worker's resident memory (and its kernel-kept peak), on every app host,
    until stopped."""

    def __init__(self, servers: list[Server], interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.servers, self.interval = servers, interval
        self.peak_kb, self.peak_pid = 0, 0
        self.stopped = threading.Event()

    def sample(self) -> None:
        for server in self.servers:
            for pid in server.worker_pids():
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
    # wrk stops with requests still being answered: the hosts finish them before anything is
    # measured next, or that would pay for them (the seventh sitting's spill-over).
    time.sleep(drain_seconds(stats))
    return stats


def count_answers(stats: dict, statuses: Counter[int]) -> None:
    """Add to wrk's `stats` the statuses the hosts answered while it ran (their access logs).
    wrk counts only 4xx and 5xx as errors: a page that began to redirect (a lost session, say)
    would be measured as a fast success. So any other answer but a 200 is an error too."""
    stats["statuses"] = {str(status): n for status, n in sorted(statuses.items())}
    if statuses:
        # 4xx and 5xx are in wrk's own count already.
        unexpected = (n for status, n in statuses.items() if status != 200 and status < 400)
        stats["errors_not_200"] = sum(unexpected)
    else:
        # Nothing logged (access logging off, or its format changed): no answer can be shown
        # to have been a 200, so none counts as one.
        stats["errors_not_200"] = stats["requests"]
    stats["errors"] += stats["errors_not_200"]


def cookie_header(browser: Browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def login(base_url: str, username: str, password: str) -> Browser:
    browser = Browser(base_url)
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


# --- What is measured, and how runs combine (pure, tested in tests/dev/test_bench.py) --------


def with_ratios(measured: dict[str, dict]) -> dict[str, dict]:
    """One run's pages, each with its throughput as a ratio to /healthz's measured in turns
    with it (`healthz_rps`), or else to the run's /healthz."""
    healthz = measured["GET /healthz"]["rps"]
    return {
        name: {**stats, "ratio_to_healthz": stats["rps"] / stats.get("healthz_rps", healthz)}
        for name, stats in measured.items()
    }


def drain_seconds(stats: dict) -> float:
    """How long to wait after a turn before the next: its slowest answer's time (what wrk sent
    last is answered within about that), at most DRAIN_SECONDS_AT_MOST."""
    return min(stats["max_us"] / 1e6, DRAIN_SECONDS_AT_MOST)


def slice_seconds(duration: int) -> int:
    """Each turn's length: the page's `duration` in all, over its turns (whole seconds, as
    wrk takes them)."""
    return max(1, round(duration / PAIRED_ORDER.count(True)))


def combined(turns: list[dict]) -> dict:
    """wrk's numbers for one address over its turns, as one measurement: requests, time,
    errors and answers added up, throughput over the whole time, the mean weighted by
    requests. Percentiles cannot be merged from their turns': each is the highest turn's,
    which never flatters."""
    requests = sum(stats["requests"] for stats in turns)
    duration_us = sum(stats["duration_us"] for stats in turns)
    statuses: Counter[str] = Counter()
    for stats in turns:
        statuses.update(stats.get("statuses", {}))
    merged = {
        "requests": requests,
        "duration_us": duration_us,
        "rps": requests / (duration_us / 1e6),
        "mean_us": sum(stats["mean_us"] * stats["requests"] for stats in turns) / max(requests, 1),
        "statuses": dict(sorted(statuses.items())),
        "turns_rps": [round(stats["rps"], 1) for stats in turns],
    }
    for key in ("p50_us", "p95_us", "p99_us", "max_us"):
        merged[key] = max(stats[key] for stats in turns)
    for key in sorted({key for stats in turns for key in stats if key.startswith("errors")}):
        merged[key] = sum(stats.get(key, 0) for stats in turns)
    return merged


def medians(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """Each page's median over the runs (ratio, req/s and latencies separately), its errors
    summed, and its ratio in every run."""
    combined = {}
    for name in runs[0]:
        each = [run[name] for run in runs]
        combined[name] = {
            "path": each[0]["path"],
            "runs": len(each),
            "ratios": [round(stats["ratio_to_healthz"], 3) for stats in each],
            "errors": sum(stats["errors"] for stats in each),
            "requests": sum(stats["requests"] for stats in each),
        }
        for key in ("ratio_to_healthz", "rps", "p50_us", "p95_us", "p99_us"):
            combined[name][key] = statistics.median(stats[key] for stats in each)
    return combined


def targets_of(pages: dict[str, dict], peak_mb: float) -> list[dict]:
    targets = []
    for name, minimum in THROUGHPUT_TARGETS.items():
        if name not in pages:  # not measured (--pages)
            continue
        ratio = pages[name]["ratio_to_healthz"]
        targets.append(
            {
                "target": f"{name} >= {minimum}x /healthz",
                "measured": round(ratio, 3),
                "met": ratio >= minimum,
            }
        )
    targets.append(
        {
            "target": f"worker peak memory <= {WORKER_MEMORY_TARGET_MB} MB",
            "measured": round(peak_mb, 1),
            "met": peak_mb <= WORKER_MEMORY_TARGET_MB,
        }
    )
    return targets


# --- The site under test -----------------------------------------------------------------------


@dataclass
class Site:
    """Where wrk sends its requests, and the app hosts behind that address."""

    mode: str  # "sqlite", "postgresql" or "cluster"
    url: str
    hosts: list[Server]
    redis: bool
    parts: str  # for the report's header

    def keep_logs(self) -> None:
        """Keep every host's log (access log and any traceback) for whoever looks next."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for number, host in enumerate(self.hosts, 1):
            suffix = f"-host{number}" if len(self.hosts) > 1 else ""
            kept = REPO / "bench-results" / f"bench-failed-{stamp}{suffix}.log"
            kept.parent.mkdir(exist_ok=True)
            if host.log_path.exists():
                kept.write_bytes(host.log_path.read_bytes())
                log(f"gunicorn's log kept in {kept.relative_to(REPO)}")


def one_host(stack: contextlib.ExitStack, folder: Path, args) -> Site:
    redis = stack.enter_context(redis_server(folder, args.redis_db)) if args.redis else None
    if args.postgres:
        postgresql_on_loopback()
    database = Database.postgres(args.database_name) if args.postgres else Database.sqlite(folder)
    if args.postgres:
        stack.callback(database.drop)
    # REDIS_URL set (or empty) here either way: never one inherited from the caller's shell.
    server = Server(database, folder, extra_env={"REDIS_URL": redis.url if redis else ""})
    stack.callback(server.stop)
    log(f"preparing ({database.kind}): collectstatic, migrate")
    server.prepare()
    server.start()
    workers = len(server.worker_pids())
    return Site(
        database.kind,
        server.base_url,
        [server],
        bool(redis),
        f"{database.kind}{' + Redis' if redis else ''}, gunicorn {workers} workers",
    )


def cluster(stack: contextlib.ExitStack, folder: Path, args) -> Site:
    # No task worker: nothing measured sends email, as with one host.
    parts = Cluster(
        stack,
        folder,
        workers=CLUSTER_WORKERS,
        database_name=args.database_name,
        redis_db=args.redis_db,
        task_worker=False,
    )
    parts.prepare()
    parts.start()
    workers = " + ".join(str(len(host.worker_pids())) for host in (parts.a, parts.b))
    return Site(
        "cluster",
        parts.nginx.url,
        [parts.a, parts.b],
        True,
        f"cluster: nginx + 2 hosts ({workers} gunicorn workers), postgresql + Redis",
    )


# --- The run -----------------------------------------------------------------------------------


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
            "load_average_at_start": round(os.getloadavg()[0], 1),
        },
        "settings": {
            "duration_s": PAIRED_ORDER.count(True) * slice_seconds(args.duration),
            "turns": PAIRED_ORDER.count(True),
            "turn_s": slice_seconds(args.duration),
            "connections": args.connections,
            "runs": args.runs,
        },
        "pages": {},
    }
    with workdir("scalpsafe-bench-") as folder, contextlib.ExitStack() as stack:
        site = (cluster if args.cluster else one_host)(stack, folder, args)
        results.update(mode=site.mode, redis=site.redis, parts=site.parts)
        results["database"] = "sqlite" if site.mode == "sqlite" else "postgresql"
        results["gunicorn_workers"] = sum(len(host.worker_pids()) for host in site.hosts)
        seeder = site.hosts[0]
        results["settings_in_use"] = settings_in_use(seeder)
        sampler = MemorySampler(site.hosts)
        stack.callback(sampler.stopped.set)
        try:
            sampler.start()

            def answered() -> Counter[int]:
                return sum((host.access_log_statuses() for host in site.hosts), Counter())

            def measure(path: str, cookie: str, seconds: int) -> dict:
                before = answered()
                stats = wrk(site.url + path, cookie, duration=seconds, connections=args.connections)
                sampler.sample()
                count_answers(stats, answered() - before)
                return stats

            def warm_up(name: str, path: str, browser: Browser | None) -> None:
                log(f"warming up {name} ({path})")
                cookie = cookie_header(browser) if browser else ""
                wrk(site.url + path, cookie, duration=2, connections=args.connections)

            def bench(name: str, path: str, browser: Browser | None) -> tuple[dict, list[dict]]:
                """The page and /healthz, measured in turns (PAIRED_ORDER): the page's numbers,
                and /healthz's turns beside them."""
                cookie = cookie_header(browser) if browser else ""
                warm_up(name, path, browser)
                log(f"measuring {name} in {len(PAIRED_ORDER)} turns with /healthz")
                seconds = slice_seconds(args.duration)
                turns: dict[bool, list[dict]] = {True: [], False: []}
                for is_page in PAIRED_ORDER:
                    address, sent = (path, cookie) if is_page else ("/healthz", "")
                    turns[is_page].append(measure(address, sent, seconds))
                page, healthz = combined(turns[True]), combined(turns[False])
                page["path"] = path.split("/results/")[0] + (
                    "/results/<id>/" if "/results/" in path else ""
                )
                page["healthz_rps"] = healthz["rps"]
                page["healthz_turns_rps"] = healthz["turns_rps"]
                return page, turns[False]

            # The operator, a clinic's staff member, a person with 200 assessments, people
            # mid-questionnaire and done, and 100,000 results, each sent to the staff's clinic;
            # all of it over the site's address (through nginx in a cluster).
            admin_password = new_password()
            seeder.run_script(SEED, "user", "bench-admin", admin_password, "--staff")
            admin = login(site.url, "bench-admin", admin_password)
            staff_password = new_password()
            seeder.run_script(SEED, "user", "bench-staff", staff_password, "--clinic", "bench")
            staff = login(site.url, "bench-staff", staff_password)
            owner_password = new_password()
            seeder.run_script(SEED, "user", "bench-owner", owner_password, "--assessments", "200")
            owner = login(site.url, "bench-owner", owner_password)
            midway = Person(site.url, random.Random(1))
            midway.start()
            midway.answer("scalp")
            done = Person(site.url, random.Random(2))
            result_path = done.complete()
            log(f"adding assessments up to {args.rows:,}")
            filled = json.loads(
                seeder.run_script(SEED, "fill", str(args.rows), "--shared-to", "bench")
            )
            results["assessments_in_table"] = filled["total"]
            results["queue_items"] = filled["shared"]
            check_page(admin, ADMIN_LIST, "Select assessment to change")
            check_page(staff, QUEUE, "queue item")
            check_page(midway.browser, "/assessment/hair/", "Your hair loss")
            check_page(done.browser, result_path, "Not a diagnosis")
            check_page(owner, "/my/assessments/", "200")

            pages = {
                "step": ("questionnaire step GET", "/assessment/hair/", midway.browser),
                "result": ("result page", result_path, done.browser),
                "mine": ("my assessments, 200", "/my/assessments/", owner),
                "queue": (QUEUE_PAGE, QUEUE, staff),
                "operator": ("operator's list, 100,000 rows", ADMIN_LIST, admin),
            }
            runs = []
            for number in range(1, args.runs + 1):
                if args.runs > 1:
                    log(f"run {number} of {args.runs}")
                warm_up("GET /healthz", "/healthz", None)
                measured, beside = {}, []
                for key in args.pages:
                    name, path, browser = pages[key]
                    measured[name], healthz_turns = bench(name, path, browser)
                    beside += healthz_turns
                # The run's /healthz: every turn it had, beside every page.
                all_healthz = combined(beside) | {"path": "/healthz"}
                runs.append(with_ratios({"GET /healthz": all_healthz, **measured}))
        except BaseException:
            site.keep_logs()
            raise
        finally:
            sampler.stopped.set()
        # From each host's access log: that every host served its share, and with what status.
        results["statuses_by_host"] = {
            f"host {number}": dict(sorted(host.access_log_statuses().items()))
            for number, host in enumerate(site.hosts, 1)
        }
        log("stopping everything")

    results["runs"] = runs
    results["pages"] = medians(runs) if args.runs > 1 else runs[0]
    peak_mb = sampler.peak_kb / 1024
    results["worker_peak_memory_mb"] = round(peak_mb, 1)
    results["targets"] = targets_of(results["pages"], peak_mb)
    return results


def gunicorn_line(gunicorn: dict | None) -> list[str]:
    """Each host's gunicorn settings: the threads and connections a worker takes decide how a
    burst of connections is spread (docs/performance.md, tenth sitting)."""
    if not gunicorn:
        return []
    return [
        f"gunicorn a host: {gunicorn['workers']} workers x {gunicorn['threads']} threads, "
        f"at most {gunicorn['worker_connections']} connections a worker, "
        f"preload {gunicorn['preload_app']}, recycled after {gunicorn['max_requests']} requests"
    ]


def report(results: dict) -> str:
    settings = results["settings"]
    runs = settings.get("runs", 1)
    in_use = results.get("settings_in_use", {})
    cache = in_use.get("cache", "?").rsplit(".", 1)[-1]
    sessions = in_use.get("sessions", "?").rsplit(".", 1)[-1]
    redis = "on" if results.get("redis") else "off"
    lines = [
        f"ScalpSafe bench, {results['started']}, {results['machine']['cpus']} CPUs, "
        f"load average {results['machine'].get('load_average_at_start', '?')} at the start",
        f"{results.get('parts', results['database'])}; Redis {redis} (cache {cache}, "
        f"sessions {sessions}); {results.get('assessments_in_table', 0):,} assessments",
        *gunicorn_line(in_use.get("gunicorn")),
        f"wrk {settings['connections']} connections; each page {settings['turns']} turns of "
        f"{settings['turn_s']} s, with as many of /healthz between them"
        + (f"; {runs} runs: medians, then each run's ratio" if runs > 1 else ""),
        "",
        f"{'page':<33} {'req/s':>8} {'x healthz':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6}" + ("  each run" if runs > 1 else ""),
    ]
    for name, stats in results["pages"].items():
        each = "  " + " ".join(f"{r:.2f}" for r in stats["ratios"]) if "ratios" in stats else ""
        lines.append(
            f"{name:<33} {stats['rps']:>8.1f} {stats['ratio_to_healthz']:>9.2f} "
            f"{stats['p50_us'] / 1000:>8.1f} {stats['p95_us'] / 1000:>8.1f} "
            f"{stats['p99_us'] / 1000:>8.1f} {stats['errors']:>6}{each}"
        )
    served = "; ".join(
        f"{host} {sum(statuses.values())} ({', '.join(f'{k}: {v}' for k, v in statuses.items())})"
        for host, statuses in results.get("statuses_by_host", {}).items()
    )
    if served:
        lines += ["", f"requests served, by status: {served}"]
    lines += ["", f"{'target':<58} {'measured':>9}  met?"]
    for target in results["targets"]:
        lines.append(
            f"{target['target']:<58} {target['measured']:>9}  {'yes' if target['met'] else 'NO'}"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--postgres", action="store_true", help="PostgreSQL with Redis instead of SQLite"
    )
    mode.add_argument(
        "--cluster",
        action="store_true",
        help="nginx in front of two gunicorn hosts on PostgreSQL and Redis (make cluster's parts)",
    )
    parser.add_argument(
        "--no-redis", dest="redis", action="store_false", help="with --postgres: no Redis"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="runs to take the medians of (default 1)"
    )
    parser.add_argument(
        "--duration",
        type=int,
        default=10,
        help="seconds per page, shared out over its turns (default 10)",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--database-name",
        default="scalpsafe_bench",
        help="PostgreSQL database made (and dropped) for the run; another name lets two runs "
        "share a server",
    )
    parser.add_argument(
        "--redis-db",
        type=int,
        default=BENCH_REDIS_DB,
        help=f"Redis database (emptied before and after; default {BENCH_REDIS_DB}, or "
        "BENCH_REDIS_DB); one run at a time uses it",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--pages",
        default=",".join(PAGE_KEYS),
        help=f"pages to measure besides /healthz, comma-separated (default all: "
        f"{','.join(PAGE_KEYS)}); for looking at one page while working on it",
    )
    # Only for trying the script itself quickly: the targets are for 100,000 rows.
    parser.add_argument("--rows", type=int, default=ROWS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.duration < 1:
        parser.error("--runs and --duration must be at least 1")
    args.pages = list(dict.fromkeys(key.strip() for key in args.pages.split(",") if key.strip()))
    if not args.pages:
        parser.error(f"--pages names no page; known: {', '.join(PAGE_KEYS)}")
    if unknown := set(args.pages) - set(PAGE_KEYS):
        parser.error(f"unknown page(s) {', '.join(sorted(unknown))}; known: {', '.join(PAGE_KEYS)}")
    if args.cluster and not args.redis:
        parser.error("--no-redis is for --postgres: the cluster's hosts share Redis")
    args.postgres = args.postgres or args.cluster or bool(os.environ.get("BENCH_DATABASE_URL"))
    # SQLite is the embedded setup, on one machine: no Redis there.
    args.redis = args.postgres and args.redis
    return args


def time_limit(args) -> int:
    """Seconds the whole run may take: setting up, then every page's warm-up and measuring
    (with wrk's own 60 s of grace each), for every run."""
    turn = slice_seconds(args.duration) + 60 + DRAIN_SECONDS_AT_MOST
    warm_up = 2 + 60 + DRAIN_SECONDS_AT_MOST
    per_page = warm_up + len(PAIRED_ORDER) * turn
    return int(SETUP_SECONDS + args.runs * (warm_up + len(args.pages) * per_page))


def main() -> int:
    args = parse_args()

    # Bounded: whatever hangs, the run ends, and stops what it started, after its time limit.
    def stop(signum, frame):
        raise SystemExit(f"bench stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(time_limit(args))
    try:
        results = run(args)
    finally:
        signal.alarm(0)
    print(report(results))
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}-{results['mode']}.json"
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
