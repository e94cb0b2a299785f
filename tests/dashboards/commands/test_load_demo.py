"""The demo content of load_demo: faithful to the seed documents and safe to load twice."""

import datetime
import io
import itertools
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse

from dashboards.management.commands.load_demo import DEMO_DIR
from dashboards.services import DEMO_PASSWORD, demo_users_ensure
from migrantportal.upsert import UnknownReference
from policy import models as pm
from policy.constants import Addressee, PublicationState
from policy.demo import policy_demo_load
from registry import models as rm
from registry.constants import Measure, ShareBasis
from registry.demo import registry_demo_load

HAARLEMMERMEER = "GM0394"
ZOETERMEER = "GM0637"
PUBLISHED_SHARES_OF_MIGRANTS = {
    "gezin": 43,
    "arbeid": 22,
    "asiel": 14,
    "studie": 5,
    "oekraine": 6,
    "onbekend": 10,
}


def demo_data(name: str) -> dict:
    return json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))


def content_snapshot() -> str:
    models = [
        *apps.get_app_config("registry").get_models(),
        *apps.get_app_config("policy").get_models(),
    ]
    rows = itertools.chain.from_iterable(model._default_manager.order_by("pk") for model in models)
    return serializers.serialize("json", rows)


def percent(part: int, whole: int, places: str = "1") -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def haarlemmermeer_counts_2023() -> dict[str, int]:
    rows = rm.MigrantCount.objects.filter(
        municipality__code=HAARLEMMERMEER, year=2023, measure=Measure.STOCK
    )
    return {row.motive_id: row.persons for row in rows}


@pytest.mark.django_db
def test_loading_the_demo_twice_leaves_all_registry_and_policy_rows_as_they_were(demo):
    before = content_snapshot()

    call_command("load_demo", stdout=io.StringIO())

    assert content_snapshot() == before


@pytest.mark.django_db
def test_a_second_load_reports_nothing_created_or_updated(demo):
    counts = registry_demo_load(data=demo_data("registry"))
    counts.update(policy_demo_load(data=demo_data("policy")))
    counts.update(demo_users_ensure(password=DEMO_PASSWORD))

    outcomes = {outcome for (_model, outcome), n in counts.items() if n}
    assert outcomes == {"unchanged"}


@pytest.mark.django_db
def test_a_second_load_puts_back_a_changed_figure_and_reports_it_as_updated(demo):
    rm.MigrantCount.objects.filter(municipality__code=HAARLEMMERMEER, motive="gezin").update(
        persons=1
    )

    counts = registry_demo_load(data=demo_data("registry"))

    assert counts[("registry.MigrantCount", "updated")] == 1
    assert haarlemmermeer_counts_2023()["gezin"] == 7975


@pytest.mark.django_db
def test_haarlemmermeer_counts_reproduce_the_published_shares_of_migrants(demo):
    counts = haarlemmermeer_counts_2023()
    total = sum(counts.values())

    computed = {motive: int(percent(n, total, "1")) for motive, n in counts.items()}

    assert total == 18480
    assert computed == PUBLISHED_SHARES_OF_MIGRANTS


@pytest.mark.django_db
def test_stored_shares_of_migrants_are_the_published_ones(demo):
    shares = rm.MigrantShare.objects.filter(
        municipality__code=HAARLEMMERMEER, year=2023, basis=ShareBasis.MIGRANTS
    )

    assert {share.motive_id: share.share_pct for share in shares} == PUBLISHED_SHARES_OF_MIGRANTS


@pytest.mark.django_db
def test_haarlemmermeer_counts_and_population_reproduce_the_published_share_of_the_population(
    demo,
):
    population = rm.Population.objects.get(municipality__code=HAARLEMMERMEER, year=2023)
    stored_share = rm.MigrantShare.objects.get(
        municipality__code=HAARLEMMERMEER,
        year=2023,
        motive=None,
        basis=ShareBasis.POPULATION,
    )

    computed = percent(sum(haarlemmermeer_counts_2023().values()), population.inhabitants, "0.1")

    assert computed == Decimal("11.4")
    assert stored_share.share_pct == computed


@pytest.mark.django_db
def test_haarlemmermeer_report_has_14_attention_points_8_conclusions_and_3_recommendations(demo):
    report = pm.Report.objects.get(slug="haarlemmermeer-migranten-2025")

    assert list(report.attention_points.values_list("number", flat=True)) == list(range(1, 15))
    assert list(report.conclusions.values_list("number", flat=True)) == list(range(1, 9))
    assert list(report.recommendations.values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.django_db
def test_haarlemmermeer_recommends_once_to_the_council_and_twice_to_the_college(demo):
    report = pm.Report.objects.get(slug="haarlemmermeer-migranten-2025")

    addressees = dict(report.recommendations.values_list("number", "addressee"))

    assert addressees == {1: Addressee.COUNCIL, 2: Addressee.COLLEGE, 3: Addressee.COLLEGE}


@pytest.mark.django_db
def test_the_council_recommendation_concerns_all_14_attention_points(demo):
    recommendation = pm.Recommendation.objects.get(
        report__slug="haarlemmermeer-migranten-2025", number=1
    )

    assert recommendation.attention_points.count() == 14


@pytest.mark.django_db
def test_zoetermeer_report_has_4_conclusions_and_5_recommendations(demo):
    report = pm.Report.objects.get(municipality__code=ZOETERMEER, kind="bestuurlijke_nota")

    assert report.conclusions.count() == 4
    assert dict(report.recommendations.values_list("number", "addressee")) == {
        1: Addressee.COUNCIL_AND_COLLEGE,
        2: Addressee.COUNCIL_AND_COLLEGE,
        3: Addressee.COLLEGE,
        4: Addressee.COLLEGE,
        5: Addressee.COLLEGE,
    }


@pytest.mark.django_db
def test_zoetermeer_recommendations_carry_the_council_route_of_the_proposal(demo):
    recommendations = pm.Recommendation.objects.filter(report__municipality__code=ZOETERMEER)

    routes = {
        (r.beeldvorming_planned, r.oordeelsvorming_planned_on, r.besluitvorming_planned_on)
        for r in recommendations
    }

    assert routes == {("n.v.t.", datetime.date(2025, 9, 29), datetime.date(2025, 10, 13))}
    assert all("debatstuk" in r.route_note for r in recommendations)


@pytest.mark.django_db
def test_the_demo_records_no_council_decision_the_documents_do_not_give(demo):
    assert not pm.RecommendationStatusChange.objects.exists()


@pytest.mark.django_db
def test_haarlemmermeer_policy_matrix_has_one_cell_per_group_and_matrix_theme(demo):
    cells = pm.PolicyCell.objects.filter(municipality__code=HAARLEMMERMEER)

    keys = set(cells.values_list("group__slug", "theme__slug"))
    expected = set(
        itertools.product(
            pm.MigrantGroup.objects.values_list("slug", flat=True),
            pm.PolicyTheme.objects.filter(in_matrix=True).values_list("slug", flat=True),
        )
    )

    assert cells.count() == 42
    assert keys == expected


@pytest.mark.django_db
def test_every_register_figure_names_its_source_document_and_section(demo):
    for model in (
        rm.Population,
        rm.MigrantCount,
        rm.MigrantShare,
        rm.MigrantBreakdown,
        rm.Estimate,
    ):
        for row in model.objects.select_related("source"):
            assert row.source.document, row
            assert row.source_detail, row


@pytest.mark.django_db
def test_every_policy_item_names_its_source_document_and_section(demo):
    for model in (
        pm.PolicyCell,
        pm.AttentionPoint,
        pm.Conclusion,
        pm.Recommendation,
        pm.Indicator,
        pm.ProgrammeLine,
        pm.ContextNote,
    ):
        for row in model.objects.select_related("report"):
            assert row.report.source_document, row
            assert row.source_section, row
    assert all(pm.Report.objects.values_list("source_document", flat=True))


@pytest.mark.django_db
def test_everything_loaded_is_published(demo):
    for model in apps.get_app_config("policy").get_models():
        if issubclass(model, pm.Publishable):
            assert not model.objects.exclude(state=PublicationState.PUBLISHED).exists(), model


@pytest.mark.django_db
def test_figures_computed_from_the_documents_are_marked_derived_and_explained(demo):
    counts = rm.MigrantCount.objects.filter(municipality__code=HAARLEMMERMEER, year=2023)
    kinds = {row.motive_id: (row.provenance, row.provenance_basis) for row in counts}
    population = rm.Population.objects.get(municipality__code=HAARLEMMERMEER, year=2023)

    assert kinds["oekraine"] == ("afgeleid", "6 % van 18.480")
    assert kinds["onbekend"][0] == "berekend"
    assert {kinds[m][0] for m in ("gezin", "arbeid", "asiel", "studie")} == {"gepubliceerd"}
    assert (population.provenance, population.provenance_basis) == ("afgeleid", "18.480 / 11,4 %")
    assert population.inhabitants == 162105
    assert population.note


@pytest.mark.django_db
def test_demo_users_have_the_groups_and_admin_rights_of_their_roles(demo):
    users = get_user_model().objects.filter(
        username__in=["raadslid", "griffie", "rekenkamer", "admin"]
    )

    rights = {
        user.username: (
            sorted(user.groups.values_list("name", flat=True)),
            user.is_staff,
            user.is_superuser,
        )
        for user in users
    }

    assert rights == {
        "raadslid": (["raadslid"], False, False),
        "griffie": (["griffie"], True, False),
        "rekenkamer": (["rekenkamer"], True, False),
        "admin": ([], True, True),
    }


def _logs_in(client, *, username: str, password: str) -> bool:
    # Through the login page: django-axes needs the request that client.login() lacks.
    client.post(reverse("login"), {"username": username, "password": password})
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["raadslid", "griffie", "rekenkamer", "admin"])
def test_demo_users_can_log_in_with_the_default_password(demo, client, username):
    assert _logs_in(client, username=username, password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_the_password_option_gives_every_demo_user_that_password(client):
    output = io.StringIO()

    call_command("load_demo", "--password", "een-ander-wachtwoord", stdout=output)

    for username in ["raadslid", "griffie", "rekenkamer", "admin"]:
        assert _logs_in(client, username=username, password="een-ander-wachtwoord")
        assert not _logs_in(client, username=username, password=DEMO_PASSWORD)
    assert "een-ander-wachtwoord" in output.getvalue()


@pytest.mark.django_db
def test_a_figure_for_an_unknown_municipality_is_refused_and_nothing_is_written():
    data = demo_data("registry")
    data["migrant_counts"][-1]["municipality"] = "GM9999"

    with pytest.raises(UnknownReference, match="GM9999"):
        registry_demo_load(data=data)

    assert not rm.Municipality.objects.exists()


@pytest.mark.django_db
def test_demo_users_open_the_dashboards_on_haarlemmermeer(demo):
    from dashboards.models import Profile

    assert set(Profile.objects.values_list("user__username", "municipality__code")) == {
        ("raadslid", "GM0394"),
        ("griffie", "GM0394"),
        ("rekenkamer", "GM0394"),
        ("rekenkamer-zoetermeer", "GM0637"),
        ("admin", "GM0394"),
    }
