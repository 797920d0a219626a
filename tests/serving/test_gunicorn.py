"""`make serve`'s steps for real: collectstatic, migrate, then gunicorn from gunicorn.conf.py."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.live import parse_settings, print_gunicorn_config

# Starts gunicorn and manage.py as subprocesses.
pytestmark = pytest.mark.system

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DEBUG": "false",
        "SECRET_KEY": "serving-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
    }
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], env=env, cwd=REPO, check=True)
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [BIN / "gunicorn", "--config", "gunicorn.conf.py"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base, tmp_path / "gunicorn.log"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_gunicorn_serves_the_site_with_hashed_static_files(served):
    base, log = served
    with urllib.request.urlopen(f"{base}/healthz") as response:
        assert response.read() == b"ok"
    with urllib.request.urlopen(f"{base}/") as response:
        html = response.read().decode()
        assert "Content-Security-Policy" in response.headers
    css = html.split('href="/static/css/site.')[1].split('"')[0]
    with urllib.request.urlopen(f"{base}/static/css/site.{css}") as response:
        assert response.status == 200
    time.sleep(0.2)
    access = log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in access, "access log to stdout"
    assert "Using worker: gthread" in access or "gthread" in access


def _without_gunicorn_settings() -> dict[str, str]:
    # The shell's environment without its own GUNICORN_* values, which would change the settings.
    return {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}


def test_the_gunicorn_settings_come_from_the_environment(tmp_path):
    outside = _without_gunicorn_settings()
    env = {**outside, "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "5"}
    settings = parse_settings(print_gunicorn_config(env).stdout)
    assert settings["workers"] == "3"
    assert settings["threads"] == "5"
    assert settings["worker_class"] == "gthread"
    assert int(settings["max_requests"]) > 0 and int(settings["max_requests_jitter"]) > 0
    # Each worker holds at most three times its threads in connections; the site is loaded once.
    assert settings["worker_connections"] == "15"
    assert settings["preload_app"] == "True"
    bad = print_gunicorn_config({**outside, "GUNICORN_WORKERS": "many"})
    assert bad.returncode != 0
    assert "GUNICORN_WORKERS='many'" in bad.stdout + bad.stderr
    # The environment's values are refused as the file is read, before any start
    # (--print-config, --check-config); a command line's when gunicorn starts (below).
    too_few = print_gunicorn_config({**env, "GUNICORN_WORKER_CONNECTIONS": "5"})
    assert too_few.returncode != 0
    assert "GUNICORN_WORKER_CONNECTIONS=5 (or --worker-connections) must be more than the " in (
        too_few.stdout + too_few.stderr
    )


@pytest.mark.parametrize(
    ("env", "args", "refusal"),
    [
        (
            {"GUNICORN_WORKER_CONNECTIONS": "5", "GUNICORN_THREADS": "5"},
            [],
            "=5 (or --worker-connections) must be more than the threads (5)",
        ),
        # A command line's threads over this file's: the default cap (3 x 4) is too few for 16.
        (
            {},
            ["--threads", "16"],
            "=12 (or --worker-connections) must be more than the threads (16)",
        ),
        (
            {"GUNICORN_CMD_ARGS": "--worker-connections 4"},
            [],
            "=4 (or --worker-connections) must be more than the threads (4)",
        ),
    ],
)
def test_gunicorn_refuses_to_start_workers_that_could_keep_no_connection_alive(env, args, refusal):
    # Were it not refused, it would serve until the timeout below, and the test fail.
    env = {
        **_without_gunicorn_settings(),
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "GUNICORN_WORKERS": "1",
        **env,
    }
    refused = subprocess.run(
        [BIN / "gunicorn", "--config", "gunicorn.conf.py", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0
    assert f"GUNICORN_WORKER_CONNECTIONS{refusal}" in refused.stdout + refused.stderr
    assert "Booting worker" not in refused.stdout + refused.stderr


def test_the_master_freezes_what_it_loaded_before_forking_the_workers():
    # gunicorn calls when_ready in the master after loading the application (preload_app), and
    # before it forks the first worker.
    code = (
        "import gc, runpy; config = runpy.run_path('gunicorn.conf.py');"
        "assert config['preload_app'] is True;"
        "assert gc.get_freeze_count() == 0; config['when_ready'](None);"
        "print(gc.get_freeze_count())"
    )
    frozen = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert frozen.returncode == 0, frozen.stderr
    assert int(frozen.stdout) > 1000


def test_a_worker_freezes_what_it_loaded_before_serving():
    # gunicorn calls post_worker_init in each worker once the application is loaded.
    code = (
        "import gc, runpy; config = runpy.run_path('gunicorn.conf.py');"
        "assert gc.get_freeze_count() == 0; config['post_worker_init'](None);"
        "print(gc.get_freeze_count())"
    )
    frozen = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert frozen.returncode == 0, frozen.stderr
    assert int(frozen.stdout) > 1000


# What gunicorn's master does with preload_app (gunicorn.conf.py): load the site, then fork each
# worker from it. Whatever the master holds then, every worker shares: it must hold no database
# connection or pool (a pool's threads do not survive fork), no cache client, no socket and no
# other thread. The last lines open a connection, to show that the probe sees one.
MASTER_LOAD = """
import json, os

def is_socket(fd):
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    except FileNotFoundError:  # the directory listing's own descriptor, closed since
        return False

def held():
    from django.core.cache import caches
    from django.db import connections
    pools = getattr(type(connections["default"]), "_connection_pools", {})
    return {
        "connections": [c.alias for c in connections.all() if c.connection is not None],
        "pools": sorted(pools),
        "caches": [cache.__class__.__name__ for cache in caches.all(initialized_only=True)],
        "sockets": sum(map(is_socket, os.listdir("/proc/self/fd"))),
        # Threads started in C too.
        "threads": len(os.listdir("/proc/self/task")),
    }

import scalpsafe.wsgi  # noqa: F401, E402
loaded = held()
from django.db import connection  # noqa: E402
connection.ensure_connection()
print(json.dumps({"loaded": loaded, "after_a_query": held()}))
"""


def test_loading_the_site_as_the_master_does_opens_no_connection(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "serving-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    postgresql = env.get("DATABASE_URL", "").startswith("postgres")
    if postgresql:
        # The server's own database, which always exists: the probe only connects.
        env["DATABASE_URL"] = urlsplit(env["DATABASE_URL"])._replace(path="/postgres").geturl()
    printed = subprocess.run(
        [sys.executable, "-c", MASTER_LOAD],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    held = json.loads(printed.stdout.splitlines()[-1])
    assert held["loaded"] == {
        "connections": [],
        "pools": [],
        "caches": [],
        "sockets": 0,
        "threads": 1,
    }
    assert held["after_a_query"]["connections"] == ["default"]
    if postgresql:
        assert held["after_a_query"]["sockets"] >= 1
        # Django's pool (on unless DATABASE_POOL_MAX_SIZE=0) is made at the first connection.
        if os.environ.get("DATABASE_POOL_MAX_SIZE") != "0":
            assert held["after_a_query"]["pools"] == ["default"]
