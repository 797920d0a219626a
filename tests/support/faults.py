"""The reliability scenarios of docs/reliability.md, against a real gunicorn (tests.support.live).

(a) kill_worker: kill -9 gunicorn workers while people take the questionnaire: no completed
    assessment is lost, and questionnaires in progress resume at their step.
(b) restart: stop and start gunicorn mid-questionnaire: the person resumes at the same step.
(c) database_down: PostgreSQL behind a TCP proxy on loopback, cut and restored: /healthz and
    pages answer 503 (the friendly page) while it is cut and recover without a restart.
(d) replays: 20 concurrent replays of the final submit make exactly one assessment.

`make faults` (bench/faults.py) runs the long versions; tests/serving/test_faults.py the quick ones.
Every scenario is bounded in time.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import contextlib
import os
import random
import selectors
import signal
import socket
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


# --- (a) kill -9 a worker during the load ----------------------------------------------------


def kill_worker(
    server: Server, database: Database, *, seconds: float = 30, people: int = 20
) -> dict:
    waiting = [mid_questionnaire(server.base_url, seed) for seed in range(5)]
    load = Load(server.base_url, people=people, seconds=seconds)
    load.start()
    killed = []
    for moment in (seconds / 3, 2 * seconds / 3):
        time.sleep(max(0.0, load.started + moment - time.monotonic()))
        pid = random.choice(server.worker_pids())
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)
        log(f"kill -9 worker {pid}")
    load.wait()
    check(
        wait_until(
            lambda: (
                len(server.worker_pids()) >= len(killed)
                and Browser(server.base_url).get("/healthz").status == 200
            ),
            30,
        ),
        "gunicorn did not replace the killed workers",
    )
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
    cut = sum(load.errors.values())
    return {
        "workers_killed": len(killed),
        "completed_during_load": len(load.completed),
        "completed_found_in_database": len(load.completed),
        "assessments_in_database": total,
        "requests_cut_by_the_kills": cut,
        "cut_examples": load.error_examples[:3],
        "in_progress_resumed_and_finished": len(resumed),
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


def database_down(workdir_path: Path, *, down_seconds: float = 5) -> dict:
    database = Database.postgres(f"scalpsafe_faults_{os.getpid()}")
    real = urllib.parse.urlsplit(database.url)
    proxy = TcpProxy(real.port or 5432)
    netloc = real.netloc.rsplit(":", 1)[0] if real.port else real.netloc
    proxied = Database(url=urllib.parse.urlunsplit(real._replace(netloc=f"{netloc}:{proxy.port}")))
    try:
        with Server(proxied, workdir_path) as server:
            server.prepare()
            server.start()
            master = server.process.pid
            person, step = mid_questionnaire(server.base_url, seed=5)
            check(person.view_step(step).status == 200, "step page before the cut")
            proxy.cut()
            log(f"database cut for {down_seconds} s")
            time.sleep(0.5)
            health = Browser(server.base_url).get("/healthz")
            page = person.browser.get(step_path(step))
            check(health.status == 503, f"/healthz answered {health.status} with the database cut")
            check(page.status == 503, f"a page answered {page.status} with the database cut")
            check(
                "temporarily unavailable" in page.body and "Traceback" not in page.body,
                "not the friendly 503 page",
            )
            check(page.headers.get("Retry-After") == "30", "no Retry-After on the 503")
            time.sleep(max(0.0, down_seconds - 0.5))
            proxy.restore()
            restored_at = time.monotonic()
            recovered = wait_until(
                lambda: Browser(server.base_url).get("/healthz").status == 200, 30
            )
            check(recovered, "/healthz did not recover within 30 s of the database returning")
            recovery_s = time.monotonic() - restored_at
            check(
                wait_until(lambda: person.browser.get(step_path(step)).status == 200, 30),
                "the page did not recover",
            )
            check(server.process.pid == master, "gunicorn was restarted")
            check(person.resume() == step, "the questionnaire did not resume after the outage")
            finish(person, step)
            check(
                proxied.count_assessments() == 1,
                "the questionnaire finished after the outage was not saved",
            )
            return {
                "healthz_while_cut": health.status,
                "page_while_cut": page.status,
                "friendly_page": True,
                "recovered_without_restart_s": round(recovery_s, 2),
                "finished_after_outage": 1,
            }
    finally:
        proxy.close()
        database.drop()


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
