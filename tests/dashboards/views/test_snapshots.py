"""Meeting snapshots, the pages: who may do what, the freeze form, validation, query budgets."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import selectors
from dashboards.models import MeetingSnapshot
from migrantportal.figure_cache import figure_cache_invalidate
from policy.models import Conclusion
from tests.dashboards.snapshot_builders import (
    DEMO_REPORT,
    FREEZE_ACTION,
    PACK_URL,
    SMALL_PACK,
    _dutch,
    _edit,
    _form,
    _freeze,
    _frozen_part,
    _page,
    _point,
    _url,
)

pytestmark = pytest.mark.django_db


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


def test_the_snapshot_page_reads_the_same_number_of_queries_for_one_or_every_chart_of_each_page(
    client, raadslid, demo, django_assert_max_num_queries
):
    from django.core.cache import cache

    client.force_login(raadslid)
    every = client.get(PACK_URL).context["page"].available
    # The pack builds only the pages its charts come from: one chart of each page, then all.
    first_of_each_page = {key.partition(":")[0]: key for key, _title in reversed(every)}
    one = _freeze(
        query="municipality=GM0394&include="
        + ",".join([*first_of_each_page.values(), "findings:all"])
    )
    cache.clear()
    with_one_chart = _queries(client, _url("detail", one))
    every_chart = _freeze(
        query="municipality=GM0394&include="
        + ",".join([key for key, _title in every] + ["findings:all"])
    )
    assert len(every_chart.content["charts"]) == len(every) > len(one.content["charts"])

    cache.clear()
    with django_assert_max_num_queries(with_one_chart):
        client.get(_url("detail", every_chart))
    assert with_one_chart <= 45


def test_the_change_note_reads_the_same_number_of_queries_for_one_or_many_changed_findings(
    demo, django_capture_on_commit_callbacks
):
    snapshot = _freeze()
    _edit(_point(1), title="Anders")
    selectors.meeting_snapshot_changes(snapshot=snapshot)  # builds and caches the pack
    with CaptureQueriesContext(connection) as one_change:
        selectors.meeting_snapshot_changes(snapshot=snapshot)

    with django_capture_on_commit_callbacks(execute=True):  # the edits commit
        for number in range(2, 8):
            _edit(_point(number), title=f"Anders {number}")
        Conclusion.objects.get(report__slug=DEMO_REPORT, number=8).delete()
        figure_cache_invalidate()
    selectors.meeting_snapshot_changes(snapshot=snapshot)
    with CaptureQueriesContext(connection) as many_changes:
        changes = selectors.meeting_snapshot_changes(snapshot=snapshot)

    assert len(changes.findings) == 8
    assert len(many_changes) <= len(one_change) + 1  # conclusions' history, read once
