#!/usr/bin/env python3
"""What a server-side PDF costs (docs/benchmarks.md, "PDF downloads"). Run by hand.

In process, against the configured database with the demo loaded (`migrate`,
`load_demo`) and Django's test client signed in as the demo council member:

- the debate pack with every chart as HTML, and as PDF cold (new data version)
  and from the cache, medians of --runs;
- the peak memory of Chromium's processes while it prints (their summed PSS, which
  counts shared pages once, sampled every 50 ms; found by the temporary profile
  folder in their command line);
- the latency of a cold dashboard page (overview, data version renewed before
  each request) while 0, 1 and 2 Chromiums print the pack at the same time.

    .venv/bin/python scripts/benchmark_pdf.py [--runs 3] [--seconds 8]
"""

import argparse
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "migrantportal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from migrantportal.figure_cache import VERSION_KEY  # noqa: E402
from migrantportal.pdf import pdf_from_html  # noqa: E402

PACK_FORM = "/dashboards/debatpakket/?municipality=GM0394"
OVERVIEW = "/dashboards/?municipality=GM0394"


def _full_pack(client: Client) -> str:
    """The debate pack with every chart its form offers, as the page lists them now."""
    keys = re.findall(r'name="include" value="([^"]+)"', client.get(PACK_FORM).text)
    return PACK_FORM + "&" + urlencode([("include", key) for key in keys])


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _chromium_pss_kib() -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"portal-pdf-" not in (entry / "cmdline").read_bytes():
                continue
            rollup = (entry / "smaps_rollup").read_text()
        except OSError:
            continue
        total += next(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total


def _peak_rss_while(call) -> int:
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _chromium_pss_kib())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        call()
    finally:
        done.set()
        sampler.join()
    return peak


def _page_latencies(client: Client, seconds: float) -> list[float]:
    latencies, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        cache.delete(VERSION_KEY)
        latencies.append(_timed(lambda: client.get(OVERVIEW)))
    return latencies


def _under_load(client: Client, html: str, printers: int, seconds: float) -> tuple[float, int]:
    stop, printed = threading.Event(), [0]

    def print_loop() -> None:
        while not stop.is_set():
            pdf_from_html(html=html)
            printed[0] += 1

    threads = [threading.Thread(target=print_loop) for _ in range(printers)]
    for thread in threads:
        thread.start()
    latencies = _page_latencies(client, seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return statistics.median(latencies) * 1000, printed[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    options = parser.parse_args()
    from django.conf import settings

    settings.PDF_SLOTS = 4  # the measurement runs several Chromiums on purpose
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="raadslid"))
    pack = _full_pack(client)
    html = client.get(pack).text

    page = statistics.median(_timed(lambda: client.get(pack)) for _ in range(options.runs))
    cold = []
    for _ in range(options.runs):
        cache.delete(VERSION_KEY)
        cold.append(_timed(lambda: client.get(pack + "&format=pdf")))
    warm = statistics.median(
        _timed(lambda: client.get(pack + "&format=pdf")) for _ in range(options.runs)
    )
    size = len(client.get(pack + "&format=pdf").content)
    peak = _peak_rss_while(lambda: pdf_from_html(html=html))
    print(f"pack HTML (warm)        {page * 1000:8.0f} ms")
    print(f"pack PDF cold           {statistics.median(cold) * 1000:8.0f} ms  {size} bytes")
    print(f"pack PDF from the cache {warm * 1000:8.1f} ms")
    print(f"Chromium peak PSS       {peak / 1024:8.0f} MiB")
    for printers in (0, 1, 2):
        latency, printed = _under_load(client, html, printers, options.seconds)
        print(
            f"cold overview page, {printers} Chromium(s) printing: median {latency:6.0f} ms "
            f"({printed} PDFs in {options.seconds:.0f} s)"
        )


if __name__ == "__main__":
    main()
