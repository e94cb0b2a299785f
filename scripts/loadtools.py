"""Helpers shared by the hand-run load and fault scripts (`load_test.py`, `fault_tests.py`).

A plain HTTP client with its own cookie jar (the portal's cookies are `Secure`
with DEBUG off, so a standard cookie jar would not send them over plain HTTP on
loopback), form and CSRF handling, gunicorn start and stop, and percentiles.
The approach is that of `benchmark_dashboards.py`, which stays as it is.
"""

import html
import http.client
import os
import re
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
SECRET_KEY = "load-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def portal_env(*, database_url: str, redis_db: int, **extra: str) -> dict[str, str]:
    """The environment of a production-like portal on loopback: DEBUG off, Redis on."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        **extra,
    }


def run(*args: str, env: dict[str, str], quiet: bool = True) -> str:
    """Run a command in the project folder; its output, or CalledProcessError."""
    completed = subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if quiet else None,
        text=True,
    )
    return completed.stdout


def manage(*args: str, env: dict[str, str]) -> str:
    return run(PYTHON, "manage.py", *args, env=env)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an already sorted list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * (len(sorted_values) - 1)))]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Client:
    """One browser: its cookies, and requests to the portal on HOST:port."""

    port: int
    timeout: float = 60
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            all_headers = {
                "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
                **(headers or {}),
            }
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
            kept: dict[str, str] = {}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or cookie_value in ("", '""'):
                        self.cookies.pop(cookie_name, None)
                    else:
                        self.cookies[cookie_name] = cookie_value
                kept[name.lower()] = value
            return Response(response.status, kept, content)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str] | list[tuple[str, str]]) -> Response:
        return self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}{path}",
            },
        )

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Response:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (file_name, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": f"http://{HOST}:{self.port}{path}",
            },
        )

    def log_in(self, username: str, password: str) -> None:
        page = self.get("/login/")
        response = self.post_form(
            "/login/",
            {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": password},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {response.status}")


def csrf_token(response: Response) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.body)
    if found is None:
        raise RuntimeError(f"no CSRF token in the page (status {response.status})")
    return found.group(1).decode()


def form_inputs(page: str, action_contains: str) -> list[tuple[str, str]]:
    """Name and value of every <input> of the first form whose action contains the text."""
    for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", page, re.S):
        action = re.search(r'action="([^"]*)"', form.group(1))
        if action is None or action_contains not in action.group(1):
            continue
        fields = []
        for tag in re.finditer(r"<input\b([^>]*)>", form.group(2)):
            attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(1)))
            if "name" in attributes and attributes.get("type") not in ("submit", "button"):
                fields.append((attributes["name"], html.unescape(attributes.get("value", ""))))
        return fields
    raise RuntimeError(f"no form with action containing {action_contains!r}")


ACCESS_LOG_FORMAT = '%(m)s "%(U)s?%(q)s" %(s)s %(D)s'  # method, URL, status, microseconds


def start_gunicorn(
    *,
    env: dict[str, str],
    port: int,
    workers: int = 2,
    log_path: Path,
    access_log: Path | None = None,
) -> subprocess.Popen:
    """gunicorn with sync workers on loopback; stderr (warnings, tracebacks) to log_path.

    With access_log, one line per request in ACCESS_LOG_FORMAT: the time the
    worker spent on it, without the time it waited in the queue.
    """
    log = log_path.open("ab")
    access = (
        ["--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT]
        if access_log
        else []
    )
    return subprocess.Popen(
        [
            GUNICORN,
            "migrantportal.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            *access,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def wait_until_healthy(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port, timeout=5).get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not answer /healthz with 200")


def stop_gunicorn(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def machine_load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def verdict(failures: list[str]) -> int:
    """Print each failed check and the result; the exit status for the script."""
    for failure in failures:
        print(f"FAILED: {failure}")
    print("RESULT: " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0
