"""Privacy of small numbers: readers without staff rights never see a count of 1 to 4 persons.

Kleindorp has 3 asylum migrants (held back: "< 5"), 7 Ukrainians (the next-smallest
count of the same total, held back so that the 3 cannot be worked out from the total:
"x") and larger counts that are shown. Pages are read in English, where the wording
is the msgid's.
"""

import csv
import io
import itertools
import json
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from charts import privacy
from dashboards import figures, selectors, services
from dashboards.filters import filters_from_query
from dashboards.models import MeetingSnapshot
from migrantportal.roles import Role
from policy import constants as pc
from policy import models as pm
from registry import models as rm
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "GM9100"
COUNTS = {"asiel": 3, "oekraine": 7, "studie": 120, "arbeid": 240, "gezin": 410}
TOTAL = sum(COUNTS.values())  # 780
ASYLUM, UKRAINE = "Asylum", "Ukrainian displaced persons"
ESTIMATE = "arbeidsmigranten op bedrijfsterreinen"


# --- builders ---


@pytest.fixture
def kleindorp(db) -> rm.Municipality:
    municipality = f.MunicipalityFactory(code=CODE, name="Kleindorp")
    source = f.SourceFactory(slug="kleindorp-brp")
    f.PopulationFactory(municipality=municipality, year=2023, inhabitants=20_000, source=source)
    for motive, persons in COUNTS.items():
        f.MigrantCountFactory(
            municipality=municipality, year=2023, motive_id=motive, persons=persons, source=source
        )
    return municipality


@pytest.fixture
def estimate(kleindorp) -> rm.Estimate:
    return rm.Estimate.objects.create(
        municipality=kleindorp,
        year=2023,
        motive_id="arbeid",
        label=ESTIMATE,
        point=17,
        registered=4,
        method="Telling door handhaving",
        source=rm.Source.objects.get(slug="kleindorp-brp"),
    )


@pytest.fixture
def indicators(kleindorp) -> None:
    report = f.ReportFactory(slug="kleindorp-nota", municipality=kleindorp)
    for label, value, target, unit in [
        ("Opvang", 2, 951, pc.IndicatorUnit.PERSONS),
        ("Bijstand", 3, None, pc.IndicatorUnit.PERCENT),
    ]:
        pm.Indicator.objects.create(
            municipality=kleindorp,
            slug=label.lower(),
            label=label,
            year=2025,
            value=value,
            target=target,
            unit=unit,
            report=report,
            state=pc.PublicationState.PUBLISHED,
        )


def _english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def member(raadslid) -> Client:
    return _english_client(raadslid)


@pytest.fixture
def clerk(griffie) -> Client:
    return _english_client(griffie)


def _url(page: str, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"municipality": CODE, **params}.items())
    return reverse(f"dashboards:{page}") + "?" + query


def _page(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response


def _rows(html: str, chart: str) -> list[list[str]]:
    """A chart's HTML table body, cell by cell, unescaped."""
    section = html[html.index(f'id="{chart}-caption"') :]
    body = section[: section.index("</tbody>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]
    return [[cell.replace("&lt;", "<") for cell in row] for row in rows if row]


def _table(html: str, chart: str) -> dict[str, list[str]]:
    """A chart's HTML table as {first cell: the other cells}."""
    return {row[0]: row[1:] for row in _rows(html, chart) if row}


def _figure(html: str, chart: str) -> dict:
    script = re.search(
        rf'<script id="figure-{chart}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(script.group(1))


def _carried(figure: dict) -> set:
    """Every number and text a figure's traces hand to the reader's browser."""
    values = set()
    for trace in figure["data"]:
        for key in ("x", "y", "text", "customdata"):
            found = trace.get(key)
            for value in found if isinstance(found, list) else [found]:
                values.update(value if isinstance(value, list) else [value])
    return values - {None}


def _summary(html: str, chart: str) -> str:
    section = html[html.index(f'id="{chart}"') :]
    return re.search(r'<p class="summary">(.*?)</p>', section, re.S).group(1)


# The motive split's headers in CSV and XLSX (the interface's language), by JSON key.
SPLIT_HEADERS = {
    "Motive": "motive_label",
    "Persons": "count",
    "Share of migrants (%), computed": "share_of_migrants_pct",
    "Share of inhabitants (%), computed": "share_of_population_pct",
}


def _download(client: Client, url: str, file_format: str) -> list[dict]:
    """The rows of a download, keyed as in JSON (the motive split's headers translated)."""
    content = _page(client, f"{url}&format={file_format}").content
    if file_format == "json":
        return json.loads(content)["rows"]
    if file_format == "csv":
        rows = list(csv.DictReader(io.StringIO(content.decode())))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        header, *cells = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(header, row, strict=True)) for row in cells]
    return [{SPLIT_HEADERS.get(name, name): value for name, value in row.items()} for row in rows]


def _by_motive(rows: list[dict]) -> dict[str, dict]:
    return {row["motive_label"]: row for row in rows}


# --- the rule ---


@pytest.mark.parametrize(
    ("counts", "parts"),
    [
        ([3, 7, 120, 240, 410], ("primary", "secondary", "", "", "")),
        ([2, 3, 1000], ("primary", "primary", "")),
        ([0, 120, 240], ("", "", "")),
        ([5, 120], ("", "")),
    ],
)
def test_a_count_from_1_to_4_is_held_back_and_0_and_5_are_not(counts, parts):
    assert privacy.group_suppression(counts=counts, threshold=5).parts == parts


def _what_a_reader_can_tell(counts: list[int], threshold: int) -> list[set[int]]:
    """Every value each held-back part can take, knowing what is shown and the documented rule."""
    marks = privacy.group_suppression(counts=counts, threshold=threshold)
    assert not marks.total, "with the total held back, no sum is known"
    hidden = [i for i, mark in enumerate(marks.parts) if mark]
    shown = [c for c, mark in zip(counts, marks.parts, strict=True) if not mark and c > 0]
    held = sum(counts[i] for i in hidden)
    ranges = [
        range(1, threshold)
        if marks.parts[i] == privacy.PRIMARY
        else range(threshold, (min(shown) if shown else held) + 1)
        for i in hidden
    ]
    possible: list[set[int]] = [set() for _i in hidden]
    for values in itertools.product(*ranges):
        if sum(values) == held:
            for seen, value in zip(possible, values, strict=True):
                seen.add(value)
    return possible


@pytest.mark.parametrize(
    "counts",
    [[3, 7, 120, 240, 410], [3, 935], [1, 5, 2000], [1, 1, 1000], [4, 4, 1000], [1, 6, 6]],
)
def test_no_held_back_count_can_be_worked_out_from_the_total_and_the_counts_shown(counts):
    possible = _what_a_reader_can_tell(counts, threshold=5)

    assert possible
    assert all(len(values) > 1 for values in possible)


def test_a_single_held_back_count_takes_the_next_smallest_with_it():
    marks = privacy.group_suppression(counts=[3, 935, 1109], threshold=5)

    assert marks.parts == ("primary", "secondary", "")


def test_when_every_count_held_back_is_not_enough_the_total_is_held_back_too():
    marks = privacy.group_suppression(counts=[1, 5], threshold=5)

    assert (marks.parts, marks.total) == (("primary", "secondary"), "secondary")


def test_a_total_below_the_threshold_is_held_back_with_its_counts():
    marks = privacy.group_suppression(counts=[3, 0], threshold=5)

    assert (marks.parts, marks.total) == (("primary", ""), "primary")


def test_a_threshold_of_0_holds_nothing_back():
    assert not privacy.group_suppression(counts=[1, 2, 3], threshold=0).any


# --- what a council member sees ---


def test_the_member_sees_the_small_count_as_below_5_in_the_table(member, kleindorp):
    table = _table(_page(member, _url("overview")).text, "motive-split")

    assert table[ASYLUM][:3] == ["< 5", "x", "x"]
    assert table[UKRAINE][:3] == ["x", "x", "x"]
    assert [table[motive][0] for motive in ("Study", "Labour", "Family")] == ["120", "240", "410"]


def test_the_overview_tiles_show_the_total_and_nothing_held_back(member, kleindorp):
    tiles = _page(member, _url("overview")).context["page"].tiles

    assert [(tile.label, tile.value, tile.note) for tile in tiles] == [
        ("Registered migrants, 2023", "780", ""),
        ("Share of inhabitants", "3.9 %", ""),
        ("Largest motive", "Family", "52.6 % of migrants"),
    ]


def test_the_summary_sentences_print_no_held_back_number(member, kleindorp):
    html = _page(member, _url("overview")).text

    assert _summary(html, "motive-shares") == (
        "In 2023, 780 migrants were registered as residents of Kleindorp, 3.9 % (berekend) of "
        "the inhabitants. No figure for unknown: the total and the shares leave that group out."
    )
    assert _summary(html, "motive-split") == (
        "The largest group is family: 410 persons, 52.6 % of the registered migrants (berekend). "
        "No figure for unknown: the total and the shares leave that group out."
    )


def test_the_share_computed_from_a_held_back_count_is_held_back(member, kleindorp):
    charts = _page(member, _url("overview")).context["page"].charts

    shares = next(c for c in charts if c.id == "motive-shares").export_records()
    split = _by_motive(next(c for c in charts if c.id == "motive-split").export_records())
    assert [r["share_of_population_pct"] for r in shares if r["motive"] == ASYLUM] == ["x"]
    assert split[ASYLUM]["share_of_migrants_pct"] == "x"
    assert split[ASYLUM]["share_of_population_pct"] == "x"
    assert split["Family"]["share_of_migrants_pct"] == 52.56


def test_the_total_beside_its_parts_never_gives_the_held_back_count_away(member, kleindorp):
    page = _page(member, _url("overview")).context["page"]

    records = next(c for c in page.charts if c.id == "motive-split").export_records()
    shown = [r["count"] for r in records if isinstance(r["count"], int)]
    assert page.tiles[0].value == str(TOTAL)
    assert len(records) - len(shown) == 2  # the small count and the next-smallest
    assert TOTAL - sum(shown) == COUNTS["asiel"] + COUNTS["oekraine"]


def test_the_figures_carry_neither_the_held_back_count_nor_its_share(member, kleindorp):
    html = _page(member, _url("overview")).text

    split = _figure(html, "motive-split")["data"][0]
    bars = dict(zip(split["y"], zip(split["x"], split["text"], strict=True), strict=True))
    assert bars[ASYLUM] == (None, "< 5<br>(x)")
    assert bars[UKRAINE] == (None, "x<br>(x)")
    shares = _figure(html, "motive-shares")
    asylum = next(trace for trace in shares["data"] if trace["name"] == ASYLUM)
    assert (asylum["y"], [text for _, text in asylum["customdata"]]) == ([None], ["x"])
    carried = _carried(_figure(html, "motive-split")) | _carried(shares)
    assert not {3, 7, 0.01, 0.02, 0.03, 0.04, 0.38, 0.9} & carried


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_every_download_holds_the_tables_marks_and_not_the_numbers(member, kleindorp, file_format):
    rows = _by_motive(_download(member, _url("overview", chart="motive-split"), file_format))

    assert rows[ASYLUM]["count"] == "< 5"
    assert rows[ASYLUM]["share_of_migrants_pct"] == "x"
    assert rows[ASYLUM]["share_of_population_pct"] == "x"
    assert rows[UKRAINE]["count"] == "x"
    assert str(rows["Study"]["count"]) == "120"


def test_a_chart_with_held_back_numbers_says_why(member, kleindorp):
    html = _page(member, _url("overview")).text

    with translation.override("en"):
        note = privacy.suppression_note(threshold=5)
    assert note.replace("<", "&lt;") in html


def test_the_compare_page_holds_back_the_small_count_per_motive(member, kleindorp):
    html = _page(member, _url("compare")).text

    rows = re.findall(r"<tr><td>Kleindorp</td>(.*?)</tr>", html, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert [row[2:4] for row in cells if row[1] == ASYLUM] == [["&lt; 5", "x"]]
    # One small chart per motive, in motive order: asylum, labour, family, study, Ukrainian.
    small_multiples = _figure(html, "motive-comparison")["data"]
    assert [trace["y"] for trace in small_multiples] == [[None], [1.2], [2.05], [0.6], [None]]
    assert "Kleindorp 3.9 %" in _summary(html, "share-comparison")


def test_the_register_page_holds_back_a_small_registered_count_but_not_an_estimate(
    member, estimate
):
    html = _page(member, _url("register")).text

    assert [row[1:3] for row in _rows(html, "estimates")] == [
        ["registered", "< 5"],
        ["estimated", "17"],
    ]
    assert f"{ESTIMATE}: 17 (geschat), of whom &lt; 5 registered" in _summary(html, "estimates")
    registered = _figure(html, "estimates")["data"][0]
    assert (registered["x"], registered["text"]) == ([None], ["< 5"])
    rows = _download(member, _url("register", chart="estimates"), "json")
    assert [row["value"] for row in rows] == ["< 5", 17]


def test_an_indicator_in_persons_is_held_back_and_a_percentage_is_not(member, indicators):
    html = _page(member, _url("indicators")).text

    table = _table(html, "indicators")
    assert table["Opvang"][:2] == ["< 5", "951"]
    assert table["Bijstand"][0] == "3"
    assert "Opvang: &lt; 5 against 951" in _summary(html, "indicators")
    texts = [trace.get("text") for trace in _figure(html, "indicators")["data"]]
    assert sorted(text for panel in texts if panel for text in panel) == ["3 %", "< 5"]


def test_the_debate_pack_holds_back_what_the_pages_do(member, estimate):
    include = "overview:motive-split,compare:motive-comparison,register:estimates"

    html = _page(member, _url("pack", include=include)).text

    assert _table(html, "motive-split")[ASYLUM][:3] == ["< 5", "x", "x"]
    assert _rows(html, "estimates")[0][1:3] == ["registered", "< 5"]
    assert f'<td>{ASYLUM}</td><td class="num">&lt; 5</td><td class="num">x</td>' in html
    download = _download(member, _url("pack", include=include, chart="motive-split"), "csv")
    assert _by_motive(download)[ASYLUM]["count"] == "< 5"


# --- totals of some motives only ---


def test_a_total_of_chosen_motives_that_would_give_a_count_away_is_held_back(member, kleindorp):
    page = _page(member, _url("overview", motives="asiel,studie,arbeid,gezin")).context["page"]

    assert page.tiles[0].value == "x"  # 773 - 120 - 240 - 410 would be the 3


def test_a_total_of_motives_without_a_held_back_count_is_shown(member, kleindorp):
    page = _page(member, _url("overview", motives="studie,arbeid,gezin")).context["page"]

    assert page.tiles[0].value == "770"


def test_a_total_held_back_takes_its_share_and_the_largest_motive_with_it(member):
    municipality = f.MunicipalityFactory(code=CODE, name="Kleindorp")
    f.PopulationFactory(municipality=municipality, year=2023, inhabitants=1_000)
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="asiel", persons=1)
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="studie", persons=5)

    response = _page(member, _url("overview"))

    assert [tile.value for tile in response.context["page"].tiles] == ["x"]
    assert "6" not in _summary(response.text, "motive-shares")
    assert "6" not in _summary(response.text, "motive-split")
    compare = _page(member, _url("compare")).context["page"].charts[0].export_records()
    assert [record["share_pct"] for record in compare] == ["x"]


# --- staff ---


def test_the_clerk_sees_the_exact_counts_and_a_note_on_what_members_see(clerk, kleindorp):
    html = _page(clerk, _url("overview")).text

    table = _table(html, "motive-split")
    assert (table[ASYLUM][0], table[UKRAINE][0]) == ("3", "7")
    note = re.search(r'<p class="notice no-print">(.*?)</p>', html, re.S).group(1)
    assert "from 1 to 4 as “&lt; 5”" in note


def test_the_clerks_download_holds_the_exact_count(clerk, kleindorp):
    rows = _download(clerk, _url("overview", chart="motive-split"), "json")

    assert _by_motive(rows)[ASYLUM]["count"] == 3


def test_a_member_gets_no_note_meant_for_staff(member, kleindorp):
    assert 'class="notice no-print"' not in _page(member, _url("overview")).text


def test_a_user_in_a_staff_role_without_staff_rights_sees_small_numbers_held_back(db):
    user = f.user_with_role(Role.GRIFFIE, username="griffie-zonder-beheer")
    user.is_staff = False

    assert privacy.threshold_for_user(user=user) == 5


# --- the setting ---


def test_the_threshold_setting_is_honoured(member, kleindorp, settings):
    settings.SMALL_NUMBER_THRESHOLD = 10

    table = _table(_page(member, _url("overview")).text, "motive-split")

    assert (table[ASYLUM][0], table[UKRAINE][0]) == ("< 10", "< 10")
    assert table["Study"][0] == "120"  # two small counts protect each other


def test_a_threshold_of_0_switches_the_rule_off(member, kleindorp, settings):
    settings.SMALL_NUMBER_THRESHOLD = 0

    html = _page(member, _url("overview")).text

    assert _table(html, "motive-split")[ASYLUM][0] == "3"
    assert "“&lt;" not in html


def test_page_builders_default_to_what_members_see(kleindorp):
    filters = filters_from_query(
        params=QueryDict(f"municipality={CODE}"),
        municipalities={CODE: kleindorp},
        comparison_groups={},
        default=lambda: kleindorp,
    )

    with translation.override("en"):
        page = selectors.overview_page(filters=filters)

    split = next(c for c in page.charts if c.id == "motive-split")
    assert _by_motive(split.export_records())[ASYLUM]["count"] == "< 5"


# --- meeting snapshots ---


def _freeze(user) -> MeetingSnapshot:
    municipalities = {m.code: m for m in rm.Municipality.objects.all()}
    filters = filters_from_query(
        params=QueryDict(f"municipality={CODE}&include=overview:motive-split"),
        municipalities=municipalities,
        comparison_groups={},
        default=lambda: municipalities[CODE],
    )
    with translation.override("en"):
        return services.meeting_snapshot_create(
            filters=filters,
            title="Migratie",
            meeting_date=date(2026, 12, 10),
            agenda_item="7",
            user=user,
        )


def test_a_snapshot_frozen_by_the_clerk_keeps_what_members_see(member, griffie, kleindorp):
    snapshot = _freeze(griffie)

    chart = snapshot.content["charts"][0]
    assert snapshot.content["small_number_threshold"] == 5
    assert _by_motive(chart["records"])[ASYLUM]["count"] == "< 5"
    assert _by_motive(chart["records"])[UKRAINE]["count"] == "x"
    assert not {3, 7} & _carried(chart["figure"])
    url = reverse("dashboards:snapshot_detail", args=[snapshot.pk])
    response = _page(member, url)
    assert _table(response.text, "motive-split")[ASYLUM][:3] == ["< 5", "x", "x"]
    assert response.context["changes"].nothing_changed
    download = _page(member, url + "?chart=motive-split&format=csv").content.decode()
    assert {row["Motive"]: row for row in csv.DictReader(io.StringIO(download))}[ASYLUM][
        "Persons"
    ] == "< 5"


def test_the_clerk_reads_a_snapshot_with_the_members_numbers(clerk, griffie, kleindorp):
    snapshot = _freeze(griffie)

    html = _page(clerk, reverse("dashboards:snapshot_detail", args=[snapshot.pk])).text

    assert _table(html, "motive-split")[ASYLUM][0] == "< 5"


# --- caches: never the other kind of reader's page, figure or download ---


@pytest.mark.parametrize("first", ["member", "clerk"])
@pytest.mark.parametrize(
    "url",
    # With the municipality in the URL the whole page is cached; without it its body and data.
    [_url("overview"), reverse("dashboards:overview")],
)
def test_staff_and_members_never_get_each_others_cached_page(member, clerk, kleindorp, first, url):
    clients = {"member": member, "clerk": clerk}
    order = [first, *(who for who in clients if who != first)]

    seen: dict[str, list] = {"member": [], "clerk": []}
    for who in order * 2:
        html = _page(clients[who], url).text
        bars = _figure(html, "motive-split")["data"][0]
        seen[who].append((_table(html, "motive-split")[ASYLUM][0], 3 in bars["x"]))

    assert seen == {"member": [("< 5", False)] * 2, "clerk": [("3", True)] * 2}


@pytest.mark.parametrize("first", ["member", "clerk"])
def test_staff_and_members_never_get_each_others_cached_download(member, clerk, kleindorp, first):
    clients = {"member": member, "clerk": clerk}
    order = [first, *(who for who in clients if who != first)]

    seen: dict[str, list] = {"member": [], "clerk": []}
    for who in order * 2:
        rows = _download(clients[who], _url("overview", chart="motive-split"), "json")
        seen[who].append(_by_motive(rows)[ASYLUM]["count"])

    assert seen == {"member": ["< 5", "< 5"], "clerk": [3, 3]}


def test_a_changed_threshold_is_never_served_a_page_cached_for_the_old_one(
    member, kleindorp, settings
):
    settings.SMALL_NUMBER_THRESHOLD = 0
    assert _table(_page(member, _url("overview")).text, "motive-split")[ASYLUM][0] == "3"

    settings.SMALL_NUMBER_THRESHOLD = 5

    assert _table(_page(member, _url("overview")).text, "motive-split")[ASYLUM][0] == "< 5"


def test_holding_back_small_numbers_costs_no_query(member, kleindorp, settings):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            _page(member, _url("pack", include="overview:motive-split,compare:motive-comparison"))
        return len(captured)

    queries()  # the first request of a session also saves the session
    settings.SMALL_NUMBER_THRESHOLD = 0
    exact = queries()
    settings.SMALL_NUMBER_THRESHOLD = 5

    assert queries() == exact


# --- figures stay pure: a mark in, a gap out ---


def test_a_figure_leaves_a_held_back_count_out_and_prints_its_mark():
    data = pd.DataFrame(
        {
            "motive": ["asiel", "gezin", "studie"],
            "count": [privacy.Suppressed(5, small=True), 410, privacy.Suppressed(5)],
            "share_of_migrants_pct": [privacy.Suppressed(5), 52.56, privacy.Suppressed(5)],
        }
    )

    with translation.override("en"):
        bar = figures.motive_split(data, title="T")["data"][0]

    assert bar["x"] == [None, None, 410]
    assert bar["text"] == ["< 5<br>(x)", "x<br>(x)", "410<br>(52.6 %)"]


def test_the_xlsx_about_sheet_gives_no_held_back_number_away(member, kleindorp):
    content = _page(member, _url("overview", chart="motive-split") + "&format=xlsx").content

    about = openpyxl.load_workbook(io.BytesIO(content))["About"]

    texts = [text for _, text in about.iter_rows(values_only=True) if isinstance(text, str)]
    with translation.override("en"):
        note = privacy.suppression_note(threshold=5)
    assert note in texts
    assert not [text for text in texts if re.search(r"\b[37]\b", text)]
