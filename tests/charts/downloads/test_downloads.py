"""Chart downloads in the dialect of Dutch Excel."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_every_chart_downloads_in_the_dutch_excel_dialect(client, raadslid):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(raadslid)

    response = client.get("/dashboards/?municipality=GM0394&format=csv-nl")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert ";" in text.splitlines()[0]
