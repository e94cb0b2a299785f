#!/usr/bin/env python3
"""Load test: dashboards, downloads and ballots while a clerk imports the national file.

Run by hand (docs/benchmarks.md, "Load with ballots and an import"). Makes a
throwaway PostgreSQL database `loadB_load` with the demo and the synthetic
national file, adds council members of Haarlemmermeer and two open
prioritisation rounds (ranking and points), and serves it with gunicorn (2 sync
workers, DEBUG off, Redis db 7) on 127.0.0.1:8770. Then every client logs in as
its own member and, for the given time, opens dashboards (every page, many
municipalities), downloads chart data (csv, xlsx, json) and casts and changes
ballots, while the clerk (`griffie`) imports a changed national file through the
admin: upload, preview, confirm. Afterwards it checks in the database that each
member's last accepted ballot is exactly what is stored, once, and that the
import is complete. Exits 1 when any request failed or any check does not hold.
Drops the database, empties Redis db 7 and stops gunicorn at the end.

    .venv/bin/python scripts/load_test.py [--seconds 60] [--clients 50]
"""

import argparse
import collections
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from generate_national_file import national_csv, synthetic_municipalities, synthetic_rows
from loadtools import (
    Client,
    Response,
    csrf_token,
    form_inputs,
    machine_load,
    manage,
    percentile,
    portal_env,
    run,
    start_gunicorn,
    stop_gunicorn,
    verdict,
    wait_until_healthy,
)

DATABASE = "loadB_load"
PORT = 8770
REDIS_DB = 7
ENV = portal_env(database_url=f"postgres://postgres@127.0.0.1:5432/{DATABASE}", redis_db=REDIS_DB)
MEMBER_PASSWORD = "load-test-2026"
MEMBER_PREFIX = "loadtest-lid-"
CLERK, CLERK_PASSWORD = "griffie", "raadsdebat-2026"  # the demo clerk and demo password
VOTING_MUNICIPALITY = "GM0394"
POINTS_BUDGET = 100
IMPORT_FILE_NAME = "national-plus-one.csv"
IMPORT_URL = "/admin/registry/migrantcount/import/"
CONFIRM_URL = "/admin/registry/migrantcount/process_import/"
CLERK_START_SECONDS = 10  # the clerk starts once the members' load is under way

DEMO_CODES = ["GM0394", "GM0637", "GM0358", "GM0392", "GM0362", "GM0479"]
SYNTHETIC_CODES = [code for code, _name in synthetic_municipalities()]
PAGES = [
    "/dashboards/",
    "/dashboards/vergelijken/",
    "/dashboards/register/",
    "/dashboards/beleidsmatrix/",
    "/dashboards/bevindingen/",
    "/dashboards/indicatoren/",
    "/dashboards/debatpakket/",
    "/dashboards/vergaderingen/",
]
# Of the demo municipalities only Haarlemmermeer has counts per motive; the others have
# totals, so their pages draw no motive chart and asking for its data answers 404.
WITH_MOTIVES = ["GM0394", *SYNTHETIC_CODES]
# (page, chart, municipalities that have the chart's data; None: any)
DOWNLOADS = [
    ("/dashboards/", "motive-shares", WITH_MOTIVES),
    ("/dashboards/", "motive-split", WITH_MOTIVES),
    ("/dashboards/vergelijken/", "share-comparison", None),
    ("/dashboards/vergelijken/", "motive-comparison", WITH_MOTIVES),
    ("/dashboards/register/", "estimates", ["GM0358", "GM0394"]),
    ("/dashboards/beleidsmatrix/", "matrix", ["GM0394"]),
    ("/dashboards/bevindingen/", "recommendation-status", ["GM0394"]),
    ("/dashboards/indicatoren/", "indicators", ["GM0394"]),
]
FORMATS = ["csv", "xlsx", "json"]
WEIGHTS = {"dashboard": 60, "download": 20, "ballot": 20}

SETUP = """
import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from dashboards.models import Profile
from policy.selectors.rounds import round_attention_point_choices
from policy.services.rounds import round_create, round_open
from registry.models import Municipality

options = json.loads({options!r})
User = get_user_model()
municipality = Municipality.objects.get(code=options["municipality"])
group = Group.objects.get(name="raadslid")
password = make_password(options["password"])  # one hash for all: logging in still checks it
for index in range(options["members"]):
    user = User.objects.create(username=f"{{options['prefix']}}{{index:02d}}", password=password)
    user.groups.add(group)
    Profile.objects.create(user=user, municipality=municipality)
points = list(round_attention_point_choices().filter(report__municipality=municipality))
clerk = User.objects.get(username="griffie")
rounds = {{}}
for method, budget in (("ranking", None), ("points", options["budget"])):
    round_ = round_create(
        municipality=municipality,
        title=f"Load test ({{method}})",
        period_start=2026,
        period_end=2030,
        method=method,
        points_budget=budget,
        closes_at=timezone.now() + timedelta(days=1),
        attention_points=points,
        created_by=clerk,
    )
    round_open(round_id=round_.pk)
    rounds[method] = round_.pk
print("SETUP " + json.dumps({{"rounds": rounds, "points": [point.pk for point in points]}}))
"""


def psql(sql: str, database: str = DATABASE) -> str:
    return run(
        "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-XAtqc", sql, env=ENV
    ).strip()


def prepare(members: int) -> dict:
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', database="postgres")
    psql(f'CREATE DATABASE "{DATABASE}"', database="postgres")
    run("redis-cli", "-n", str(REDIS_DB), "FLUSHDB", env=ENV)
    manage("migrate", "--noinput", env=ENV)
    manage("load_demo", env=ENV)
    with tempfile.TemporaryDirectory() as folder:
        national = Path(folder) / "national.csv"
        national.write_bytes(national_csv())
        manage("import_counts", str(national), "--add-municipalities", env=ENV)
    manage("collectstatic", "--noinput", env=ENV)
    options = json.dumps(
        {
            "municipality": VOTING_MUNICIPALITY,
            "members": members,
            "prefix": MEMBER_PREFIX,
            "password": MEMBER_PASSWORD,
            "budget": POINTS_BUDGET,
        }
    )
    output = manage("shell", "-c", SETUP.format(options=options), env=ENV)
    return json.loads(output.split("SETUP ", 1)[1])


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, kind: str, send, *, expect: int = 200, location: str = "") -> Response | None:
        """Send one request; record its latency, and an error for anything unexpected."""
        started = time.perf_counter()
        problem = None
        response = None
        try:
            response = send()
        except Exception as error:  # every failure of a request counts
            problem = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        if response is not None:
            if response.status != expect:
                problem = f"HTTP {response.status}"
                if response.header("location"):
                    problem += f" → {response.header('location')}"
            elif location and not response.header("location").endswith(location):
                problem = f"HTTP {response.status} → {response.header('location')}"
        with self.lock:
            self.latencies[kind].append(elapsed)
            if problem:
                self.errors[kind].append(problem)
        return None if problem else response


def dashboard_path(rng: random.Random) -> str:
    page = rng.choice(PAGES)
    code = rng.choice(DEMO_CODES) if rng.random() < 0.5 else rng.choice(SYNTHETIC_CODES)
    if page == "/dashboards/debatpakket/" and rng.random() < 0.5:
        return f"{page}?municipality={code}&include=overview:motive-split,compare:share-comparison"
    return f"{page}?municipality={code}"


def download_path(rng: random.Random) -> str:
    page, chart, codes = rng.choice(DOWNLOADS)
    code = rng.choice(codes or DEMO_CODES + SYNTHETIC_CODES)
    return f"{page}?municipality={code}&chart={chart}&format={rng.choice(FORMATS)}"


def ballot_values(rng: random.Random, names: list[str]) -> dict[str, int]:
    """A random complete ballot: a permutation of the places, or the budget split up."""
    if names[0].startswith("rank_"):
        places = list(range(1, len(names) + 1))
        rng.shuffle(places)
        return dict(zip(names, places, strict=True))
    cuts = sorted(rng.randint(0, POINTS_BUDGET) for _ in range(len(names) - 1))
    shares = [high - low for low, high in zip([0, *cuts], [*cuts, POINTS_BUDGET], strict=True)]
    return dict(zip(names, shares, strict=True))


def member(
    *,
    client: Client,
    username: str,
    seed: int,
    rounds: list[int],
    stop_at: float,
    stats: Stats,
    accepted: dict,
    attempts: collections.Counter,
) -> None:
    rng = random.Random(seed)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.perf_counter() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        if kind == "dashboard":
            path = dashboard_path(rng)
            stats.call("dashboard", lambda path=path: client.get(path))
        elif kind == "download":
            path = download_path(rng)
            stats.call("download", lambda path=path: client.get(path))
        else:
            round_id = rng.choice(rounds)
            vote = f"/prioriteiten/{round_id}/stemmen/"
            page = stats.call("ballot page", lambda vote=vote: client.get(vote))
            if page is None:
                continue
            names = list(dict.fromkeys(re.findall(r'name="((?:rank|points)_\d+)"', page.text)))
            values = ballot_values(rng, names)
            fields = {
                "csrfmiddlewaretoken": csrf_token(page),
                **{k: str(v) for k, v in values.items()},
            }
            attempts[(username, round_id)] += 1
            saved = stats.call(
                "ballot post",
                lambda vote=vote, fields=fields: client.post_form(vote, fields),
                expect=302,
                location="#own-ballot",
            )
            if saved is not None:
                # The last ballot the portal said it saved: what the database must hold.
                accepted[(username, round_id)] = {
                    int(name.split("_")[1]): value for name, value in values.items()
                }


@dataclass
class ImportRun:
    started: float = 0.0
    finished: float = 0.0
    preview_seconds: float = 0.0
    confirm_seconds: float = 0.0
    total_seconds: float = 0.0
    preview_bytes: int = 0
    completed: bool = False
    problem: str = ""


def clerk(
    *, client: Client, start_at: float, content: bytes, stats: Stats, outcome: ImportRun
) -> None:
    """The clerk's import through the admin, as a browser sends it (already logged in)."""
    time.sleep(max(0.0, start_at - time.perf_counter()))
    try:
        outcome.started = time.perf_counter()
        page = stats.call("import (clerk)", lambda: client.get(IMPORT_URL))
        if page is None:
            outcome.problem = "the import page did not open"
            return
        fields = {
            "csrfmiddlewaretoken": csrf_token(page),
            "resource": "0",
            "format": "0",
            "measure": "stock",
            "source": "",
        }
        started = time.perf_counter()
        preview = stats.call(
            "import (clerk)",
            lambda: client.post_multipart(
                IMPORT_URL, fields, {"import_file": (IMPORT_FILE_NAME, content)}
            ),
        )
        outcome.preview_seconds = time.perf_counter() - started
        if preview is None:
            outcome.problem = "the upload got no preview"
            return
        outcome.preview_bytes = len(preview.body)
        confirm_fields = form_inputs(preview.text, "process_import")
        started = time.perf_counter()
        confirmed = stats.call(
            "import (clerk)",
            lambda: client.post_form(CONFIRM_URL, confirm_fields),
            expect=302,
            location="/change/",
        )
        outcome.confirm_seconds = time.perf_counter() - started
        if confirmed is None:
            outcome.problem = "the confirmation was not accepted"
            return
        batch_page = confirmed.header("location")
        stats.call("import (clerk)", lambda: client.get(batch_page))
        outcome.finished = time.perf_counter()
        outcome.total_seconds = outcome.finished - outcome.started
        outcome.completed = True
    except Exception as error:  # reported, and fails the run
        outcome.problem = f"{type(error).__name__}: {error}"


def stored_ballots(rounds: list[int]) -> tuple[dict, list[str]]:
    """Entries per (member, round) as the database holds them, and any doubled ballot."""
    ids = ",".join(str(round_id) for round_id in rounds)
    doubled = psql(
        f"SELECT u.username || ' in round ' || b.round_id || ': ' || count(*) "
        f"FROM policy_ballot b JOIN auth_user u ON u.id = b.voter_id "
        f"WHERE b.round_id IN ({ids}) GROUP BY u.username, b.round_id HAVING count(*) > 1"
    )
    rows = psql(
        "SELECT u.username, b.round_id, e.attention_point_id, coalesce(e.rank, e.points) "
        "FROM policy_ballot b JOIN auth_user u ON u.id = b.voter_id "
        "LEFT JOIN policy_ballotentry e ON e.ballot_id = b.id "
        f"WHERE b.round_id IN ({ids})"
    )
    stored: dict = collections.defaultdict(dict)
    for line in rows.splitlines():
        username, round_id, point, value = line.split("|")
        entries = stored[(username, int(round_id))]
        if point:
            if int(point) in entries:
                doubled += f"\n{username} in round {round_id}: point {point} twice"
            entries[int(point)] = int(value)
    return stored, [line for line in doubled.splitlines() if line]


def check_ballots(rounds: list[int], accepted: dict, attempts: collections.Counter) -> list[str]:
    stored, doubled = stored_ballots(rounds)
    problems = [f"doubled ballot: {line}" for line in doubled]
    for key in sorted(set(stored) | set(accepted)):
        if key not in stored:
            problems.append(f"lost ballot: {key[0]} in round {key[1]}")
        elif key not in accepted:
            problems.append(f"ballot stored without a success response: {key[0]}, {key[1]}")
        elif stored[key] != accepted[key]:
            problems.append(
                f"stored ballot of {key[0]} in round {key[1]} is not the last one accepted: "
                f"{stored[key]} != {accepted[key]}"
            )
    print(
        f"ballots: {sum(attempts.values())} posted, {len(accepted)} member×round pairs with an "
        f"accepted ballot, {len(stored)} stored, {len(problems)} problems"
    )
    return problems


def check_import(expected_sum: int, rows: int) -> list[str]:
    found = psql(
        "SELECT count(*) || '|' || coalesce(sum(c.persons), 0) FROM registry_migrantcount c "
        "JOIN registry_municipality m ON m.id = c.municipality_id "
        "WHERE m.code LIKE 'GM8%' AND c.measure = 'stock'"
    )
    batch = psql(
        "SELECT b.rows_created || '|' || b.rows_updated || '|' || coalesce(u.username, '') "
        "FROM registry_importbatch b LEFT JOIN auth_user u ON u.id = b.user_id "
        f"WHERE b.file_name = '{IMPORT_FILE_NAME}'"
    )
    print(f"import check: synthetic stock rows|sum = {found}; batch created|updated|user = {batch}")
    problems = []
    if found != f"{rows}|{expected_sum}":
        problems.append(f"synthetic counts are {found}, expected {rows}|{expected_sum}")
    if batch != f"0|{rows}|{CLERK}":
        problems.append(f"import batch is {batch!r}, expected 0|{rows}|{CLERK}")
    return problems


def kind_of(method: str, url: str) -> str:
    if url.startswith("/admin/"):
        return "import (clerk)"
    if "/stemmen/" in url:
        return "ballot post" if method == "POST" else "ballot page"
    return "download" if "format=" in url else "dashboard"


def service_times(access_log: Path) -> None:
    """The workers' own time per request (gunicorn's access log), without queueing."""
    times: dict[str, list[float]] = collections.defaultdict(list)
    pattern = re.compile(r'^(\w+) "([^"]*)" (\d+) (\d+)$')
    for line in access_log.read_text().splitlines():
        found = pattern.match(line)
        if found and not found.group(2).startswith(("/login/", "/healthz")):
            times[kind_of(found.group(1), found.group(2))].append(int(found.group(4)) / 1e6)
    print("\nworker time per request (gunicorn access log; the rest of a latency is queueing):")
    print("| kind | requests | p50 ms | p95 ms | max ms | worker-seconds |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in ["dashboard", "download", "ballot page", "ballot post", "import (clerk)"]:
        found = sorted(times.get(kind, []))
        print(
            f"| {kind} | {len(found)} | {percentile(found, 0.5) * 1000:.0f} | "
            f"{percentile(found, 0.95) * 1000:.0f} | {percentile(found, 1.0) * 1000:.0f} | "
            f"{sum(found):.1f} |"
        )


def report(stats: Stats, elapsed: float) -> None:
    print("| kind | requests | errors | req/s | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    every: list[float] = []
    for kind in ["dashboard", "download", "ballot page", "ballot post", "import (clerk)"]:
        latencies = sorted(stats.latencies.get(kind, []))
        every += latencies
        print(
            f"| {kind} | {len(latencies)} | {len(stats.errors.get(kind, []))} | "
            f"{len(latencies) / elapsed:.1f} | {percentile(latencies, 0.5) * 1000:.0f} | "
            f"{percentile(latencies, 0.95) * 1000:.0f} | {percentile(latencies, 1.0) * 1000:.0f} |"
        )
    every.sort()
    errors = sum(len(found) for found in stats.errors.values())
    print(
        f"| **all** | {len(every)} | {errors} | {len(every) / elapsed:.1f} | "
        f"{percentile(every, 0.5) * 1000:.0f} | {percentile(every, 0.95) * 1000:.0f} | "
        f"{percentile(every, 1.0) * 1000:.0f} |"
    )
    for kind, found in stats.errors.items():
        for problem, count in collections.Counter(found).most_common(20):
            print(f"error ({kind}): {problem} ×{count}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--no-import", action="store_true", help="The same load without the clerk (a baseline)."
    )
    args = parser.parse_args()
    print(f"machine load at start: {machine_load()}")
    server = None
    log_path = Path(tempfile.mkstemp(prefix="loadB-gunicorn-", suffix=".log")[1])
    access_log = Path(tempfile.mkstemp(prefix="loadB-access-", suffix=".log")[1])
    failures: list[str] = []
    try:
        started = time.perf_counter()
        setup = prepare(args.clients)
        rounds = sorted(setup["rounds"].values())
        print(
            f"set up in {time.perf_counter() - started:.0f} s: rounds {setup['rounds']}, "
            f"{len(setup['points'])} attention points each, {args.clients} members"
        )
        server = start_gunicorn(env=ENV, port=PORT, log_path=log_path, access_log=access_log)
        wait_until_healthy(PORT)
        members = [f"{MEMBER_PREFIX}{index:02d}" for index in range(args.clients)]
        # Logging in hashes each password (PBKDF2): 50 at once queue a while.
        clients = [Client(PORT, timeout=300) for _ in members]
        login_threads = [
            threading.Thread(target=client.log_in, args=(username, MEMBER_PASSWORD))
            for client, username in zip(clients, members, strict=True)
        ]
        for thread in login_threads:
            thread.start()
        for thread in login_threads:
            thread.join()
        if not all("sessionid" in client.cookies for client in clients):
            raise RuntimeError("not every member could log in")
        for client in clients:
            client.timeout = 60
        clerk_client = Client(PORT, timeout=300)
        clerk_client.log_in(CLERK, CLERK_PASSWORD)
        access_log.write_text("")  # from here on: the load only
        stats, accepted, attempts = Stats(), {}, collections.Counter()
        outcome = ImportRun()
        begin = time.perf_counter()
        stop_at = begin + args.seconds
        threads = [
            threading.Thread(
                target=member,
                kwargs={
                    "client": client,
                    "username": username,
                    "seed": index,
                    "rounds": rounds,
                    "stop_at": stop_at,
                    "stats": stats,
                    "accepted": accepted,
                    "attempts": attempts,
                },
            )
            for index, (client, username) in enumerate(zip(clients, members, strict=True))
        ]
        content = national_csv(add=1)
        threads.append(
            threading.Thread(
                target=clerk if not args.no_import else lambda **kwargs: None,
                kwargs={
                    "client": clerk_client,
                    "start_at": begin + min(CLERK_START_SECONDS, args.seconds / 4),
                    "content": content,
                    "stats": stats,
                    "outcome": outcome,
                },
            )
        )
        for thread in threads:
            thread.start()
        for thread in threads[:-1]:
            thread.join()
        elapsed = time.perf_counter() - begin  # the members' load, without the clerk's end
        threads[-1].join()
        print(
            f"\n{args.clients} members for {args.seconds:.0f} s (measured {elapsed:.1f} s), "
            "gunicorn 2 sync workers, PostgreSQL, Redis, DEBUG off\n"
        )
        report(stats, elapsed)
        service_times(access_log)
        if args.no_import:
            print("\nno import (--no-import)")
        elif outcome.completed:
            print(
                f"\nimport by the clerk: started {outcome.started - begin:.1f} s into the load; "
                f"upload and preview {outcome.preview_seconds:.1f} s "
                f"({outcome.preview_bytes / 1e6:.1f} MB page), "
                f"confirm {outcome.confirm_seconds:.1f} s, "
                f"in all {outcome.total_seconds:.1f} s (with the import page and the batch page), "
                f"done {outcome.finished - begin:.1f} s into the load"
            )
        else:
            failures.append(f"the import did not complete: {outcome.problem}")
        rows = synthetic_rows()
        if not args.no_import:
            failures += check_import(sum(int(row[5]) + 1 for row in rows), len(rows))
        failures += check_ballots(rounds, accepted, attempts)
        failures += [
            f"{len(found)} {kind} request(s) failed"
            for kind, found in stats.errors.items()
            if found
        ]
    except (RuntimeError, subprocess.CalledProcessError) as error:
        failures.append(f"{type(error).__name__}: {error}")
        if isinstance(error, subprocess.CalledProcessError):
            failures.append(str(error.stderr)[-2000:])
    finally:
        stop_gunicorn(server)
        try:
            psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', database="postgres")
            run("redis-cli", "-n", str(REDIS_DB), "FLUSHDB", env=ENV)
        except subprocess.CalledProcessError as error:
            failures.append(f"clean-up failed: {error.stderr}")
    server_log = log_path.read_text(errors="replace")
    log_path.unlink()
    access_log.unlink()
    tracebacks = server_log.count("Traceback")
    timeouts = server_log.count("WORKER TIMEOUT")
    print(f"gunicorn log: {tracebacks} tracebacks, {timeouts} worker timeouts")
    if tracebacks or timeouts:
        print(server_log[-4000:])
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
