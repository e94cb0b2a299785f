"""Meeting snapshots: a debate pack frozen for a council meeting, and what changed since."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dashboards import selectors, services
from dashboards.filters import Filters, filters_from_query
from dashboards.models import MeetingSnapshot
from migrantportal.figure_cache import figure_cache_invalidate
from policy.constants import PublicationState, RecommendationStatus
from policy.models import AttentionPoint, Conclusion, Recommendation, RecommendationStatusChange
from registry.models import Estimate, Municipality
from registry.services import migrant_counts_import
from tests import factories as f

pytestmark = pytest.mark.django_db

DEMO_PACK = "municipality=GM0394&include=overview:motive-split,findings:all"
SMALL_PACK = "municipality=GM9001&include=overview:motive-split,findings:all"
PACK_URL = reverse("dashboards:pack") + "?" + DEMO_PACK
FREEZE_ACTION = f'action="{reverse("dashboards:snapshot_create")}"'
DEMO_REPORT = "haarlemmermeer-migranten-2025"


# --- builders ---


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def small_site(db) -> Municipality:
    """One municipality with a count and a published report: enough for a pack, and quick."""
    municipality = f.MunicipalityFactory(code="GM9001", name="Testgemeente")
    f.PopulationFactory(municipality=municipality, year=2023, inhabitants=100_000)
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="asiel", persons=1200)
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="arbeid", persons=800)
    report = f.ReportFactory(slug="testrapport", municipality=municipality, title="Testrapport")
    f.AttentionPointFactory(report=report, number=1, title="Huisvesting")
    f.RecommendationFactory(report=report, number=1, title="Bouw meer woningen")
    return municipality


def _filters(query: str) -> Filters:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    return filters_from_query(
        params=QueryDict(query),
        municipalities=municipalities,
        comparison_groups={
            m.code: [other.code for other in m.comparison_group.all()]
            for m in municipalities.values()
        },
        default=lambda: municipalities["GM0394"],
    )


def _freeze(
    *, query: str = DEMO_PACK, user=None, language: str = "nl", **fields
) -> MeetingSnapshot:
    """A snapshot frozen by the service, as the clerk's form does."""
    values = {"title": "Migratie", "meeting_date": date(2026, 12, 10), "agenda_item": "7"}
    with translation.override(language):
        return services.meeting_snapshot_create(
            filters=_filters(query), user=user, **(values | fields)
        )


@pytest.fixture
def small_snapshot(small_site) -> MeetingSnapshot:
    return _freeze(query=SMALL_PACK)


def _form(**changes) -> dict:
    return {
        "title": "Migratie in Haarlemmermeer",
        "meeting_date": "2026-12-10",
        "agenda_item": "7b",
        "pack": DEMO_PACK,
    } | changes


def _url(view: str, snapshot: MeetingSnapshot | None = None) -> str:
    if view in ("list", "create"):
        return reverse(f"dashboards:snapshot_{view}")
    return reverse(f"dashboards:snapshot_{view}", args=[snapshot.pk])


def _dutch(msgid: str, **values) -> str:
    """The text a Dutch reader gets for `msgid` (the msgid itself until it is translated)."""
    with translation.override("nl"):
        text = gettext(msgid)
    return text % values if values else text


def _page(client: Client, snapshot: MeetingSnapshot):
    response = client.get(_url("detail", snapshot))
    assert response.status_code == 200
    return response


def _frozen_part(html: str) -> str:
    """The frozen pack on a snapshot page, without the change note above it."""
    return html[html.index('class="snapshot-content"') :]


def _edit(instance, **values) -> None:
    """An edit as the editing services make it: saved with history, figures invalidated."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    figure_cache_invalidate()


def _point(number: int) -> AttentionPoint:
    return AttentionPoint.objects.get(report__slug=DEMO_REPORT, number=number)


# --- who may do what ---

SNAPSHOT_REQUESTS = [
    ("list", "get"),
    ("detail", "get"),
    ("create", "get"),
    ("create", "post"),
    ("delete", "get"),
    ("delete", "post"),
]


@pytest.mark.parametrize(("view", "method"), SNAPSHOT_REQUESTS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, small_snapshot, view, method):
    data = _form(pack=SMALL_PACK) if method == "post" else None

    response = getattr(client, method)(_url(view, small_snapshot), data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert MeetingSnapshot.objects.count() == 1


@pytest.mark.parametrize("role", ["raadslid", "rekenkamer", "griffie", "superuser"])
@pytest.mark.parametrize("view", ["list", "detail"])
def test_every_role_reads_the_list_and_a_snapshot(client, request, small_snapshot, role, view):
    client.force_login(request.getfixturevalue(role))

    assert client.get(_url(view, small_snapshot)).status_code == 200


@pytest.mark.parametrize("role", ["raadslid", "rekenkamer"])
@pytest.mark.parametrize(
    ("view", "method"),
    [("create", "get"), ("create", "post"), ("delete", "get"), ("delete", "post")],
)
def test_council_members_and_the_audit_office_may_not_freeze_or_delete(
    client, request, small_snapshot, role, view, method
):
    client.force_login(request.getfixturevalue(role))
    data = _form(pack=SMALL_PACK) if method == "post" else None

    response = getattr(client, method)(_url(view, small_snapshot), data)

    assert response.status_code == 403
    assert MeetingSnapshot.objects.count() == 1


@pytest.mark.parametrize("role", ["griffie", "superuser"])
def test_the_clerk_and_a_superuser_freeze_a_pack(client, request, small_site, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.post(_url("create"), _form(pack=SMALL_PACK))

    snapshot = MeetingSnapshot.objects.get()
    assert response.status_code == 302
    assert response.url == _url("detail", snapshot)
    assert (snapshot.title, snapshot.meeting_date, snapshot.agenda_item) == (
        "Migratie in Haarlemmermeer",
        date(2026, 12, 10),
        "7b",
    )
    assert snapshot.created_by == user
    assert snapshot.include == ["overview:motive-split", "findings:all"]


@pytest.mark.parametrize("role", ["griffie", "superuser"])
def test_the_clerk_and_a_superuser_open_the_freeze_form_and_the_delete_confirmation(
    client, request, small_snapshot, role
):
    client.force_login(request.getfixturevalue(role))

    assert client.get(_url("create") + "?" + SMALL_PACK).status_code == 200
    assert client.get(_url("delete", small_snapshot)).status_code == 200


@pytest.mark.parametrize("role", ["griffie", "superuser"])
def test_the_clerk_and_a_superuser_delete_a_snapshot_after_confirming(
    client, request, small_snapshot, role
):
    client.force_login(request.getfixturevalue(role))
    confirmation = client.get(_url("delete", small_snapshot))
    assert MeetingSnapshot.objects.count() == 1
    assert 'method="post"' in confirmation.text

    response = client.post(_url("delete", small_snapshot))

    assert response.status_code == 302
    assert response.url == _url("list")
    assert MeetingSnapshot.objects.count() == 0


def test_the_list_and_the_snapshot_offer_deleting_only_to_the_clerk(
    client, raadslid, griffie, small_snapshot
):
    delete_url = _url("delete", small_snapshot)
    client.force_login(raadslid)
    assert delete_url not in _page(client, small_snapshot).text

    client.force_login(griffie)

    assert delete_url in _page(client, small_snapshot).text


def test_a_snapshot_is_never_edited_a_post_to_its_page_is_refused(client, griffie, small_snapshot):
    client.force_login(griffie)

    response = client.post(_url("detail", small_snapshot), {"title": "Anders"})

    assert response.status_code == 405
    small_snapshot.refresh_from_db()
    assert small_snapshot.title == "Migratie"


def test_an_unknown_snapshot_is_404(client, raadslid, db):
    client.force_login(raadslid)

    assert client.get(reverse("dashboards:snapshot_detail", args=[999])).status_code == 404


# --- the freeze form on the debate pack page ---


@pytest.mark.parametrize("first", ["griffie", "raadslid"])
@pytest.mark.parametrize("url", [PACK_URL, reverse("dashboards:pack") + "?include=findings:all"])
def test_the_freeze_form_shows_for_the_clerk_and_never_for_a_council_member_on_the_same_url(
    griffie, raadslid, demo, first, url
):
    # The pack page is cached whole and its body in part: each must stay the role's own.
    users = {"griffie": griffie, "raadslid": raadslid}
    order = [first, *(role for role in users if role != first)]
    pages: dict[str, list[str]] = {role: [] for role in users}
    for _round in range(2):
        for role in order:
            client = Client()
            client.force_login(users[role])
            pages[role].append(client.get(url).text)

    assert all(FREEZE_ACTION in page for page in pages["griffie"])
    assert not any(FREEZE_ACTION in page for page in pages["raadslid"])


def test_the_freeze_form_carries_the_packs_filters(client, griffie, demo):
    client.force_login(griffie)

    html = client.get(PACK_URL + "&from=2020").text

    pack = re.search(r'name="pack" value="([^"]*)"', html).group(1).replace("&amp;", "&")
    assert QueryDict(pack)["from"] == "2020"
    assert QueryDict(pack)["include"] == "overview:motive-split,findings:all"


def test_a_pack_with_no_contents_offers_a_hint_instead_of_the_freeze_form(client, griffie, demo):
    client.force_login(griffie)

    html = client.get(reverse("dashboards:pack") + "?municipality=GM0394").text

    assert FREEZE_ACTION not in html
    assert _dutch("Choose the contents of the pack and make it; then you can freeze it.") in html


def test_the_freeze_form_needs_a_valid_csrf_token_from_the_cached_page(griffie, demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(griffie)
    client.get(PACK_URL)
    html = client.get(PACK_URL).text  # from the page cache
    form = html[html.index(FREEZE_ACTION) :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = client.post(_url("create"), _form(csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert MeetingSnapshot.objects.count() == 1


# --- validation ---


@pytest.mark.parametrize(
    ("field", "msgid"),
    [
        ("title", "Give the snapshot a title."),
        ("meeting_date", "Give the date of the council meeting."),
        ("agenda_item", "Give the agenda item, for example 7 or 7b."),
    ],
)
def test_a_missing_field_is_named_beside_it_and_nothing_is_frozen(
    client, griffie, small_site, field, msgid
):
    client.force_login(griffie)

    response = client.post(_url("create"), _form(pack=SMALL_PACK, **{field: ""}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [_dutch(msgid)]
    error_id = f"snapshot-{field.replace('_', '-')}-errors"
    assert f'aria-invalid="true" aria-describedby="{error_id}"' in response.text
    assert f'id="{error_id}"' in response.text
    assert MeetingSnapshot.objects.count() == 0


def test_an_impossible_date_says_how_to_write_it(client, griffie, small_site):
    client.force_login(griffie)

    response = client.post(_url("create"), _form(pack=SMALL_PACK, meeting_date="31-02-2026"))

    assert response.context["form"].errors["meeting_date"] == [
        _dutch("Give the date as day-month-year, for example 23-11-2026.")
    ]
    assert MeetingSnapshot.objects.count() == 0


def test_a_date_written_the_dutch_way_is_accepted(client, griffie, small_site):
    client.force_login(griffie)

    client.post(_url("create"), _form(pack=SMALL_PACK, meeting_date="10-12-2026"))

    assert MeetingSnapshot.objects.get().meeting_date == date(2026, 12, 10)


def test_a_refused_freeze_keeps_what_the_clerk_typed(client, griffie, small_site):
    client.force_login(griffie)

    response = client.post(_url("create"), _form(pack=SMALL_PACK, agenda_item=""))

    assert 'value="Migratie in Haarlemmermeer"' in response.text
    assert 'value="2026-12-10"' in response.text
    assert f'name="pack" value="{SMALL_PACK.replace("&", "&amp;")}"' in response.text


def test_a_pack_without_contents_cannot_be_frozen(client, griffie, small_site):
    client.force_login(griffie)

    response = client.post(_url("create"), _form(pack="municipality=GM9001"))

    assert response.context["form"].non_field_errors() == [
        _dutch("Choose at least one chart or the findings before you freeze the pack.")
    ]
    assert MeetingSnapshot.objects.count() == 0


def test_a_pack_whose_contents_are_all_unknown_cannot_be_frozen(client, griffie, small_site):
    client.force_login(griffie)

    response = client.post(_url("create"), _form(pack="municipality=GM9001&include=overview:x"))

    assert response.context["form"].non_field_errors() == [
        _dutch("The chosen contents are not in the debate pack; choose them again.")
    ]
    assert MeetingSnapshot.objects.count() == 0


def test_a_pack_of_an_unknown_municipality_cannot_be_frozen(client, griffie, small_site):
    client.force_login(griffie)

    response = client.post(_url("create"), _form(pack="municipality=GM0000&include=findings:all"))

    assert "GM0000" in response.context["form"].non_field_errors()[0]
    assert MeetingSnapshot.objects.count() == 0


# --- what a snapshot keeps ---


def test_a_snapshot_keeps_each_chart_as_the_pack_showed_it(client, raadslid, demo):
    client.force_login(raadslid)
    chart = client.get(PACK_URL).context["page"].charts[0]

    frozen = _freeze().content["charts"][0]

    assert frozen["id"] == "motive-split"
    assert (frozen["title"], frozen["summary"]) == (chart.title, chart.summary)
    assert (frozen["sources"], frozen["definitions"]) == (chart.sources, chart.definitions)
    assert frozen["columns"] == [
        {"key": c.key, "label": c.label, "kind": c.kind} for c in chart.columns
    ]
    assert frozen["rows"] == [[list(cell) for cell in row] for row in chart.table_rows()]
    assert frozen["records"] == chart.export_records()
    assert frozen["figure"] == json.loads(chart.figure.to_json())


def test_a_snapshot_keeps_the_findings_with_each_recommendations_status_then(demo):
    recommendation = Recommendation.objects.get(report__slug=DEMO_REPORT, number=1)
    RecommendationStatusChange.objects.create(
        recommendation=recommendation,
        status=RecommendationStatus.IN_PROGRESS,
        changed_on=date(2026, 1, 5),
    )

    report = _freeze().content["findings"][0]

    assert (report["report"], report["title"], report["author"], report["year"]) == (
        DEMO_REPORT,
        "Migranten in Haarlemmermeer",
        "Rekenkamer Haarlemmermeer",
        2025,
    )
    assert [p["number"] for p in report["attention_points"]] == list(range(1, 15))
    first = report["recommendations"][0]
    assert (first["number"], first["title"]) == (1, recommendation.title)
    assert (first["status"], first["status_label"]) == ("in_progress", _dutch("In progress"))
    with translation.override("nl"):
        assert first["addressee_label"] == str(recommendation.get_addressee_display())


def test_a_pack_without_the_findings_keeps_no_findings(demo):
    snapshot = _freeze(query="municipality=GM0394&include=overview:motive-split")

    assert snapshot.content["findings"] is None


def test_the_frozen_content_is_plain_json_and_the_same_for_the_same_pack(demo):
    filters = _filters(DEMO_PACK)
    with translation.override("nl"):
        first = selectors.pack_frozen(pack=selectors.pack_page(filters=filters), filters=filters)
        second = selectors.pack_frozen(pack=selectors.pack_page(filters=filters), filters=filters)

    assert json.loads(json.dumps(first)) == first
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["language"] == "nl"


def test_a_draft_attention_point_never_enters_a_snapshot(client, raadslid, demo):
    f.AttentionPointFactory(
        report=_point(1).report, number=15, title="Nog niet gepubliceerd", state="draft"
    )
    client.force_login(raadslid)

    snapshot = _freeze()

    numbers = [p["number"] for p in snapshot.content["findings"][0]["attention_points"]]
    assert 15 not in numbers
    assert "Nog niet gepubliceerd" not in _page(client, snapshot).text


def test_a_snapshot_frozen_in_english_stays_english_for_a_dutch_reader(client, raadslid, demo):
    snapshot = _freeze(language="en")
    client.force_login(raadslid)

    response = _page(client, snapshot)

    assert snapshot.content["language"] == "en"
    frozen = _frozen_part(response.text)
    assert 'lang="en"' in frozen
    assert "Registered migrants by motive, Haarlemmermeer, 2023" in frozen
    assert response.context["changes"].nothing_changed


# --- the snapshot page ---


def test_the_snapshot_page_names_the_meeting_and_who_froze_it(client, raadslid, griffie, demo):
    snapshot = _freeze(user=griffie, meeting_date=date(2026, 12, 10), agenda_item="7b")
    client.force_login(raadslid)

    html = _page(client, snapshot).text

    assert (
        _dutch(
            "Frozen for the council meeting of %(date)s, agenda item %(item)s",
            date="10 december 2026",
            item="7b",
        )
        in html
    )
    assert "griffie-user" in html


def test_the_snapshot_page_draws_each_chart_from_its_stored_figure(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    html = _page(client, snapshot).text

    assert 'data-figure="figure-motive-split"' in html
    script = re.search(
        r'<script id="figure-motive-split" type="application/json">(.*?)</script>', html, re.S
    )
    assert json.loads(script.group(1)) == snapshot.content["charts"][0]["figure"]
    assert all(
        "src=" in attrs or 'type="application/json"' in attrs
        for attrs in re.findall(r"<script([^>]*)>", html)
    )


def test_the_snapshot_page_shows_the_frozen_findings(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    html = _frozen_part(_page(client, snapshot).text)

    assert "Duurzame opvangplekken voor asielzoekers" in html
    assert _dutch("Status:") in html


def test_the_list_shows_the_newest_meeting_first_and_filters_by_municipality(
    client, raadslid, demo
):
    _freeze(title="Oud", meeting_date=date(2026, 1, 15))
    _freeze(title="Nieuw", meeting_date=date(2026, 12, 10))
    _freeze(
        title="Aalsmeer",
        meeting_date=date(2026, 6, 1),
        query="municipality=GM0358&include=findings:all",
    )
    client.force_login(raadslid)

    everything = client.get(_url("list")).context["snapshots"]
    haarlemmermeer = client.get(_url("list") + "?municipality=GM0394").context["snapshots"]

    assert [s.title for s in everything] == ["Nieuw", "Aalsmeer", "Oud"]
    assert [s.title for s in haarlemmermeer] == ["Nieuw", "Oud"]


# --- later imports and edits leave a snapshot as it was ---


def test_a_snapshot_keeps_its_numbers_after_an_import_and_notes_that_they_differ(
    client, raadslid, demo
):
    snapshot = _freeze()
    client.force_login(raadslid)

    migrant_counts_import(
        content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
        file_name="update.csv",
    )

    response = _page(client, snapshot)
    frozen = _frozen_part(response.text)
    assert '<td class="num">2.525</td>' in frozen
    assert '<td class="num">3.000</td>' not in frozen
    assert [(c.id, c.state) for c in response.context["changes"].charts] == [
        ("motive-split", "changed")
    ]
    assert (
        _dutch(
            "%(title)s: the figures differ from what the portal shows now.",
            title="Ingeschreven migranten naar motief, Haarlemmermeer, 2023",
        )
        in response.text
    )


def test_a_snapshots_download_holds_the_frozen_numbers_after_an_import(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)
    migrant_counts_import(
        content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
        file_name="update.csv",
    )

    response = client.get(_url("detail", snapshot) + "?chart=motive-split&format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["motive_label"]: row["count"] for row in rows}["Asiel"] == "2525"
    assert 'filename="motive-split-GM0394-2026-12-10.csv"' in response["Content-Disposition"]


def test_a_snapshot_keeps_an_attention_points_title_after_an_edit_and_notes_the_edit(
    client, raadslid, demo
):
    snapshot = _freeze()
    client.force_login(raadslid)

    _edit(_point(1), title="Duurzame en flexibele opvang")

    response = _page(client, snapshot)
    frozen = _frozen_part(response.text)
    assert "Duurzame opvangplekken voor asielzoekers" in frozen
    assert "Duurzame en flexibele opvang" not in frozen
    [change] = response.context["changes"].findings
    assert (change.kind, change.number, change.state, change.fields) == (
        "attention_points",
        1,
        "edited",
        ["title"],
    )
    assert change.changed_at is not None
    assert change.title == "Duurzame opvangplekken voor asielzoekers"


# --- what changed since ---


def test_the_change_note_says_nothing_changed_when_nothing_did(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    response = _page(client, snapshot)

    assert response.context["changes"].nothing_changed
    assert _dutch("Nothing changed since the pack was frozen.") in response.text


def test_the_change_note_ignores_a_save_that_changed_nothing(demo):
    snapshot = _freeze()

    _edit(_point(2))

    assert selectors.meeting_snapshot_changes(snapshot=snapshot).nothing_changed


def test_the_change_note_names_a_recommendation_whose_status_changed(demo):
    snapshot = _freeze()
    recommendation = Recommendation.objects.get(report__slug=DEMO_REPORT, number=2)

    RecommendationStatusChange.objects.create(
        recommendation=recommendation,
        status=RecommendationStatus.DONE,
        changed_on=date(2026, 12, 1),
    )
    figure_cache_invalidate()

    [change] = selectors.meeting_snapshot_changes(snapshot=snapshot).findings
    assert (change.kind, change.number, change.state, change.fields) == (
        "recommendations",
        2,
        "edited",
        ["status"],
    )
    assert change.changed_at is not None


def test_the_change_note_names_a_finding_added_since(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    f.AttentionPointFactory(report=_point(1).report, number=15, title="Nieuw aandachtspunt")
    figure_cache_invalidate()

    response = _page(client, snapshot)
    [change] = response.context["changes"].findings
    assert (change.number, change.title, change.state) == (15, "Nieuw aandachtspunt", "added")
    assert change.changed_at is not None
    assert "Nieuw aandachtspunt" not in _frozen_part(response.text)


def test_the_change_note_names_a_finding_removed_since(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    Conclusion.objects.get(report__slug=DEMO_REPORT, number=8).delete()
    figure_cache_invalidate()

    response = _page(client, snapshot)
    [change] = response.context["changes"].findings
    assert (change.kind, change.number, change.state) == ("conclusions", 8, "removed")
    assert change.changed_at is not None
    assert change.title in _frozen_part(response.text)


def test_the_change_note_counts_a_finding_taken_back_to_draft_as_removed(demo):
    snapshot = _freeze()

    _edit(_point(14), state=PublicationState.DRAFT)

    [change] = selectors.meeting_snapshot_changes(snapshot=snapshot).findings
    assert (change.kind, change.number, change.state) == ("attention_points", 14, "removed")
    assert change.changed_at is not None


def test_the_change_note_names_a_chart_the_portal_no_longer_shows(demo):
    snapshot = _freeze(query="municipality=GM0358&include=register:estimates")
    assert [c["id"] for c in snapshot.content["charts"]] == ["estimates"]

    Estimate.objects.filter(municipality__code="GM0358").delete()
    figure_cache_invalidate()

    changes = selectors.meeting_snapshot_changes(snapshot=snapshot)
    assert [(c.id, c.state) for c in changes.charts] == [("estimates", "removed")]


# --- query budgets ---


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_reads_the_same_number_of_queries_for_one_or_many_snapshots(
    client, raadslid, small_snapshot, django_assert_max_num_queries
):
    client.force_login(raadslid)
    with_one = _queries(client, _url("list"))

    for number in range(6):
        _freeze(query=SMALL_PACK, title=f"Vergadering {number}")

    with django_assert_max_num_queries(with_one):
        client.get(_url("list"))
    assert with_one <= 8


def test_the_snapshot_page_reads_the_same_number_of_queries_for_one_or_every_chart(
    client, raadslid, demo, django_assert_max_num_queries
):
    from django.core.cache import cache

    client.force_login(raadslid)
    one = _freeze()
    cache.clear()
    with_one_chart = _queries(client, _url("detail", one))
    every = client.get(PACK_URL).context["page"].available
    every_chart = _freeze(
        query="municipality=GM0394&include="
        + ",".join([key for key, _title in every] + ["findings:all"])
    )
    assert len(every_chart.content["charts"]) == len(every) > 1

    cache.clear()
    with django_assert_max_num_queries(with_one_chart):
        client.get(_url("detail", every_chart))
    assert with_one_chart <= 45


def test_the_change_note_reads_the_same_number_of_queries_for_one_or_many_changed_findings(
    demo,
):
    snapshot = _freeze()
    _edit(_point(1), title="Anders")
    selectors.meeting_snapshot_changes(snapshot=snapshot)  # builds and caches the pack
    with CaptureQueriesContext(connection) as one_change:
        selectors.meeting_snapshot_changes(snapshot=snapshot)

    for number in range(2, 8):
        _edit(_point(number), title=f"Anders {number}")
    Conclusion.objects.get(report__slug=DEMO_REPORT, number=8).delete()
    figure_cache_invalidate()
    selectors.meeting_snapshot_changes(snapshot=snapshot)
    with CaptureQueriesContext(connection) as many_changes:
        changes = selectors.meeting_snapshot_changes(snapshot=snapshot)

    assert len(changes.findings) == 8
    assert len(many_changes) <= len(one_change) + 1  # conclusions' history, read once
