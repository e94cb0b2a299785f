"""Redis is a cache, not a single point of failure (migrantportal/redis_cache.py).

With Redis down (a closed port) or going away midway (a proxy that cuts every
connection), every page answers as it would with Redis, sessions fall back to the
database, and once Redis answers again nothing cached before the last change is served.
"""

import contextlib
import os
import select
import socket
import threading
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from migrantportal import redis_cache
from migrantportal.redis_cache import ClientReusingRedisCache
from migrantportal.roles import Role
from tests.factories import user_with_role
from tests.url_table import EXPECTED, ROLES

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
PASSWORD = "correct-horse-battery"  # the factories' password


def _redis_answers() -> bool:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    not _redis_answers() and not os.environ.get("CI"),
    reason="no Redis on 127.0.0.1:6379 (CI has one)",
)


@pytest.fixture
def closed_port() -> int:
    """A port on loopback that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CuttableProxy:
    """Forwards to the real Redis until cut; from then on it closes every connection."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.cut = threading.Event()
        self.stopped = threading.Event()
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            if self.cut.is_set():
                client.close()
                continue
            upstream = socket.create_connection((REDIS_HOST, REDIS_PORT))
            self.connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, client: socket.socket, upstream: socket.socket) -> None:
        pair = {client: upstream, upstream: client}
        try:
            while not self.stopped.is_set() and not self.cut.is_set():
                readable, _, _ = select.select(list(pair), [], [], 0.1)
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    pair[end].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def cut_now(self) -> None:
        self.cut.set()
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self.cut.clear()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)
        self.server.close()


@pytest.fixture
def proxy():
    server = CuttableProxy()
    yield server
    server.stop()


@pytest.fixture
def fast_retry(monkeypatch):
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.05)


def redis_settings(location: str):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "migrantportal.redis_cache.ClientReusingRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )


def _client(role: str, django_user_model) -> Client:
    """A client signed in through the login form, as a person would be."""
    client = Client()
    if role == "anonymous":
        return client
    if role == "superuser":
        django_user_model.objects.create_superuser("root", "r@example.org", PASSWORD)
        username = "root"
    else:
        username = user_with_role(Role(role)).username
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def _walk(client: Client, site: dict, role: str, routes: list[str]) -> dict[str, tuple]:
    column = ROLES.index(role)
    return {
        route: (
            client.get(EXPECTED[route][0].format(**site)).status_code,
            EXPECTED[route][1][column],
        )
        for route in routes
    }


# --- The backend on its own ---


def test_a_cache_on_a_closed_port_answers_every_call_as_a_miss(closed_port):
    down = ClientReusingRedisCache(f"redis://127.0.0.1:{closed_port}/0", {})

    down.set("page", "html")
    assert down.get("page", "default") == "default"
    assert down.get_many(["page"]) == {}
    assert down.add("page", "html") is False
    assert down.has_key("page") is False
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert down.delete("page") is False
    assert down.get_or_set("page", "computed") == "computed"
    with pytest.raises(ValueError, match="not found"):
        down.incr("version")
    assert down.ping() is False


def test_after_a_failure_the_cache_is_not_asked_again_until_the_retry_time(
    closed_port, monkeypatch
):
    down = ClientReusingRedisCache(f"redis://127.0.0.1:{closed_port}/0", {})
    down.get("page")
    attempts = []
    monkeypatch.setattr(down._cache, "get", lambda *args: attempts.append(args))

    down.get("page")

    assert attempts == []


@needs_redis
def test_when_redis_answers_again_after_a_lost_write_it_is_emptied_first(fast_retry):
    live = ClientReusingRedisCache(f"redis://{REDIS_HOST}:{REDIS_PORT}/11", {})
    live.set("page", "old html")
    live._outage.down_until = float("inf")
    live.set("data-version", "new")  # lost: Redis is taken to be down

    live._outage.down_until = 0
    cached = live.get("page")

    assert cached is None
    assert live._outage.lost_write is False


@needs_redis
def test_a_failed_read_alone_does_not_empty_the_cache(fast_retry):
    live = ClientReusingRedisCache(
        f"redis://{REDIS_HOST}:{REDIS_PORT}/13", {"KEY_PREFIX": uuid.uuid4().hex}
    )
    live.set("page", "html")
    live._outage.record("get", ConnectionError("gone"))
    live._outage.down_until = 0

    assert live.get("page") == "html"


# --- The whole portal ---


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_as_usual_with_redis_on_a_closed_port(
    site, django_user_model, closed_port, role
):
    with redis_settings(f"redis://127.0.0.1:{closed_port}/0"):
        client = _client(role, django_user_model)

        answers = _walk(client, site, role, list(EXPECTED))

    assert {route: got for route, (got, _) in answers.items()} == {
        route: expected for route, (_, expected) in answers.items()
    }


@needs_redis
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["raadslid", "griffie"])
def test_pages_keep_answering_when_redis_goes_away_midway(
    site, django_user_model, proxy, fast_retry, role
):
    routes = list(EXPECTED)
    half = len(routes) // 2
    with redis_settings(f"redis://127.0.0.1:{proxy.port}/12"):
        client = _client(role, django_user_model)
        before = _walk(client, site, role, routes[:half])
        proxy.cut_now()
        after = _walk(client, site, role, routes[half:])

    for answers in (before, after):
        assert {route: got for route, (got, _) in answers.items()} == {
            route: expected for route, (_, expected) in answers.items()
        }


@needs_redis
@pytest.mark.django_db
def test_a_change_made_while_redis_was_away_shows_once_it_is_back(
    site, django_user_model, proxy, fast_retry, django_capture_on_commit_callbacks
):
    from policy.models import AttentionPoint
    from policy.selectors.history import item_version
    from policy.services.editing import item_save

    point = AttentionPoint.objects.get(pk=site["point"])
    url = f"/dashboards/bevindingen/?municipality={point.report.municipality.code}"
    with redis_settings(f"redis://127.0.0.1:{proxy.port}/12"):
        client = _client("raadslid", django_user_model)
        assert point.title in client.get(url).text  # now cached
        proxy.cut_now()
        client.get(url)
        point.title = "Nieuwe titel na de storing"
        with django_capture_on_commit_callbacks(execute=True):
            item_save(
                instance=point, links={}, base_version=item_version(instance=point), user=None
            )
        proxy.restore()
        redis_cache.time.sleep(0.1)

        text = client.get(url).text

    assert "Nieuwe titel na de storing" in text
    cache.clear()


# --- Readiness ---


@pytest.mark.django_db
def test_readiness_reports_the_cache_down_and_the_database_up(client, closed_port):
    with redis_settings(f"redis://127.0.0.1:{closed_port}/0"):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}


@pytest.mark.django_db
def test_liveness_stays_200_with_the_cache_down(client, closed_port):
    with redis_settings(f"redis://127.0.0.1:{closed_port}/0"):
        response = client.get("/healthz")

    assert response.status_code == 200


@needs_redis
@pytest.mark.django_db
def test_readiness_reports_both_up(client):
    with redis_settings(f"redis://{REDIS_HOST}:{REDIS_PORT}/13"):
        response = client.get("/readyz")

    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readiness_answers_503_without_the_database(client):
    from unittest import mock

    from django.db import OperationalError

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
