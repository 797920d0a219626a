"""`make serve`'s steps for real: collectstatic, migrate, then gunicorn from gunicorn.conf.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def test_the_gunicorn_settings_come_from_the_environment(tmp_path):
    env = {**os.environ, "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "5"}
    printed = subprocess.run(
        [BIN / "gunicorn", "--config", "gunicorn.conf.py", "--print-config"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    settings = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }
    assert settings["workers"] == "3"
    assert settings["threads"] == "5"
    assert settings["worker_class"] == "gthread"
    assert int(settings["max_requests"]) > 0 and int(settings["max_requests_jitter"]) > 0
    bad = subprocess.run(
        [BIN / "gunicorn", "--config", "gunicorn.conf.py", "--print-config"],
        env={**os.environ, "GUNICORN_WORKERS": "many"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "GUNICORN_WORKERS='many'" in bad.stdout + bad.stderr


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
