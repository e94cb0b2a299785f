"""The indicators table shows days as a reader writes them; the JSON keeps ISO days."""

import re

import pytest
from django.urls import reverse

from tests.content import demo_load

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:indicators") + "?municipality=GM0394"


@pytest.fixture
def demo(db):
    demo_load()


def test_the_indicators_table_shows_the_targets_day_in_dutch(client, raadslid, demo):
    client.force_login(raadslid)

    html = client.get(URL).content.decode()

    assert "1 juli 2025" in html
    assert "2025-07-01" not in html


def test_the_indicators_json_keeps_the_targets_day_as_iso(client, raadslid, demo):
    client.force_login(raadslid)

    rows = client.get(URL + "&chart=indicators&format=json").json()["rows"]

    assert "2025-07-01" in [row["target_date"] for row in rows]


def test_a_date_column_is_headed_as_its_cells_stand_not_as_a_number(client, raadslid, demo):
    client.force_login(raadslid)

    html = client.get(URL).content.decode()

    # The column of the target's day: its cells are text, so its header is not `num`.
    header = re.search(r'<th scope="col" class="([^"]*)">Datum van de norm</th>', html)
    assert header is not None
    assert header[1] == "utrecht-table__header-cell"
