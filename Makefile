# The two commands a newcomer needs: `make run` and `make test`. Both create or update .venv
# from requirements.lock (exact versions with hashes), so nothing is installed by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
# Test runs use production-like settings (DEBUG off); only the key is a throwaway.
TEST_ENV := SECRET_KEY=test-only-secret-key-not-used-anywhere-else DEBUG=false

.PHONY: install run serve test node-packages lint format migrations-check lock ci backup restore

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# The site and, beside it, the task worker that sends emails (printed to this terminal with
# DEBUG on); Ctrl+C stops both. The worker does not reload: restart after changing a task.
run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py run_task_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
		DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

# Production-style serving: static files collected, database migrated, gunicorn and the task
# worker (emails). Needs the production environment (README, "Deploying"): at least SECRET_KEY
# and ALLOWED_HOSTS. A real deployment runs `manage.py run_task_worker` as a service of its own
# beside gunicorn (README, "The task worker").
serve: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py run_task_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
		$(BIN)/gunicorn --config gunicorn.conf.py

# Everything, the axe-core and Nu HTML checks included: their npm packages are installed first
# when npm is there (--ignore-scripts: vnu-jar's postinstall would try to download a Java). The
# run ends by naming any suite that could not run (no Chromium, npm or Java) and how to install it.
test: install node-packages
	$(TEST_ENV) $(BIN)/python -m pytest $(ARGS)

node-packages:
	@if [ ! -d node_modules ] && command -v npm >/dev/null 2>&1; then \
		echo "npm ci --ignore-scripts --no-audit --no-fund"; \
		npm ci --ignore-scripts --no-audit --no-fund; \
	fi

# .pre-commit-config.yaml: django-upgrade, ruff check, ruff format and djhtml, all from .venv.
# pre-commit keeps its state in var/ (git-ignored) and fetches nothing.
PRE_COMMIT := PRE_COMMIT_HOME=$(CURDIR)/var/pre-commit $(BIN)/pre-commit

lint: install
	$(PRE_COMMIT) run --all-files --show-diff-on-failure

# The same hooks, left to fix what they can (ruff check's fixes too); look at the diff after.
format: install
	$(BIN)/ruff check --fix --force-exclude .
	-$(PRE_COMMIT) run --all-files

migrations-check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin every dependency (and its hashes) from the ranges in pyproject.toml.
lock:
	$(PYTHON) -m venv /tmp/scalpsafe-lock-venv
	/tmp/scalpsafe-lock-venv/bin/pip install --quiet pip-tools
	/tmp/scalpsafe-lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--extra dev --strip-extras -o requirements.lock pyproject.toml

ci:
	bash .ci/run

# Backups (README, "Backups"), with the server's environment (DATABASE_URL or SQLITE_PATH,
# BACKUP_DIR). `backup` is safe while the site runs; `restore` replaces the whole database:
# stop the site and the task worker first. It asks before it starts.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/scalpsafe-<time>.sqlite3"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

# Performance and reliability (docs/performance.md, docs/reliability.md); not part of `make test`.
# They serve the site with gunicorn on 127.0.0.1 only and stop by themselves.
.PHONY: bench loadtest faults cluster

# ARGS=--postgres: PostgreSQL with Redis; ARGS=--cluster: nginx and two hosts, as make cluster
# starts them (bench/parts.py); ARGS="--runs 3": each page's median ratio of three runs.
bench: install
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y wrk; } || \
		{ echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/bench.py $(ARGS)

loadtest: install
	$(BIN)/python bench/loadtest.py $(ARGS)

faults: install
	$(BIN)/python bench/faults.py $(ARGS)

# nginx (installed with apt-get when missing, as root) in front of two gunicorn hosts, one
# PostgreSQL database, Redis and the task worker, all on 127.0.0.1; the load test through nginx
# while one host is killed (docs/reliability.md, "The cluster"). About 3 minutes; stops by itself.
cluster: install
	$(BIN)/python bench/cluster.py $(ARGS)
