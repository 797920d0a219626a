"""`make bench`'s options and how its runs combine (bench/bench.py), without serving anything."""

from collections import Counter

import pytest

from bench import bench


@pytest.fixture(autouse=True)
def no_bench_database_url(monkeypatch):
    # BENCH_DATABASE_URL in the environment turns PostgreSQL on by itself.
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)


def page(rps: float, *, errors: int = 0, p50: float = 1000) -> dict:
    return {
        "path": "/x/",
        "rps": rps,
        "requests": int(rps * 10),
        "errors": errors,
        "p50_us": p50,
        "p95_us": 2 * p50,
        "p99_us": 3 * p50,
    }


def one_run(healthz: float, step: float, *, errors: int = 0) -> dict:
    return bench.with_ratios(
        {"GET /healthz": page(healthz), "questionnaire step GET": page(step, errors=errors)}
    )


def test_it_runs_sqlite_without_redis_by_default():
    args = bench.parse_args([])

    assert (args.postgres, args.cluster, args.redis, args.runs) == (False, False, False, 1)


def test_it_runs_postgresql_with_redis_unless_told_not_to():
    assert bench.parse_args(["--postgres"]).redis is True
    assert bench.parse_args(["--postgres", "--no-redis"]).redis is False


def test_it_runs_the_cluster_on_postgresql_with_redis():
    args = bench.parse_args(["--cluster", "--runs", "3"])

    assert (args.postgres, args.redis, args.runs) == (True, True, 3)


def test_it_measures_every_page_unless_told_which():
    assert bench.parse_args([]).pages == list(bench.PAGE_KEYS)
    assert bench.parse_args(["--pages", "queue, result"]).pages == ["queue", "result"]


def test_it_judges_only_the_pages_it_measured():
    pages = bench.with_ratios({"GET /healthz": page(400), bench.QUEUE_PAGE: page(50)})

    judged = [target["target"] for target in bench.targets_of(pages, peak_mb=80)]

    assert judged == [f"{bench.QUEUE_PAGE} >= 0.1x /healthz", "worker peak memory <= 120 MB"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--cluster", "--no-redis"],
        ["--cluster", "--postgres"],
        ["--runs", "0"],
        ["--pages", "queue,nowhere"],
    ],
)
def test_it_refuses_options_that_do_not_go_together(argv, capsys):
    with pytest.raises(SystemExit):
        bench.parse_args(argv)


def test_it_gives_each_page_its_ratio_to_healthz_of_the_same_run():
    run = one_run(400, 100)

    assert run["GET /healthz"]["ratio_to_healthz"] == 1
    assert run["questionnaire step GET"]["ratio_to_healthz"] == 0.25


def test_it_reports_each_pages_median_ratio_and_keeps_every_runs():
    # The middle run has the fastest step but also the fastest /healthz: its ratio is lowest.
    runs = [one_run(400, 200), one_run(800, 240, errors=2), one_run(300, 90)]

    step = bench.medians(runs)["questionnaire step GET"]

    assert step["ratios"] == [0.5, 0.3, 0.3]
    assert step["ratio_to_healthz"] == 0.3
    assert step["rps"] == 200
    assert step["errors"] == 2
    assert step["runs"] == 3


def test_it_judges_the_targets_on_the_medians():
    pages = {
        name: {"ratio_to_healthz": minimum} for name, minimum in bench.THROUGHPUT_TARGETS.items()
    }
    pages[bench.QUEUE_PAGE] = {"ratio_to_healthz": 0.05}

    targets = bench.targets_of(pages, peak_mb=121)

    assert [t["met"] for t in targets] == [True, True, True, False, False]


def test_it_says_in_the_report_whether_redis_was_on_and_shows_each_run():
    runs = [one_run(400, 200), one_run(300, 90), one_run(300, 100)]
    results = {
        "started": "2026-12-01T23:00:00+0000",
        "machine": {"cpus": 2, "load_average_at_start": 0.1},
        "settings": {"duration_s": 10, "turns": 5, "turn_s": 2, "connections": 32, "runs": 3},
        "database": "postgresql",
        "parts": "cluster: nginx + 2 hosts (3 + 3 gunicorn workers), postgresql + Redis",
        "redis": True,
        "settings_in_use": {
            "cache": "django.core.cache.backends.redis.RedisCache",
            "sessions": "scalpsafe.cached_db_sessions",
            "gunicorn": {
                "workers": "3",
                "threads": "4",
                "worker_connections": "12",
                "preload_app": "True",
                "max_requests": "2000",
            },
        },
        "assessments_in_table": 100_000,
        "pages": bench.medians(runs),
        "targets": [],
    }

    text = bench.report(results)

    assert "cluster: nginx + 2 hosts" in text
    assert "Redis on (cache RedisCache, sessions cached_db_sessions)" in text
    assert "3 workers x 4 threads, at most 12 connections a worker, preload True" in text
    assert "each page 5 turns of 2 s, with as many of /healthz between them" in text
    assert "3 runs: medians" in text
    assert "0.50 0.30 0.33" in text


def test_it_counts_a_redirect_while_measuring_as_an_error():
    stats = {"errors": 2}  # wrk's own: its 4xx and 5xx
    bench.count_answers(stats, Counter({200: 900, 302: 3, 404: 2}))
    assert stats["errors_not_200"] == 3
    assert stats["errors"] == 5
    assert stats["statuses"] == {"200": 900, "302": 3, "404": 2}


def test_only_200s_while_measuring_are_no_error():
    stats = {"errors": 0}
    bench.count_answers(stats, Counter({200: 900}))
    assert stats["errors"] == 0


def test_nothing_in_the_access_logs_while_measuring_counts_every_request_as_an_error():
    stats = {"errors": 0, "requests": 500}
    bench.count_answers(stats, Counter())
    assert stats["errors"] == 500


def turn(rps: float, *, seconds: float = 2, p99: int = 9000, **errors: int) -> dict:
    """One of wrk's measurements, as bench.wrk and count_answers leave it."""
    requests = int(rps * seconds)
    return {
        "requests": requests,
        "duration_us": int(seconds * 1e6),
        "rps": rps,
        "mean_us": 1e6 / rps,
        "p50_us": p99 // 3,
        "p95_us": p99 // 2,
        "p99_us": p99,
        "max_us": 2 * p99,
        "statuses": {"200": requests},
        "errors": sum(errors.values()),
        **errors,
    }


def test_a_page_and_healthz_take_turns_and_as_many_of_each_follow_the_page():
    order = bench.PAIRED_ORDER
    assert order.count(True) == order.count(False)
    # What the hosts still answer of the page when a turn starts falls on the turn after it:
    # as many of the page's turns as of /healthz's follow the page (its warm-up first), so any
    # of it left after draining weighs on both numbers of the ratio alike (seventh sitting).
    before = (True, *order[:-1])
    after_page = Counter(turn for turn, previous in zip(order, before, strict=True) if previous)
    assert after_page[True] == after_page[False]


def test_each_turn_waits_for_the_hosts_to_answer_what_wrk_sent_last():
    assert bench.drain_seconds({"max_us": 400_000}) == 0.4
    assert bench.drain_seconds({"max_us": 30_000_000}) == bench.DRAIN_SECONDS_AT_MOST


def test_it_refuses_a_page_list_that_names_no_page():
    with pytest.raises(SystemExit):
        bench.parse_args(["--pages", ","])


@pytest.mark.parametrize(("duration", "seconds"), [(10, 2), (5, 1), (1, 1), (20, 4)])
def test_a_page_s_duration_is_shared_out_over_its_turns(duration, seconds):
    assert bench.slice_seconds(duration) == seconds


def test_turns_combine_into_one_measurement_of_their_whole_time():
    merged = bench.combined(
        [turn(500, p99=9000), turn(300, seconds=4, p99=30000, errors_timeout=2)]
    )

    # 1,000 + 1,200 requests in 6 s: not the mean of the turns' rates (400).
    assert merged["requests"] == 2200
    assert merged["rps"] == pytest.approx(2200 / 6)
    assert merged["turns_rps"] == [500, 300]
    assert merged["p99_us"] == 30000  # the highest turn's
    assert merged["errors"] == 2
    assert merged["errors_timeout"] == 2
    assert merged["statuses"] == {"200": 2200}


def test_each_page_is_judged_against_healthz_measured_in_turns_with_it():
    page_stats = {**page(100), "healthz_rps": 250}
    run = bench.with_ratios({"GET /healthz": page(400), "questionnaire step GET": page_stats})

    # Against the /healthz of its own turns (250), not the run's whole (400).
    assert run["questionnaire step GET"]["ratio_to_healthz"] == 0.4
    assert run["GET /healthz"]["ratio_to_healthz"] == 1
