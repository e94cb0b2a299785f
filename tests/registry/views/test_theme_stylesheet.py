"""The theme's stylesheet: a municipality's colours as CSS custom properties, linked from
every page, kept by browsers for as long as the fingerprint in its address holds."""

import pytest

from registry import models as rm
from registry.models.themes import DEFAULT_THEME
from tests import factories as f
from tests.builders import theme_fields

pytestmark = pytest.mark.django_db


def _theme(code: str = "GM9001") -> rm.MunicipalityTheme:
    return rm.MunicipalityTheme.objects.create(
        municipality=f.MunicipalityFactory(code=code),
        **theme_fields(primary_colour="#7a1f3d", link_colour="#8a2246"),
    )


def test_a_municipalitys_stylesheet_holds_its_colours_as_custom_properties(client):
    _theme()

    response = client.get("/thema/GM9001.css")

    assert response["Content-Type"].startswith("text/css")
    assert "--portal-theme-primary: #7a1f3d;" in response.text
    assert "--portal-theme-link: #8a2246;" in response.text


def test_the_neutral_stylesheet_holds_the_default_colours(client):
    response = client.get(f"/thema/{DEFAULT_THEME.code}.css")

    assert f"--portal-theme-primary: {DEFAULT_THEME.primary_colour};" in response.text


def test_a_municipality_without_a_theme_has_no_stylesheet(client):
    f.MunicipalityFactory(code="GM9002")

    assert client.get("/thema/GM9002.css").status_code == 404


def test_the_stylesheet_at_its_current_fingerprint_is_kept_for_a_year(client):
    theme = _theme()

    response = client.get("/thema/GM9001.css", {"v": theme.tokens().fingerprint()})

    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_signed_in_member_may_keep_the_stylesheet_too(client, raadslid):
    theme = _theme()
    client.force_login(raadslid)

    response = client.get("/thema/GM9001.css", {"v": theme.tokens().fingerprint()})

    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_signed_in_members_pages_are_still_never_stored(client, raadslid):
    client.force_login(raadslid)

    response = client.get("/toegankelijkheid/")

    assert "no-store" in response["Cache-Control"]


def test_the_stylesheet_at_an_old_fingerprint_is_asked_again(client):
    _theme()

    response = client.get("/thema/GM9001.css", {"v": "old"})

    assert response["Cache-Control"] == "no-cache"


def test_a_dashboard_links_the_theme_of_its_municipality_and_shows_its_name(client, raadslid):
    theme = _theme(code="GM9003")
    client.force_login(raadslid)

    page = client.get("/dashboards/", {"municipality": theme.municipality.code}).text

    assert f'href="/thema/GM9003.css?v={theme.tokens().fingerprint()}"' in page
    assert "Gemeente Testgemeente" in page


def test_a_page_without_a_municipality_links_the_neutral_theme(client):
    page = client.get("/login/").text

    assert f'href="/thema/{DEFAULT_THEME.code}.css?v={DEFAULT_THEME.fingerprint()}"' in page


def test_a_theme_saved_in_the_admin_is_linked_under_a_new_address_at_once(
    client, griffie, django_capture_on_commit_callbacks
):
    theme = _theme()
    before = theme.tokens().fingerprint()
    client.force_login(griffie)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/registry/municipalitytheme/{theme.pk}/change/",
            {"municipality": theme.municipality.pk} | theme_fields(primary_colour="#154273"),
        )

    theme.refresh_from_db()
    page = client.get("/dashboards/", {"municipality": "GM9001"}).text
    assert f"/thema/GM9001.css?v={theme.tokens().fingerprint()}" in page
    assert theme.tokens().fingerprint() != before
    assert "--portal-theme-primary: #154273;" in client.get("/thema/GM9001.css").text
