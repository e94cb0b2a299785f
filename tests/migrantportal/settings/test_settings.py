"""The settings module behaves as docs/configuration.md says, in a fresh process."""

import os
import subprocess
import sys

import pytest

from tests.paths import PROJECT

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-test-key-that-is-long-and-random-enough-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "portal.example.nl",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the variables under test: nothing a test runner or a fixture may have set.
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION and not key.startswith("DJANGO_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage("check", env={**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_debug_must_be_a_clear_true_or_false(value):
    result = _manage("check", env={**PRODUCTION, "DEBUG": value})

    assert "DEBUG must be true or false" in result.stderr


LOCAL_HTTP = {**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1,localhost", "ALLOW_INSECURE_LOCAL": "true"}


def test_production_settings_serve_plain_http_on_loopback_when_asked():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        env=LOCAL_HTTP,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["False", "False", "False"]


def test_check_deploy_flags_plain_http_on_loopback():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=LOCAL_HTTP)

    assert result.returncode != 0
    assert "migrantportal.W001" in result.stderr


def test_plain_http_is_refused_for_a_host_other_than_loopback():
    result = _manage("check", env={**PRODUCTION, "ALLOW_INSECURE_LOCAL": "true"})

    assert result.returncode != 0
    assert "for loopback only" in result.stderr


def test_the_suite_runs_with_development_defaults_when_the_shell_exported_debug_false():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_")) and key != "DATABASE_URL"
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "tests/migrantportal/views/test_site.py::test_overview_shows_the_latest_counts_in_dutch_notation",
        ],
        cwd=PROJECT,
        env={**env, "DEBUG": "false", "SECURE_SSL_REDIRECT": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout[-2000:]
