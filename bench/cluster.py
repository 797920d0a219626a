"""`make cluster`: ScalpSafe scaled out on this machine, loopback only, and one app host killed.

    python bench/cluster.py [--seconds 45] [--people 50] [--share 0.25] [--workers 3]

What it starts (bench/parts.py, which `make bench ARGS=--cluster` shares), each with its own
process group, and stops again (always, also on Ctrl+C or when the run's time limit is up):
- nginx (Debian's package, installed with apt-get when missing and run as root), with a
  configuration and prefix of its own in a temporary folder, on a free loopback port: never the
  system service. Upstream: the two app hosts, `proxy_next_upstream error timeout`;
- two app hosts: gunicorn with gunicorn.conf.py on two loopback ports, each its own master
  with its workers, sharing one SECRET_KEY, one database and one Redis;
- one PostgreSQL database: a fresh `scalpsafe_cluster` on 127.0.0.1:5432, migrated, dropped
  afterwards (the server itself is the machine's, never stopped);
- Redis on 127.0.0.1:6379 (started here only if nothing listens there), database 14
  (CLUSTER_REDIS_DB), emptied before and after; REDIS_URL points the app hosts at it;
- the task worker (`manage.py run_task_worker`), delivering to a loopback SMTP server
  (aiosmtpd, tests/support/emails.py) in this process.

Then:
1. the load test (bench/loadtest.py's load, as `make loadtest ARGS=--url` runs it) through
   nginx: 50 people taking the questionnaire, some going Back, some leaving and resuming, some
   sending their result to a clinic; a person retries a request the kill cut off (a dropped
   connection, or nginx's 502), as a browser user would, up to 3 times;
2. before it, 8 people stop mid-questionnaire, their last page served by host A;
3. a third of the way in, host A is killed: SIGKILL to its process group, master and workers;
   nginx fails over to host B;
4. checks: no failed completion, the waiting people resume on host B at the step they were on
   and finish, saved = completed (the same ids), every share a clinic is notified of reached
   the SMTP server (at least once), no 5xx from any app host, nothing served by host A after
   the kill;
5. host A is started again; then, host against host: a result deleted through one is 404 on
   the other at once, 5 wrong passwords split between the hosts lock the username and address
   pair on both, and clinic staff see the same queue on both.

Prints a report, writes bench-results/cluster-<time>.json, exits 1 if any check failed. One
run at a time per machine (a lock file); the whole run is bounded at TIME_LIMIT seconds.
docs/reliability.md ("The cluster") says what each check measures, and records the results.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import random
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import drive  # noqa: E402
from bench.parts import Cluster, group_members, new_password, wait_for  # noqa: E402
from tests.support.live import (  # noqa: E402
    REPO,
    Browser,
    Person,
    Response,
    Server,
    expect,
    log,
    shown_steps,
    workdir,
)

SEED = REPO / "bench" / "seed.py"
DATABASE_NAME = "scalpsafe_cluster"
REDIS_DB = int(os.environ.get("CLUSTER_REDIS_DB", "14"))
LOCK_FILE = Path(tempfile.gettempdir()) / "scalpsafe-cluster.lock"
TIME_LIMIT = 480  # seconds for the whole run, whatever happens
WAITING_PEOPLE = 8
CLINIC_SLUG = "cluster"


STAFF = ("cluster-staff", new_password())
LOCKED = ("cluster-locked", new_password())
CONTROL = ("cluster-control", new_password())
SHARE_LINK = re.compile(r"/admin/clinics/share/([0-9a-f-]{36})/change/")


# --- Checks and the report -------------------------------------------------------------------


@dataclass
class Report:
    checks: list[dict] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)

    def check(self, name: str, passed: bool, detail: str) -> bool:
        self.checks.append({"check": name, "passed": bool(passed), "detail": detail})
        log(f"{'PASS' if passed else 'FAIL'} {name}: {detail}")
        return passed

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c["passed"] for c in self.checks)


# --- What the people do -----------------------------------------------------------------------


class Responses:
    """Every response the load saw: when, which status, which host answered (nginx's header)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[float, int, str]] = []

    def __call__(self, response: Response) -> None:
        with self.lock:
            self.seen.append(
                (time.monotonic(), response.status, response.headers.get("X-Upstream", ""))
            )


@dataclass
class Waiting:
    person: Person
    expected: str  # the step they were on when they stopped
    on_a: bool


def stop_midway(url: str, cluster: Cluster, rng: random.Random, observer) -> Waiting:
    """A person who answers 2 steps and stops, their last page served by host A if it can be
    arranged (nginx alternates the hosts: they look at the page again until host A showed it)."""
    person = Person(url, rng, retries=3, observer=observer)
    person.start()
    steps = shown_steps(person.answers)
    index = 0
    for _ in range(2):
        person.view_step(steps[index])
        person.answer(steps[index])
        index += 1
    # They look at the page they are on (again), until host A is the one that showed it (nginx
    # alternates, between everyone's requests: 20 looks leave about one chance in a million).
    for _ in range(20):
        person.view_step(steps[index])
        if last_host(person.browser.last_upstream) == cluster.upstream("A"):
            break
    return Waiting(
        person, steps[index], last_host(person.browser.last_upstream) == cluster.upstream("A")
    )


def last_host(upstream: str) -> str:
    """The host that answered: nginx's $upstream_addr lists every one it tried, in order."""
    return upstream.split(", ")[-1]


def finish(waiting: Waiting) -> tuple[str, str]:
    """Resume through /assessment/ (where it sends them is checked), then finish."""
    person = waiting.person
    resumed = person.resume()
    served_by = person.browser.last_upstream
    if resumed != waiting.expected:
        raise RuntimeError(f"resumed at {resumed}, expected {waiting.expected}")
    steps = shown_steps(person.answers)
    for step in steps[steps.index(resumed) : -1]:
        person.view_step(step)
        person.answer(step)
    result = person.submit()
    expect(person.browser.get(result), 200, "result page")
    return result, served_by


# --- Host against host (each host's own port, one browser's cookies sent to both) -------------


def on(host: Server, browser: Browser) -> Browser:
    """The same browser (its cookies) talking to `host` directly."""
    return Browser(host.base_url, cookies=browser.cookies, csrf_form_token=browser.csrf_form_token)


def check_delete(report: Report, cluster: Cluster, body_key_of: str) -> None:
    """`body_key_of`: the key the hosts cache a result's body under, `{id}` for its id (as the
    hosts' own Django makes it: settings_in_use)."""
    person = Person(cluster.a.base_url, random.Random(7))
    result = person.complete()
    on_b = on(cluster.b, person.browser)
    # Several times, so that each of B's workers has had the chance to cache the page.
    before = Counter(on_b.get(result).status for _ in range(12))
    assessment_id = result.strip("/").split("/")[-1]
    # The result's rendered body as the hosts keep it in the shared cache ("pages":
    # assessments/page_cache.py), read straight from Redis: a 404 alone could not tell, as every
    # page checks ownership in the database before it reads the cache.
    body_key = body_key_of.replace("{id}", assessment_id)
    cached_before = int(cluster.redis("EXISTS", body_key))
    expect(person.browser.get(f"{result}delete/"), 200, "delete page")  # its CSRF token
    deleted = person.browser.post(f"{result}delete/", {})
    cached_after = int(cluster.redis("EXISTS", body_key))
    after_b = Counter(on_b.get(result).status for _ in range(12))
    after_a = person.browser.get(result).status
    left = cluster.database.query_one(
        f"SELECT COUNT(*) FROM assessments_assessment WHERE id = '{assessment_id}'"
    )[0]
    report.check(
        "deleted through host A: gone on host B at once, and from the shared cache",
        before == Counter({200: 12})
        and cached_before == 1
        and deleted.status == 302
        and cached_after == 0
        and after_b == Counter({404: 12})
        and after_a == 404
        and left == 0,
        f"B before: {dict(before)}, its body in Redis: {bool(cached_before)}; delete on A: "
        f"{deleted.status}, then the body in Redis: {bool(cached_after)}; B right after: "
        f"{dict(after_b)}; A: {after_a}; rows left: {left}",
    )


def log_in(browser: Browser, username: str, password: str, path: str = "/accounts/login/"):
    expect(browser.get(path), 200, f"GET {path}")
    field_name = "login" if path.startswith("/accounts/") else "username"
    return browser.post(path, {field_name: username, "password": password})


def check_lockout(report: Report, cluster: Cluster) -> None:
    hosts = [cluster.a, cluster.b, cluster.a, cluster.b, cluster.a]
    statuses = []
    for number, host in enumerate(hosts, 1):
        statuses.append(log_in(Browser(host.base_url), LOCKED[0], f"wrong-{number}").status)
    right_on_b = log_in(Browser(cluster.b.base_url), *LOCKED).status
    right_on_a = log_in(Browser(cluster.a.base_url), *LOCKED).status
    control = log_in(Browser(cluster.b.base_url), *CONTROL).status
    report.check(
        "5 wrong passwords split between the hosts lock the pair on both",
        statuses == [200, 200, 200, 200, 429]
        and right_on_b == 429
        and right_on_a == 429
        and control == 302,
        f"wrong passwords A,B,A,B,A: {statuses}; then the right one on B: {right_on_b}, on A: "
        f"{right_on_a}; another account on B: {control}",
    )


def queue_on(browser: Browser) -> list[str]:
    """Every share listed in the staff's queue, page after page."""
    listed: list[str] = []
    for page in range(1, 1001):  # 50 items a page: a run sends far fewer than 50,000
        response = browser.get(f"/admin/clinics/share/?p={page}")
        if page > 1 and response.status != 200:  # past the last page: the admin redirects
            break
        expect(response, 200, "queue")
        found = [pk for pk in dict.fromkeys(SHARE_LINK.findall(response.body)) if pk not in listed]
        if not found:
            break
        listed += found
    return listed


def check_queue(report: Report, cluster: Cluster) -> None:
    staff_a = Browser(cluster.a.base_url)
    logged_a = log_in(staff_a, *STAFF, path="/admin/login/")
    staff_b = Browser(cluster.b.base_url)
    logged_b = log_in(staff_b, *STAFF, path="/admin/login/")
    on_a, on_b = queue_on(staff_a), queue_on(staff_b)
    # The browser session made on A, shown the queue by B.
    a_session_on_b = queue_on(on(cluster.b, staff_a))
    in_database = cluster.database.query_one(
        "SELECT COUNT(*) FROM clinics_share WHERE withdrawn_at IS NULL"
    )[0]
    report.check(
        "clinic staff see the same queue on both hosts",
        logged_a.status == logged_b.status == 302
        and on_a
        and on_a == on_b == a_session_on_b
        and len(on_a) == in_database,
        f"{len(on_a)} items on A, {len(on_b)} on B, the same in the same order: "
        f"{on_a == on_b}; A's browser session on B: {len(a_session_on_b)}; shares sent and "
        f"not withdrawn in the database: {in_database}",
    )
    report.numbers["queue_items"] = len(on_a)


# --- The run ----------------------------------------------------------------------------------


def run(args, report: Report) -> None:
    with workdir("scalpsafe-cluster-") as folder, contextlib.ExitStack() as stack:
        cluster = Cluster(
            stack, folder, workers=args.workers, database_name=DATABASE_NAME, redis_db=REDIS_DB
        )
        cluster.prepare()
        # The clinic and its staff member, and two accounts for the lock-out check.
        cluster.a.run_script(SEED, "clinic", CLINIC_SLUG, "clinic@example.org", "--staff", *STAFF)
        for name, password in (LOCKED, CONTROL):
            cluster.a.run_script(SEED, "user", name, password)
        cluster.start()
        in_use = cluster.settings_in_use()
        report.numbers["settings"] = in_use
        log(f"settings with REDIS_URL set: {in_use}")
        url = cluster.nginx.url
        responses = Responses()

        # People who stop mid-questionnaire, their last page served by host A; then the load.
        log(f"{WAITING_PEOPLE} people stop mid-questionnaire")
        waiting: list[Waiting] = []
        helpers = [
            threading.Thread(
                target=lambda n=n: waiting.append(
                    stop_midway(url, cluster, random.Random(n), responses)
                ),
                daemon=True,
            )
            for n in range(WAITING_PEOPLE)
        ]
        for helper in helpers:
            helper.start()
        for helper in helpers:
            helper.join(timeout=120)
        result_box: dict = {}
        load_thread = threading.Thread(
            target=lambda: result_box.update(
                load=drive(
                    url,
                    people=args.people,
                    seconds=args.seconds,
                    share=args.share,
                    retries=3,
                    observer=responses,
                )
            ),
            daemon=True,
        )
        started = time.monotonic()
        load_thread.start()
        log(f"load: {args.people} people for {args.seconds:.0f} s through nginx")
        kill_at = started + args.seconds / 3
        time.sleep(max(0.0, kill_at - time.monotonic()))

        pgid = cluster.a.process.pid
        members = group_members(pgid)
        log(f"killing host A: SIGKILL to process group {pgid} ({len(members)} processes)")
        killed_at = time.monotonic()
        os.killpg(pgid, signal.SIGKILL)
        cluster.a.process.wait(timeout=10)
        wait_for(lambda: not group_members(pgid), 10, "host A's workers to die")
        report.check(
            "host A killed entirely (master and workers)",
            len(members) == args.workers + 1 and not group_members(pgid),
            f"{len(members)} processes (1 master + {len(members) - 1} workers) killed -9 at "
            f"{killed_at - started:.1f} s; none left",
        )
        cluster.a.process = None

        time.sleep(2)
        finished, resumed_on = [], Counter()
        waiting_errors = []

        def resume(person: Waiting) -> None:
            try:
                result, served_by = finish(person)
            except Exception as error:  # noqa: BLE001 (reported)
                waiting_errors.append(f"{type(error).__name__}: {error}")
                return
            finished.append(result)
            resumed_on[last_host(served_by)] += 1

        helpers = [threading.Thread(target=resume, args=(w,), daemon=True) for w in waiting]
        for helper in helpers:
            helper.start()
        for helper in helpers:
            helper.join(timeout=120)
        on_a = sum(w.on_a for w in waiting)
        report.check(
            "people whose last page host A served resume on host B at their step, and finish",
            len(waiting) == WAITING_PEOPLE
            and not waiting_errors
            and on_a == WAITING_PEOPLE
            and set(resumed_on) == {cluster.upstream("B")},
            f"{len(waiting)} stopped mid-questionnaire ({on_a} with their last page from host "
            f"A); {len(finished)} resumed at the expected step and finished, resumed by "
            f"{dict(resumed_on)}; errors: {waiting_errors or 'none'}",
        )

        load_thread.join(timeout=args.seconds + 180)
        load = result_box.get("load")
        if load is None:
            report.check("the load finished", False, "the load did not finish in time")
            return
        errors = sum(load.errors.values())
        report.check(
            "no failed completion (a cut request retried, as a browser would)",
            errors == 0,
            f"{len(load.completed)} completed by {args.people} people in {load.elapsed:.1f} s; "
            f"errors: {dict(load.errors) or 0} {load.error_examples or ''}; cut and retried: "
            f"{dict(load.cut_retried) or 0}; went Back {load.behaviour['went back']}, left "
            f"and resumed {load.behaviour['left and resumed']}, sent to the clinic "
            f"{len(load.shared)}",
        )

        completed = {path.strip("/").split("/")[-1] for path in load.completed + finished}
        saved = cluster.database.query_one("SELECT COUNT(*) FROM assessments_assessment")[0]
        saved_ids = cluster.database.query_one(
            "SELECT COALESCE(string_agg(id::text, ','), '') FROM assessments_assessment"
        )[0]
        saved_set = set(filter(None, saved_ids.split(",")))
        report.check(
            "saved = completed, the same results",
            saved == len(load.completed) + len(finished) == len(completed)
            and saved_set == completed,
            f"completed {len(load.completed)} + {len(finished)} (the waiting people) = "
            f"{len(load.completed) + len(finished)}; saved rows {saved}; the same ids: "
            f"{saved_set == completed}",
        )

        after = [(status, up) for when, status, up in responses.seen if when > killed_at + 1]
        served_by_a = sum(1 for _, up in after if last_host(up) == cluster.upstream("A"))
        failed_over = sum(1 for _, _, up in responses.seen if ", " in up)
        report.numbers["moved_by_nginx"] = failed_over
        report.check(
            "nothing answered by host A after the kill; nginx sent it all to host B",
            served_by_a == 0 and after,
            f"{len(after)} responses from 1 s after the kill, {served_by_a} from host A; "
            f"{failed_over} requests nginx moved from host A to host B itself",
        )

        shares = cluster.database.query_one("SELECT COUNT(*) FROM clinics_share")[0]
        notified = in_use["notified"]
        listed = ",".join(f"'{code}'" for code in notified)
        notify_rows = cluster.database.query_one(
            "SELECT COALESCE(string_agg(id::text, ','), '') FROM clinics_share "
            f"WHERE disposition IN ({listed})"
        )[0]
        to_notify = set(filter(None, notify_rows.split(",")))

        def delivered() -> Counter[str]:
            return Counter(
                pk
                for message in cluster.smtp.messages
                for pk in SHARE_LINK.findall(message.get_content())
            )

        with contextlib.suppress(RuntimeError):
            wait_for(lambda: to_notify <= set(delivered()), 60, "the clinic's notifications")
        got = delivered()
        report.check(
            "every clinic notification delivered (at least once)",
            shares == len(load.shared) and to_notify <= set(got),
            f"{len(load.shared)} sends, {shares} shares saved; {len(to_notify)} of them "
            f"{'/'.join(notified)} (notified); {len(set(got) & to_notify)} delivered to the "
            f"SMTP server, {sum(got.values()) - len(set(got))} more than once; "
            f"{len(cluster.smtp.messages)} emails received in all",
        )
        report.numbers.update(
            completed=len(load.completed) + len(finished),
            saved=saved,
            shares=shares,
            notified=len(to_notify),
            delivered=len(set(got) & to_notify),
            cut_and_retried=dict(load.cut_retried),
            went_back=load.behaviour["went back"],
            left_and_resumed=load.behaviour["left and resumed"],
            load_seconds=round(load.elapsed, 1),
            kill_at_seconds=round(killed_at - started, 1),
        )

        log("starting host A again")
        cluster.a.start()
        check_delete(report, cluster, in_use["result_body_key"])
        check_lockout(report, cluster)
        check_queue(report, cluster)

        time.sleep(5)  # nginx tries a failed host again after fail_timeout (5 s)
        probe = Browser(url)
        back_on = Counter()
        for _ in range(20):
            probe.get("/healthz")
            back_on[probe.last_upstream] += 1
        report.check(
            "host A back: nginx uses both hosts again",
            set(back_on) == {cluster.upstream("A"), cluster.upstream("B")},
            f"20 /healthz through nginx answered by {dict(back_on)}",
        )

        statuses = Counter()
        for name, host in cluster.hosts.items():
            for status, count in host.access_log_statuses().items():
                statuses[f"{name} {status}"] += count
        server_errors = {k: v for k, v in statuses.items() if k.split()[1].startswith("5")}
        nginx_statuses = Counter(line[0] for line in cluster.nginx.access_log() if line)
        cut_502 = [when - killed_at for when, status, _ in responses.seen if status == 502]
        report.check(
            "no 5xx from any app host; nginx's 502s only for requests the kill cut",
            not server_errors
            and sum(v for k, v in nginx_statuses.items() if k.startswith("5"))
            == nginx_statuses.get("502", 0)
            == len(cut_502)
            and all(0 <= after <= 60 for after in cut_502),
            f"app hosts: {sum(statuses.values())} requests, 5xx: {server_errors or 'none'}; "
            f"nginx: {sum(nginx_statuses.values())} requests, by status "
            f"{dict(sorted(nginx_statuses.items()))}; the people's 502s came "
            f"{min(cut_502, default=0):.1f} to {max(cut_502, default=0):.1f} s after the kill",
        )
        keys = int(cluster.redis("DBSIZE"))
        session_keys = int(
            cluster.redis("EVAL", "return #redis.call('keys', ARGV[1])", "0", "*session*")
        )
        report.numbers.update(redis_keys=keys, redis_session_keys=session_keys)
        report.check(
            "Redis holds the shared cache and the browser sessions",
            "redis" in in_use["cache"].lower()
            and "cached_db" in in_use["sessions"]
            and keys > 0
            and session_keys > 0,
            f"the hosts' cache {in_use['cache']}, sessions {in_use['sessions']}; {keys} keys "
            f"in Redis database {REDIS_DB}, {session_keys} of them browser sessions",
        )
        report.numbers["elapsed_seconds"] = round(time.monotonic() - started, 1)
        log("stopping everything")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=45, help="load duration (default 45)")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--share", type=float, default=0.25, help="fraction sent to the clinic")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per host")
    args = parser.parse_args()
    if not 15 <= args.seconds <= 180 or not 1 <= args.people <= 200 or not 1 <= args.workers <= 8:
        raise SystemExit("--seconds in [15, 180], --people in [1, 200], --workers in [1, 8]")

    # Bounded: whatever hangs, the run ends (and cleans up) after TIME_LIMIT seconds.
    def stop(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(TIME_LIMIT)
    # One run at a time on a machine: they would share the database name and Redis database.
    lock = open(LOCK_FILE, "w")  # noqa: SIM115 (held until the process ends)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(f"another make cluster is running ({LOCK_FILE} is locked)") from None
    report = Report()
    began = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    report.numbers["load_average_at_start"] = round(os.getloadavg()[0], 1)
    clock = time.monotonic()
    try:
        run(args, report)
    except SystemExit as stopped:
        report.check("run finished", False, str(stopped))
    except Exception as error:  # noqa: BLE001 (reported, then the exit status says it)
        traceback.print_exc()
        report.check("run finished", False, f"{type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
    report.numbers["run_seconds"] = round(time.monotonic() - clock)

    print()
    print(
        f"make cluster, {began}: {args.people} people, {args.seconds:.0f} s, nginx + 2 hosts; "
        f"load average {report.numbers['load_average_at_start']} at the start"
    )
    for c in report.checks:
        print(f"  {'PASS' if c['passed'] else 'FAIL'}  {c['check']}")
        print(f"        {c['detail']}")
    verdict = "PASSED" if report.passed else "FAILED"
    print(f"{verdict} (the whole run: {report.numbers['run_seconds']} s)")
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"cluster-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(
        json.dumps(
            {
                "started": began,
                "args": vars(args),
                "checks": report.checks,
                "numbers": report.numbers,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written: {path.relative_to(REPO)}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
