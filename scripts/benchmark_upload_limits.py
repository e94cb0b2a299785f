#!/usr/bin/env python3
"""Uploads within and beyond the limit under gunicorn (docs/benchmarks.md). Run by hand.

Issue 13's goal: any file within the upload limit is previewed or refused in under 10 s
with the worker's resident memory under 400 MB, and a too-large upload is refused in
under 1 s. This script makes a SQLite database in a temporary folder under /tmp (the
demo and the synthetic national file), serves it with gunicorn (one sync worker, DEBUG
off, no Redis) on 127.0.0.1 only, signs in as the demo clerk and uploads each file of
its corpus once to the admin's import page: the largest files of every kind the portal
accepts or refuses, each just under the 50 MB limit, and a 200 MB upload. It measures
each request's time and the worker's resident memory (VmRSS in /proc/<pid>/status,
sampled every 10 ms; its peak over the run, VmHWM, at the end). Every request has a
timeout; the script stops gunicorn and removes the folder at the end.

    .venv/bin/python scripts/benchmark_upload_limits.py [--only NAME]
"""

import argparse
import io
import os
import random
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtools import (
    HOST,
    PYTHON,
    Client,
    csrf_token,
    machine_load,
    manage,
    portal_env,
    run,
    start_gunicorn,
    stop_gunicorn,
    verdict,
    wait_until_healthy,
)

MB = 1024 * 1024
JUST_UNDER = 49 * MB
IMPORT = "/admin/registry/migrantcount/import/"
TIME_LIMIT, RSS_LIMIT_MB, TOO_LARGE_LIMIT = 10.0, 400, 1.0


def _national_changed(national: bytes) -> bytes:
    """The national file with every count one higher: a preview of 22,770 changes."""
    lines = national.decode().splitlines()
    changed = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        cells[5] = str(int(cells[5].replace(".", "")) + 1)
        changed.append(";".join(cells))
    return ("\n".join(changed) + "\n").encode()


def _max_rows_template() -> bytes:
    """50,000 rows, the most a file may have, every one a new figure (previewed)."""
    lines = ["Gemeentecode,Jaar,Migratiemotief,Aantal"]
    motives = ["asiel", "arbeid", "gezin", "studie", "oekraine", "onbekend"]
    for index in range(50_000):
        code = 8001 + index % 345
        year = 1990 + (index // 345) % 50
        motive = motives[index // (345 * 50)]
        lines.append(f"GM{code:04d},{year},{motive},{index % 9000}")
    return ("\n".join(lines) + "\n").encode()


def _filler_rows() -> bytes:
    row = b'"GM8001    ";"2023JJ00";"Asielmigratie";"      2525";"    162105"\r\n'
    header = b'"Regio\'s";"Perioden";"Migratiemotief";"Migranten (aantal)";"Bevolking (aantal)"\r\n'
    return header + row * ((JUST_UNDER - len(header)) // len(row))


def _long_lines() -> bytes:
    line = b"GM8001;2023;asiel;" + b"9" * 90_000 + b"\n"
    return b"Gemeentecode;Jaar;Migratiemotief;Aantal\n" + line * (JUST_UNDER // len(line))


def _odata_records() -> bytes:
    record = (
        '{"ID": 0, "RegioS": "GM8001    ", "Perioden": "2023JJ00", '
        '"Migratiemotief": "A009233", "Immigratie_1": 120}'
    )
    count = JUST_UNDER // (len(record) + 2)
    return ('{"value": [' + ", ".join([record] * count) + "]}").encode()


def _xlsx(rows: int, *, strings_mb: int = 0) -> bytes:
    """A sheet of inline strings and numbers, written as Excel does, within the limits."""
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Gemeentecode</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Jaar</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>Migratiemotief</t></is></c>'
        b'<c r="D1" t="inlineStr"><is><t>Aantal</t></is></c></row>'
    )
    body = io.BytesIO()
    body.write(head + header)
    motives = ["asiel", "arbeid", "gezin", "studie", "oekraine", "onbekend"]
    for index in range(rows):
        number = index + 2
        code, year = 8001 + index % 345, 1990 + (index // 345) % 50
        body.write(
            f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>GM{code:04d}</t></is>'
            f'</c><c r="B{number}"><v>{year}</v></c><c r="C{number}" t="inlineStr"><is><t>'
            f"{motives[index // (345 * 50)]}</t></is></c>"
            f'<c r="D{number}"><v>{index % 9000}</v></c></row>'.encode()
        )
    body.write(b"</sheetData></worksheet>")
    strings = b"<sst>" + b"<si><t>a</t></si>" * (strings_mb * MB // 17) + b"</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", body.getvalue())
        if strings_mb:
            archive.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


def corpus(folder: Path) -> dict[str, bytes]:
    national = (folder / "national.csv").read_bytes()
    generator = random.Random(13)
    return {
        "national file, 22,770 changed counts (CSV)": _national_changed(national),
        "50,000 new counts, the row limit (CSV)": _max_rows_template(),
        "49 MB of StatLine rows (CSV, beyond the row limit)": _filler_rows(),
        "49 MB of 90,000-character lines (CSV)": _long_lines(),
        "49 MB in one row of separators (CSV)": b";" * JUST_UNDER,
        "49 MB of random bytes": generator.randbytes(JUST_UNDER),
        "49 MB of CBS open-data records (JSON)": _odata_records(),
        "49 MB of nested lists (JSON)": b'{"value": ' + b"[" * (JUST_UNDER - 11) + b"}",
        "50,000 new counts, the row limit (XLSX)": _xlsx(50_000),
        "XLSX with 5 MB of shared strings": _xlsx(10, strings_mb=4),
    }


class Sampler(threading.Thread):
    """The worker's VmRSS every 10 ms while a request runs; the highest, in MB."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _status(self.pid, "VmRSS"))
            time.sleep(0.01)


def _status(pid: int, key: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", text, re.M).group(1)) // 1024


def _worker(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def fresh_worker(master: int, client: Client) -> int:
    """Stop the worker; gunicorn starts a new one, which the next request warms up."""
    old = _worker(master)
    os.kill(old, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            worker = _worker(master)
        except (IndexError, FileNotFoundError):
            worker = old
        if worker != old:
            wait_until_healthy(client.port)
            client.get(IMPORT)
            return worker
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no new worker")


def upload(client: Client, name: str, content: bytes) -> tuple[int, str]:
    token = csrf_token(client.get(IMPORT))
    response = client.post_multipart(
        IMPORT,
        {"csrfmiddlewaretoken": token, "format": "0", "resource": "0", "measure": "stock"},
        {"import_file": (name, content)},
    )
    text = response.text
    if 'name="import_file_name"' in text:
        return response.status, "previewed"
    refused = re.search(r"<li>([^<]{0,110})", text.split("import-problems", 1)[-1])
    return response.status, "refused: " + (refused.group(1) if refused else text[:80])


def too_large(port: int, cookies: dict, size: int) -> tuple[float, str]:
    """Send the headers of a `size`-byte upload and its body until the server answers or
    closes the connection; the seconds that took and what came back."""
    boundary = "benchmarkboundary"
    head = (
        f"POST {IMPORT} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {size}\r\nReferer: http://{HOST}:{port}{IMPORT}\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    token = cookies.get("csrftoken", "")
    prefix = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="import_file"; '
        f'filename="groot.csv"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(head + prefix)
        chunk, sent, answer = b"x" * (1 * MB), 0, b""
        sock.setblocking(False)
        while sent < size and time.perf_counter() - started < 10:
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            except ConnectionResetError:
                return time.perf_counter() - started, "connection reset"
            try:
                sent += sock.send(chunk)
            except BlockingIOError:
                time.sleep(0.001)
            except (BrokenPipeError, ConnectionResetError):
                return time.perf_counter() - started, f"connection closed after {sent // MB} MB"
    elapsed = time.perf_counter() - started
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    return elapsed, f"{status} after {sent // MB} MB sent"


def prepare(folder: Path) -> dict:
    env = portal_env(
        database_url=f"sqlite:///{folder}/portal.sqlite3",
        redis_db=0,
        REDIS_URL="",
        ALLOW_INSECURE_LOCAL="true",
        ALLOWED_HOSTS=HOST,
    )
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)
    national = folder / "national.csv"
    run(PYTHON, "scripts/generate_national_file.py", str(national), env=env)
    manage("import_counts", str(national), "--add-municipalities", env=env)
    manage("collectstatic", "--noinput", env=env)
    return env


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run only the files whose name contains this")
    args = parser.parse_args(argv)
    failures: list[str] = []
    print(machine_load())
    with tempfile.TemporaryDirectory(prefix="upload-bench-", dir="/tmp") as name:
        folder = Path(name)
        env = prepare(folder)
        files = corpus(folder)
        port = 8790
        server = start_gunicorn(env=env, port=port, workers=1, log_path=folder / "gunicorn.log")
        try:
            wait_until_healthy(port)
            client = Client(port, timeout=60)
            client.log_in("griffie", "raadsdebat-2026")
            print("| file | size | answer | time | worker RSS before → peak |")
            print("| --- | --- | --- | --- | --- |")
            for label, content in files.items():
                if args.only and args.only not in label:
                    continue
                worker = fresh_worker(server.pid, client)
                before = _status(worker, "VmRSS")
                sampler = Sampler(worker)
                sampler.start()
                started = time.perf_counter()
                status, outcome = upload(client, "bestand.csv", content)
                elapsed = time.perf_counter() - started
                sampler.running = False
                sampler.join()
                print(
                    f"| {label} | {len(content) / MB:.1f} MB | {status} {outcome} | "
                    f"{elapsed:.2f} s | {before} → {sampler.peak} MB |"
                )
                if status != 200 or elapsed > TIME_LIMIT or sampler.peak > RSS_LIMIT_MB:
                    failures.append(f"{label}: {status}, {elapsed:.2f} s, {sampler.peak} MB")
            worker = fresh_worker(server.pid, client)
            elapsed, outcome = too_large(port, client.cookies, 200 * MB)
            print(
                f"| 200 MB upload | 200 MB | {outcome} | {elapsed:.2f} s | "
                f"{_status(worker, 'VmRSS')} MB after |"
            )
            if elapsed > TOO_LARGE_LIMIT:
                failures.append(f"200 MB upload took {elapsed:.2f} s")
            peak = _status(worker, "VmHWM")
            print(f"the last (fresh) worker's peak resident size, VmHWM: {peak} MB")
            errors = (folder / "gunicorn.log").read_text()
            if "Traceback" in errors:
                failures.append("a traceback in gunicorn's log")
                print(errors[-3000:])
        finally:
            stop_gunicorn(server)
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
