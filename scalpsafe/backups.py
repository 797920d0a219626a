"""Backups that restore: the whole database to one file, and such a file back into the database.

- SQLite: SQLite's online backup API, a consistent copy taken while the site runs (in WAL mode
  readers never block the writers); the copy is one self-contained file (rollback journal).
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` in one transaction,
  both of the server's major version (an older pg_dump refuses a newer server, and an older
  pg_restore cannot read a newer pg_dump's archive).

A restore replaces the whole database, so the site and the task worker must be stopped first
(README, "Backups"). `database_restore` checks the file is a backup of this kind of database
holding Django's migrations table before it touches anything, refuses while another process has
the database open, and backs up what it replaces first.

The management commands `backup` and `restore` (scalpsafe/management/commands/) are the only
callers; every problem the operator must fix is a BackupError whose message says what to do.
"""

import contextlib
import fcntl
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

SQLITE_HEADER = b"SQLite format 3\x00"
# pg_dump's custom format starts with these five bytes.
PG_CUSTOM_HEADER = b"PGDMP"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "pgdump"}
# The byte of the `-shm` file on which every open WAL connection holds a shared lock (SQLite's
# "DMS" lock, os_unix.c: UNIX_SHM_DMS = 120 + 8). Nobody else holds it: nobody has it open.
SQLITE_SHM_DMS_BYTE = 128


class BackupError(Exception):
    """A problem the operator must fix; the message says what it is and what to do."""


def database_backup(*, directory: Path, alias: str = "default", label: str = "") -> Path:
    """Back up database `alias` to a new timestamped file in `directory`; returns its path.

    Safe while the site runs. The file appears under its final name only once complete, and is
    readable by its owner only (it holds people's answers and contact details).
    """
    vendor = connections[alias].vendor
    _check_vendor(vendor)
    directory = Path(directory)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, partial_name = tempfile.mkstemp(dir=directory, prefix=".partial-")
        os.close(handle)
    except PermissionError:
        raise BackupError(
            f"Cannot write to the backup folder {directory}: permission denied. Run the backup "
            "as a user who may write there, or set BACKUP_DIR to a folder they own."
        ) from None
    partial = Path(partial_name)
    try:
        if vendor == "sqlite":
            _sqlite_backup(Path(connections[alias].settings_dict["NAME"]), partial)
        else:
            partial.unlink()  # pg_dump writes the file itself
            _pg_backup(alias, partial)
        return _publish(partial, directory, vendor, label)
    finally:
        partial.unlink(missing_ok=True)


def database_restore(
    *, path: Path, backup_directory: Path, alias: str = "default", force: bool = False
) -> Path | None:
    """Replace database `alias` with the backup at `path`; returns the backup of what it
    replaced (None when there was no SQLite file to replace).

    Checks the file first and refuses while another process has the database open (unless
    `force`); the caller has made sure the site and the worker are stopped.
    """
    backup_check(Path(path), alias=alias)
    if not force:
        database_refuse_if_in_use(alias)
    replaced = None
    if not _sqlite_missing(alias):
        replaced = database_backup(directory=backup_directory, alias=alias, label="before-restore")
    connections[alias].close()
    if not force:
        database_refuse_if_in_use(alias)
    if connections[alias].vendor == "sqlite":
        _sqlite_restore(Path(path), Path(connections[alias].settings_dict["NAME"]))
    else:
        _pg_restore(alias, Path(path))
    return replaced


def backup_check(path: Path, *, alias: str = "default") -> None:
    """Raise BackupError unless `path` is a backup that database `alias` can be restored from."""
    vendor = connections[alias].vendor
    _check_vendor(vendor)
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"No such file: {path}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file.") from None
    except PermissionError:
        raise BackupError(f"Cannot read {path}: permission denied.") from None
    if header.startswith(PG_CUSTOM_HEADER) and vendor == "sqlite":
        raise BackupError(
            f"{path} is a PostgreSQL backup (pg_dump), but this site's database is SQLite: "
            "restore it with DATABASE_URL set to the PostgreSQL database."
        )
    if header == SQLITE_HEADER and vendor == "postgresql":
        raise BackupError(
            f"{path} is an SQLite database, but this site's database is PostgreSQL "
            "(DATABASE_URL): restore it with DATABASE_URL unset and SQLITE_PATH pointing where "
            "the SQLite database belongs."
        )
    if vendor == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite database, so not a backup of this site.")
        _sqlite_check(path)
    else:
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(
                f"{path} is not a pg_dump custom-format archive, so not a backup of this site."
            )
        _pg_check(alias, path)


def database_refuse_if_in_use(alias: str = "default") -> None:
    """Raise BackupError if another process has database `alias` open at this moment.

    A safety net, not a lock: between requests an idle site may hold no connection (SQLite's
    are closed after each request), so the site and the worker must be stopped all the same.
    """
    connection = connections[alias]
    if connection.vendor == "sqlite":
        # Probe from a process with no SQLite connection of its own to the file: closing any
        # descriptor of a file drops this process's POSIX locks on it, SQLite's included.
        connection.close()
        shm = Path(f"{connection.settings_dict['NAME']}-shm")
        try:
            descriptor = os.open(shm, os.O_RDWR)
        except FileNotFoundError:
            return  # no WAL index: no connection in WAL mode is open
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SQLITE_SHM_DMS_BYTE)
        except OSError:
            raise BackupError(
                f"Another process has the database {database_describe(alias)} open (the site or "
                "the task worker?): stop them and try again, or pass --force."
            ) from None
        finally:
            os.close(descriptor)
        return
    # This process's own pool (scalpsafe/settings.py) keeps connections open after use: close
    # it, and ask from a connection of its own, so that only other processes' are counted.
    connection.close()
    connection.close_pool()
    with connection.Database.connect(**connection.get_connection_params()) as probe:
        (others,) = probe.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    if others:
        raise BackupError(
            f"{others} other connection(s) to the database {database_describe(alias)} are open "
            "(the site or the task worker?): stop them and try again, or pass --force."
        )


def database_describe(alias: str = "default") -> str:
    """The database in words, for messages: its file, or its name, host and port."""
    config = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return str(config["NAME"])
    return f"{config['NAME']} on {config.get('HOST') or 'localhost'}:{config.get('PORT') or 5432}"


def unapplied_migrations(alias: str = "default") -> list[str]:
    """Migrations the code has and the (restored) database has not: "app.name" each."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connections[alias].close()
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _sqlite_missing(alias: str) -> bool:
    connection = connections[alias]
    return connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists()


def _check_vendor(vendor: str) -> None:
    if vendor not in EXTENSIONS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


def _publish(partial: Path, directory: Path, vendor: str, label: str) -> Path:
    """Give the finished file its timestamped name, never replacing another backup."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = f"scalpsafe-{stamp}" + (f"-{label}" if label else "")
    for attempt in range(1, 100):
        suffix = f"-{attempt}" if attempt > 1 else ""
        path = directory / f"{stem}{suffix}.{EXTENSIONS[vendor]}"
        with contextlib.suppress(FileExistsError):
            os.link(partial, path)  # fails, rather than replaces, when the name is taken
            os.chmod(path, 0o600)
            return path
    raise BackupError(f"Too many backups named {stem} in {directory}.")


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_connect(path: Path, mode: str) -> sqlite3.Connection:
    # A URI, so that a missing file is an error rather than a new empty database.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=20)


def _sqlite_backup(source: Path, destination: Path) -> None:
    if not source.exists():
        raise BackupError(
            f"No database at {source} (SQLITE_PATH or DATABASE_URL): nothing to back up."
        )
    try:
        with (
            contextlib.closing(_sqlite_connect(source, "rw")) as live,
            contextlib.closing(sqlite3.connect(destination)) as copy,
        ):
            # All pages in one step: one read transaction, so one consistent moment.
            live.backup(copy)
            # One self-contained file: no -wal beside it to lose.
            copy.execute("PRAGMA journal_mode=DELETE")
    except PermissionError:
        raise BackupError(f"Cannot read the database {source}: permission denied.") from None
    except sqlite3.Error as error:
        raise BackupError(f"Backing up {source} failed: {error}") from None


def _sqlite_check(path: Path) -> None:
    try:
        with contextlib.closing(_sqlite_connect(path, "ro")) as backup:
            (state,) = backup.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            apps = (
                {row[0] for row in backup.execute("SELECT DISTINCT app FROM django_migrations")}
                if "django_migrations" in tables
                else set()
            )
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be read as an SQLite database: {error}") from None
    if state != "ok":
        raise BackupError(f"{path} is damaged (SQLite's quick_check: {state}).")
    if "assessments" not in apps:
        raise BackupError(
            f"{path} is an SQLite database but not a ScalpSafe one: it has no migrations table "
            "with ScalpSafe's migrations in it."
        )


def _sqlite_restore(source: Path, target: Path) -> None:
    try:
        with (
            contextlib.closing(_sqlite_connect(source, "ro")) as backup,
            contextlib.closing(sqlite3.connect(target, timeout=20)) as live,
        ):
            # Through the target's own connection, so its WAL stays consistent with the file;
            # every page of the target is replaced under an exclusive lock.
            backup.backup(live)
            (state,) = live.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"Restoring into {target} failed: {error}") from None
    if state != "ok":
        raise BackupError(f"The restored database {target} fails SQLite's quick_check: {state}.")


# --- PostgreSQL ------------------------------------------------------------------------------


def postgres_tool(name: str, major: int) -> str:
    """The path of `name` (pg_dump, pg_restore) of PostgreSQL `major`, or a BackupError that
    says what to install.

    Looks in POSTGRES_BIN_DIR when it is set (and only there), else in Debian's and Ubuntu's
    folder for that version, then on PATH.
    """
    if settings.POSTGRES_BIN_DIR:
        candidates = [Path(settings.POSTGRES_BIN_DIR) / name]
    else:
        candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
        if on_path := shutil.which(name):
            candidates.append(Path(on_path))
    wrong = []
    for candidate in candidates:
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            continue
        found = _tool_major(candidate)
        if found == major:
            return str(candidate)
        wrong.append(f"{candidate} is version {found}")
    install = (
        f"Install PostgreSQL {major}'s client tools (Debian or Ubuntu: apt-get install "
        f"postgresql-client-{major}) or set POSTGRES_BIN_DIR to the folder that holds them."
    )
    if wrong:
        raise BackupError(
            f"The database server is PostgreSQL {major}, and {name} must be of the same major "
            f"version, but {'; '.join(wrong)}. {install}"
        )
    where = settings.POSTGRES_BIN_DIR or "on PATH"
    raise BackupError(f"{name} is not installed ({where}). {install}")


def _tool_major(path: Path) -> int | None:
    completed = subprocess.run(  # noqa: S603  (a PostgreSQL tool we located ourselves)
        [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    # e.g. "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    match = re.search(r"\(PostgreSQL\) (\d+)", completed.stdout)
    return int(match.group(1)) if match else None


def _pg_server_major(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    major = connection.pg_version // 10_000
    connection.close()
    return major


def _pg_environment(alias: str) -> dict[str, str]:
    """How the PostgreSQL tools reach the database: its settings as libpq's variables (the
    password never on a command line, where `ps` would show it)."""
    config = connections[alias].settings_dict
    variables = {
        "PGDATABASE": config["NAME"],
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGSSLMODE": config.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{key: str(value) for key, value in variables.items() if value}}


def _pg_run(alias: str, tool: str, *arguments: str) -> str:
    command = [postgres_tool(tool, _pg_server_major(alias)), "--no-password", *arguments]
    completed = subprocess.run(  # noqa: S603  (our arguments, no shell)
        command, env=_pg_environment(alias), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(f"{tool} failed:\n{completed.stderr.strip()}")
    return completed.stdout


def _pg_backup(alias: str, destination: Path) -> None:
    _pg_run(alias, "pg_dump", "--format=custom", f"--file={destination}")


def _pg_check(alias: str, path: Path) -> None:
    try:
        contents = _pg_run(alias, "pg_restore", "--list", str(path))
    except BackupError as error:
        raise BackupError(f"{path} cannot be read as a pg_dump archive. {error}") from None
    if not re.search(r"^\d+; .* TABLE DATA \S+ django_migrations ", contents, re.MULTILINE):
        raise BackupError(
            f"{path} is a pg_dump archive but not of ScalpSafe's database: it has no "
            "django_migrations table."
        )


def _pg_restore(alias: str, path: Path) -> None:
    # --clean --if-exists drops each object of the archive before recreating it (so a restore
    # over the live database and into an empty one both work); one transaction, so a failure
    # leaves the database as it was. Objects are owned by the restoring role.
    _pg_run(
        alias,
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connections[alias].settings_dict['NAME']}",
        str(path),
    )
