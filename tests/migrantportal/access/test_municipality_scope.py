"""Staff act on their own municipality (issue 14, item 3).

The table: every URL that writes, for every role, on an item of a municipality the user
works for ("own") and of another ("other"). Staff here work for Zoetermeer only. A page
that writes answers 200 for own and 403 for other; a post answers 200/302 for own and
403 (or a refusal with nothing changed) for other. Reading stays open to all.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboards.models import MeetingSnapshot, Profile
from migrantportal.access import OutsideScopeError, user_municipality_ids
from migrantportal.roles import Role
from policy import models as pm
from policy.constants import Acceptance, BallotMethod, PublicationState, RoundState
from policy.selectors.history import item_version
from policy.services.editing import item_save
from registry.importers.results import ImportRefused
from registry.models import MigrantCount
from registry.services import migrant_counts_import
from tests import factories as f
from tests.admin_forms import admin_page_data

ROLES = ["raadslid", "griffie", "rekenkamer", "superuser"]
SIDES = ["own", "other"]
OK, NO = 200, 403


def _content(municipality, *, number: int) -> dict:
    report = f.ReportFactory(municipality=municipality, slug=f"report-{municipality.code}")
    points = [f.AttentionPointFactory(report=report, number=n) for n in (1, 2, 3)]
    rounds = {}
    for state in (RoundState.DRAFT, RoundState.OPEN):
        round_ = pm.PrioritisationRound.objects.create(
            municipality=municipality,
            title=f"Prioriteiten {municipality.name} ({state})",
            period_start=2026,
            period_end=2030,
            method=BallotMethod.RANKING,
            state=state,
            closes_at=timezone.now() + datetime.timedelta(days=7),
        )
        round_.attention_points.set(points[:2])
        rounds[state] = round_
    return {
        "code": municipality.code,
        "municipality": municipality,
        "report": report,
        "point": points[2],
        "conclusion": f.ConclusionFactory(report=report, number=1),
        "recommendation": f.RecommendationFactory(report=report, number=1),
        "cell": f.PolicyCellFactory(municipality=municipality),
        "indicator": pm.Indicator.objects.create(
            municipality=municipality,
            slug="wachttijd",
            label="Wachttijd",
            year=2025,
            value=10,
            unit="persons",
            report=report,
        ),
        "draft_round": rounds[RoundState.DRAFT],
        "open_round": rounds[RoundState.OPEN],
        "snapshot": MeetingSnapshot.objects.create(
            municipality=municipality,
            title="Migratie",
            meeting_date=datetime.date(2026, 12, 10),
            agenda_item="7",
            include=[],
            content={"charts": [], "findings": [], "language": "nl"},
        ),
        "number": number,
        # A council member of this council.
        "member_profile": Profile.objects.create(
            user=f.user_with_role(Role.RAADSLID, username=f"lid-{municipality.code}"),
            municipality=municipality,
        ),
    }


@pytest.fixture
def world(db, django_user_model) -> dict:
    own = f.MunicipalityFactory(code="GM0637", name="Zoetermeer")
    other = f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    users = {
        "raadslid": f.user_with_role(Role.RAADSLID),
        "griffie": f.user_with_role(Role.GRIFFIE, works_for=[own]),
        "rekenkamer": f.user_with_role(Role.REKENKAMER, works_for=[own]),
        "superuser": django_user_model.objects.create_superuser("root", "r@example.org", "x"),
    }
    Profile.objects.create(user=users["raadslid"], municipality=own)
    national = f.ReportFactory(municipality=None, slug="acvz")
    return {
        "own": _content(own, number=1),
        "other": _content(other, number=2),
        "users": users,
        "national": national,
        "national_point": f.AttentionPointFactory(report=national, number=1),
    }


def _client(world: dict, role: str) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    return client


def fingerprint() -> tuple:
    """Everything a refused write must leave as it was."""
    histories = [
        model.history.count()
        for model in (
            pm.Report,
            pm.AttentionPoint,
            pm.Conclusion,
            pm.Recommendation,
            pm.PolicyCell,
            pm.RecommendationStatusChange,
        )
    ]
    return (
        histories,
        list(pm.PrioritisationRound.objects.order_by("pk").values_list("title", "state")),
        list(pm.Indicator.objects.order_by("pk").values_list("label", "value", "state")),
        MeetingSnapshot.objects.count(),
        list(Profile.objects.order_by("pk").values_list("municipality", "party_group")),
        sorted(Profile.works_for.through.objects.values_list("profile_id", "municipality_id")),
        MigrantCount.objects.count(),
    )


# --- the pages that write: GET, per role and side -------------------------------------

# name → (path with {placeholders} of the side's content, status per role in ROLES order)
PAGES = {
    "desk home": ("/redactie/?municipality={code}", (NO, NO, OK, OK)),
    "desk report page": ("/redactie/rapport/{report.pk}/", (NO, NO, OK, OK)),
    "desk new point": ("/redactie/aandachtspunt/nieuw/?report={report.pk}", (NO, NO, OK, OK)),
    "desk new cell": ("/redactie/beleidscel/nieuw/?municipality={code}", (NO, NO, OK, OK)),
    "desk edit report": ("/redactie/rapport/{report.pk}/bewerken/", (NO, NO, OK, OK)),
    "desk edit point": ("/redactie/aandachtspunt/{point.pk}/bewerken/", (NO, NO, OK, OK)),
    "desk edit conclusion": ("/redactie/conclusie/{conclusion.pk}/bewerken/", (NO, NO, OK, OK)),
    "desk edit recommendation": (
        "/redactie/aanbeveling/{recommendation.pk}/bewerken/",
        (NO, NO, OK, OK),
    ),
    "desk edit cell": ("/redactie/beleidscel/{cell.pk}/bewerken/", (NO, NO, OK, OK)),
    "follow-up edit": (
        "/opvolging/aanbeveling/{recommendation.pk}/bijwerken/",
        (NO, NO, OK, OK),
    ),
    "follow-up progress": (
        "/opvolging/aanbeveling/{recommendation.pk}/voortgang/",
        (NO, NO, OK, OK),
    ),
    "round edit": ("/prioriteiten/{draft_round.pk}/bewerken/", (NO, OK, NO, OK)),
    "round open": ("/prioriteiten/{draft_round.pk}/openen/", (NO, OK, NO, OK)),
    "round close": ("/prioriteiten/{open_round.pk}/sluiten/", (NO, OK, NO, OK)),
    "snapshot delete": ("/dashboards/vergaderingen/{snapshot.pk}/verwijderen/", (NO, OK, NO, OK)),
    # reading stays open to every signed-in user, whichever municipality
    "item page": ("/bevinding/aandachtspunt/{point.pk}/", (OK, OK, OK, OK)),
    "follow-up page": ("/opvolging/aanbeveling/{recommendation.pk}/", (OK, OK, OK, OK)),
    "round page": ("/prioriteiten/{open_round.pk}/", (OK, OK, OK, OK)),
    "snapshot page": ("/dashboards/vergaderingen/{snapshot.pk}/", (OK, OK, OK, OK)),
}


def _expected(statuses: tuple, role: str, side: str) -> int:
    status = statuses[ROLES.index(role)]
    reading = all(s == OK for s in statuses)
    if side == "other" and role != "superuser" and not reading:
        return NO
    return status


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_that_writes_opens_only_on_the_users_own_municipality(world, role, side):
    client = _client(world, role)
    content = world[side]

    actual = {
        name: client.get(path.format(**content)).status_code for name, (path, _) in PAGES.items()
    }

    expected = {name: _expected(statuses, role, side) for name, (_, statuses) in PAGES.items()}
    assert actual == expected


def test_a_refusal_says_why(world):
    response = _client(world, "rekenkamer").get(
        f"/redactie/aandachtspunt/{world['other']['point'].pk}/bewerken/"
    )

    assert response.status_code == 403
    assert "Haarlemmermeer" in response.content.decode()


def test_the_desk_lists_only_the_users_municipalities_and_reports(world):
    response = _client(world, "rekenkamer").get("/redactie/")

    assert [m.code for m in response.context["municipalities"]] == ["GM0637"]
    assert response.context["municipality"].code == "GM0637"
    # The national report is listed: the audit office has the national permission.
    assert {r.slug for r in response.context["reports"]} == {"report-GM0637", "acvz"}


def test_an_other_municipalitys_item_page_shows_no_editing_tools(world):
    client = _client(world, "rekenkamer")

    own = client.get(f"/bevinding/aandachtspunt/{world['own']['point'].pk}/")
    other = client.get(f"/bevinding/aandachtspunt/{world['other']['point'].pk}/")

    assert own.context["editor"] is True
    assert other.context["editor"] is False


# --- the posts that write, per side: own succeeds, other is refused with nothing changed --


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def _desk_edit(kind: str, item_key: str):
    def post(world, client, content):
        path = f"/redactie/{kind}/{content[item_key].pk}/bewerken/"
        data = _form_data(_client(world, "superuser").get(path))
        field = "note" if kind == "beleidscel" else "title"
        return client.post(path, data | {field: "Gewijzigd", "action": "save"})

    return post


def _desk_state(kind: str, item_key: str):
    def post(world, client, content):
        item = content[item_key]
        # A report whose points an open round ranks stays published: publish it again.
        state = PublicationState.PUBLISHED if kind == "rapport" else PublicationState.DRAFT
        return client.post(
            f"/redactie/{kind}/{item.pk}/status/",
            {"state": state, "base_version": item_version(instance=item)},
        )

    return post


def _desk_new_point(world, client, content):
    return client.post(
        f"/redactie/aandachtspunt/nieuw/?report={content['report'].pk}",
        {"number": 9, "title": "Nieuw", "state": PublicationState.DRAFT, "base_version": 0},
    )


def _desk_new_report(world, client, content):
    return client.post(
        "/redactie/rapport/nieuw/",
        {
            "title": "Nieuw rapport",
            "municipality": content["municipality"].pk,
            "kind": "bestuurlijke_nota",
            "author": "Rekenkamer",
            "year": 2026,
            "state": PublicationState.DRAFT,
            "base_version": 0,
            "action": "save",
        },
    )


def _desk_new_cell(world, client, content):
    return client.post(
        f"/redactie/beleidscel/nieuw/?municipality={content['code']}",
        {
            "group": pm.MigrantGroup.objects.get(slug="arbeidsmigranten").pk,
            "theme": pm.PolicyTheme.objects.get(slug="huisvesting").pk,
            "legal_position": "statutory_duty",
            "policy_status": "active",
            "state": PublicationState.DRAFT,
            "base_version": 0,
        },
    )


def _followup_edit(world, client, content):
    path = f"/opvolging/aanbeveling/{content['recommendation'].pk}/bijwerken/"
    data = _form_data(_client(world, "superuser").get(path))
    return client.post(
        path, data | {"council_acceptance": Acceptance.REJECTED, "besluitvorming_on": "2025-10-13"}
    )


def _followup_progress(world, client, content):
    return client.post(
        f"/opvolging/aanbeveling/{content['recommendation'].pk}/voortgang/",
        {"status": "in_progress", "changed_on": "2026-01-05", "reported_by": "audit_office"},
    )


def _round_edit(world, client, content):
    path = f"/prioriteiten/{content['draft_round'].pk}/bewerken/"
    data = _form_data(_client(world, "superuser").get(path))
    return client.post(path, data | {"title": "Gewijzigd"})


def _round_transition(step: str, key: str):
    def post(world, client, content):
        return client.post(f"/prioriteiten/{content[key].pk}/{step}/")

    return post


def _round_create(world, client, content):
    points = content["draft_round"].attention_points.all()
    return client.post(
        "/prioriteiten/nieuw/",
        {
            "municipality": content["municipality"].pk,
            "title": "Nieuwe ronde",
            "period_start": 2026,
            "period_end": 2030,
            "method": BallotMethod.RANKING,
            "closes_at": (timezone.localtime() + datetime.timedelta(days=9)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "attention_points": [point.pk for point in points],
        },
    )


def _snapshot_delete(world, client, content):
    return client.post(f"/dashboards/vergaderingen/{content['snapshot'].pk}/verwijderen/")


def _snapshot_create(world, client, content):
    return client.post(
        "/dashboards/vergaderingen/nieuw/",
        {
            "title": "Raad",
            "meeting_date": "2026-12-17",
            "agenda_item": "8",
            "pack": f"municipality={content['code']}&include=findings:all",
        },
    )


def _admin_change(model: str, key: str, field: str = "title"):
    def post(world, client, content):
        path = reverse(f"admin:{model}_change", args=[content[key].pk])
        data = admin_page_data(_client(world, "superuser").get(path))
        if "closes_at" in data:  # the admin splits a date and time in two fields
            closes_at = timezone.localtime(data.pop("closes_at"))
            data |= {"closes_at_0": closes_at.date(), "closes_at_1": closes_at.time()}
        return client.post(path, data | {field: "Gewijzigd"})

    return post


def _admin_add_point(world, client, content):
    return client.post(
        reverse("admin:policy_attentionpoint_add"),
        {
            "report": content["report"].pk,
            "number": 8,
            "title": "Nieuw",
            "state": PublicationState.DRAFT,
        },
    )


def _admin_publish_action(world, client, content):
    return client.post(
        reverse("admin:policy_attentionpoint_changelist"),
        {"action": "unpublish", "_selected_action": [content["point"].pk]},
    )


def _admin_profile(world, client, content):
    path = reverse("admin:dashboards_profile_change", args=[content["member_profile"].pk])
    data = admin_page_data(_client(world, "superuser").get(path))
    return client.post(path, data | {"party_group": "Fractie B"})


def _errors(response) -> str:
    context = response.context or {}
    forms = [context.get("form"), getattr(context.get("adminform"), "form", None)]
    forms += [inline.formset for inline in context.get("inline_admin_formsets", [])]
    return f"{response.status_code} {[form.errors for form in forms if form is not None]}"


# name → (role that has the permission, how to post)
WRITES = {
    "desk edit report": ("rekenkamer", _desk_edit("rapport", "report")),
    "desk edit point": ("rekenkamer", _desk_edit("aandachtspunt", "point")),
    "desk edit conclusion": ("rekenkamer", _desk_edit("conclusie", "conclusion")),
    "desk edit recommendation": ("rekenkamer", _desk_edit("aanbeveling", "recommendation")),
    "desk edit cell": ("rekenkamer", _desk_edit("beleidscel", "cell")),
    "desk publish report": ("rekenkamer", _desk_state("rapport", "report")),
    "desk publish point": ("rekenkamer", _desk_state("aandachtspunt", "point")),
    "desk publish conclusion": ("rekenkamer", _desk_state("conclusie", "conclusion")),
    "desk publish recommendation": ("rekenkamer", _desk_state("aanbeveling", "recommendation")),
    "desk publish cell": ("rekenkamer", _desk_state("beleidscel", "cell")),
    "desk new point": ("rekenkamer", _desk_new_point),
    "desk new report": ("rekenkamer", _desk_new_report),
    "desk new cell": ("rekenkamer", _desk_new_cell),
    "follow-up edit": ("rekenkamer", _followup_edit),
    "follow-up progress": ("rekenkamer", _followup_progress),
    "round create": ("griffie", _round_create),
    "round edit": ("griffie", _round_edit),
    "round open": ("griffie", _round_transition("openen", "draft_round")),
    "round close": ("griffie", _round_transition("sluiten", "open_round")),
    "snapshot create": ("griffie", _snapshot_create),
    "snapshot delete": ("griffie", _snapshot_delete),
    "admin report": ("rekenkamer", _admin_change("policy_report", "report")),
    "admin point": ("rekenkamer", _admin_change("policy_attentionpoint", "point")),
    "admin conclusion": ("rekenkamer", _admin_change("policy_conclusion", "conclusion")),
    "admin recommendation": (
        "rekenkamer",
        _admin_change("policy_recommendation", "recommendation"),
    ),
    "admin cell": ("rekenkamer", _admin_change("policy_policycell", "cell", "note")),
    "admin indicator": ("rekenkamer", _admin_change("policy_indicator", "indicator", "label")),
    "admin add point": ("rekenkamer", _admin_add_point),
    "admin unpublish action": ("rekenkamer", _admin_publish_action),
    "admin round": ("griffie", _admin_change("policy_prioritisationround", "draft_round")),
    "admin profile": ("griffie", _admin_profile),
}


# Refused otherwise than with 403: the admin's action returns to the list with "Nothing
# changed: …"; where the other municipality is a choice in a form, it is not offered.
REFUSED_WITH = {
    "admin unpublish action": 302,
    "round create": 200,
    "admin add point": 200,
    "desk new report": 400,
}


@pytest.mark.parametrize("name", WRITES)
def test_a_write_on_the_users_own_municipality_goes_through(world, name):
    role, post = WRITES[name]
    before = fingerprint()

    response = post(world, _client(world, role), world["own"])

    assert response.status_code in (200, 302), _errors(response)
    assert fingerprint() != before, _errors(response)


@pytest.mark.parametrize("name", WRITES)
def test_a_write_on_another_municipality_is_refused_and_changes_nothing(world, name):
    role, post = WRITES[name]
    before = fingerprint()

    response = post(world, _client(world, role), world["other"])

    assert response.status_code == REFUSED_WITH.get(name, 403)
    assert fingerprint() == before


@pytest.mark.parametrize("name", WRITES)
def test_a_superuser_writes_on_every_municipality(world, name):
    _role, post = WRITES[name]
    before = fingerprint()

    response = post(world, _client(world, "superuser"), world["other"])

    assert response.status_code in (200, 302)
    assert fingerprint() != before


# --- done when: an audit-office employee of one municipality cannot change another's ---


def test_an_audit_office_employee_cannot_change_another_municipalitys_findings(world):
    rekenkamer = world["users"]["rekenkamer"]
    point = world["other"]["point"]
    point.title = "Overschreven"

    with pytest.raises(OutsideScopeError):
        item_save(
            instance=point, links={}, base_version=item_version(instance=point), user=rekenkamer
        )

    point.refresh_from_db()
    assert point.title != "Overschreven"


def test_moving_an_own_finding_into_another_municipalitys_report_is_refused(world):
    point = world["own"]["point"]
    point.report = world["other"]["report"]

    with pytest.raises(OutsideScopeError):
        item_save(
            instance=point,
            links={},
            base_version=item_version(instance=point),
            user=world["users"]["rekenkamer"],
        )


def test_staff_with_an_empty_list_write_nothing_and_are_told_whom_to_ask(world):
    nobody = f.user_with_role(Role.REKENKAMER, username="rk-nergens", works_for=[])
    client = Client()
    client.force_login(nobody)

    edit = client.get(f"/redactie/aandachtspunt/{world['own']['point'].pk}/bewerken/")
    home = client.get("/redactie/")

    for response in (edit, home):
        assert response.status_code == 403
        assert "Vraag de griffie of de beheerder" in response.content.decode()


def test_staff_without_a_profile_work_for_no_municipality(db):
    user = f.user_with_role(Role.REKENKAMER, username="rk-zonder", works_for=None)

    assert user_municipality_ids(user=user) == frozenset()


# --- national reports -----------------------------------------------------------------


def test_the_audit_office_edits_a_national_report_with_the_national_permission(world):
    point = world["national_point"]
    path = f"/redactie/aandachtspunt/{point.pk}/bewerken/"
    data = _form_data(_client(world, "superuser").get(path))

    response = _client(world, "rekenkamer").post(
        path, data | {"title": "Nationaal", "action": "save"}
    )

    assert response.status_code == 302
    point.refresh_from_db()
    assert point.title == "Nationaal"


def test_without_the_national_permission_a_national_report_is_refused(world):
    rekenkamer = world["users"]["rekenkamer"]
    rekenkamer.groups.clear()
    rekenkamer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="policy",
            codename__in=["change_report", "change_attentionpoint"],
        )
    )
    point = world["national_point"]
    client = Client()
    client.force_login(rekenkamer)

    edit = client.get(f"/redactie/aandachtspunt/{point.pk}/bewerken/")
    home = client.get("/redactie/")

    assert edit.status_code == 403
    assert "national" in edit.content.decode() or "landelijk" in edit.content.decode()
    assert "acvz" not in {r.slug for r in home.context["reports"]}


def test_the_national_permission_is_the_audit_offices(db):
    from django.contrib.auth.models import Group

    assert (
        Group.objects.get(name="rekenkamer")
        .permissions.filter(codename="change_national_report")
        .exists()
    )
    assert (
        Group.objects.get(name="griffie")
        .permissions.filter(codename="import_any_municipality")
        .exists()
    )


# --- the import across municipalities --------------------------------------------------

FILE = (
    b"gemeente_code;gemeente;jaar;motief;aantal\n"
    b"GM0637;Zoetermeer;2024;arbeid;120\n"
    b"GM0394;Haarlemmermeer;2024;arbeid;300\n"
    b"GM0394;Haarlemmermeer;2024;gezin;200\n"
)


@pytest.fixture
def local_clerk(world):
    """A clerk of Zoetermeer without the permission to import for every municipality."""
    user = f.UserFactory(username="griffie-lokaal", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="registry",
            codename__in=["import_migrantcount", "add_migrantcount", "change_migrantcount"],
        )
    )
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.works_for.set([world["own"]["municipality"]])
    return user


def test_an_import_naming_another_municipality_is_refused_whole(world, local_clerk):
    with pytest.raises(ImportRefused) as refused:
        migrant_counts_import(content=FILE, file_name="counts.csv", user=local_clerk)

    problems = refused.value.problems
    assert len(problems) == 1
    assert problems[0].row == 3
    assert problems[0].value == "GM0394 Haarlemmermeer"
    assert "(2 " in problems[0].message
    assert MigrantCount.objects.count() == 0


def test_an_import_of_the_clerks_own_municipality_goes_through(world, local_clerk):
    own_only = b"\n".join(FILE.splitlines()[:2]) + b"\n"

    report = migrant_counts_import(content=own_only, file_name="counts.csv", user=local_clerk)

    assert report.created == 1


def test_with_the_permission_a_clerk_imports_across_municipalities(world):
    report = migrant_counts_import(
        content=FILE, file_name="counts.csv", user=world["users"]["griffie"]
    )

    assert report.created == 3


def test_the_command_line_imports_as_the_national_operator(world):
    report = migrant_counts_import(content=FILE, file_name="counts.csv", user=None)

    assert report.created == 3


def test_the_admin_import_preview_names_the_other_municipality(world, local_clerk):
    client = Client()
    client.force_login(local_clerk)
    upload = __import__("io").BytesIO(FILE)
    upload.name = "counts.csv"

    response = client.post(
        reverse("admin:registry_migrantcount_import"),
        {"import_file": upload, "format": 0, "measure": "stock"},
    )

    assert response.status_code == 200
    assert "GM0394" in response.content.decode()
    assert MigrantCount.objects.count() == 0


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_has_a_zoetermeer_audit_office_user(db, django_user_model):
    from django.core.management import call_command

    call_command("load_demo", stdout=__import__("io").StringIO())
    findings = {
        code: pm.Recommendation.objects.filter(report__municipality__code=code).first()
        for code in ("GM0637", "GM0394")
    }
    statuses = {}
    for username in ("rekenkamer", "rekenkamer-zoetermeer"):
        client = Client()
        client.force_login(django_user_model.objects.get(username=username))
        for code, finding in findings.items():
            path = f"/redactie/aanbeveling/{finding.pk}/bewerken/"
            statuses[username, code] = client.get(path).status_code
    assert statuses == {
        ("rekenkamer", "GM0637"): 200,
        ("rekenkamer", "GM0394"): 200,
        ("rekenkamer-zoetermeer", "GM0637"): 200,
        ("rekenkamer-zoetermeer", "GM0394"): 403,
    }

    profiles = {
        p.user.username: sorted(p.works_for.values_list("code", flat=True))
        for p in Profile.objects.select_related("user")
    }
    assert profiles["rekenkamer-zoetermeer"] == ["GM0637"]
    assert profiles["rekenkamer"] == profiles["griffie"] == ["GM0358", "GM0394", "GM0637"]
    assert profiles["raadslid"] == []


def test_a_round_page_offers_its_actions_only_to_the_clerk_of_its_council(world):
    client = _client(world, "griffie")

    own = client.get(f"/prioriteiten/{world['own']['draft_round'].pk}/")
    other = client.get(f"/prioriteiten/{world['other']['draft_round'].pk}/")

    assert own.context["page"].can_change is True
    assert other.context["page"].can_change is False
    assert "/bewerken/" not in other.content.decode()


def test_without_the_permission_a_clerk_changes_only_their_own_figures_in_the_admin(
    world, local_clerk
):
    own = f.MigrantCountFactory(municipality=world["own"]["municipality"], year=2024)
    other = f.MigrantCountFactory(municipality=world["other"]["municipality"], year=2024)
    client = Client()
    client.force_login(local_clerk)

    statuses = {}
    for side, count in (("own", own), ("other", other)):
        path = reverse("admin:registry_migrantcount_change", args=[count.pk])
        data = admin_page_data(_client(world, "superuser").get(path))
        statuses[side] = client.post(path, data | {"persons": 999}).status_code
        count.refresh_from_db()

    assert statuses == {"own": 302, "other": 403}
    assert (own.persons, other.persons) == (999, 100)


# Another's: refused at the form (its report is not among the choices), and the service
# would refuse it too.
@pytest.mark.parametrize(("side", "status"), [("own", 302), ("other", 200)])
def test_reverting_to_an_older_version_in_the_admin_keeps_to_the_users_municipalities(
    world, side, status
):
    point = world[side]["point"]
    point.title = "Tweede versie"
    item_save(instance=point, links={}, base_version=item_version(instance=point), user=None)
    version = point.history.earliest("history_id").history_id
    path = reverse("admin:policy_attentionpoint_simple_history", args=[point.pk, version])
    data = admin_page_data(_client(world, "superuser").get(path))
    before = fingerprint()

    response = _client(world, "rekenkamer").post(path, data | {"title": "Teruggezet"})

    assert response.status_code == status, _errors(response)
    assert (fingerprint() == before) is (side == "other")
