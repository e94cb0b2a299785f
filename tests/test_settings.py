"""The settings module behaves as docs/configuration.md says, in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
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
