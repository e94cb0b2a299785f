"""One rule, one place: what must hold for a policy item holds on every path that writes it.

Each rule is posted through the audit office's own pages (the follow-up page and the
editing desk) and through the admin, and both must refuse it with the same error code.
The command line (load_demo, through the demo loader) is covered where it writes the
fields concerned.
"""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from policy.constants import (
    Acceptance,
    BallotMethod,
    ProgrammeLineKind,
    PublicationState,
    RecommendationStatus,
    RoundState,
    StatusReporter,
)
from policy.demo import policy_demo_load
from policy.models import (
    AttentionPoint,
    ContextNote,
    MigrantGroup,
    PrioritisationRound,
    ProgrammeLine,
    Recommendation,
    Report,
)
from policy.selectors.history import item_version
from tests import factories as f
from tests.admin_forms import admin_page_data

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
PATHS = ["desk", "admin"]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def editor(client, rekenkamer):
    client.force_login(rekenkamer)
    return client


@pytest.fixture
def recommendation(db):
    report = f.ReportFactory(year=2025, published_on=datetime.date(2025, 3, 1))
    return f.RecommendationFactory(report=report, number=1)


def _codes(form) -> dict[str, set[str]]:
    return {
        name: {error.code for error in errors} for name, errors in form.errors.as_data().items()
    }


def _admin_post(client, url: str, changes: dict) -> dict[str, set[str]]:
    """Open an admin page, post it back with `changes`, and return its errors' codes."""
    response = client.post(url, admin_page_data(client.get(url)) | changes)
    if response.status_code == 302:
        return {}
    return _codes(response.context["adminform"].form)


# --- Follow-up: the council's route, its decision, the college's response and plan ---

FOLLOWUP_BLANK = {
    "council_acceptance": Acceptance.PENDING,
    "beeldvorming_on": "",
    "oordeelsvorming_on": "",
    "besluitvorming_on": "",
    "route_note": "",
    "college_acceptance": Acceptance.PENDING,
    "college_responded_on": "",
    "plan_received_on": "",
}


def _followup_post(path: str, client, recommendation: Recommendation, values: dict) -> dict:
    if path == "admin":
        url = reverse("admin:policy_recommendation_change", args=[recommendation.pk])
        return _admin_post(client, url, values)
    response = client.post(
        reverse("policy:followup_edit", kwargs={"pk": recommendation.pk}),
        {"base_version": item_version(instance=recommendation)} | values,
    )
    return {} if response.status_code == 302 else _codes(response.context["form"])


FOLLOWUP_CASES = {
    "an accepted recommendation without a decision date and a plan from the future": (
        {"council_acceptance": Acceptance.ACCEPTED, "plan_received_on": "2099-01-01"},
        {
            "besluitvorming_on": {"decision_date_missing"},
            "plan_received_on": {"date_in_future", "plan_without_decision"},
        },
    ),
    "beeldvorming after oordeelsvorming": (
        {"beeldvorming_on": "2025-10-01", "oordeelsvorming_on": "2025-09-29"},
        {"beeldvorming_on": {"beeldvorming_after_oordeelsvorming"}},
    ),
    "beeldvorming after besluitvorming": (
        {"beeldvorming_on": "2025-10-20", "besluitvorming_on": "2025-10-13"},
        {"beeldvorming_on": {"beeldvorming_after_besluitvorming"}},
    ),
    "oordeelsvorming after besluitvorming": (
        {"oordeelsvorming_on": "2025-10-14", "besluitvorming_on": "2025-10-13"},
        {"oordeelsvorming_on": {"oordeelsvorming_after_besluitvorming"}},
    ),
    "a decision taken in the future": (
        {"council_acceptance": Acceptance.ACCEPTED, "besluitvorming_on": "2026-09-15"},
        {"besluitvorming_on": {"decision_in_future"}},
    ),
    "a college response without its date": (
        {"college_acceptance": Acceptance.ACCEPTED},
        {"college_responded_on": {"response_date_missing"}},
    ),
    "a college response date without its response": (
        {"college_responded_on": "2025-11-01"},
        {"college_acceptance": {"response_without_decision"}},
    ),
    "a college response dated in the future": (
        {"college_acceptance": Acceptance.ACCEPTED, "college_responded_on": "2026-07-01"},
        {"college_responded_on": {"date_in_future"}},
    ),
    "a plan received before the council's decision": (
        {
            "council_acceptance": Acceptance.ACCEPTED,
            "besluitvorming_on": "2025-10-13",
            "plan_received_on": "2025-10-12",
        },
        {"plan_received_on": {"plan_before_decision"}},
    ),
}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", FOLLOWUP_CASES)
def test_impossible_follow_up_is_refused_with_the_same_codes_on_every_path(
    editor, recommendation, path, case
):
    values, expected = FOLLOWUP_CASES[case]

    codes = _followup_post(path, editor, recommendation, FOLLOWUP_BLANK | values)

    assert {name: codes.get(name) for name in expected} == expected
    recommendation.refresh_from_db()
    assert recommendation.council_acceptance == Acceptance.PENDING
    assert recommendation.plan_received_on is None


@pytest.mark.parametrize("path", PATHS)
def test_possible_follow_up_is_saved_on_every_path(editor, recommendation, path):
    values = {
        "council_acceptance": Acceptance.ACCEPTED,
        "oordeelsvorming_on": "2025-09-29",
        "besluitvorming_on": "2025-10-13",
        "plan_received_on": "2026-03-01",
    }

    codes = _followup_post(path, editor, recommendation, FOLLOWUP_BLANK | values)

    assert codes == {}
    recommendation.refresh_from_db()
    assert recommendation.plan_received_on == datetime.date(2026, 3, 1)


def test_the_desk_form_of_a_recommendation_with_impossible_stored_follow_up_says_so(
    editor, recommendation
):
    # Written before the admin kept the rules: editing the text shows the problem above the
    # form (the follow-up fields are on the follow-up page) instead of failing.
    Recommendation.objects.filter(pk=recommendation.pk).update(
        council_acceptance=Acceptance.ACCEPTED
    )

    response = editor.post(
        reverse("policy:item_edit", kwargs={"kind": "aanbeveling", "pk": recommendation.pk}),
        {
            "base_version": item_version(instance=recommendation),
            "number": 1,
            "title": "Nieuwe titel",
            "addressee": recommendation.addressee,
            "state": recommendation.state,
            "action": "save",
        },
    )

    assert response.status_code == 400
    assert _codes(response.context["form"]) == {"__all__": {"decision_date_missing"}}


def test_the_demo_loader_refuses_a_council_route_out_of_order(recommendation):
    report = recommendation.report
    data = {
        "reports": [
            {
                "slug": report.slug,
                "title": report.title,
                "municipality": report.municipality.code,
                "kind": report.kind,
                "author": report.author,
                "year": report.year,
                "source_document": "Rapport",
            }
        ],
        "recommendations": [
            {
                "report": report.slug,
                "number": 1,
                "title": recommendation.title,
                "addressee": recommendation.addressee,
                "beeldvorming_on": "2025-10-01",
                "oordeelsvorming_on": "2025-09-29",
                "source_section": "p. 1",
            }
        ],
    }

    with pytest.raises(ValidationError) as refused:
        policy_demo_load(data=data)

    assert [e.code for e in refused.value.error_dict["beeldvorming_on"]] == [
        "beeldvorming_after_oordeelsvorming"
    ]


# --- Progress updates ---


def _progress_post(path: str, client, recommendation: Recommendation, changed_on: str) -> dict:
    values = {
        "changed_on": changed_on,
        "status": RecommendationStatus.IN_PROGRESS,
        "reported_by": StatusReporter.AUDIT_OFFICE,
        "note": "",
    }
    if path == "admin":
        response = client.post(
            reverse("admin:policy_recommendationstatuschange_add"),
            values | {"recommendation": recommendation.pk},
        )
        return {} if response.status_code == 302 else _codes(response.context["adminform"].form)
    response = client.post(
        reverse("policy:followup_progress_add", kwargs={"pk": recommendation.pk}), values
    )
    return {} if response.status_code == 302 else _codes(response.context["progress_form"])


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("changed_on", "code"), [("2026-06-16", "date_in_future"), ("2025-02-28", "before_report")]
)
def test_an_impossible_progress_date_is_refused_with_the_same_code_on_every_path(
    editor, recommendation, path, changed_on, code
):
    codes = _progress_post(path, editor, recommendation, changed_on)

    assert codes == {"changed_on": {code}}
    assert not recommendation.status_changes.exists()


@pytest.mark.parametrize("path", PATHS)
def test_a_progress_update_of_today_is_recorded_on_every_path(editor, recommendation, path):
    codes = _progress_post(path, editor, recommendation, TODAY.isoformat())

    assert codes == {}
    assert recommendation.status_changes.get().changed_on == TODAY


@pytest.mark.parametrize("path", PATHS)
def test_a_progress_update_remembers_who_recorded_it_on_every_path(
    editor, recommendation, rekenkamer, path
):
    _progress_post(path, editor, recommendation, TODAY.isoformat())

    assert recommendation.status_changes.get().created_by == rekenkamer


def test_a_progress_update_on_the_recommendation_page_of_the_admin_is_checked_too(
    editor, recommendation
):
    url = reverse("admin:policy_recommendation_change", args=[recommendation.pk])
    opened = admin_page_data(editor.get(url))

    response = editor.post(
        url,
        opened
        | {
            "status_changes-0-changed_on": "2026-06-16",
            "status_changes-0-status": RecommendationStatus.DONE,
            "status_changes-0-reported_by": StatusReporter.AUDIT_OFFICE,
        },
    )

    [formset] = response.context["inline_admin_formsets"]
    assert _codes(formset.formset.forms[0]) == {"changed_on": {"date_in_future"}}
    assert not recommendation.status_changes.exists()


# --- What an open prioritisation round ranks stays as the voters see it ---


@pytest.fixture
def ranked_point(db) -> AttentionPoint:
    point = f.AttentionPointFactory(number=1)
    round_ = PrioritisationRound.objects.create(
        municipality=point.report.municipality,
        title="Prioriteiten 2026–2030",
        period_start=2026,
        period_end=2030,
        method=BallotMethod.RANKING,
        closes_at=timezone.now() + datetime.timedelta(days=7),
        state=RoundState.OPEN,
        opened_at=timezone.now(),
    )
    round_.attention_points.set([point])
    return point


def _point_post(path: str, client, point: AttentionPoint, changes: dict) -> dict:
    if path == "admin":
        url = reverse("admin:policy_attentionpoint_change", args=[point.pk])
        return _admin_post(client, url, changes)
    data = {
        "base_version": item_version(instance=point),
        "number": point.number,
        "title": point.title,
        "state": point.state,
        "action": "save",
    }
    response = client.post(
        reverse("policy:item_edit", kwargs={"kind": "aandachtspunt", "pk": point.pk}),
        data | changes,
    )
    return {} if response.status_code == 302 else _codes(response.context["form"])


def _report_post(path: str, client, report: Report, changes: dict) -> dict:
    if path == "admin":
        return _admin_post(client, reverse("admin:policy_report_change", args=[report.pk]), changes)
    data = {
        "base_version": item_version(instance=report),
        "title": report.title,
        "municipality": report.municipality_id,
        "kind": report.kind,
        "author": report.author,
        "year": report.year,
        "state": report.state,
        "action": "save",
    }
    response = client.post(
        reverse("policy:item_edit", kwargs={"kind": "rapport", "pk": report.pk}), data | changes
    )
    return {} if response.status_code == 302 else _codes(response.context["form"])


@pytest.mark.parametrize("path", PATHS)
def test_a_ranked_point_is_not_returned_to_draft_on_any_path(editor, ranked_point, path):
    codes = _point_post(path, editor, ranked_point, {"state": PublicationState.DRAFT})

    assert codes == {"state": {"in_open_round"}}
    ranked_point.refresh_from_db()
    assert ranked_point.state == PublicationState.PUBLISHED


@pytest.mark.parametrize("path", PATHS)
def test_the_report_of_a_ranked_point_is_not_returned_to_draft_on_any_path(
    editor, ranked_point, path
):
    codes = _report_post(path, editor, ranked_point.report, {"state": PublicationState.DRAFT})

    assert codes == {"state": {"in_open_round"}}


@pytest.mark.parametrize("path", PATHS)
def test_the_report_of_a_ranked_point_does_not_move_to_another_municipality_on_any_path(
    editor, ranked_point, path
):
    elsewhere = f.MunicipalityFactory(code="GM0999", name="Elders")

    codes = _report_post(path, editor, ranked_point.report, {"municipality": elsewhere.pk})

    assert codes == {"municipality": {"in_open_round"}}
    ranked_point.report.refresh_from_db()
    assert ranked_point.report.municipality != elsewhere


@pytest.mark.parametrize("path", PATHS)
def test_a_ranked_point_may_still_be_edited_otherwise_on_any_path(editor, ranked_point, path):
    codes = _point_post(path, editor, ranked_point, {"title": "Nieuwe titel"})

    assert codes == {}
    ranked_point.refresh_from_db()
    assert ranked_point.title == "Nieuwe titel"


# --- Edits that cross, and publication ---


@pytest.mark.parametrize("path", PATHS)
def test_a_save_based_on_an_outdated_version_is_refused_on_every_path(editor, path):
    point = f.AttentionPointFactory(title="Eerste titel")
    if path == "admin":
        url = reverse("admin:policy_attentionpoint_change", args=[point.pk])
        opened = admin_page_data(editor.get(url))
    else:
        opened = {"base_version": item_version(instance=point)}
    point.title = "Andermans wijziging"
    point.save()

    if path == "admin":
        response = editor.post(url, opened | {"title": "Mijn wijziging"})
        assert _codes(response.context["adminform"].form) == {"__all__": {"stale_version"}}
    else:
        response = editor.post(
            reverse("policy:item_edit", kwargs={"kind": "aandachtspunt", "pk": point.pk}),
            opened | {"number": point.number, "title": "Mijn wijziging", "state": point.state},
        )
        assert response.status_code == 409
    point.refresh_from_db()
    assert point.title == "Andermans wijziging"


@pytest.fixture
def audit(caplog):
    logger = logging.getLogger("migrantportal.audit")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger=logger.name)
    yield lambda event: [r for r in caplog.records if getattr(r, "event", None) == event]
    logger.removeHandler(caplog.handler)


@pytest.mark.parametrize("path", PATHS)
def test_publishing_in_a_form_is_audited_on_every_path(
    editor, path, audit, django_capture_on_commit_callbacks
):
    point = f.AttentionPointFactory(state=PublicationState.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        codes = _point_post(path, editor, point, {"state": PublicationState.PUBLISHED})

    assert codes == {}
    [published] = audit("publish")
    assert (published.object_type, published.object_id) == ("policy.AttentionPoint", point.pk)


def test_a_ranked_point_on_the_admins_report_page_is_not_returned_to_draft(editor, ranked_point):
    # The admin also edits the points on their report's page; the desk edits them one by one.
    url = reverse("admin:policy_report_change", args=[ranked_point.report_id])
    opened = admin_page_data(editor.get(url))

    response = editor.post(url, opened | {"attention_points-0-state": PublicationState.DRAFT})

    [points, *_others] = response.context["inline_admin_formsets"]
    assert _codes(points.formset.forms[0]) == {"state": {"in_open_round"}}


@pytest.mark.parametrize("path", PATHS)
def test_a_number_already_used_in_the_report_is_refused_on_its_field_on_every_path(editor, path):
    taken = f.AttentionPointFactory(number=1)
    point = f.AttentionPointFactory(report=taken.report, number=2)

    codes = _point_post(path, editor, point, {"number": 1})

    assert codes == {"number": {"unique_clash"}}


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (ContextNote, {"body": "Tekst"}),
        (ProgrammeLine, {"kind": ProgrammeLineKind.ACTION_LINE}),
    ],
)
def test_a_report_items_number_already_used_is_refused_on_its_field_in_the_admin(
    editor, model, fields
):
    # Context notes and programme lines are edited in the admin only; the desk does not offer them.
    report = f.ReportFactory()
    model.objects.create(report=report, number=1, title="Eerste", **fields)
    item = model.objects.create(report=report, number=2, title="Tweede", **fields)
    url = reverse(f"admin:policy_{model._meta.model_name}_change", args=[item.pk])

    codes = _admin_post(editor, url, {"number": 1})

    assert codes == {"number": {"unique_clash"}}


def test_a_programme_line_may_share_its_number_with_a_line_of_another_kind(editor):
    report = f.ReportFactory()
    ProgrammeLine.objects.create(
        report=report, kind=ProgrammeLineKind.PROGRAMME_LINE, number=1, title="Programmalijn"
    )
    line = ProgrammeLine.objects.create(
        report=report, kind=ProgrammeLineKind.ACTION_LINE, number=2, title="Actielijn"
    )
    url = reverse("admin:policy_programmeline_change", args=[line.pk])

    codes = _admin_post(editor, url, {"number": 1})

    assert codes == {}


@pytest.mark.parametrize("path", PATHS)
def test_a_second_matrix_cell_for_a_group_and_theme_is_refused_on_every_path(editor, path):
    taken = f.PolicyCellFactory()
    cell = f.PolicyCellFactory(
        municipality=taken.municipality, group=MigrantGroup.objects.get(slug="arbeidsmigranten")
    )
    if path == "admin":
        url = reverse("admin:policy_policycell_change", args=[cell.pk])
        codes = _admin_post(editor, url, {"group": taken.group_id})
    else:
        response = editor.post(
            reverse("policy:item_edit", kwargs={"kind": "beleidscel", "pk": cell.pk}),
            {
                "base_version": item_version(instance=cell),
                "group": taken.group_id,
                "theme": cell.theme_id,
                "legal_position": cell.legal_position,
                "policy_status": cell.policy_status,
                "state": cell.state,
                "action": "save",
            },
        )
        codes = _codes(response.context["form"])

    assert codes == {"theme": {"unique_clash"}}
