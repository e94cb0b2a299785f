"""A municipality's theme: colours that break the WCAG 2.1 AA contrast are refused, in one
place (MunicipalityTheme.clean), and every theme the portal ships keeps that rule."""

import json

import pytest
from django.core.exceptions import ValidationError

from registry import models as rm
from registry.models.themes import (
    CONTRAST_PAIRS,
    DEFAULT_THEME,
    MINIMUM_CONTRAST,
    contrast_ratio,
    theme_contrast_problems,
)
from tests import factories as f
from tests.builders import refused, theme_fields
from tests.paths import PROJECT

COLOURS = [name for name in theme_fields() if name.endswith("colour")]


def _theme(**colours) -> rm.MunicipalityTheme:
    return rm.MunicipalityTheme(
        municipality=f.MunicipalityFactory(code="GM9001"), **theme_fields(**colours)
    )


def test_black_on_white_has_the_largest_contrast_and_a_colour_on_itself_the_smallest():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)


def test_the_contrast_ratio_matches_a_known_wcag_value():
    # #767676 on white is the well-known lightest grey that passes AA: 4.54:1.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.django_db
def test_a_theme_with_enough_contrast_is_accepted():
    _theme().full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "colours"),
    [
        ("text_colour", {"text_colour": "#999999"}),
        ("link_colour", {"link_colour": "#4da3ff"}),
        ("primary_text_colour", {"primary_colour": "#ffcc00"}),
        ("text_colour", {"background_colour": "#333333"}),
    ],
)
def test_a_pair_under_four_and_a_half_to_one_is_refused_on_its_text_colour(field, colours):
    with pytest.raises(ValidationError) as refused:
        _theme(**colours).full_clean()

    assert field in refused.value.message_dict
    assert "WCAG 2.1 AA" in " ".join(refused.value.message_dict[field])


@pytest.mark.django_db
def test_the_refusal_gives_the_ratio_and_the_minimum_in_dutch_numbers():
    with pytest.raises(ValidationError) as refused:
        _theme(text_colour="#999999").full_clean()

    assert "2,84:1" in refused.value.message_dict["text_colour"][0]
    assert "4,5:1" in refused.value.message_dict["text_colour"][0]


@pytest.mark.django_db
def test_a_colour_that_is_no_hex_colour_is_refused_without_a_contrast_error():
    with pytest.raises(ValidationError) as refused:
        _theme(link_colour="blue").full_clean()

    assert list(refused.value.message_dict) == ["link_colour"]


@pytest.mark.django_db
def test_the_database_refuses_a_colour_that_is_no_hex_colour():
    assert refused(lambda: _theme(primary_colour="red;}").save())


def test_the_neutral_default_theme_keeps_the_contrast_rule():
    colours = {name: getattr(DEFAULT_THEME, name) for name in COLOURS}

    assert theme_contrast_problems(colours) == {}


def test_every_demo_theme_keeps_the_contrast_rule():
    data = json.loads((PROJECT / "fixtures" / "demo" / "registry.json").read_text())
    themes = data["municipality_themes"]

    assert themes, "the demo has themes"
    for theme in themes:
        colours = {key: value for key, value in theme.items() if key.endswith("colour")}
        assert theme_contrast_problems(colours) == {}, theme["municipality"]


@pytest.mark.django_db
def test_every_loaded_demo_municipality_has_a_theme_that_passes_its_own_clean(demo):
    themes = rm.MunicipalityTheme.objects.select_related("municipality")

    assert {t.municipality.code for t in themes} >= {"GM0394", "GM0637"}
    for theme in themes:
        theme.full_clean()
        for foreground, background, _use in CONTRAST_PAIRS:
            ratio = contrast_ratio(getattr(theme, foreground), getattr(theme, background))
            assert ratio >= MINIMUM_CONTRAST
