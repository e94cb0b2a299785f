#!/usr/bin/env python3
"""Load benchmark of the dashboards under gunicorn (docs/benchmarks.md). Run by hand.

Makes a throwaway PostgreSQL database with the demo and the synthetic national
file, serves it with gunicorn (2 workers, DEBUG off, Redis cache) on loopback,
logs in 20 council members and, in one run, measures requests per second and
latencies of /healthz and of every dashboard page, then the bytes a first and
a second visit transfer. Drops the database and stops gunicorn at the end.

    .venv/bin/python scripts/benchmark_dashboards.py [--seconds 10] [--clients 20]

With --in-process it measures single pages instead, without a server: SQLite
(a file in a temporary folder), Django's test client signed in as the demo
council member, the demo and the synthetic national file. Each page cold (the
whole cache cleared before each request: data version, figures, bodies,
frames, session and user) and warm, medians of --runs requests, with the
queries of a cold request and cProfile's top entries of the cold path. Every
dashboard page is measured (the debate pack with one chart and with every
chart it offers), or those whose name holds --only. The cache is Redis db 13
(emptied before and after; another with --redis-db), or Django's in-memory
cache with --no-redis.

    .venv/bin/python scripts/benchmark_dashboards.py --in-process [--runs 5] [--top 15]
        [--redis-db 13] [--only pack]
"""

import argparse
import gzip
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE = "bench_dashboards"
HOST, PORT = "127.0.0.1", 8765
PAGES = [
    "/healthz",
    "/dashboards/?municipality=GM0394",
    "/dashboards/vergelijken/?municipality=GM0394",
    "/dashboards/vergelijken/?municipality=GM8001",
    "/dashboards/register/?municipality=GM0358",
    "/dashboards/beleidsmatrix/?municipality=GM0394",
    "/dashboards/bevindingen/?municipality=GM0394",
    "/dashboards/indicatoren/?municipality=GM0394",
    "/dashboards/debatpakket/?municipality=GM0394&include=overview:motive-split",
]
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "false",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
}


def run(*args: str) -> None:
    subprocess.run(args, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def prepare() -> None:
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DATABASE}")
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DATABASE}")
    run("redis-cli", "-n", "5", "FLUSHDB")
    run(PYTHON, "manage.py", "migrate", "--noinput")
    run(PYTHON, "manage.py", "load_demo")
    with tempfile.TemporaryDirectory() as folder:
        national = Path(folder) / "national.csv"
        run(PYTHON, "scripts/generate_national_file.py", str(national))
        run(PYTHON, "manage.py", "import_counts", str(national), "--add-municipalities")
    run(PYTHON, "manage.py", "collectstatic", "--noinput")


def request(path: str, cookies: dict, headers: dict | None = None, body: str | None = None):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    cookie = "; ".join(f"{key}={value}" for key, value in cookies.items())
    all_headers = {"Cookie": cookie, **(headers or {})}
    connection.request("POST" if body else "GET", path, body=body, headers=all_headers)
    response = connection.getresponse()
    content = response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    connection.close()
    return response, content


def log_in() -> dict:
    cookies: dict = {}
    _, page = request("/login/", cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "raadslid", "password": "raadsdebat-2026"}
    )
    response, _ = request(
        "/login/",
        cookies,
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}/"},
        form,
    )
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login failed: {response.status}")
    return cookies


def load(path: str, sessions: list[dict], seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(cookies: dict) -> None:
        own, failed = [], 0
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                response, _ = request(path, dict(cookies))
                ok = response.status == 200
            except OSError:
                ok = False
            own.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            latencies.extend(own)
            errors[0] += failed

    for cookies in sessions[:4]:  # warm the caches the way a first visitor would
        request(path, dict(cookies))
    threads = [threading.Thread(target=client, args=(cookies,)) for cookies in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "requests": len(latencies),
        "errors": errors[0],
    }


def transfer(cookies: dict) -> tuple[int, int, int, str]:
    """Bytes of a first visit (page and its assets) and of a later one (the page)."""
    accept = {"Accept-Encoding": "gzip, br"}
    response, html = request("/dashboards/?municipality=GM0394", dict(cookies), accept)
    page_bytes = len(html)
    if response.getheader("Content-Encoding") is None:
        page_bytes = len(gzip.compress(html))  # what a compressing proxy would send
    # The static files and the municipality's theme stylesheet (/thema/<code>.css).
    assets = re.findall(rb'(?:src|href)="(/(?:static|thema)/[^"]+)"', html)
    asset_bytes, cache_control = 0, ""
    for asset in dict.fromkeys(assets):
        asset_response, body = request(asset.decode(), dict(cookies), accept)
        asset_bytes += len(body)
        cache_control = asset_response.getheader("Cache-Control") or cache_control
    return page_bytes + asset_bytes, page_bytes, len(html), cache_control


IN_PROCESS_PAGES = {
    "overview": "/dashboards/?municipality=GM0394",
    "comparison": "/dashboards/vergelijken/?municipality=GM0394",
    "register": "/dashboards/register/?municipality=GM0358",
    "policy matrix": "/dashboards/beleidsmatrix/?municipality=GM0394",
    "findings": "/dashboards/bevindingen/?municipality=GM0394",
    "indicators": "/dashboards/indicatoren/?municipality=GM0394",
    "debate pack, one chart": "/dashboards/debatpakket/?municipality=GM0394"
    "&include=overview:motive-split",
    # Every chart the pack offers, and all findings: the include list is read from the
    # pack's own form, so the script needs no list of chart ids.
    "debate pack, every chart": "/dashboards/debatpakket/?municipality=GM0394",
}
PACK_EVERY_CHART = "debate pack, every chart"
IN_PROCESS_REDIS = "redis://127.0.0.1:6379/{db}"


def in_process(*, runs: int, top: int, redis: bool, redis_db: int = 13, only: str = "") -> int:
    """Cold and warm single pages in this process; see the module's docstring."""
    import cProfile
    import pstats

    folder = tempfile.TemporaryDirectory()
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder.name}/portal.sqlite3",
        DEBUG="false",
        SECRET_KEY=ENV["SECRET_KEY"],
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        REDIS_URL=IN_PROCESS_REDIS.format(db=redis_db) if redis else "",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "migrantportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    cache.clear()
    quiet = open(os.devnull, "w")  # noqa: SIM115 - closed with the folder below
    # DEBUG off serves the static files' hashed names, as production does.
    settings.STATIC_ROOT = f"{folder.name}/static"
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=quiet)
    national = Path(folder.name) / "national.csv"
    subprocess.run([PYTHON, "scripts/generate_national_file.py", str(national)], check=True)
    call_command("import_counts", str(national), "--add-municipalities", stdout=quiet)
    client = Client()
    client.force_login(get_user_model().objects.get(username="raadslid"))

    def timed(url: str, *, cold: bool) -> tuple[float, float]:
        """Milliseconds of the request: elapsed, and this process's CPU time.

        The CPU time leaves out what other work on a shared machine adds to the
        elapsed time, and also the time spent waiting for Redis.
        """
        if cold:
            cache.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed * 1000, cpu * 1000

    pages = dict(IN_PROCESS_PAGES)
    pack = client.get(pages[PACK_EVERY_CHART]).content.decode()
    keys = re.findall(r'name="include" value="([^"]+)"', pack)
    pages[PACK_EVERY_CHART] += "".join(f"&include={key}" for key in keys)
    if only:
        pages = {name: url for name, url in pages.items() if only in name}
    rows, profiles = [], {}
    try:
        for name, url in pages.items():
            timed(url, cold=True)  # the first request of a page also compiles its templates
            cold = [timed(url, cold=True) for _ in range(runs)]
            warm = [timed(url, cold=False) for _ in range(runs)]
            queries: list[str] = []

            def counted(run, sql, *rest, queries=queries):
                queries.append(sql)
                return run(sql, *rest)

            # Not CaptureQueriesContext: each request's start empties the log it reads.
            with connection.execute_wrapper(counted):
                timed(url, cold=True)
            profiler = cProfile.Profile()
            for _ in range(runs):
                cache.clear()
                profiler.runcall(client.get, url)
            rows.append((name, url, cold, warm, len(queries)))
            profiles[name] = profiler
    finally:
        cache.clear()
        quiet.close()
        folder.cleanup()
    backend = f"Redis db {redis_db}" if redis else "in-memory cache"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"in process, SQLite, {backend}, medians of {runs} requests (min–max);", end=" ")
    print(f"load average {load} at the end\n")
    print("| page | cold ms | cold CPU ms | warm ms | warm CPU ms | queries (cold) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, url, cold, warm, queries in rows:
        print(
            f"| {name} (`{url}`) | {_spread([e for e, _ in cold], 0)} | "
            f"{_spread([c for _, c in cold], 0)} | {_spread([e for e, _ in warm], 1)} | "
            f"{_spread([c for _, c in warm], 1)} | {queries} |"
        )
    for name, profiler in profiles.items():
        print(f"\n{name}: the cold path's top {top} by cumulative time (cProfile, per request)\n")
        print(_profile_table(pstats.Stats(profiler), runs=runs, top=top))
    return 0


def _spread(values: list[float], digits: int) -> str:
    """The median, with the smallest and the largest value."""
    median, low, high = statistics.median(values), min(values), max(values)
    return f"{median:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def _profile_table(stats, *, runs: int, top: int) -> str:
    """The entries below the request's dispatch, by cumulative time per request.

    Left out, as they say nothing of where the time goes: what wraps the whole
    request (test client, handler, middleware, decorators; 95 % of the total or
    more), and an entry whose time is nearly all (98 % or more) one call's that
    it makes: a lazy object, a lambda or a cache lookup around the work.
    """
    total = max(entry[3] for entry in stats.stats.values())
    wrappers = {
        caller
        for _, _, _, _, callers in stats.stats.values()
        for caller, (_, _, _, cumulative) in callers.items()
        if caller != "~" and cumulative >= 0.98 * stats.stats[caller][3]
    }
    entries = sorted(
        (item for item in stats.stats.items() if item[0] not in wrappers),
        key=lambda item: -item[1][3],
    )
    lines = [
        f"total {total / runs * 1000:.0f} ms per request",
        "",
        "| cumulative ms | share | own ms | calls | function |",
        "| --- | --- | --- | --- | --- |",
    ]
    shown = [(where, entry) for where, entry in entries if entry[3] < 0.95 * total][:top]
    for (file, line, function), (_, calls, own, cumulative, _) in shown:
        file = file.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        lines.append(
            f"| {cumulative / runs * 1000:.1f} | {cumulative / total:.0%} | "
            f"{own / runs * 1000:.1f} | {calls // runs} | `{file}:{line}({function})` |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--in-process", action="store_true", help="cold and warm single pages")
    parser.add_argument("--runs", type=int, default=5, help="requests per median (--in-process)")
    parser.add_argument("--top", type=int, default=15, help="profile entries (--in-process)")
    parser.add_argument("--no-redis", action="store_true", help="in-memory cache (--in-process)")
    parser.add_argument("--redis-db", type=int, default=13, help="Redis database (--in-process)")
    parser.add_argument("--only", default="", help="pages whose name holds this (--in-process)")
    args = parser.parse_args()
    if args.in_process:
        return in_process(
            runs=args.runs,
            top=args.top,
            redis=not args.no_redis,
            redis_db=args.redis_db,
            only=args.only,
        )
    prepare()
    server = subprocess.Popen(
        [
            GUNICORN,
            "migrantportal.wsgi",
            "-w",
            "2",
            "-b",
            f"{HOST}:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _attempt in range(100):
            try:
                if request("/healthz", {})[0].status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        sessions = [log_in() for _ in range(args.clients)]
        results = {path: load(path, sessions, args.seconds) for path in PAGES}
        first, page_gz, page_raw, cache_control = transfer(sessions[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
        run(
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            f"DROP DATABASE IF EXISTS {DATABASE}",
        )
    healthz = results["/healthz"]["rps"]
    print(f"{args.clients} clients, {args.seconds:.0f} s per URL, gunicorn 2 workers,", end=" ")
    print("PostgreSQL, Redis\n")
    print("| URL | requests/s | vs /healthz | p50 ms | p95 ms | requests | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for path, r in results.items():
        print(
            f"| `{path}` | {r['rps']:.0f} | {r['rps'] / healthz:.2f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['requests']} | {r['errors']} |"
        )
    print(
        f"\nfirst visit of the overview: {first / 1024:.0f} kB compressed "
        f"(page {page_gz / 1024:.0f} kB gzipped, {page_raw / 1024:.0f} kB raw; the rest static "
        f"files); a later visit: {page_gz / 1024:.0f} kB (static files: Cache-Control "
        f"'{cache_control}')"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
