"""The parts bench/bench.py and bench/cluster.py start beside gunicorn, on loopback only.

- `redis_server`: the Redis on 127.0.0.1:6379 (started for the run, and stopped after, only if
  nothing listens there; installed with apt-get when missing and run as root), one database of
  it emptied before and after, and locked so that two runs never empty each other's;
- `Nginx`: Debian's nginx with a configuration and prefix of its own in a temporary folder, on a
  free loopback port, balancing two app hosts: never the system service;
- `TaskWorker`: `manage.py run_task_worker` in its own process group;
- `Cluster`: nginx in front of two gunicorn app hosts (tests/support/live.py `Server`) sharing
  one SECRET_KEY, one fresh PostgreSQL database (pooled connections) and one Redis database;
  with `task_worker`, also the task worker delivering to a loopback SMTP server.

Every part is started in order and stopped in reverse by the caller's ExitStack, also when a
start fails half-way. Every wait has a deadline.
"""

# Subprocesses are our own commands.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from tests.support.live import HOST, PYTHON, REPO, Database, Server, free_port, log

REDIS_PORT = 6379


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out after {seconds:.0f} s waiting for {what}")


def stop_group(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """Stop a process started with start_new_session=True, and everything in its group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group `pgid`."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


def debian_binary(name: str, package: str) -> str:
    """A program from Debian's package, installed with apt-get when missing (root only)."""

    def found() -> str | None:
        return shutil.which(name) or next(
            (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()),
            None,
        )

    if found():
        return found()
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(f"{name} is missing: apt-get install -y {package} (as root), then again")
    log(f"installing Debian's {package} (apt-get install -y {package})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", package]
    with services_not_started():
        if subprocess.run(install, env=env, capture_output=True, timeout=300).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, timeout=300)
            subprocess.run(install, env=env, check=True, capture_output=True, timeout=300)
    return found() or name


POLICY_RC_D = Path("/usr/sbin/policy-rc.d")
# Marks the policy-rc.d written here, so that one left behind by a run killed mid-install is
# known as ours (and removed after the next install) rather than taken for the machine's own.
OUR_POLICY = "#!/bin/sh\n# bench/parts.py, for one install\nexit 101\n"


@contextlib.contextmanager
def services_not_started():
    """While a package is installed, Debian's own way of saying "start no service"
    (invoke-rc.d and deb-systemd-invoke ask policy-rc.d; 101: action forbidden): installing
    nginx or redis-server would otherwise start the system's service, nginx on port 80 of every
    address. (The package still enables its service for the next boot, as Debian's packages
    do: docs/reliability.md.) A policy-rc.d of the machine's own (containers have one) is left
    as it is."""
    if POLICY_RC_D.exists() and POLICY_RC_D.read_text(errors="replace") != OUR_POLICY:
        yield
        return
    POLICY_RC_D.write_text(OUR_POLICY)
    POLICY_RC_D.chmod(0o755)
    try:
        yield
    finally:
        POLICY_RC_D.unlink(missing_ok=True)


def postgresql_on_loopback(url: str | None = None) -> None:
    """The machine's PostgreSQL on 127.0.0.1:5432 (the default server), started when it is
    installed but stopped (as .ci/run does: Debian's pg_ctlcluster, never the system service
    manager). A server named elsewhere (`url`, BENCH_DATABASE_URL) is the caller's to run."""
    url = url or os.environ.get("BENCH_DATABASE_URL")
    if url and urllib.parse.urlsplit(url).port not in (None, 5432):
        return
    if listening(5432):
        return

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.parent.name.split(".") if part.isdigit())

    clusters = sorted(Path("/etc/postgresql").glob("*/main"), key=version)
    if not clusters or shutil.which("pg_ctlcluster") is None:
        raise SystemExit("PostgreSQL is not running on 127.0.0.1:5432 (and not installed here)")
    chosen = clusters[-1].parent.name
    log(f"starting PostgreSQL {chosen} (pg_ctlcluster {chosen} main start)")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", chosen, "main", "start"],
        check=False,
        timeout=60,
    )
    wait_for(lambda: listening(5432), 30, "PostgreSQL to listen on 5432")


# --- Redis ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redis:
    """One database of the Redis on loopback; calling it sends one command (RESP by hand: no
    client library needed in this process)."""

    db: int
    port: int = REDIS_PORT

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/{self.db}"

    def __call__(self, *args: str) -> str:
        def encode(*parts: str) -> bytes:
            out = f"*{len(parts)}\r\n"
            for part in parts:
                out += f"${len(part.encode())}\r\n{part}\r\n"
            return out.encode()

        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(encode("SELECT", str(self.db)) + encode(*args))
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                reply += chunk
        lines = reply.decode().split("\r\n")
        if not lines[0].startswith("+OK") or lines[1].startswith("-"):
            raise RuntimeError(f"Redis: {lines[:2]}")
        return lines[1].lstrip("+:")


@contextlib.contextmanager
def redis_server(folder: Path, db: int):
    """Database `db` of the Redis on 127.0.0.1:6379, empty, for one run at a time.

    Like .ci/run: a Redis already running is used; otherwise redis-server (installed when
    missing, as root) is started for the run, loopback only, nothing written to disk, and
    stopped after it."""
    lock = open(Path(tempfile.gettempdir()) / f"scalpsafe-redis-{db}.lock", "w")  # noqa: SIM115
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise SystemExit(
            f"another run uses Redis database {db} ({lock.name} is locked): wait for it, or "
            "pick another database"
        ) from None
    started = None
    try:
        if not listening(REDIS_PORT):
            binary = debian_binary("redis-server", "redis-server")
            log(f"starting redis-server on {HOST}:{REDIS_PORT} for this run")
            started = subprocess.Popen(
                [binary, "--bind", HOST, "--port", str(REDIS_PORT), "--save", ""]
                + ["--appendonly", "no"],
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            wait_for(lambda: listening(REDIS_PORT), 20, "redis-server to listen")
        redis = Redis(db)
        redis("FLUSHDB")
        try:
            yield redis
        finally:
            with contextlib.suppress(OSError, RuntimeError):
                redis("FLUSHDB")
    finally:
        if started is not None:
            stop_group(started)
        lock.close()


def settings_in_use(server: Server) -> dict:
    """What the app hosts really run with (cache, browser sessions, connection pool, the key a
    result's body is cached under, with `{id}` for the result's id), read by Django itself with
    `server`'s environment, and gunicorn's settings as gunicorn reads them."""
    out = server.manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; from django.core.cache import caches; "
        "from assessments.page_cache import result_body_key; "
        "from clinics.notifications import NOTIFIED; "
        "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'], "
        "'sessions': settings.SESSION_ENGINE, "
        "'pool': settings.DATABASES['default'].get('OPTIONS', {}).get('pool') is not None, "
        "'notified': sorted(NOTIFIED), "
        "'result_body_key': caches['pages'].make_and_validate_key(result_body_key('{id}'))}))",
    )
    return {**json.loads(out.strip().splitlines()[-1]), "gunicorn": server.gunicorn_settings()}


# --- nginx ------------------------------------------------------------------------------------

NGINX_CONF = """\
# Written by bench/parts.py for one run; never the system's nginx.
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
daemon off;
master_process on;
events {{ worker_connections 1024; }}
http {{
    log_format upstreams '$status $request_method $upstream_addr $upstream_status $request_time';
    access_log {prefix}/access.log upstreams;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    upstream scalpsafe {{
        server {host}:{port_a} max_fails=1 fail_timeout=5s;
        server {host}:{port_b} max_fails=1 fail_timeout=5s;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://scalpsafe;
            # A host that refuses or drops the connection: the request goes to the other one.
            # nginx never re-sends a POST the dead host may have received (no non_idempotent):
            # the person sees 502 and sends it again, as a browser user would.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout 10s;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # For this run only: which host answered, so the checks can count it.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, folder: Path, port_a: int, port_b: int) -> None:
        self.binary = debian_binary("nginx", "nginx")
        self.prefix = folder / "nginx"
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / "temp" / temp).mkdir(parents=True, exist_ok=True)
        user = ""
        if os.geteuid() == 0:
            # Workers drop to www-data: let them reach and write the temporary folders.
            user = "user www-data www-data;\n"
            for path in (folder, self.prefix):
                path.chmod(0o755)
            for temp in (self.prefix / "temp").iterdir():
                shutil.chown(temp, "www-data", "www-data")
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(
            NGINX_CONF.format(
                user=user,
                prefix=self.prefix,
                host=HOST,
                port=self.port,
                port_a=port_a,
                port_b=port_b,
            )
        )

    def start(self) -> None:
        command = [self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-e", "stderr"]
        test = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
        self.log = open(self.prefix / "nginx.out", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(lambda: listening(self.port), 20, "nginx to listen")

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, signal.SIGQUIT)
            self.log.close()
            self.process = None

    def access_log(self) -> list[list[str]]:
        path = self.prefix / "access.log"
        return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


class TaskWorker:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.log_path = env, folder / "task-worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(
                [PYTHON, "manage.py", "run_task_worker", "--interval", "0.5"],
                cwd=REPO,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
            self.process = None


# --- The cluster ------------------------------------------------------------------------------


class Cluster:
    """nginx, two app hosts, PostgreSQL and Redis (and, with `task_worker`, the task worker and
    an SMTP server): made here, started by `prepare()` then `start()`, stopped in reverse by
    `stack` whatever happens."""

    def __init__(
        self,
        stack: contextlib.ExitStack,
        folder: Path,
        *,
        workers: int,
        database_name: str,
        redis_db: int,
        task_worker: bool = True,
    ) -> None:
        self.folder = folder
        self.redis = stack.enter_context(redis_server(folder, redis_db))
        postgresql_on_loopback()
        self.database = Database.postgres(database_name)
        stack.callback(self.database.drop)
        port_a, port_b = free_port(), free_port()
        self.nginx = Nginx(folder, port_a, port_b)
        shared = {
            # One site: one key (sessions, signed values), one address for links in emails.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": ",".join(
                f"http://{HOST}:{port}" for port in (self.nginx.port, port_a, port_b)
            ),
            "SITE_URL": self.nginx.url,
            "PROXY_COUNT": "1",  # nginx appends the client's address to X-Forwarded-For
            "STATIC_ROOT": str(folder / "static"),
            "REDIS_URL": self.redis.url,
            # Pooled connections (issue 16): DATABASE_CONN_MAX_AGE must be 0 with a pool.
            "DATABASE_CONN_MAX_AGE": "0",
            "DATABASE_POOL_MIN_SIZE": "1",
            "DATABASE_POOL_MAX_SIZE": "4",
            "DATABASE_POOL_TIMEOUT": "10",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": "4",
        }
        self.smtp = self.worker = None
        if task_worker:
            from tests.support.emails import SmtpServer

            self.smtp = SmtpServer()
            self.smtp.controller.start()
            stack.callback(self.smtp.controller.stop)
            shared.update(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST=HOST,
                EMAIL_PORT=str(self.smtp.port),
                EMAIL_USE_TLS="false",
                EMAIL_TIMEOUT="5",
            )
        self.hosts: dict[str, Server] = {}
        for name, port in (("A", port_a), ("B", port_b)):
            (folder / f"host-{name}").mkdir()
            server = Server(self.database, folder / f"host-{name}", extra_env=shared, port=port)
            stack.callback(server.stop)
            self.hosts[name] = server
        self.a, self.b = self.hosts["A"], self.hosts["B"]
        if task_worker:
            self.worker = TaskWorker(self.a.env, folder)
            stack.callback(self.worker.stop)
        stack.callback(self.nginx.stop)

    def prepare(self) -> None:
        log("collectstatic, migrate (one database for both hosts)")
        self.a.prepare()

    def start(self) -> None:
        log(f"gunicorn: host A on :{self.a.port}, host B on :{self.b.port}")
        self.a.start()
        self.b.start()
        if self.worker is not None:
            self.worker.start()
        self.nginx.start()
        extras = f"; task worker; SMTP on :{self.smtp.port}" if self.smtp else ""
        log(f"nginx on {self.nginx.url}{extras}")

    def upstream(self, name: str) -> str:
        return f"{HOST}:{self.hosts[name].port}"

    def settings_in_use(self) -> dict:
        return settings_in_use(self.a)


def new_password() -> str:
    # Never starting with "-": seed.py takes it on its command line, where argparse would read
    # it as an option.
    return f"pw{secrets.token_urlsafe(16)}"
