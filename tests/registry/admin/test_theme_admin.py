"""The clerk keeps the themes in the admin; the admin refuses colours under the WCAG 2.1 AA
contrast with the model's own rule."""

import pytest

from registry import models as rm
from tests import factories as f
from tests.builders import theme_fields

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/registry/municipalitytheme/add/"


def _form(municipality, **colours) -> dict:
    return {"municipality": municipality.pk} | theme_fields(**colours)


def test_a_clerk_adds_a_theme_with_enough_contrast(client, griffie):
    municipality = f.MunicipalityFactory(code="GM9001")
    client.force_login(griffie)

    response = client.post(ADD_URL, _form(municipality))

    assert response.status_code == 302
    assert rm.MunicipalityTheme.objects.get(municipality=municipality).primary_colour == "#005a50"


def test_the_admin_refuses_white_text_on_a_yellow_header_and_says_why(client, griffie):
    municipality = f.MunicipalityFactory(code="GM9001")
    client.force_login(griffie)

    response = client.post(ADD_URL, _form(municipality, primary_colour="#ffcc00"))

    assert response.status_code == 200
    assert "primary_text_colour" in response.context["adminform"].form.errors
    assert "WCAG 2.1 AA" in response.text
    assert not rm.MunicipalityTheme.objects.exists()


def test_the_admin_refuses_a_pale_link_colour(client, griffie):
    municipality = f.MunicipalityFactory(code="GM9001")
    client.force_login(griffie)

    response = client.post(ADD_URL, _form(municipality, link_colour="#66b2ff"))

    assert "link_colour" in response.context["adminform"].form.errors
    assert not rm.MunicipalityTheme.objects.exists()
