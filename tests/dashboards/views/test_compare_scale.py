"""The comparison's small multiples: one scale by default, each motive its own on request."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.content import demo_load

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:compare") + "?municipality=GM0394"


@pytest.fixture
def demo(db):
    demo_load()


def _small_multiples(response):
    return next(c for c in response.context["page"].charts if c.id == "motive-comparison")


def test_the_small_multiples_share_one_scale_by_default(client, raadslid, demo):
    client.force_login(raadslid)

    layout = _small_multiples(client.get(URL)).figure["layout"]

    assert layout["yaxis2"]["matches"] == "y"


def test_scale_own_gives_each_motive_its_own_scale_and_says_so(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _small_multiples(client.get(URL + "&scale=own"))

    assert "matches" not in chart.figure["layout"]["yaxis2"]
    with translation.override("nl"):
        note = gettext(
            "Each motive has its own scale here: compare the heights within one panel, "
            "not across panels."
        )
    assert note in chart.definitions


def test_the_filters_keep_the_chosen_scale_in_their_links(client, raadslid, demo):
    client.force_login(raadslid)

    filters = client.get(URL + "&scale=own").context["filters"]

    assert "scale=own" in filters.as_query()


def test_an_unknown_scale_is_refused_naming_the_parameter(client, raadslid, demo):
    client.force_login(raadslid)

    response = client.get(URL + "&scale=log")

    assert response.status_code == 400
    assert "scale" in response.content.decode()
