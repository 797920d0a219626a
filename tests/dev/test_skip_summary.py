"""The summary at the end of `make test`: which suites did not run, why, and how to install them."""

import pytest

from tests.support.skips import needs, skipped_suites

CHROMIUM = needs("chromium", "Debian's Chromium not found at /usr/bin/chromium")
JAVA = needs("java", "java is missing: the Nu HTML Checker needs Java 17 or later")


def test_it_says_nothing_when_nothing_was_skipped():
    assert skipped_suites([]) == []


def test_it_names_each_missing_tool_once_with_the_command_that_installs_it():
    lines = skipped_suites([CHROMIUM, JAVA, CHROMIUM, CHROMIUM])

    assert lines == [
        "NOT RUN: the browser tests (tests/browser/), 3 tests: chromium is missing.",
        "    install: apt-get install -y chromium",
        "NOT RUN: the Nu HTML check (tests/browser/test_page_checks.py), 1 test: java is missing.",
        "    install: apt-get install -y openjdk-17-jre-headless",
    ]


def test_it_tells_npm_missing_from_packages_not_installed_yet():
    [npm, npm_install] = skipped_suites([needs("npm", "node_modules/axe-core is missing")])
    [packages, packages_install] = skipped_suites([needs("npm-packages", "run npm ci")])

    assert "npm is missing" in npm and "apt-get install -y nodejs npm" in npm_install
    assert "npm-packages is missing" in packages
    assert "npm ci --ignore-scripts --no-audit --no-fund" in packages_install


def test_it_counts_the_other_skips_on_one_line():
    lines = skipped_suites([CHROMIUM, "SQLite settings; DATABASE_URL selects PostgreSQL", "x"])

    assert lines[-1] == (
        "Also skipped: 2 tests for another database or setup (pytest -rs lists them)."
    )
    assert len(lines) == 3


def test_it_refuses_a_tool_it_has_no_install_command_for():
    with pytest.raises(KeyError, match="unknown tool 'firefox'"):
        needs("firefox", "not this browser")


@pytest.fixture
def run_with_the_summary(pytester):
    pytester.makeconftest(
        "from tests.support.skips import report_skipped_suites\n\n"
        "def pytest_terminal_summary(terminalreporter):\n"
        "    report_skipped_suites(terminalreporter)\n"
    )

    def run(test_file: str):
        pytester.makepyfile(test_file)
        # Without pytest-django: the inner run must not set up a second test environment.
        return pytester.runpytest("-p", "no:django", "-p", "no:cacheprovider")

    return run


def test_a_run_ends_with_the_suites_that_did_not_run(run_with_the_summary):
    result = run_with_the_summary(
        "import pytest\n"
        "from tests.support.skips import needs\n\n"
        "def test_runs():\n"
        "    pass\n\n"
        "def test_in_chromium():\n"
        "    pytest.skip(needs('chromium', 'no Chromium here'))\n\n"
        "@pytest.mark.skipif(True, reason='PostgreSQL only')\n"
        "def test_on_postgresql():\n"
        "    pass\n"
    )

    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(
        [
            "*= suites skipped =*",
            "NOT RUN: the browser tests (tests/browser/), 1 test: chromium is missing.",
            "    install: apt-get install -y chromium",
            "Also skipped: 1 test for another database or setup*",
        ]
    )


def test_a_run_with_no_skips_ends_without_the_section(run_with_the_summary):
    result = run_with_the_summary("def test_runs():\n    pass\n")

    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*suites skipped*")
