"""Builders several test modules share: one saved instance of every model, for tests that walk
all admin pages; whether the database refuses a build; a model's fields in their order."""

import datetime

from django.db import DataError, IntegrityError, transaction
from django.db import models as django_models

from dashboards.models import Profile
from policy import constants as pc
from policy import models as pm
from registry import models as rm
from registry.constants import BreakdownDimension, ImportFormat, Measure, ShareBasis
from tests import factories as f


def one_of_each() -> dict[type[django_models.Model], django_models.Model]:
    municipality = f.MunicipalityFactory(code="GM9001", name="Testgemeente")
    source = f.SourceFactory()
    motive = rm.Motive.objects.get(slug="arbeid")
    batch = rm.ImportBatch.objects.create(
        file_name="counts.csv",
        file_sha256="0" * 64,
        file_format=ImportFormat.TEMPLATE_CSV,
        measure=Measure.STOCK,
        source=source,
    )
    report = f.ReportFactory(municipality=municipality)
    point = f.AttentionPointFactory(report=report, number=1)
    conclusion = f.ConclusionFactory(report=report, number=1)
    conclusion.attention_points.add(point)
    recommendation = f.RecommendationFactory(report=report, number=1)
    voter = f.UserFactory(username="voter")
    round_ = pm.PrioritisationRound.objects.create(
        municipality=municipality,
        title="Prioriteiten 2026–2030",
        period_start=2026,
        period_end=2030,
        method=pc.BallotMethod.RANKING,
        closes_at=datetime.datetime(2026, 12, 31, tzinfo=datetime.UTC),
    )
    round_.attention_points.add(point)
    ballot = pm.Ballot.objects.create(round=round_, voter=voter)
    instances = [
        municipality,
        rm.MunicipalityTheme.objects.create(municipality=municipality, **theme_fields()),
        source,
        motive,
        batch,
        f.PopulationFactory(municipality=municipality, source=source),
        f.MigrantCountFactory(municipality=municipality, source=source, motive_id="arbeid"),
        rm.MigrantShare.objects.create(
            municipality=municipality,
            year=2023,
            basis=ShareBasis.POPULATION,
            share_pct=11.4,
            source=source,
        ),
        rm.MigrantBreakdown.objects.create(
            municipality=municipality,
            year=2023,
            motive=motive,
            dimension=BreakdownDimension.ORIGIN,
            category="MOE-landen",
            share_pct=18,
            source=source,
        ),
        rm.Estimate.objects.create(
            municipality=municipality,
            year=2025,
            motive=motive,
            label="Op niet-geverifieerde adressen",
            low=1000,
            high=4500,
            method="Verkenning",
            source=source,
        ),
        pm.MigrantGroup.objects.get(slug="arbeidsmigranten"),
        pm.PolicyTheme.objects.get(slug="huisvesting"),
        report,
        f.PolicyCellFactory(municipality=municipality, report=report),
        point,
        conclusion,
        recommendation,
        pm.RecommendationStatusChange.objects.create(
            recommendation=recommendation,
            status=pc.RecommendationStatus.ADOPTED,
            changed_on=datetime.date(2025, 10, 13),
        ),
        pm.Indicator.objects.create(
            municipality=municipality,
            slug="opvang",
            label="Opvang",
            year=2025,
            value=965,
            target=951,
            unit=pc.IndicatorUnit.PERSONS,
            report=report,
        ),
        pm.ProgrammeLine.objects.create(
            report=report, kind=pc.ProgrammeLineKind.ACTION_LINE, number=1, title="Registratie"
        ),
        pm.ContextNote.objects.create(report=report, number=1, title="Inburgering", body="Tekst"),
        round_,
        ballot,
        Profile.objects.create(user=voter, municipality=municipality, party_group="Fractie A"),
    ]
    return {type(instance): instance for instance in instances}


def theme_fields(**changes) -> dict:
    """The fields of a municipality's theme that keeps the contrast rule, with `changes`."""
    return {
        "name": "Gemeente Testgemeente",
        "logo_text": "Testgemeente",
        "primary_colour": "#005a50",
        "primary_text_colour": "#ffffff",
        "link_colour": "#00607a",
        "background_colour": "#ffffff",
        "text_colour": "#1b1b1b",
    } | changes


def refused(build) -> bool:
    """Whether the database itself refuses what `build` writes."""
    try:
        with transaction.atomic():
            build()
    except (IntegrityError, DataError):
        # PostgreSQL refuses an over-long value as a DataError, SQLite by the check.
        return True
    return False


def field_names(model: type[django_models.Model]) -> list[str]:
    """A model's columns in the order forms without a field list (the admin's) and the
    history show them."""
    return [field.name for field in model._meta.concrete_fields if field.name != "id"]
