#!/usr/bin/env python3
"""Fault tests: the database restarted under load, and an import killed mid-transaction.

Run by hand (docs/reliability.md). Never touches the shared PostgreSQL server
on 5432: it makes a private cluster (initdb as the `postgres` user, trust
auth) in a temporary folder, on 127.0.0.1:8779, with the database `loadB_fault`.

restart: the demo under gunicorn (2 workers, DEBUG off, Redis db 7) on
  127.0.0.1:8778; a few clients poll /healthz and pages; the cluster is
  stopped (`pg_ctl stop -m fast`), left down, started again; checks that
  /healthz answers 503 while it is down, no request hangs or shows a traceback,
  and /healthz and the pages answer 200 again soon after, from the same
  gunicorn (never restarted).
kill: the synthetic national file imported; `manage.py import_counts` of a
  changed file started and killed with SIGKILL while its transaction is open
  (seen in pg_stat_activity with a transaction id), at several moments; checks
  that the transaction was rolled back and the data is exactly what it was
  before; then the same import runs to the end. With --sqlite also on an
  SQLite file (killed while its rollback journal exists).

    .venv/bin/python scripts/fault_tests.py [--scenario all|restart|kill] [--sqlite]

Exits 1 when a check fails. Stops and removes the private cluster at the end.
"""

import argparse
import collections
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from generate_national_file import HEADERS, synthetic_rows
from loadtools import (
    PYTHON,
    ROOT,
    Client,
    machine_load,
    manage,
    portal_env,
    run,
    start_gunicorn,
    stop_gunicorn,
    verdict,
    wait_until_healthy,
)

PG_PORT = 8779
WEB_PORT = 8778
REDIS_DB = 7
DATABASE = "loadB_fault"
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
MEMBER, PASSWORD = "raadslid", "raadsdebat-2026"  # the demo member and demo password
APPLICATION_NAME = "loadB_import_kill"

# restart scenario
REQUEST_TIMEOUT = 10  # a request slower than this counts as hanging
PAUSE = 0.05  # between a client's requests: a light load
BEFORE_STOP, OUTAGE, RECOVERY_LIMIT, SETTLED = 5.0, 10.0, 15.0, 5.0
PROBES = {
    "/healthz": None,
    "/dashboards/?municipality=GM0394": MEMBER,
    "/dashboards/vergelijken/?municipality=GM0358": MEMBER,
    "/prioriteiten/": MEMBER,  # a page read from the database on every request
}

# kill scenario: seconds to wait, after the import's write transaction is seen, before SIGKILL
KILL_DELAYS = [0.0, 0.1, 0.3, 0.6, 1.0, 2.0, 4.0]
KILLS_NEEDED = 3


def postgres_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name) or name


class PrivateCluster:
    """A PostgreSQL cluster of its own, in a temporary folder owned by `postgres`."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="loadB-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        shutil.chown(self.folder, "postgres", "postgres")

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            cwd="/",
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def init(self) -> None:
        self._as_postgres(
            postgres_binary("initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            postgres_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(
            postgres_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def cluster_sql(sql: str, database: str = DATABASE) -> list[tuple]:
    connection = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname=database)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


# --- restart -----------------------------------------------------------------------------------


@dataclass
class Event:
    at: float  # seconds since the stop command was given (negative: before)
    path: str
    status: int | None  # None: no answer (an exception)
    seconds: float
    note: str = ""


def probe(
    *, client: Client, path: str, origin: list, stop: threading.Event, events: list, lock
) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        status, note = None, ""
        try:
            response = client.get(path)
            status = response.status
            if status >= 500:
                body = response.text
                leaks = "Traceback" in body or 'File "/' in body or "psycopg2" in body
                note = ("TRACEBACK IN PAGE: " if leaks else "") + body.strip()[:60]
        except Exception as error:  # a refused, reset or timed-out request
            note = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        with lock:
            events.append(Event(started - origin[0], path, status, elapsed, note))
        time.sleep(PAUSE)


def restart_scenario(cluster: PrivateCluster, env: dict, log_path: Path) -> list[str]:
    problems: list[str] = []
    server = start_gunicorn(env=env, port=WEB_PORT, log_path=log_path)
    try:
        wait_until_healthy(WEB_PORT)
        member = Client(WEB_PORT, timeout=REQUEST_TIMEOUT)
        member.log_in(MEMBER, PASSWORD)
        origin = [time.perf_counter() + BEFORE_STOP]  # the stop, shifted once it happens
        stop, lock, events = threading.Event(), threading.Lock(), []
        threads = []
        for path, user in PROBES.items():
            client = Client(
                WEB_PORT, timeout=REQUEST_TIMEOUT, cookies=dict(member.cookies) if user else {}
            )
            threads.append(
                threading.Thread(
                    target=probe,
                    kwargs={
                        "client": client,
                        "path": path,
                        "origin": origin,
                        "stop": stop,
                        "events": events,
                        "lock": lock,
                    },
                )
            )
        for thread in threads:
            thread.start()
        time.sleep(BEFORE_STOP)
        origin[0] = time.perf_counter()  # events from here on are timed from the stop command
        cluster.stop()
        stopped = time.perf_counter() - origin[0]
        time.sleep(OUTAGE)
        start_begin = time.perf_counter() - origin[0]
        cluster.start()
        started = time.perf_counter() - origin[0]
        deadline = time.perf_counter() + RECOVERY_LIMIT + SETTLED
        while time.perf_counter() < deadline:  # until every URL has answered 200 for a while
            time.sleep(0.5)
            with lock:
                recent = [event for event in events if event.at > started]
            first_ok = [
                min((e.at for e in recent if e.path == path and e.status == 200), default=None)
                for path in PROBES
            ]
            if None not in first_ok and max(first_ok) + SETTLED < recent[-1].at:
                break
        stop.set()
        for thread in threads:
            thread.join()
        master_alive = server.poll() is None
    finally:
        stop_gunicorn(server)
    problems += report_restart(events, stopped, start_begin, started, master_alive)
    return problems


def report_restart(
    events: list[Event], stopped: float, start_begin: float, started: float, master_alive: bool
) -> list[str]:
    problems = []
    events.sort(key=lambda event: event.at)
    print(
        f"timeline (seconds from `pg_ctl stop -m fast`): stop returned at {stopped:.2f}, "
        f"`pg_ctl start` given at {start_begin:.2f}, returned (accepting connections) at "
        f"{started:.2f}"
    )
    print(
        "| URL | before the stop | stopping | down | starting | after the start "
        "| first non-200 | first 200 after `pg_ctl start` |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in PROBES:
        mine = [event for event in events if event.path == path]
        phases = {
            "before": [e for e in mine if e.at < 0],
            "stopping": [e for e in mine if 0 <= e.at < stopped],
            "down": [e for e in mine if stopped <= e.at < start_begin],
            "starting": [e for e in mine if start_begin <= e.at < started],
            "after": [e for e in mine if e.at >= started],
        }
        counts = {
            name: ", ".join(
                f"{count}× {status or 'no answer'}"
                for status, count in sorted(
                    collections.Counter(e.status for e in found).items(), key=str
                )
            )
            or "–"
            for name, found in phases.items()
        }
        first_bad = next((e for e in mine if e.at >= 0 and e.status != 200), None)
        first_good = next((e for e in mine if e.at >= start_begin and e.status == 200), None)
        print(
            f"| `{path}` | {counts['before']} | {counts['stopping']} | {counts['down']} | "
            f"{counts['starting']} | {counts['after']} | "
            f"{f'{first_bad.at:.2f} s ({first_bad.status})' if first_bad else '–'} | "
            f"{f'{first_good.at:.2f} s' if first_good else 'never'} |"
        )
        if any(e.status != 200 for e in phases["before"]):
            problems.append(f"{path} failed before the database was stopped")
        if first_good is None or first_good.at - start_begin > RECOVERY_LIMIT:
            problems.append(f"{path} did not answer 200 within {RECOVERY_LIMIT:.0f} s of the start")
        elif any(e.status != 200 for e in phases["after"] if e.at > first_good.at):
            problems.append(f"{path} failed again after it had recovered")
        if path == "/healthz":
            down = {e.status for e in phases["down"]}
            if down != {503}:
                problems.append(f"/healthz answered {down} while the database was down")
    slowest = max(events, key=lambda event: event.seconds)
    print(
        f"slowest request: {slowest.seconds:.2f} s ({slowest.path} at {slowest.at:.2f} s); "
        f"requests: {len(events)}; gunicorn master still the same process: {master_alive}"
    )
    notes = collections.Counter(
        (e.path, e.status, e.note) for e in events if e.note and 0 <= e.at < started + 5
    )
    for (path, status, note), count in notes.most_common(10):
        print(f"  {count}× {path}: {status or 'no answer'} {note!r}")
    if any(e.status is None for e in events):
        problems.append("some requests got no answer (refused, reset or timed out)")
    if any(e.seconds >= REQUEST_TIMEOUT for e in events):
        problems.append(f"a request took {REQUEST_TIMEOUT} s or more (hangs)")
    if any("TRACEBACK" in e.note for e in events):
        problems.append("an error page showed a traceback")
    if not master_alive:
        problems.append("gunicorn's master process died")
    return problems


# --- kill --------------------------------------------------------------------------------------

FINGERPRINT = """
import hashlib, json
from registry.models import ImportBatch, MigrantCount, Municipality, Population, Source
digest = lambda rows: hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]
print("FINGERPRINT " + json.dumps({
    "counts": MigrantCount.objects.count(),
    "counts_sha": digest(MigrantCount.objects.order_by("pk").values_list(
        "pk", "municipality_id", "year", "motive_id", "measure", "persons", "source_id",
        "import_batch_id")),
    "populations_sha": digest(Population.objects.order_by("pk").values_list(
        "pk", "municipality_id", "year", "inhabitants", "source_id", "import_batch_id")),
    "batches": ImportBatch.objects.count(),
    "sources": Source.objects.count(),
    "municipalities": Municipality.objects.count(),
}))
"""


def fingerprint(env: dict) -> dict:
    """What an import may change, as hashes; and `export_counts`'s output, hashed."""
    shell = manage("shell", "-c", FINGERPRINT, env=env)
    found = json.loads(shell.split("FINGERPRINT ", 1)[1])
    found["export_sha"] = hashlib.sha256(manage("export_counts", env=env).encode()).hexdigest()[:16]
    return found


def national_file(folder: Path, *, add: int) -> Path:
    path = folder / f"national-plus-{add}.csv"
    rows = [[*row[:5], str(int(row[5]) + add), str(int(row[6]) + add)] for row in synthetic_rows()]
    path.write_text("\n".join([";".join(HEADERS)] + [";".join(row) for row in rows]) + "\n")
    return path


def start_import(path: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "import_counts", str(path)],
        cwd=ROOT,
        env={**env, "PGAPPNAME": APPLICATION_NAME},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_postgres_write(process: subprocess.Popen) -> tuple[int, str] | None:
    """The import's backend pid and transaction id once it has written; None if it ended."""
    monitor = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname=DATABASE)
    monitor.autocommit = True
    try:
        with monitor.cursor() as cursor:
            while process.poll() is None:
                cursor.execute(
                    "SELECT pid, backend_xid::text FROM pg_stat_activity "
                    "WHERE application_name = %s AND backend_xid IS NOT NULL",
                    [APPLICATION_NAME],
                )
                found = cursor.fetchone()
                if found:
                    return found
                time.sleep(0.002)
    finally:
        monitor.close()
    return None


def postgres_after_kill(pid: int, xid: str) -> str:
    """Wait until the killed import's backend is gone; its transaction's fate."""
    for _ in range(300):
        if not cluster_sql(f"SELECT 1 FROM pg_stat_activity WHERE pid = {pid}"):
            break
        time.sleep(0.1)
    return cluster_sql(f"SELECT txid_status({int(xid)})")[0][0]


@dataclass
class Attempt:
    delay: float
    outcome: str  # "killed in transaction", "finished before the kill"
    in_transaction: float = 0.0
    unchanged: bool | None = None


def kill_attempts(env: dict, folder: Path, *, vendor: str, database_file: Path | None) -> list[str]:
    """Kill an import at each delay; the data must stay exactly as it was."""
    problems: list[str] = []
    attempts: list[Attempt] = []
    add = 0
    for delay in KILL_DELAYS:
        add += 1
        before = fingerprint(env)
        process = start_import(national_file(folder, add=add), env)
        if vendor == "postgresql":
            seen = wait_for_postgres_write(process)
        else:
            seen = wait_for_sqlite_write(process, database_file)
        if seen is None:
            attempts.append(Attempt(delay, "finished before its write was seen"))
            continue
        noticed = time.perf_counter()
        time.sleep(delay)
        # SQLite: the rollback journal is there only while the write transaction is open.
        journal = database_file is None or Path(f"{database_file}-journal").exists()
        alive = process.poll() is None
        if alive:
            os.kill(process.pid, signal.SIGKILL)
        in_transaction = time.perf_counter() - noticed
        process.wait()
        if vendor == "postgresql":
            fate = postgres_after_kill(*seen)
            killed_inside = alive and fate == "aborted"
        else:
            killed_inside = alive and journal
            fate = "rolled back" if killed_inside else "committed"
        after = fingerprint(env)
        if killed_inside:
            attempt = Attempt(delay, f"killed in transaction ({fate})", in_transaction)
            attempt.unchanged = after == before
            if not attempt.unchanged:
                problems.append(
                    f"{vendor}: kill after {delay} s changed the data: {before} → {after}"
                )
        else:
            attempt = Attempt(delay, f"finished before the kill ({fate})", in_transaction)
            if after == before:
                problems.append(f"{vendor}: an import that finished changed nothing")
        attempts.append(attempt)
    print(f"\n{vendor}: import of the changed national file killed with SIGKILL")
    print("| wait after the first write | outcome | first write → kill | data unchanged |")
    print("| --- | --- | --- | --- |")
    for attempt in attempts:
        print(
            f"| {attempt.delay:.1f} s | {attempt.outcome} | {attempt.in_transaction:.2f} s | "
            f"{'–' if attempt.unchanged is None else 'yes' if attempt.unchanged else 'NO'} |"
        )
    kills = [a for a in attempts if a.outcome.startswith("killed in transaction")]
    if len(kills) < KILLS_NEEDED:
        problems.append(f"{vendor}: only {len(kills)} kills landed inside the transaction")
    # After the kills, the same kind of import runs to its end.
    add += 1
    before = fingerprint(env)
    started = time.perf_counter()
    manage("import_counts", str(national_file(folder, add=add)), env=env)
    took = time.perf_counter() - started
    after = fingerprint(env)
    completed = after["counts"] == before["counts"] and after["counts_sha"] != before["counts_sha"]
    print(
        f"{vendor}: afterwards the import of a changed file runs to the end in {took:.1f} s "
        f"(with Django's start): data changed as expected: {completed}"
    )
    if not completed:
        problems.append(f"{vendor}: the import after the kills did not complete")
    return problems


def wait_for_sqlite_write(process: subprocess.Popen, database_file: Path) -> tuple | None:
    """SQLite keeps a rollback journal beside the file while a write transaction is open."""
    journal = Path(f"{database_file}-journal")
    while process.poll() is None:
        if journal.exists():
            return ()
        time.sleep(0.001)
    return None


def prepare_database(env: dict) -> None:
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)


def load_national(env: dict, folder: Path) -> None:
    manage("import_counts", str(national_file(folder, add=0)), "--add-municipalities", env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["all", "restart", "kill"], default="all")
    parser.add_argument("--sqlite", action="store_true", help="Also kill an import on SQLite.")
    args = parser.parse_args()
    print(f"machine load at start: {machine_load()}")
    problems: list[str] = []
    cluster = PrivateCluster()
    folder = Path(tempfile.mkdtemp(prefix="loadB-fault-"))
    log_path = folder / "gunicorn.log"
    env = portal_env(database_url=DATABASE_URL, redis_db=REDIS_DB)
    try:
        cluster.init()
        cluster.start()
        cluster_sql(f'CREATE DATABASE "{DATABASE}"', database="postgres")
        run("redis-cli", "-n", str(REDIS_DB), "FLUSHDB", env=env)
        prepare_database(env)
        print(f"private cluster: {cluster.data}, port {PG_PORT}")
        if args.scenario in ("all", "restart"):
            manage("collectstatic", "--noinput", env=env)
            print("\n== restart: the database stopped and started under load ==")
            problems += restart_scenario(cluster, env, log_path)
            if not cluster.running():
                cluster.start()
        if args.scenario in ("all", "kill"):
            print("\n== kill: an import killed inside its transaction ==")
            load_national(env, folder)
            problems += kill_attempts(env, folder, vendor="postgresql", database_file=None)
            if args.sqlite:
                database_file = folder / "portal.sqlite3"
                sqlite_env = {**env, "DATABASE_URL": f"sqlite:///{database_file}"}
                prepare_database(sqlite_env)
                load_national(sqlite_env, folder)
                problems += kill_attempts(
                    sqlite_env, folder, vendor="sqlite", database_file=database_file
                )
    except (RuntimeError, subprocess.CalledProcessError, psycopg2.Error) as error:
        problems.append(f"{type(error).__name__}: {error}")
        if isinstance(error, subprocess.CalledProcessError):
            problems.append(str(error.stderr)[-2000:])
    finally:
        cluster.remove()
        run("redis-cli", "-n", str(REDIS_DB), "FLUSHDB", env=env)
        server_log = log_path.read_text(errors="replace") if log_path.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\ngunicorn log: {server_log.count('Traceback')} tracebacks, "
        f"{server_log.count('WORKER TIMEOUT')} worker timeouts"
    )
    print(f"private cluster removed: {not cluster.folder.exists()}")
    return verdict(problems)


if __name__ == "__main__":
    sys.exit(main())
