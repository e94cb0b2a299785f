"""The Haarlemmermeer policy matrix as the report (Tabel 1, §3.1–§3.3, §4) says it."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from policy.constants import LegalPosition, PolicyStatus, UnusedRoomBasis
from policy.models import PolicyCell
from tests.content import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


HAARLEMMERMEER = "GM0394"


def _cell(group: str, theme: str) -> PolicyCell:
    return PolicyCell.objects.get(
        municipality__code=HAARLEMMERMEER, group__slug=group, theme__slug=theme
    )


def _export() -> dict:
    out = io.StringIO()
    call_command("export_policy", "--municipality", HAARLEMMERMEER, stdout=out)
    return json.loads(out.getvalue())


def _exported_cell(group: str, theme: str) -> dict:
    return next(
        cell
        for cell in _export()["policy_matrix"]
        if (cell["group"], cell["theme"]) == (group, theme)
    )


@pytest.mark.parametrize("theme", ["onderwijs", "werk", "zorg-welzijn", "inkomen"])
def test_status_holders_get_services_through_generic_policy_not_a_specific_duty(demo, theme):
    # §3.1: "diensten aan statushouders via het generieke beleid voor werk en inkomen
    # (voor mensen met bijstand), onderwijs (voor jeugd) en zorg en welzijn".
    assert _cell("statushouders", theme).legal_position == LegalPosition.GENERIC_POLICY


@pytest.mark.parametrize("theme", ["huisvesting", "inburgering"])
def test_status_holders_keep_their_two_statutory_duties(demo, theme):
    assert _cell("statushouders", theme).legal_position == LegalPosition.STATUTORY_DUTY


@pytest.mark.parametrize("group", ["gezinsmigranten", "arbeidsmigranten"])
def test_education_for_children_of_family_and_labour_migrants_is_read_alike(demo, group):
    # Conclusion 1: "onderwijs voor kinderen van migranten", without a group-specific task.
    cell = _cell(group, "onderwijs")

    assert cell.legal_position == LegalPosition.GENERIC_POLICY
    assert "conclusie 1" in cell.source_section


def test_status_holder_education_cites_both_section_3_1_and_conclusion_1(demo):
    cell = _cell("statushouders", "onderwijs")

    assert "§3.1" in cell.source_section
    assert "conclusie 1" in cell.source_section


def test_the_status_holder_row_is_read_with_the_spacing_rule_of_the_ukrainian_row(demo):
    # "✔️ ✔️ ✔️␣␣✔️ ✔️ ✔️": six marks and one empty cell fill the row from opvang on.
    statuses = {
        theme: _cell("statushouders", theme).policy_status
        for theme in ["opvang", "huisvesting", "inburgering", "onderwijs", "werk"]
    }

    assert statuses == {
        "opvang": PolicyStatus.ACTIVE,
        "huisvesting": PolicyStatus.ACTIVE,
        "inburgering": PolicyStatus.ACTIVE,
        "onderwijs": PolicyStatus.NONE,
        "werk": PolicyStatus.ACTIVE,
    }


def test_the_ukrainian_row_places_its_four_marks_by_their_spaces(demo):
    active = {
        cell.theme.slug
        for cell in PolicyCell.objects.filter(
            municipality__code=HAARLEMMERMEER,
            group__slug="oekraiense-ontheemden",
            policy_status=PolicyStatus.ACTIVE,
        )
    }

    assert active == {"opvang", "onderwijs", "zorg-welzijn", "inkomen"}


def test_the_cells_whose_reading_stays_uncertain_are_marked_with_a_reason(demo):
    uncertain = {
        (cell.group.slug, cell.theme.slug)
        for cell in PolicyCell.objects.filter(municipality__code=HAARLEMMERMEER, uncertain=True)
    }

    assert uncertain == {
        ("statushouders", "opvang"),
        ("statushouders", "onderwijs"),
        ("oekraiense-ontheemden", "inburgering"),
        ("arbeidsmigranten", "opvang"),
        ("arbeidsmigranten", "werk"),
        ("gezinsmigranten", "onderwijs"),
    }
    assert all(
        cell.uncertain_reason.startswith("onzeker")
        for cell in PolicyCell.objects.filter(uncertain=True)
    )


def test_labour_migrant_housing_is_announced_policy_not_active(demo):
    # §3.2: "Dit beleid is nog niet vastgesteld of in uitvoering."
    assert _cell("arbeidsmigranten", "huisvesting").policy_status == PolicyStatus.ANNOUNCED


def test_the_labour_migrant_reception_cell_cites_conclusion_6(demo):
    cell = _cell("arbeidsmigranten", "opvang")

    assert "conclusie 6" in cell.source_section
    assert "(nog) geen (integraal) beleid" in cell.uncertain_reason


def test_asylum_work_is_unused_room_on_the_reports_own_word(demo):
    exported = _exported_cell("asielzoekers", "werk")

    assert (exported["unused_room"], exported["unused_room_basis"]) == (
        True,
        UnusedRoomBasis.REPORT,
    )
    assert "benut deze ruimte nu niet" in exported["unused_room_source"]


def test_unused_room_found_only_by_the_portals_rule_says_so(demo):
    exported = _exported_cell("arbeidsmigranten", "zorg-welzijn")

    assert (exported["unused_room"], exported["unused_room_basis"]) == (
        True,
        UnusedRoomBasis.PORTAL,
    )


def test_student_migrant_housing_is_not_marked_as_unused_room(demo):
    # §3.3: "Voor studiemigranten ... ziet de rekenkamer geen specifieke aandachtspunten."
    exported = _exported_cell("studiemigranten", "huisvesting")

    assert exported["unused_room"] is False
    assert exported["unused_room_basis"] is None


def test_the_matrix_page_shows_the_report_note_on_generic_provisions(client, raadslid, demo):
    client.force_login(raadslid)

    page = client.get(reverse("dashboards:matrix") + f"?municipality={HAARLEMMERMEER}")

    assert "Wet maatschappelijke ondersteuning" in page.text
    assert "§3.2 (tekst bij tabel 1)" in page.text


def test_the_matrix_page_labels_the_reports_unused_room_apart_from_the_portals(
    client, raadslid, demo
):
    client.force_login(raadslid)

    matrix = client.get(reverse("dashboards:matrix")).context["page"].matrices[0]

    bases = {
        (group.slug, theme.slug): cell.unused_room_basis
        for group, row in matrix.rows
        for theme, cell in zip(matrix.themes, row, strict=True)
        if cell and cell.unused_room
    }
    assert bases == {
        ("asielzoekers", "werk"): "rapport",
        ("oekraiense-ontheemden", "inburgering"): "portaal",
        ("arbeidsmigranten", "zorg-welzijn"): "portaal",
    }


def test_a_cell_marked_by_the_report_must_quote_it(demo):
    cell = _cell("asielzoekers", "werk")
    cell.unused_room_source = ""

    with pytest.raises(Exception, match="policycell_unused_room_has_source"):
        cell.full_clean()


def test_an_uncertain_cell_must_give_readers_a_reason(demo):
    cell = _cell("studiemigranten", "opvang")
    cell.uncertain = True

    with pytest.raises(Exception, match="policycell_uncertain_has_reason"):
        cell.full_clean()
