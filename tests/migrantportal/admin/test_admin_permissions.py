"""Each role reaches exactly what docs/architecture.md allows in the admin.

The expected table is written out here, not derived from the roles migration,
so that a change to the roles has to be made (and reviewed) in both places.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from dashboards.models import Profile
from migrantportal.roles import Role
from policy import models as pm
from registry import models as rm
from tests.builders import one_of_each
from tests.factories import user_with_role

ALL = "LACD"  # list, add, change, delete
VIEW = "L"
NONE = ""

EXPECTED = {
    # model: (griffie, rekenkamer, superuser)
    rm.Municipality: (ALL, VIEW, ALL),
    rm.MunicipalityTheme: (ALL, VIEW, ALL),
    rm.Source: (ALL, VIEW, ALL),
    rm.Motive: (VIEW, VIEW, ALL),
    rm.ImportBatch: (VIEW, NONE, "LD"),
    rm.Population: (ALL, VIEW, ALL),
    rm.MigrantCount: (ALL, VIEW, ALL),
    rm.MigrantShare: (ALL, VIEW, ALL),
    rm.MigrantBreakdown: (ALL, VIEW, ALL),
    rm.Estimate: (ALL, VIEW, ALL),
    pm.MigrantGroup: (VIEW, ALL, ALL),
    pm.PolicyTheme: (VIEW, ALL, ALL),
    pm.Report: (VIEW, ALL, ALL),
    pm.PolicyCell: (VIEW, ALL, ALL),
    pm.AttentionPoint: (VIEW, ALL, ALL),
    pm.Conclusion: (VIEW, ALL, ALL),
    pm.Recommendation: (VIEW, ALL, ALL),
    pm.RecommendationStatusChange: (VIEW, ALL, ALL),
    pm.Indicator: (VIEW, ALL, ALL),
    pm.ProgrammeLine: (VIEW, ALL, ALL),
    pm.ContextNote: (VIEW, ALL, ALL),
    pm.PrioritisationRound: (ALL, VIEW, ALL),
    pm.Ballot: (VIEW, NONE, "LD"),
    Profile: (ALL, NONE, ALL),
}
STAFF_ROLES = {"griffie": 0, "rekenkamer": 1, "superuser": 2}
CASES = [
    pytest.param(model, role, EXPECTED[model][column], id=f"{role}-{model._meta.model_name}")
    for model in EXPECTED
    for role, column in STAFF_ROLES.items()
]


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _log_in(client, role: str, django_user_model):
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-1!")
    else:
        user = user_with_role(Role(role))
    client.force_login(user)


def _allowed(client, model, instance) -> str:
    allowed = ""
    if client.get(_admin_url(model, "changelist")).status_code == 200:
        allowed += "L"
    if client.get(_admin_url(model, "add")).status_code == 200:
        allowed += "A"
    change_page = client.get(_admin_url(model, "change", instance.pk))
    if change_page.status_code == 200 and change_page.context["has_change_permission"]:
        allowed += "C"
    if client.get(_admin_url(model, "delete", instance.pk)).status_code == 200:
        allowed += "D"
    return allowed


def test_every_registered_model_has_an_expected_row():
    registered = {
        model
        for model in admin.site._registry
        if model._meta.app_label in {"registry", "policy", "dashboards"}
    }
    assert registered == set(EXPECTED)


def test_ballot_entries_have_no_admin_so_votes_stay_secret():
    assert pm.BallotEntry not in admin.site._registry


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "role", "expected"), CASES)
def test_staff_role_reaches_exactly_the_allowed_admin_pages(
    client, django_user_model, model, role, expected
):
    instance = one_of_each()[model]
    _log_in(client, role, django_user_model)

    assert _allowed(client, model, instance) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m._meta.model_name)
def test_council_member_is_sent_to_the_login_page_for_every_admin_page(client, raadslid, model):
    instance = one_of_each()[model]
    client.force_login(raadslid)

    for url in (
        _admin_url(model, "changelist"),
        _admin_url(model, "add"),
        _admin_url(model, "change", instance.pk),
        _admin_url(model, "delete", instance.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
@pytest.mark.translation
def test_the_admin_names_the_portals_sections_in_dutch(client, superuser):
    client.force_login(superuser)

    page = client.get(reverse("admin:index")).text

    assert "Registercijfers" in page
    assert "Beleid en bevindingen" in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m._meta.model_name)
def test_admin_changelist_stays_within_a_fixed_query_budget(
    client, superuser, django_assert_max_num_queries, model
):
    one_of_each()
    client.force_login(superuser)
    url = _admin_url(model, "changelist")
    client.get(url)  # warm caches such as content types

    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200
