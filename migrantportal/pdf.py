"""Print a page the portal rendered to PDF with headless Chromium, on this server.

The page is never fetched over HTTP: the view renders it for the signed-in user as
usual (migrantportal/pdf_views.py), and its HTML is written to a fresh temporary
directory, with every `/static/...` reference rewritten to the file's path on disk
(`file://`). Chromium opens that one file with a fresh profile, no network (every
host name resolves to nothing and every request goes to a closed proxy port) and no
cookie, prints it (print media, static/css/print.css, the charts redrawn for A4 by
static/js/charts.js), and is killed if it takes longer than PDF_TIMEOUT_SECONDS.
Nothing a user types reaches Chromium's command line or a URL it opens.

At most PDF_SLOTS Chromiums run at once on one machine (lock files, so the bound
holds across the server's worker processes); a request that finds every slot taken
for PDF_SLOT_WAIT_SECONDS is told to try again (docs/operations.md).
"""

import contextlib
import fcntl
import html as html_module
import logging
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)

# Chromium on a closed network (the browser tests launch it with these too): no sandbox
# (containers), no GPU, no QUIC, no first-run, background, component-update or sync traffic.
CLOSED_NETWORK_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# For printing, headless and with no network at all.
CHROMIUM_FLAGS = (
    "--headless",
    *CLOSED_NETWORK_FLAGS,
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    # About A4 at 96 px to the inch, so the charts are first drawn near their printed size.
    "--window-size=794,1123",
)


class PdfError(Exception):
    """No PDF: `reason` says why (missing, timeout, failed, busy)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def pdf_from_html(*, html: str, page_url: str = "") -> bytes:
    """The PDF Chromium prints from this page's HTML, taking a slot while it runs.

    `page_url`, the page's own address, makes its links point at the portal (not at the
    temporary file Chromium opened), so they work for whoever reads the PDF.
    """
    chromium = settings.PDF_CHROMIUM_PATH
    if not os.access(chromium, os.X_OK):
        raise PdfError("missing", f"no Chromium at {chromium}")
    if page_url:
        html = html_with_absolute_links(html, page_url=page_url)
    with pdf_slot(), tempfile.TemporaryDirectory(prefix="portal-pdf-") as work:
        page = Path(work) / "page.html"
        page.write_text(html_with_local_static(html), encoding="utf-8")
        output = Path(work) / "page.pdf"
        _chromium_run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={Path(work) / 'profile'}",
                f"--virtual-time-budget={settings.PDF_VIRTUAL_TIME_MS}",
                f"--print-to-pdf={output}",
                page.as_uri(),
            ],
            home=work,
        )
        pdf = output.read_bytes() if output.exists() else b""
    if not pdf.startswith(b"%PDF"):
        raise PdfError("failed", "Chromium wrote no PDF")
    return pdf


def _chromium_run(command: list[str], *, home: str) -> None:
    """Run Chromium in its own process group, and kill the whole group on a timeout."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8"},
    )
    try:
        _, stderr = process.communicate(timeout=settings.PDF_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError("timeout", f"Chromium took over {settings.PDF_TIMEOUT_SECONDS} s") from None
    if process.returncode != 0:
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise PdfError("failed", f"Chromium exited {process.returncode}: {' | '.join(tail)}")


_STATIC_REFERENCE = re.compile(r'(?P<attribute>\b(?:src|href))="(?P<url>[^"]*)"')


def html_with_local_static(html: str) -> str:
    """The HTML with each reference to a static file made a `file://` path to that file.

    Only references under STATIC_URL that name an existing static file change;
    anything else is left as it is (and Chromium, without a network, cannot fetch it).
    """
    prefix = settings.STATIC_URL  # with the script prefix, as the page links it

    def local(match: re.Match) -> str:
        url = match["url"].split("?", 1)[0].split("#", 1)[0]
        if not url.startswith(prefix):
            return match[0]
        path = static_file_path(unquote(url[len(prefix) :]))
        if path is None:
            logger.warning("PDF: no static file for %s", url)
            return match[0]
        return f'{match["attribute"]}="{path.as_uri()}"'

    return _STATIC_REFERENCE.sub(local, html)


_LINK = re.compile(r'(?P<start><a\b[^>]*?\bhref=")(?P<url>[^"]*)"')


def html_with_absolute_links(html: str, *, page_url: str) -> str:
    """The HTML with each link (`<a href>`) made absolute against `page_url`.

    A link within the page (`#…`) stays as it is: Chromium makes it a jump inside the PDF.
    Only `<a>` changes; what Chromium would fetch (styles, scripts) is left to
    html_with_local_static().
    """

    def absolute(match: re.Match) -> str:
        url = match["url"]
        if not url or url.startswith("#"):
            return match[0]
        joined = urljoin(page_url, html_module.unescape(url))
        return f'{match["start"]}{html_module.escape(joined, quote=True)}"'

    return _LINK.sub(absolute, html)


def static_file_path(name: str) -> Path | None:
    """The file on disk a static name (hashed after collectstatic, or not) stands for."""
    try:
        collected = Path(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    if collected.is_file():
        return collected
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found and Path(found).is_file() else None


@contextlib.contextmanager
def pdf_slot() -> Iterator[None]:
    """One of PDF_SLOTS places to run Chromium on this machine, or PdfError("busy").

    Each slot is an exclusive lock on a file in PDF_SLOT_DIR: shared by every worker
    process, and given back by the kernel if a process dies holding it.
    """
    directory = Path(settings.PDF_SLOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.PDF_SLOT_WAIT_SECONDS
    while True:
        for number in range(settings.PDF_SLOTS):
            handle = open(directory / f"slot-{number}.lock", "a+b")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise PdfError("busy", f"all {settings.PDF_SLOTS} PDF slots taken")
        time.sleep(0.1)
