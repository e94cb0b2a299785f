"""Small builders for test data; each test states what it needs and no more."""

import factory
from django.contrib.auth.models import Group, User
from django.test import Client

from dashboards.models import Profile
from migrantportal.roles import Role
from policy import constants as pc
from policy import models as pm
from registry import models as rm
from registry.constants import Measure, SourceKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


# Staff users made by user_with_role work for every municipality, also those a test makes
# later (tests/conftest.py's staff_work_everywhere adds them), as the demo's staff do; a
# test of the municipal scope passes `works_for` explicitly.
EVERYWHERE = "everywhere"
EVERYWHERE_PROFILES: set[int] = set()


def user_with_role(
    role: Role | None,
    *,
    username: str | None = None,
    works_for: str | list | None = EVERYWHERE,
    **kwargs,
) -> User:
    """A user in the role's group, staff where the role works in the admin; a staff user's
    profile names the municipalities they work for (`works_for`: EVERYWHERE, a list of
    municipalities, or None for no profile)."""
    is_staff = role in (Role.GRIFFIE, Role.REKENKAMER)
    user = UserFactory(username=username or f"{role or 'anon'}-user", is_staff=is_staff, **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if is_staff and works_for is not None:
        profile, _created = Profile.objects.get_or_create(user=user)
        if works_for == EVERYWHERE:
            profile.works_for.set(rm.Municipality.objects.all())
            EVERYWHERE_PROFILES.add(profile.pk)
        else:
            profile.works_for.set(works_for)
    return user


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Municipality
        django_get_or_create = ("code",)

    # Codes must stay "GM" + four digits however many tests ran before in this worker;
    # 5000-6999 is used by no real, demo or synthetic municipality.
    code = factory.Sequence(lambda n: f"GM{5000 + n % 2000:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Bron {n}")
    publisher = "CBS"
    kind = SourceKind.CBS_TABLE
    year = 2024


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Population

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2023
    inhabitants = 100_000
    source = factory.SubFactory(SourceFactory)


class MigrantCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.MigrantCount

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2023
    motive_id = "asiel"
    measure = Measure.STOCK
    persons = 100
    source = factory.SubFactory(SourceFactory)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Report
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"report-{n}")
    title = factory.Sequence(lambda n: f"Rapport {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    kind = pc.ReportKind.BESTUURLIJKE_NOTA
    author = "Rekenkamer"
    year = 2025
    state = pc.PublicationState.PUBLISHED


class AttentionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.AttentionPoint

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Aandachtspunt {n}")
    state = pc.PublicationState.PUBLISHED


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Conclusion

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Conclusie {n}")
    state = pc.PublicationState.PUBLISHED


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Recommendation

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Aanbeveling {n}")
    addressee = pc.Addressee.COLLEGE
    state = pc.PublicationState.PUBLISHED


class PolicyCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.PolicyCell

    municipality = factory.SubFactory(MunicipalityFactory)
    group = factory.LazyFunction(lambda: pm.MigrantGroup.objects.get(slug="statushouders"))
    theme = factory.LazyFunction(lambda: pm.PolicyTheme.objects.get(slug="huisvesting"))
    legal_position = pc.LegalPosition.STATUTORY_DUTY
    policy_status = pc.PolicyStatus.ACTIVE
    state = pc.PublicationState.PUBLISHED


def client_for_role(role: str) -> Client:
    """A test client signed in with `role` (a Role's value, "superuser" or "anonymous")."""
    client = Client()
    if role == "superuser":
        client.force_login(User.objects.create_superuser("root", "r@example.org", "x"))
    elif role != "anonymous":
        client.force_login(user_with_role(Role(role)))
    return client
