import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models.signals import post_save
from django.test import override_settings
from django.utils import translation

from dashboards.models import Profile
from migrantportal.roles import Role
from registry.models import Municipality
from tests.factories import EVERYWHERE_PROFILES, user_with_role
from tests.url_table import site_objects


def _staff_work_for_new_municipality(sender, instance, created, **kwargs) -> None:
    if created and EVERYWHERE_PROFILES:
        for profile in Profile.objects.filter(pk__in=EVERYWHERE_PROFILES):
            profile.works_for.add(instance)


@pytest.fixture(autouse=True)
def staff_work_everywhere():
    """Staff made by user_with_role work for every municipality, also those made later
    in the test (see tests/factories.py)."""
    post_save.connect(
        _staff_work_for_new_municipality, sender=Municipality, dispatch_uid="staff-everywhere"
    )
    yield
    post_save.disconnect(sender=Municipality, dispatch_uid="staff-everywhere")
    EVERYWHERE_PROFILES.clear()


@pytest.fixture
def raadslid(db):
    return user_with_role(Role.RAADSLID)


@pytest.fixture
def griffie(db):
    return user_with_role(Role.GRIFFIE)


@pytest.fixture
def rekenkamer(db):
    return user_with_role(Role.REKENKAMER)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-123!")


@pytest.fixture
def demo(db):
    """The demo content of `load_demo`: Haarlemmermeer and its neighbours, with users."""
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def site(demo) -> dict[str, int]:
    """The demo content, and the objects the URL table's paths name."""
    return site_objects()


@pytest.fixture
def english():
    """Messages in English, for tests that check the logic rather than the Dutch wording."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True, scope="session")
def static_files_from_the_source(tmp_path_factory):
    """Static files come from static/ and the apps, never from a stale `collectstatic`.

    WhiteNoise serves STATIC_ROOT first; the benchmark scripts collect into the
    project's staticfiles/, which would otherwise hand tests yesterday's scripts.
    """
    from django.conf import settings

    settings.STATIC_ROOT = str(tmp_path_factory.mktemp("static_root"))


@pytest.fixture(autouse=True, scope="session")
def pdf_slots_of_the_tests_own(tmp_path_factory):
    """PDF slots in a folder of this test run's own: the slots are lock files shared by
    every process on the machine, so a portal running beside the tests (or another test
    worker) would otherwise take the one slot and a PDF test would get "busy"."""
    from django.conf import settings

    settings.PDF_SLOT_DIR = str(tmp_path_factory.mktemp("pdf_slots"))


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """MD5 instead of PBKDF2, as Django's testing docs advise: each hash took 0.65 s here,
    and nearly every test makes a user (the demo makes four)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached figures, as a fresh deployment would."""
    cache.clear()


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("postgres_only")
    if marker:
        from django.db import connection

        if connection.vendor != "postgresql":
            why = marker.kwargs.get("reason", "PostgreSQL features")
            pytest.skip(f"needs PostgreSQL ({why}); CI runs it with DATABASE_URL set")
