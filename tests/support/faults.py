"""The reliability scenarios of docs/reliability.md, against a real gunicorn (tests.support.live).

kill_worker: kill -9 workers under load: the master replaces every one, no completed assessment
    is lost, questionnaires in progress resume at their step, requests succeed afterwards.
restart: stop and start gunicorn mid-questionnaire: the person resumes at the same step.
database_down: the database cut (SqliteCut: the SQLite file's folder renamed away, and
    optionally an exclusive lock; ProxyCut: PostgreSQL behind a loopback TCP proxy) and
    restored: 503 (the friendly page) while cut, served again after by the same processes.
replays: 20 concurrent replays of the final submit make exactly one assessment.
cut_submit: a final submit cut off (connection dropped; worker killed mid-request): the person
    resubmits and reaches the one saved result.

`make faults` (bench/faults.py) runs the long versions on both databases;
tests/serving/test_faults.py the quick ones. Every scenario is bounded in time.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import contextlib
import os
import random
import selectors
import shutil
import signal
import socket
import sqlite3
import threading
import time
import urllib.parse
from pathlib import Path

from tests.support.live import (
    HOST,
    REVIEW_STEP_KEY,
    Browser,
    Database,
    Load,
    Person,
    Server,
    log,
    shown_steps,
    step_form,
    step_path,
)


class FaultFailed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise FaultFailed(message)


def mid_questionnaire(base_url: str, seed: int, answered: int = 2) -> tuple[Person, str]:
    """A person who agreed and answered `answered` steps; returns them and their next step."""
    person = Person(base_url, random.Random(seed))
    person.start()
    steps = shown_steps(person.answers)
    for step in steps[:answered]:
        person.view_step(step)
        person.answer(step)
    return person, steps[answered]


def finish(person: Person, from_step: str) -> str:
    steps = shown_steps(person.answers)
    for step in steps[steps.index(from_step) : -1]:
        person.view_step(step)
        person.answer(step)
    return person.submit()


def wait_until(predicate, timeout: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if predicate():
                return True
        time.sleep(interval)
    return False


# --- (a) kill -9 workers during the load -----------------------------------------------------

# What a person's browser sees when the worker serving their request is killed: the connection
# drops. Anything else (an HTTP error page above all) would be a failure of its own.
CONNECTION_ERRORS = (
    "ConnectionResetError",
    "RemoteDisconnected",
    "BrokenPipeError",
    "ConnectionRefusedError",
    "IncompleteRead",
    "ConnectionAbortedError",
)


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def wait_for_replacements(server: Server, before: set[int], killed: set[int], timeout=30) -> list:
    """Wait until the master has as many workers as `before` again and none of `killed` is
    among them (nor alive at all); return the workers then."""

    def replaced() -> bool:
        now = set(server.worker_pids())
        return len(now) == len(before) and not now & killed and not any(map(alive, killed))

    check(
        wait_until(replaced, timeout),
        f"gunicorn did not replace every killed worker within {timeout} s: killed "
        f"{sorted(killed)}, workers before {sorted(before)}, now {server.worker_pids()}",
    )
    return server.worker_pids()


def serves_afterwards(server: Server, seed: int, requests: int = 20) -> int:
    """Fresh people after a fault: `requests` health checks and one whole questionnaire."""
    statuses = [Browser(server.base_url).get("/healthz").status for _ in range(requests)]
    check(statuses == [200] * requests, f"/healthz after the fault answered {statuses}")
    Person(server.base_url, random.Random(seed)).complete()
    return requests + 1


def kill_worker(
    server: Server, database: Database, *, seconds: float = 30, people: int = 20
) -> dict:
    master = server.process.pid
    before = set(server.worker_pids())
    check(len(before) >= 2, f"gunicorn has {len(before)} workers, the scenario needs 2")
    waiting = [mid_questionnaire(server.base_url, seed) for seed in range(5)]
    before_load = database.count_assessments()
    load = Load(server.base_url, people=people, seconds=seconds)
    load.start()
    killed: set[int] = set()
    # One worker at a third of the load, two at once at two thirds.
    for moment, how_many in ((seconds / 3, 1), (2 * seconds / 3, 2)):
        time.sleep(max(0.0, load.started + moment - time.monotonic()))
        current = [pid for pid in server.worker_pids() if pid not in killed]
        for pid in random.sample(current, min(how_many, len(current))):
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
            log(f"kill -9 worker {pid}")
    load.wait()
    # Workers may also have been recycled (max_requests) meanwhile; what matters is that the
    # master is the same, has its full number of workers again, and none of them is a killed one.
    after = wait_for_replacements(server, before, killed)
    check(server.process.pid == master, "the gunicorn master itself was replaced")
    ids = [path.strip("/").rsplit("/", 1)[-1] for path in load.completed]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        quoted = ",".join(
            f"'{i.replace('-', '') if database.kind == 'sqlite' else i}'" for i in chunk
        )
        rows = database.query_one(
            f"SELECT COUNT(*) FROM assessments_assessment WHERE id IN ({quoted})"
        )
        check(rows[0] == len(chunk), f"{len(chunk) - rows[0]} completed assessments are missing")
    total = database.count_assessments()
    resumed = []
    for person, step in waiting:
        where = person.resume()
        check(where == step, f"a questionnaire in progress resumed at {where}, not {step}")
        resumed.append(finish(person, step))
    other_errors = {k: v for k, v in load.errors.items() if k not in CONNECTION_ERRORS}
    check(not other_errors, f"errors other than cut connections: {other_errors}")
    served_after = serves_afterwards(server, seed=4242)
    return {
        "workers": len(before),
        "workers_killed": len(killed),
        "killed_replaced": len(killed),
        "workers_after": len(after),
        "same_master": True,
        "completed_during_load": len(load.completed),
        "completed_found_in_database": len(load.completed),
        "saved_during_load": total - before_load,
        # Final submits saved whose answer the kill cut off: the person's retry finds them
        # (cut_submit checks that).
        "saved_but_answer_cut": total - before_load - len(load.completed),
        "requests_cut_by_the_kills": sum(load.errors.values()),
        "cut_kinds": dict(load.errors),
        "in_progress_resumed_and_finished": len(resumed),
        "requests_after_replacement_ok": served_after,
    }


# --- (b) restart the server mid-questionnaire -------------------------------------------------


def restart(server: Server, database: Database) -> dict:
    person, next_step = mid_questionnaire(server.base_url, seed=77, answered=3)
    before = database.count_assessments()
    master = server.process.pid
    server.restart()
    check(server.process.pid != master, "gunicorn was not restarted")
    where = person.resume()
    check(where == next_step, f"resumed at {where} after the restart, not {next_step}")
    result = finish(person, where)
    check(
        Browser(server.base_url, cookies=dict(person.browser.cookies)).get(result).status == 200,
        "result page",
    )
    check(
        database.count_assessments() == before + 1, "the finished questionnaire was not saved once"
    )
    return {"resumed_at": where, "expected": next_step, "saved_after_restart": 1}


# --- (c) the database unreachable ------------------------------------------------------------


class TcpProxy:
    """A loopback TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones
    refused at once) and restored. Only connections made through it are affected."""

    def __init__(self, target_port: int) -> None:
        self.target = (HOST, target_port)
        self.listener = socket.create_server((HOST, 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.cut_off = threading.Event()
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.cut_off.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while not self.stopped.is_set() and not self.cut_off.is_set():
                for key, _ in selector.select(timeout=0.2):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            pass
        finally:
            selector.close()
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()
            with self.lock:
                self.open -= {a, b}

    def cut(self) -> None:
        self.cut_off.set()
        with self.lock:
            for sock in list(self.open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self.cut_off.clear()

    def close(self) -> None:
        self.stopped.set()
        self.cut()
        self.listener.close()
        self.thread.join(timeout=5)


class SqliteCut:
    """The SQLite database taken away: its folder (the file, -wal and -shm) renamed, so that
    opening it fails ("unable to open database file"), as a lost mount would; then put back."""

    what = "SQLite file unreachable (its folder renamed away)"

    def __init__(self, database: Database) -> None:
        self.folder = database.sqlite_path.parent
        self.aside = self.folder.with_name(self.folder.name + ".cut")

    def cut(self) -> None:
        os.rename(self.folder, self.aside)

    def restore(self) -> None:
        # A worker that boots during the cut makes the folder again (settings.py), and SQLite
        # would then make an empty database in it: that folder goes before the real one is back.
        if self.folder.exists():
            shutil.rmtree(self.folder)
        os.rename(self.aside, self.folder)


class ProxyCut:
    """PostgreSQL behind the loopback TCP proxy: open connections shut, new ones refused."""

    what = "PostgreSQL unreachable (the loopback TCP proxy in front of it cut)"

    def __init__(self, proxy: TcpProxy) -> None:
        self.proxy = proxy

    def cut(self) -> None:
        self.proxy.cut()

    def restore(self) -> None:
        self.proxy.restore()


def friendly_503(response, what: str) -> None:
    check(response.status == 503, f"{what} answered {response.status} with the database cut")
    check(
        "temporarily unavailable" in response.body and "Traceback" not in response.body,
        f"{what}: not the friendly 503 page",
    )
    check(response.headers.get("Retry-After") == "30", f"{what}: no Retry-After on the 503")


def database_down(
    server: Server, database: Database, cutter, *, down_seconds: float = 5, lock: bool = False
) -> dict:
    """Cut the database under a running gunicorn and restore it: 503s (the friendly page) while
    it is cut; afterwards every request answers again, with the same master and workers.
    `lock`: on SQLite, also hold an exclusive lock longer than the busy timeout (20 s)."""
    master, workers = server.process.pid, server.worker_pids()
    before = database.count_assessments()
    person, step = mid_questionnaire(server.base_url, seed=5)
    check(person.view_step(step).status == 200, "step page before the cut")
    cutter.cut()
    log(f"database cut for {down_seconds} s: {cutter.what}")
    cut_at = time.monotonic()
    try:
        time.sleep(0.5)
        health = Browser(server.base_url).get("/healthz")
        page = person.browser.get(step_path(step))
        # A page that needs no database (no session yet) may well be served: noted, not checked.
        home = Browser(server.base_url).get("/")
        check(health.status == 503, f"/healthz answered {health.status} with the database cut")
        answered = None
        if server.env.get("REDIS_URL") and page.status == 200:
            # With Redis, the session is read from it (cached_db) and a blank step's form from
            # the cache: the step page needs no database, so it is served. Answering needs it.
            answered = person.browser.post(step_path(step), step_form(step, person.answers))
            friendly_503(answered, "answering the step")
        else:
            friendly_503(page, "the step page")
        time.sleep(max(0.0, cut_at + down_seconds - time.monotonic()))
    finally:
        cutter.restore()
    restored_at = time.monotonic()
    first = Browser(server.base_url).get("/healthz")
    first_s = time.monotonic() - restored_at
    after = [Browser(server.base_url).get("/healthz").status for _ in range(20)]
    after.append(person.browser.get(step_path(step)).status)
    check(first.status == 200, f"the first request after the restore answered {first.status}")
    check(after == [200] * len(after), f"requests after the restore answered {after}")
    check(server.process.pid == master, "gunicorn was restarted")
    check(server.worker_pids() == workers, "gunicorn workers were replaced during the outage")
    result = {
        "cut": cutter.what,
        "cut_seconds": down_seconds,
        "healthz_while_cut": health.status,
        "page_while_cut": page.status,
        # With Redis only: the answer to the step page served from Redis while the database is cut.
        "answer_while_cut": answered.status if answered else None,
        "home_while_cut": home.status,
        "friendly_page_with_retry_after": True,
        "first_request_after_restore": first.status,
        "first_request_after_restore_s": round(first_s, 3),
        "requests_after_restore_ok": len(after) + 1,
        "same_master_and_workers": True,
    }
    if lock:
        result.update(sqlite_locked(server, database, person, step))
    check(person.resume() == step, "the questionnaire did not resume after the outage")
    finish(person, step)
    saved = database.count_assessments() - before
    check(saved == 1, f"the questionnaire finished after the outage saved {saved}")
    result["finished_after_outage"] = saved
    return result


def sqlite_locked(server: Server, database: Database, person: Person, step: str) -> dict:
    """Another process holds an exclusive lock on the SQLite file for longer than the busy
    timeout (20 s): requests wait it out, then get the 503 page; after it, 200 again."""
    holder = sqlite3.connect(database.sqlite_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    log("SQLite file locked exclusively by another process")
    answers: dict[str, object] = {}
    waited: dict[str, float] = {}

    def fetch(name: str, browser: Browser, path: str) -> None:
        began = time.monotonic()
        answers[name] = browser.get(path)
        waited[name] = round(time.monotonic() - began, 1)

    threads = [
        threading.Thread(target=fetch, args=("healthz", Browser(server.base_url), "/healthz")),
        threading.Thread(target=fetch, args=("page", person.browser, step_path(step))),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=40)
    finally:
        holder.execute("COMMIT")
        holder.close()
    check(set(answers) == {"healthz", "page"}, "requests against the locked file did not end")
    check(answers["healthz"].status == 503, f"/healthz answered {answers['healthz'].status}")
    friendly_503(answers["page"], "the step page with the file locked")
    statuses = [Browser(server.base_url).get("/healthz").status for _ in range(10)]
    check(statuses == [200] * 10, f"after the lock was released: {statuses}")
    return {
        "locked_healthz": answers["healthz"].status,
        "locked_page": answers["page"].status,
        "locked_waited_s": max(waited.values()),
        "requests_after_unlock_ok": len(statuses),
    }


@contextlib.contextmanager
def proxied_postgres(name: str, server_url: str | None = None):
    """A fresh PostgreSQL database `name` (dropped afterwards) and a Database whose URL goes
    through a loopback TCP proxy that can be cut: (direct, proxied, ProxyCut)."""
    database = Database.postgres(name, server_url)
    real = urllib.parse.urlsplit(database.url)
    proxy = TcpProxy(real.port or 5432)
    netloc = real.netloc.rsplit(":", 1)[0] if real.port else real.netloc
    proxied = Database(url=urllib.parse.urlunsplit(real._replace(netloc=f"{netloc}:{proxy.port}")))
    try:
        yield database, proxied, ProxyCut(proxy)
    finally:
        proxy.close()
        database.drop()


def postgres_database_down(workdir_path: Path, *, down_seconds: float = 5) -> dict:
    """database_down on PostgreSQL with a gunicorn of its own (the quick test's version)."""
    with (
        proxied_postgres(f"scalpsafe_faults_{os.getpid()}") as (database, proxied, cutter),
        Server(proxied, workdir_path) as server,
    ):
        server.prepare()
        server.start()
        return database_down(server, database, cutter, down_seconds=down_seconds)


# --- (e) a final submit cut off: the person resubmits -----------------------------------------


def submission_count(database: Database, submission: str) -> int:
    value = submission.replace("-", "") if database.kind == "sqlite" else submission
    return database.query_one(
        f"SELECT COUNT(*) FROM assessments_assessment WHERE submission_id = '{value}'"
    )[0]


@contextlib.contextmanager
def writes_blocked(database: Database):
    """Hold back every write to assessments from another connection (SQLite: the write lock;
    PostgreSQL: a lock on the table that blocks INSERT), so a final submit waits mid-request."""
    if database.kind == "sqlite":
        holder = sqlite3.connect(database.sqlite_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    with psycopg.connect(database.url, connect_timeout=10) as holder:
        holder.execute("LOCK TABLE assessments_assessment IN SHARE ROW EXCLUSIVE MODE")
        try:
            yield
        finally:
            holder.rollback()


def ready_to_submit(server: Server, seed: int) -> tuple[Person, dict]:
    """A person on the review step, and the final submit form their browser would post."""
    person = Person(server.base_url, random.Random(seed))
    person.start()
    for step in shown_steps(person.answers)[:-1]:
        person.view_step(step)
        person.answer(step)
    form = {
        **step_form(REVIEW_STEP_KEY, person.answers),
        "submission": person.submission_id(),
        "csrfmiddlewaretoken": person.browser.csrf_form_token,
    }
    return person, form


def resubmit_reaches_the_one_result(database: Database, person: Person, form: dict) -> str:
    response = person.browser.request("POST", step_path(REVIEW_STEP_KEY), form)
    check(
        response.status == 302 and response.location.startswith("/results/"),
        f"the resubmit answered {response.status} {response.location}",
    )
    count = submission_count(database, form["submission"])
    check(count == 1, f"{count} assessments for the one submission")
    result = person.browser.get(response.location)
    check(result.status == 200, f"the owner's result page answered {result.status}")
    check(f'href="{response.location}delete/"' in result.body, "the owner's page is not the result")
    return response.location


def cut_submit(server: Server, database: Database) -> dict:
    """A final submit cut off two ways; each time the person resubmits (the same form, as the
    browser's retry does) and reaches the one saved result.

    dropped: the browser sends the submit and the connection drops before the answer: the
    server saves it, the person never sees it. killed: the worker is killed -9 while the submit
    waits inside it (writes held back by another connection), so nothing is saved."""
    before = set(server.worker_pids())
    # Dropped: the whole request is sent, then the connection is closed without reading.
    person, form = ready_to_submit(server, seed=3101)
    port = urllib.parse.urlsplit(server.base_url).port
    body = urllib.parse.urlencode(form)
    with socket.create_connection((HOST, port), timeout=10) as sock:
        cookies = "; ".join(f"{k}={v}" for k, v in person.browser.cookies.items())
        sock.sendall(
            (
                f"POST {step_path(REVIEW_STEP_KEY)} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                f"Cookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
            ).encode()
        )
    check(
        wait_until(lambda: submission_count(database, form["submission"]) == 1, 15),
        "the dropped submit was not saved",
    )
    dropped = resubmit_reaches_the_one_result(database, person, form)

    # Killed: the submit waits inside a worker for the write lock; every worker is killed.
    person, form = ready_to_submit(server, seed=3102)
    outcome: dict[str, object] = {}

    def submit() -> None:
        try:
            outcome["response"] = person.browser.request("POST", step_path(REVIEW_STEP_KEY), form)
        except Exception as error:  # noqa: BLE001 (the expected outcome, checked below)
            outcome["error"] = type(error).__name__

    with writes_blocked(database):
        thread = threading.Thread(target=submit, daemon=True)
        thread.start()
        time.sleep(1.5)
        check(thread.is_alive(), f"the submit did not wait for the write lock: {outcome}")
        killed = set(server.worker_pids())
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        log(f"kill -9 every worker ({len(killed)}) with a final submit in progress")
        thread.join(timeout=15)
    check("error" in outcome, f"the killed submit was answered: {outcome}")
    check(outcome["error"] in CONNECTION_ERRORS, f"the cut submit failed with {outcome['error']}")
    wait_for_replacements(server, before, killed)
    saved_by_cut = submission_count(database, form["submission"])
    check(saved_by_cut == 0, f"the killed submit saved {saved_by_cut}")
    killed_result = resubmit_reaches_the_one_result(database, person, form)
    # And once more: a second retry of the same form still goes to that one result.
    again = person.browser.request("POST", step_path(REVIEW_STEP_KEY), form)
    check(again.location == killed_result, f"a second retry went to {again.location}")
    check(submission_count(database, form["submission"]) == 1, "a second retry saved again")
    return {
        "dropped_saved_before_resubmit": 1,
        "dropped_resubmit_reaches_result": bool(dropped),
        "killed_workers": len(killed),
        "killed_submit_error": outcome["error"],
        "killed_saved_before_resubmit": saved_by_cut,
        "killed_resubmit_reaches_result": bool(killed_result),
        "assessments_per_submission": 1,
    }


# --- (d) 20 concurrent replays of the final submit -------------------------------------------


def replays(server: Server, database: Database, *, count: int = 20) -> dict:
    person = Person(server.base_url, random.Random(2020))
    person.start()
    steps = shown_steps(person.answers)
    for step in steps[:-1]:
        person.view_step(step)
        person.answer(step)
    submission = person.submission_id()
    form = {
        **step_form(REVIEW_STEP_KEY, person.answers),
        "submission": submission,
        "csrfmiddlewaretoken": person.browser.csrf_form_token,
    }
    before = database.count_assessments()
    barrier = threading.Barrier(count)
    responses, errors = [], []

    def replay() -> None:
        browser = Browser(server.base_url, cookies=dict(person.browser.cookies))
        barrier.wait(timeout=30)
        try:
            responses.append(browser.request("POST", step_path(REVIEW_STEP_KEY), form))
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=replay) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    check(not errors, f"replays failed: {errors[:3]}")
    statuses = sorted({r.status for r in responses})
    locations = {r.location for r in responses}
    saved = database.count_assessments() - before
    check(statuses == [302], f"replays answered {statuses}")
    check(
        len(locations) == 1 and next(iter(locations)).startswith("/results/"),
        f"replays went to {locations}",
    )
    check(saved == 1, f"{saved} assessments saved by {count} replays")
    # The person's own browser session must still own what was saved: each replay once made
    # an owner reference of its own and the session kept only the last (docs/reliability.md).
    location = next(iter(locations))
    result = person.browser.get(location)
    check(result.status == 200, f"the owner's result page answered {result.status}")
    check(f'href="{location}delete/"' in result.body, "the owner's page is not the result")
    return {
        "replays": count,
        "statuses": statuses,
        "distinct_results": len(locations),
        "assessments_saved": saved,
        "owner_opens_result": result.status,
    }
