"""Skips that mean "a tool is missing", and the summary `make test` prints about them at the end.

A test that cannot run because a tool is missing skips with `needs(tool, why)`: the reason starts
with a tag such as `[needs chromium]`. At the end of the run `skipped_suites` turns the skip
reasons into one plain line per missing tool, with the command that installs it; other skips
(those that depend on the database the suite runs on) are counted on one line.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    suite: str  # what does not run without it
    install: str  # the command that makes it run


TOOLS = {
    "chromium": Tool(
        "the browser tests (tests/browser/)",
        "apt-get install -y chromium",
    ),
    "npm-packages": Tool(
        "the axe-core and Nu HTML checks (tests/browser/test_page_checks.py)",
        "npm ci --ignore-scripts --no-audit --no-fund  (make test runs it when npm is there)",
    ),
    "npm": Tool(
        "the axe-core and Nu HTML checks (tests/browser/test_page_checks.py)",
        "apt-get install -y nodejs npm, then make test",
    ),
    "java": Tool(
        "the Nu HTML check (tests/browser/test_page_checks.py)",
        "apt-get install -y openjdk-17-jre-headless",
    ),
    "postgresql": Tool(
        "the database-outage fault test (tests/serving/test_faults.py)",
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        "  (or apt-get install -y postgresql)",
    ),
}

_TAG = re.compile(r"\[needs ([a-z-]+)\]")


def needs(tool: str, why: str) -> str:
    """A skip reason saying that `tool` (a key of TOOLS) is missing, and why it matters."""
    if tool not in TOOLS:
        raise KeyError(f"unknown tool {tool!r}: add it to tests/support/skips.py TOOLS")
    return f"[needs {tool}] {why}"


def skipped_suites(reasons: Iterable[str]) -> list[str]:
    """The lines to print for these skip reasons (one per skipped test): empty if none."""
    missing: Counter[str] = Counter()
    other = 0
    for reason in reasons:
        match = _TAG.search(reason)
        if match and match.group(1) in TOOLS:
            missing[match.group(1)] += 1
        else:
            other += 1
    lines = []
    for tool, count in sorted(missing.items(), key=lambda item: list(TOOLS).index(item[0])):
        tests = "1 test" if count == 1 else f"{count} tests"
        lines.append(f"NOT RUN: {TOOLS[tool].suite}, {tests}: {tool} is missing.")
        lines.append(f"    install: {TOOLS[tool].install}")
    if other:
        tests = "1 test" if other == 1 else f"{other} tests"
        lines.append(
            f"Also skipped: {tests} for another database or setup (pytest -rs lists them)."
        )
    return lines


def skip_reason(report) -> str:
    """The reason pytest recorded for a skipped test's report."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def report_skipped_suites(terminalreporter) -> None:
    """pytest_terminal_summary: say which suites did not run and how to make them run."""
    reports = terminalreporter.stats.get("skipped", [])
    lines = skipped_suites(skip_reason(report) for report in reports)
    if not lines:
        return
    terminalreporter.section("suites skipped", sep="=")
    for line in lines:
        terminalreporter.write_line(line)
