from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests import factories as f
from tests.i18n import translated

pytestmark = pytest.mark.django_db


def test_home_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("login")


def test_home_sends_a_logged_in_user_to_the_dashboards(client, raadslid):
    client.force_login(raadslid)

    response = client.get("/")

    assert response.url == reverse("dashboards:overview")


def test_healthz_answers_200_while_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_without_the_database(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz")

    assert response.status_code == 503


def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(client, raadslid):
    client.force_login(raadslid)
    client.raise_request_exception = False
    down = OperationalError("could not connect to server: Connection refused")

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=down):
        response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert translated("Temporarily unavailable") in response.text


def test_other_errors_answer_500_with_the_portals_page_and_no_details(client, raadslid):
    f.MunicipalityFactory(code="GM0394")
    client.force_login(raadslid)
    client.raise_request_exception = False

    with mock.patch("dashboards.views.filters_from_query", side_effect=ValueError("geheim")):
        response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 500
    assert translated("Something went wrong") in response.text
    assert "geheim" not in response.text


@pytest.mark.translation
def test_login_page_is_in_dutch_by_default(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Inloggen" in response.text


def test_login_with_the_right_password_leads_to_the_dashboards(client, raadslid):
    response = client.post(
        reverse("login"), {"username": raadslid.username, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboards:overview")


def test_login_with_a_wrong_password_says_so_and_stays(client, raadslid):
    response = client.post(reverse("login"), {"username": raadslid.username, "password": "nope"})

    assert response.status_code == 200
    assert 'role="alert"' in response.text


def test_overview_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["raadslid", "griffie", "rekenkamer"])
def test_overview_is_open_to_every_role(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("dashboards:overview")).status_code == 200


@pytest.mark.translation
def test_overview_shows_the_latest_counts_in_dutch_notation(client, raadslid):
    municipality = f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    source = f.SourceFactory(title="Rekenkamer Haarlemmermeer")
    f.MigrantCountFactory(municipality=municipality, source=source, motive_id="gezin", persons=7975)
    f.MigrantCountFactory(
        municipality=municipality, source=source, motive_id="arbeid", persons=4025
    )
    f.PopulationFactory(municipality=municipality, source=source, inhabitants=105_263)
    client.force_login(raadslid)

    response = client.get(reverse("dashboards:overview"), {"municipality": "GM0394"})

    assert "12.000" in response.text
    assert "11,4" in response.text
    assert "Rekenkamer Haarlemmermeer" in response.text


def test_overview_refuses_an_unknown_municipality_with_a_message(client, raadslid):
    f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    client.force_login(raadslid)

    response = client.get(reverse("dashboards:overview"), {"municipality": "GM9999"})

    assert response.status_code == 400
    assert "GM9999" in response.text


def test_overview_of_an_empty_portal_says_that_nothing_is_loaded_yet(client, raadslid):
    client.force_login(raadslid)

    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 200
    assert (
        translated(
            "No municipalities have been loaded yet. A clerk can add them and import figures in"
            " the management section."
        )
        in response.text
    )


def test_a_browser_set_to_english_still_gets_dutch(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert response.headers["Content-Language"] == "nl"


def test_the_language_chosen_with_the_switch_is_kept(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})

    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.headers["Content-Language"] == "en"


def test_an_unknown_language_in_the_cookie_falls_back_to_dutch(client):
    client.cookies["django_language"] = "de"

    response = client.get("/login/")

    assert response.headers["Content-Language"] == "nl"


def test_each_other_language_is_a_one_click_choice_without_a_switch_button(client):
    page = client.get("/login/").text

    assert '<input name="language" type="hidden" value="en">' in page
    assert 'lang="en">English</button>' in page
    assert f">{translated('Switch')}</button>" not in page


def test_the_language_in_use_is_marked_as_current_not_offered(client):
    page = client.get("/login/").text

    assert '<span class="language__current" lang="nl" aria-current="true">Nederlands</span>' in page
    assert '<input name="language" type="hidden" value="nl">' not in page
