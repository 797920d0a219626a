"""bench/parts.py's care for the machine it runs on, without starting anything."""

from bench import parts


def test_a_package_installed_for_a_run_starts_no_service(monkeypatch, tmp_path):
    policy = tmp_path / "policy-rc.d"
    monkeypatch.setattr(parts, "POLICY_RC_D", policy)
    with parts.services_not_started():
        # What invoke-rc.d runs before starting a service: 101 forbids it.
        assert policy.read_text().splitlines()[-1] == "exit 101"
        assert policy.stat().st_mode & 0o111
    assert not policy.exists()


def test_a_policy_already_there_is_left_as_it_was(monkeypatch, tmp_path):
    policy = tmp_path / "policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 0\n")
    monkeypatch.setattr(parts, "POLICY_RC_D", policy)
    with parts.services_not_started():
        assert policy.read_text() == "#!/bin/sh\nexit 0\n"
    assert policy.read_text() == "#!/bin/sh\nexit 0\n"


def test_a_policy_left_behind_by_a_killed_run_is_known_as_ours_and_removed(monkeypatch, tmp_path):
    policy = tmp_path / "policy-rc.d"
    policy.write_text(parts.OUR_POLICY)
    monkeypatch.setattr(parts, "POLICY_RC_D", policy)
    with parts.services_not_started():
        assert policy.read_text() == parts.OUR_POLICY
    assert not policy.exists()


def test_postgresql_on_another_port_is_left_to_whoever_runs_it(monkeypatch):
    monkeypatch.setattr(parts, "listening", lambda port: False)
    # Returns without looking for a local server to start (none would be found in a test).
    parts.postgresql_on_loopback("postgres://postgres@127.0.0.1:5499/x")
