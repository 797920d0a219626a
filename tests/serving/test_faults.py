"""Faults against a real gunicorn, the quick versions (the long ones: `make faults`).

Each test drives gunicorn, started as `make serve` starts it, over loopback HTTP
(tests/support/live.py). docs/reliability.md records what they and bench/faults.py show.
"""

import os
import random
import shutil
import socket
from pathlib import Path

import pytest

from tests.support import faults
from tests.support.live import Browser, Database, Person, Server
from tests.support.skips import needs

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(
        not Path(".venv/bin/gunicorn").exists() or shutil.which("python3") is None,
        reason="needs the project's .venv with gunicorn",
    ),
]


def assert_refused_while_cut(result: dict) -> None:
    """The step page is the friendly 503 while the database is cut. With REDIS_URL its session
    comes from Redis and its blank form from the cache, so it may be served: then answering it,
    which writes to the database, is the 503."""
    if os.environ.get("REDIS_URL") and result["page_while_cut"] == 200:
        assert result["answer_while_cut"] == 503
    else:
        assert result["page_while_cut"] == 503


def postgres_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn on a throwaway SQLite database, shared by this module's tests."""
    folder = tmp_path_factory.mktemp("faults")
    database = Database.sqlite(folder)
    with Server(database, folder, extra_env={"GUNICORN_WORKERS": "2"}) as server:
        server.prepare()
        server.start()
        yield server, database


def test_it_keeps_every_completed_assessment_when_a_worker_is_killed(served):
    server, database = served
    result = faults.kill_worker(server, database, seconds=4, people=4)
    assert result["workers_killed"] >= 2
    assert result["killed_replaced"] == result["workers_killed"]
    assert result["workers_after"] == result["workers"]
    assert result["in_progress_resumed_and_finished"] == 5


def test_it_resumes_at_the_same_step_after_a_server_restart(served):
    server, database = served
    result = faults.restart(server, database)
    assert result["resumed_at"] == result["expected"]


def test_it_saves_exactly_one_assessment_for_20_concurrent_replays_of_the_final_submit(served):
    server, database = served
    result = faults.replays(server, database, count=20)
    assert result["assessments_saved"] == 1
    assert result["distinct_results"] == 1


def test_a_person_whose_final_submit_was_cut_off_resubmits_and_reaches_the_one_result(served):
    server, database = served
    result = faults.cut_submit(server, database)
    assert result["killed_saved_before_resubmit"] == 0
    assert result["assessments_per_submission"] == 1


def test_it_answers_503_while_the_sqlite_file_is_unreachable_and_recovers_without_a_restart(
    served,
):
    server, database = served
    result = faults.database_down(server, database, faults.SqliteCut(database), down_seconds=1)
    assert_refused_while_cut(result)
    assert result["same_master_and_workers"]
    assert result["finished_after_outage"] == 1


def test_it_answers_a_person_whose_session_is_gone_with_the_start_again_page(served):
    server, _ = served
    person = Person(server.base_url, random.Random(9))
    person.start()
    stale = Browser(server.base_url, cookies={"sessionid": "not-a-session"})
    response = stale.get("/assessment/scalp/")
    assert response.status == 302
    assert response.location == "/assessment/before-you-start/"


@pytest.mark.skipif(
    not postgres_is_up(), reason=needs("postgresql", "nothing listens on 127.0.0.1:5432")
)
def test_it_answers_503_while_the_database_is_cut_and_recovers_without_a_restart(tmp_path):
    result = faults.postgres_database_down(tmp_path, down_seconds=1)
    assert result["healthz_while_cut"] == 503
    assert_refused_while_cut(result)
    assert result["finished_after_outage"] == 1
