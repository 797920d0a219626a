"""A real gunicorn over loopback HTTP: what the tests, bench/ and the fault scenarios share.

- `Database`: a throwaway SQLite file or a fresh PostgreSQL database, and its assessment count;
- `Server`: gunicorn started the way `make serve` starts it (collectstatic, migrate, gunicorn with
  gunicorn.conf.py), on a free loopback port, always stopped with its whole process group;
- `Browser`: a plain http.client "person" with a cookie jar and the CSRF token;
- `Person`: one simulated person taking the questionnaire, with random valid answers;
- `Load`: many such people at once, for a number of seconds.

Loopback only: every address here is 127.0.0.1. Every wait has a deadline.
"""

# Load generation, not cryptography; subprocesses are our own commands; SQL from our own ids.
# ruff: noqa: S311, S603, S607, S608

from __future__ import annotations

import contextlib
import http.client
import multiprocessing
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
HOST = "127.0.0.1"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

sys.path.insert(0, str(REPO))
from assessments import rulebook  # noqa: E402  (pure standard library: no Django needed)
from assessments.rulebook import REVIEW_STEP_KEY  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Database -------------------------------------------------------------------------------


@dataclass
class Database:
    """A database for one run: an SQLite file in a temporary folder, or a PostgreSQL database."""

    url: str | None = None  # postgres://...; None means SQLite
    sqlite_path: Path | None = None

    @classmethod
    def sqlite(cls, folder: Path) -> Database:
        # In a folder of its own, so that a fault can take the whole database (the file, its
        # -wal and -shm) away at once by renaming the folder (tests/support/faults.py).
        return cls(sqlite_path=folder / "database" / "bench.sqlite3")

    @classmethod
    def postgres(cls, name: str, server_url: str | None = None) -> Database:
        """A fresh, empty database `name` on the server of `server_url` (dropped first if there)."""
        server_url = server_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES
        parts = urllib.parse.urlsplit(server_url)
        if parts.hostname not in (HOST, "localhost"):
            raise SystemExit(f"Refusing a database that is not on loopback: {parts.hostname}")
        database = cls(url=urllib.parse.urlunsplit(parts._replace(path=f"/{name}")))
        database._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        database._admin(f'CREATE DATABASE "{name}"')
        return database

    @property
    def kind(self) -> str:
        return "postgresql" if self.url else "sqlite"

    @property
    def name(self) -> str:
        return urllib.parse.urlsplit(self.url).path.lstrip("/") if self.url else ""

    def env(self) -> dict[str, str]:
        if self.url:
            return {"DATABASE_URL": self.url}
        return {"SQLITE_PATH": str(self.sqlite_path)}

    def _admin(self, sql: str) -> None:
        import psycopg

        admin_url = urllib.parse.urlunsplit(
            urllib.parse.urlsplit(self.url)._replace(path="/postgres")
        )
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)

    def query_one(self, sql: str):
        if self.url:
            import psycopg

            with psycopg.connect(self.url, connect_timeout=10) as connection:
                return connection.execute(sql).fetchone()
        with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=30)) as connection:
            return connection.execute(sql).fetchone()

    def count_assessments(self) -> int:
        return self.query_one("SELECT COUNT(*) FROM assessments_assessment")[0]

    def drop(self) -> None:
        if self.url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- Server ---------------------------------------------------------------------------------


def print_gunicorn_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    """gunicorn.conf.py's settings with `env`, as gunicorn itself reads them (--print-config):
    stdout holds one "name = value" line each; a value this file refuses exits non-zero with its
    reason (a command line's are checked only when gunicorn starts: on_starting)."""
    return subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--print-config"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def parse_settings(printed: str) -> dict[str, str]:
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }


def production_env(database: Database, static_root: Path, port: int) -> dict[str, str]:
    """The production environment of the README, for plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "SQLITE_", "GUNICORN_", "DJANGO_"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"http://{HOST}:{port}",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        STATIC_ROOT=str(static_root),
        GUNICORN_BIND=f"{HOST}:{port}",
        LOG_LEVEL="WARNING",
        **database.env(),
    )
    return env


# gunicorn.conf.py's access_log_format: '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
ACCESS_LINE = re.compile(r'^\S+ "[A-Z]+ \S* HTTP/[0-9.]+" (\d{3}) \S+ [0-9.]+s$')


class Server:
    """gunicorn as `make serve` runs it. Use as a context manager: it is always stopped."""

    def __init__(
        self,
        database: Database,
        workdir: Path,
        *,
        extra_env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.database = database
        self.workdir = workdir
        self.port = port or free_port()
        self.env = production_env(database, workdir / "static", self.port)
        self.env.update(extra_env or {})
        self.process: subprocess.Popen | None = None
        self.log_path = workdir / "gunicorn.log"
        self.base_url = f"http://{HOST}:{self.port}"

    def manage(self, *args: str, timeout: float = 300, stdin: str | None = None) -> str:
        completed = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout

    def run_script(self, script: Path, *args: str, timeout: float = 600) -> str:
        """Run a Django script (bench/seed.py) with this server's environment."""
        completed = subprocess.run(
            [PYTHON, str(script), *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{script.name} {' '.join(args)} failed:\n{completed.stderr[-3000:]}"
            )
        return completed.stdout

    def prepare(self) -> None:
        """What `make serve` does before gunicorn: collectstatic and migrate."""
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("migrate", "--noinput", "--verbosity", "0")

    def start(self, timeout: float = 60) -> None:
        log_file = open(self.log_path, "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=REPO,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches every worker
        )
        log_file.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if (
                    Browser(self.base_url, timeout=2).get("/healthz").status == 200
                    and len(self.worker_pids()) >= self.workers()
                ):
                    return
            time.sleep(0.2)
        seen = len(self.worker_pids())
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer /healthz with all {self.workers()} workers within "
            f"{timeout} s ({seen} workers seen)"
        )

    def gunicorn_settings(self) -> dict[str, str]:
        """What this server's gunicorn runs with, for a benchmark's or fault run's record."""
        printed = parse_settings(print_gunicorn_config(self.env).stdout)
        names = ("workers", "threads", "worker_connections", "preload_app", "max_requests")
        return {name: printed[name] for name in names}

    def workers(self) -> int:
        """How many workers gunicorn.conf.py starts with this environment. start() waits for all:
        with the site preloaded the first worker answers while the master is still forking the
        rest, and a test that notes the workers must see every one of them. Read from
        GUNICORN_WORKERS as gunicorn.conf.py reads it: a count given on gunicorn's command line
        (GUNICORN_CMD_ARGS) is not seen here, and none of the harness's servers gives one."""
        return int(self.env.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)

    def stop(self, timeout: float = 20) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        pgid = self.process.pid  # the session leader: its pid is the group id
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Workers of a killed master may linger for a moment; make sure none is left.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def access_log_statuses(self) -> Counter[int]:
        """How many times each HTTP status was answered, from gunicorn's access log so far."""
        statuses: Counter[int] = Counter()
        with contextlib.suppress(OSError):
            for line in self.log_path.read_text(errors="replace").splitlines():
                found = ACCESS_LINE.search(line)
                if found:
                    statuses[int(found.group(1))] += 1
        return statuses

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        master = self.process.pid
        children = []
        for task in Path(f"/proc/{master}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children += [int(pid) for pid in task.read_text().split()]
        return sorted(set(children))

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in kB; empty if it has gone."""
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


@contextlib.contextmanager
def workdir(prefix: str):
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# What a cut request looks like to a browser: the connection dropped, or (behind nginx) the
# proxy's 502 / 504 when its upstream went away mid-request. The app itself never answers them.
CUT_ERRORS = (OSError, http.client.HTTPException)
CUT_STATUSES = frozenset({502, 504})


@dataclass
class Browser:
    """One person's browser: cookies kept, a new loopback connection per request.

    `retries`: how many times a cut request is sent again, as a person would press reload or
    resubmit (0: never, the default; the cluster run allows it). `observer` sees every response
    (the cluster run counts which app host served it, from nginx's X-Upstream header)."""

    base_url: str
    timeout: float = 30
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_form_token: str = ""
    retries: int = 0
    observer: Callable[[Response], None] | None = None
    cut_retried: Counter[str] = field(default_factory=Counter)
    last_upstream: str = ""

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        attempt = 0
        while True:
            try:
                response = self._request_once(method, path, form)
            except CUT_ERRORS as error:
                if attempt >= self.retries:
                    raise
                cut = type(error).__name__
            else:
                if response.status not in CUT_STATUSES or attempt >= self.retries:
                    return response
                cut = f"HTTP {response.status}"
            attempt += 1
            self.cut_retried[f"{method} {cut}"] += 1
            time.sleep(0.5)

    def _request_once(self, method: str, path: str, form: dict | None = None) -> Response:
        parts = urllib.parse.urlsplit(self.base_url)
        assert parts.hostname == HOST, "loopback only"
        headers = {"Host": f"{HOST}:{parts.port}", "User-Agent": "scalpsafe-bench"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, parts.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        self.last_upstream = response.headers.get("X-Upstream", "")
        if self.observer is not None:
            self.observer(response)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        found = CSRF_INPUT.search(response.body)
        if found:
            self.csrf_form_token = found.group(1)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Response:
        token = self.csrf_form_token or self.cookies.get("csrftoken", "")
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": token})


# --- The questionnaire ----------------------------------------------------------------------

STEP_KEYS = [step.key for step in rulebook.STEPS]


def step_path(step: str) -> str:
    return f"/assessment/{step}/"


def random_answer(question: rulebook.Question, rng: random.Random):
    if question.kind == "one":
        return rng.choice(question.codes)
    if question.kind == "many":
        if rng.random() < 0.5:
            return [question.exclusive]
        others = [code for code in question.codes if code != question.exclusive]
        return rng.sample(others, rng.randint(1, min(3, len(others))))
    if question.kind == "int":
        return rng.choice([question.min_value or 0, 3, 20])
    return rng.choice(["", "Bench note."])


def random_answers(rng: random.Random, used_before: str | None = None) -> dict:
    answers = {q.key: random_answer(q, rng) for step in rulebook.STEPS for q in step.questions}
    answers["used_before"] = used_before or rng.choice(["yes", "no"])
    answers["notes"] = random_answer(rulebook.NOTES, rng)
    if answers["device_condition"] == "new_sterile":
        answers["device_uses"] = 0  # a sealed sterile pack has not been used (rulebook 2026.12)
    return answers


def shown_steps(answers: dict) -> list[str]:
    return [s for s in STEP_KEYS if rulebook.step_is_shown(s, answers)] + [REVIEW_STEP_KEY]


def step_form(step: str, answers: dict) -> dict:
    if step == REVIEW_STEP_KEY:
        keys = ["notes"]
    else:
        keys = [q.key for q in rulebook.STEPS_BY_KEY[step].questions]
    return {f"{step}-{key}": answers[key] for key in keys}


class UnexpectedResponse(Exception):
    def __init__(self, what: str, response: Response) -> None:
        super().__init__(f"{what}: HTTP {response.status} {response.location}".strip())
        self.status = response.status


def expect(response: Response, status: int, what: str, location_prefix: str = "") -> Response:
    if response.status != status or not response.location.startswith(location_prefix):
        raise UnexpectedResponse(what, response)
    return response


class Person:
    """One simulated person. Each call of a method is one page view or form post."""

    def __init__(
        self,
        base_url: str,
        rng: random.Random,
        timeout: float = 30,
        *,
        retries: int = 0,
        observer: Callable[[Response], None] | None = None,
    ) -> None:
        self.browser = Browser(base_url, timeout=timeout, retries=retries, observer=observer)
        self.rng = rng
        self.answers: dict = {}
        self.submission = ""

    def start(self) -> None:
        """Read the privacy notice and agree: the questionnaire's first step is next."""
        self.answers = random_answers(self.rng)
        expect(self.browser.get("/assessment/before-you-start/"), 200, "notice")
        expect(
            self.browser.post("/assessment/before-you-start/", {"agree": "on"}),
            302,
            "consent",
            "/assessment/",
        )

    def view_step(self, step: str) -> Response:
        return expect(self.browser.get(step_path(step)), 200, f"GET {step}")

    def answer(self, step: str) -> Response:
        return expect(
            self.browser.post(step_path(step), step_form(step, self.answers)),
            302,
            f"POST {step}",
            "/assessment/",
        )

    def back(self, step: str) -> Response:
        """Press Back on `step` with the page as filled in (complete or not)."""
        form = step_form(step, self.answers)
        if self.rng.random() < 0.5:
            form = dict(list(form.items())[:1])  # left half-done
        form["wizard_goto_step"] = STEP_KEYS[max(0, STEP_KEYS.index(step) - 1)]
        return expect(self.browser.post(step_path(step), form), 302, f"Back on {step}")

    def resume(self) -> str:
        """Come back later through /assessment/: where does the questionnaire send them?"""
        response = expect(self.browser.get("/assessment/"), 302, "resume", "/assessment/")
        return response.location.rstrip("/").rsplit("/", 1)[-1]

    def submission_id(self) -> str:
        found = re.search(
            r'name="submission" value="([^"]+)"', self.view_step(REVIEW_STEP_KEY).body
        )
        if not found:
            raise RuntimeError("no submission field on the review step")
        return found.group(1)

    def submit(self) -> str:
        """Post the review step; return the result page's path."""
        self.submission = self.submission_id()
        form = {**step_form(REVIEW_STEP_KEY, self.answers), "submission": self.submission}
        response = expect(
            self.browser.post(step_path(REVIEW_STEP_KEY), form), 302, "submit", "/results/"
        )
        return response.location

    def send_to_clinic(self, result: str) -> str:
        """Send the result at `result` to the first clinic offered, to be reached by phone.

        Returns the share's page as the person's browser lands on it (the result, or for
        someone without an account the page with their new private link)."""
        page = expect(self.browser.get(f"{result}send/"), 200, "send page").body
        found = re.search(r'name="clinic" value="([^"]+)"', page)
        if not found:
            raise RuntimeError("no clinic offered on the send page")
        form = {
            "clinic": found.group(1),
            "contact_way": "phone",
            "contact_phone": "07700 900123",
            "agree": "on",
        }
        response = self.browser.post(f"{result}send/", form)
        if response.status == 302 and response.location.startswith(result):
            return response.location
        return expect(response, 200, "send").location or result

    def complete(self, *, back: bool = False, leave: bool = False) -> str:
        """The whole questionnaire, optionally going Back once and leaving and resuming once."""
        self.start()
        steps = shown_steps(self.answers)
        back_at = self.rng.randrange(1, len(steps) - 1) if back else -1
        leave_at = self.rng.randrange(1, len(steps) - 1) if leave else -1
        index = 0
        while index < len(steps) - 1:
            step = steps[index]
            self.view_step(step)
            if index == back_at:
                back_at = -1
                self.back(step)
                index -= 1
                continue
            self.answer(step)
            index += 1
            if index == leave_at:
                leave_at = -1
                resumed = self.resume()
                if resumed != steps[index]:
                    raise RuntimeError(f"resumed at {resumed}, expected {steps[index]}")
        result = self.submit()
        expect(self.browser.get(result), 200, "result page")
        return result


# --- Load ------------------------------------------------------------------------------------

GRACE_SECONDS = 120


class Load:
    """`people` threads, each taking questionnaires one after another until `seconds` are up.

    `share`: the fraction of completed questionnaires then sent to a clinic (the send page's
    first clinic). `retries` and `observer` go to each person's Browser."""

    def __init__(
        self,
        base_url: str,
        *,
        people: int,
        seconds: float,
        seed: int = 2026,
        share: float = 0.0,
        retries: int = 0,
        observer: Callable[[Response], None] | None = None,
    ) -> None:
        self.base_url, self.people, self.seconds, self.seed = base_url, people, seconds, seed
        self.share, self.retries, self.observer = share, retries, observer
        self.lock = threading.Lock()
        self.completed: list[str] = []  # the result pages people reached
        self.shared: list[str] = []  # those of them sent to a clinic
        self.errors: Counter[str] = Counter()
        self.error_examples: list[str] = []
        self.behaviour: Counter[str] = Counter()
        self.cut_retried: Counter[str] = Counter()
        self.threads: list[threading.Thread] = []

    def _person(self, number: int) -> None:
        rng = random.Random(self.seed * 1000 + number)
        deadline = self.started + self.seconds
        while time.monotonic() < deadline:
            back, leave = rng.random() < 0.3, rng.random() < 0.3
            share = rng.random() < self.share
            person = Person(self.base_url, rng, retries=self.retries, observer=self.observer)
            result = None
            try:
                result = person.complete(back=back, leave=leave)
                if share:
                    person.send_to_clinic(result)
            except Exception as error:  # noqa: BLE001 (every failure is counted and reported)
                kind = (
                    f"HTTP {error.status}"
                    if isinstance(error, UnexpectedResponse)
                    else type(error).__name__
                )
                with self.lock:
                    self.errors[kind] += 1
                    if len(self.error_examples) < 10:
                        self.error_examples.append(f"{kind}: {error}")
                    if result is not None:  # completed; the send failed
                        self.completed.append(result)
                    self.cut_retried.update(person.browser.cut_retried)
                time.sleep(0.2)  # a person who hit an error does not hammer the server
                continue
            with self.lock:
                self.completed.append(result)
                if share:
                    self.shared.append(result)
                self.behaviour["went back"] += back
                self.behaviour["left and resumed"] += leave
                self.behaviour["sent to a clinic"] += share
                self.cut_retried.update(person.browser.cut_retried)

    def start(self) -> None:
        self.started = time.monotonic()
        for number in range(self.people):
            thread = threading.Thread(target=self._person, args=(number,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def wait(self) -> None:
        limit = self.started + self.seconds + GRACE_SECONDS
        for thread in self.threads:
            thread.join(timeout=max(0.0, limit - time.monotonic()))
        if any(thread.is_alive() for thread in self.threads):
            self.errors["person still running after the grace period"] += 1
        self.elapsed = time.monotonic() - self.started

    def run(self) -> Load:
        self.start()
        self.wait()
        return self
