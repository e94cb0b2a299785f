"""Whole dashboard pages served from the cache: still each visitor's own page."""

import re
from contextlib import suppress

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from dashboards.page_cache import cached_dashboard
from migrantportal.figure_cache import figure_cache_invalidate, figure_cache_version
from migrantportal.roles import Role
from registry.services import migrant_counts_import
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HAARLEMMERMEER = reverse("dashboards:overview") + "?municipality=GM0394"


def _page(client: Client, url: str = HAARLEMMERMEER) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_page_reads_only_the_session_from_the_database(
    client, raadslid, demo, django_assert_num_queries
):
    # Without REDIS_URL sessions live in the database; with it, not even that.
    client.force_login(raadslid)
    _page(client)

    with django_assert_num_queries(1) as queries:
        _page(client)

    assert "django_session" in queries.captured_queries[0]["sql"]


def test_a_cached_page_names_the_member_who_asks_for_it(demo):
    first, second = Client(), Client()
    first.force_login(user_with_role(Role.RAADSLID, username="eerste"))
    second.force_login(user_with_role(Role.RAADSLID, username="tweede"))
    _page(first)

    page = _page(second)

    assert "tweede" in page
    assert "eerste" not in page


def test_a_user_name_in_a_cached_page_is_escaped(demo):
    client = Client()
    client.force_login(user_with_role(Role.RAADSLID, username="a<b>"))
    _page(client)

    page = _page(client)

    assert "a&lt;b&gt;" in page
    assert "a<b>" not in page


def test_the_csrf_token_of_a_cached_page_lets_the_member_log_out(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(Role.RAADSLID))
    _page(client)
    page = _page(client)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_and_council_members_each_get_their_own_cached_menu(client, raadslid, demo):
    staff = Client()
    staff.force_login(user_with_role(Role.GRIFFIE))
    assert reverse("admin:index") in _page(staff)
    client.force_login(raadslid)

    assert reverse("admin:index") not in _page(client)


def test_the_clerk_and_the_audit_office_each_get_their_own_cached_menu(client, demo):
    clerk = Client()
    clerk.force_login(user_with_role(Role.GRIFFIE))
    assert reverse("policy:editor_home") not in _page(clerk)
    client.force_login(user_with_role(Role.REKENKAMER))

    assert reverse("policy:editor_home") in _page(client)


def test_a_user_added_to_a_role_gets_its_menu_at_once(client, demo):
    user = user_with_role(Role.GRIFFIE)
    client.force_login(user)
    assert reverse("policy:editor_home") not in _page(client)

    user.groups.add(Group.objects.get(name=Role.REKENKAMER))

    assert reverse("policy:editor_home") in _page(client)


def test_english_and_dutch_pages_are_cached_apart(client, raadslid, demo):
    client.force_login(raadslid)
    assert 'lang="nl"' in _page(client)
    client.cookies["django_language"] = "en"

    assert 'lang="en"' in _page(client)


def test_an_import_shows_at_once_on_a_cached_page(
    client, raadslid, demo, django_capture_on_commit_callbacks
):
    client.force_login(raadslid)
    assert "18.480" in _page(client)

    with django_capture_on_commit_callbacks(execute=True):  # the import commits
        migrant_counts_import(
            content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
            file_name="update.csv",
        )

    assert "18.955" in _page(client)


def test_the_menu_keeps_the_chosen_municipality(client, raadslid, demo):
    client.force_login(raadslid)

    page = _page(client, reverse("dashboards:overview") + "?municipality=GM0358")

    assert f'href="{reverse("dashboards:compare")}?municipality=GM0358"' in page


def test_a_deactivated_member_is_logged_out_on_the_next_page(client, raadslid, demo):
    client.force_login(raadslid)
    _page(client)

    raadslid.is_active = False
    raadslid.save()

    assert client.get(HAARLEMMERMEER).status_code == 302


def test_a_changed_password_ends_the_members_other_sessions(client, raadslid, demo):
    client.force_login(raadslid)
    _page(client)

    raadslid.set_password("een-heel-nieuw-wachtwoord-2026")
    raadslid.save()

    assert client.get(HAARLEMMERMEER).status_code == 302


# --- the one invalidation entry point: it acts when the write commits ---


def test_an_invalidation_inside_a_transaction_waits_for_the_commit(
    django_capture_on_commit_callbacks,
):
    before = figure_cache_version()

    with django_capture_on_commit_callbacks():
        figure_cache_invalidate()

        assert figure_cache_version() == before


def test_an_invalidation_renews_the_data_version_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = figure_cache_version()

    with django_capture_on_commit_callbacks(execute=True):
        figure_cache_invalidate()

    assert figure_cache_version() != before


def test_a_write_that_rolls_back_leaves_the_cached_page_valid(
    client, raadslid, demo, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(raadslid)
    _page(client)

    with (
        django_capture_on_commit_callbacks(execute=True),
        suppress(RuntimeError),
        transaction.atomic(),
    ):
        migrant_counts_import(
            content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
            file_name="update.csv",
        )
        raise RuntimeError("the request fails after the import")

    with django_assert_num_queries(1):  # the session only: the page is still the kept one
        assert "18.480" in _page(client)


@pytest.mark.django_db(transaction=True)
def test_an_invalidation_outside_a_transaction_renews_the_data_version_at_once():
    before = figure_cache_version()

    figure_cache_invalidate()

    assert figure_cache_version() != before


@pytest.mark.django_db(transaction=True)
def test_an_invalidation_in_a_committed_transaction_renews_only_after_the_commit():
    before = figure_cache_version()

    with transaction.atomic():
        figure_cache_invalidate()
        during = figure_cache_version()

    assert (during, figure_cache_version() != before) == (before, True)


# --- the decorator: a view whose page is kept is not called ---

FRAME_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {"frame.html": "{{ csrf_token }}|{{ user.get_username }}|{{ renders }}"},
                )
            ]
        },
    }
]


@pytest.fixture
def counted_view(settings):
    """A decorated view that counts how often it is called, with a template of its own."""
    settings.TEMPLATES = FRAME_TEMPLATES
    calls: list[str] = []

    @cached_dashboard(template="frame.html")
    def view(request, *, page_cache):
        calls.append(request.get_full_path())
        return page_cache.render({"renders": len(calls)})

    view.calls = calls
    return view


def _get(rf, view, user, path: str = "/page/?municipality=GM0394"):
    request = rf.get(path)
    request.user = user
    return view(request)


def test_a_decorated_view_serves_its_kept_page_without_being_called(rf, raadslid, counted_view):
    _get(rf, counted_view, raadslid)

    response = _get(rf, counted_view, raadslid)

    assert (response.content.decode().split("|")[2], counted_view.calls) == (
        "1",
        ["/page/?municipality=GM0394"],
    )


def test_a_decorated_view_fills_in_the_visitors_name_on_its_kept_page(rf, counted_view):
    _get(rf, counted_view, user_with_role(Role.RAADSLID, username="eerste"))

    response = _get(rf, counted_view, user_with_role(Role.RAADSLID, username="tweede"))

    assert response.content.decode().split("|")[1] == "tweede"


def test_a_decorated_view_is_called_again_once_the_data_version_is_renewed(
    rf, raadslid, counted_view, django_capture_on_commit_callbacks
):
    _get(rf, counted_view, raadslid)
    with django_capture_on_commit_callbacks(execute=True):
        figure_cache_invalidate()

    _get(rf, counted_view, raadslid)

    assert len(counted_view.calls) == 2
