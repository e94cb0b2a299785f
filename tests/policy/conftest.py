"""Fixtures of the policy tests: the follow-up's day, municipality, report and recommendation;
the editing desk's attention point and a client signed in as a role.

The follow-up test modules ask for `today` with `pytest.mark.usefixtures("today")`.
"""

import pytest
from django.utils import timezone

from tests import factories as f
from tests.policy.followup_builders import TODAY, recommendation_in


@pytest.fixture
def today(monkeypatch):
    """Every view, form and service reads this day as today."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")


@pytest.fixture
def report(municipality):
    return f.ReportFactory(
        municipality=municipality, title="Migranten in Haarlemmermeer", year=2025
    )


@pytest.fixture
def recommendation(report):
    return recommendation_in(report, number=1)


@pytest.fixture
def point(db):
    return f.AttentionPointFactory(title="Huisvesting statushouders", explanation="Eerste tekst.")


@pytest.fixture
def as_role(client, request):
    def log_in(role: str):
        client.force_login(request.getfixturevalue(role))
        return client

    return log_in
