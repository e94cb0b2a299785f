"""A municipality's look on the portal: its name, logo text and colours, as design tokens.

The clerk keeps them in the admin. Every colour pair that carries text must reach the
WCAG 2.1 AA contrast of 4.5:1; `MunicipalityTheme.clean()` refuses one that does not,
so the admin and any other form keep the same rule (`theme_contrast_problems`).
"""

import hashlib
from dataclasses import astuple, dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

HEX_COLOUR_REGEX = r"^#[0-9A-Fa-f]{6}$"
# WCAG 2.1 success criterion 1.4.3 (AA) for normal text.
MINIMUM_CONTRAST = 4.5

_hex_colour = RegexValidator(HEX_COLOUR_REGEX, _("Give a colour as # and six hex digits."))


@dataclass(frozen=True)
class ThemeTokens:
    """The design tokens a page is drawn with; `code` names the theme's stylesheet."""

    code: str
    name: str
    logo_text: str
    primary_colour: str
    primary_text_colour: str
    link_colour: str
    background_colour: str
    text_colour: str

    def fingerprint(self) -> str:
        """Short and changed by any change of a token: the stylesheet's address carries it."""
        return hashlib.sha256(repr(astuple(self)).encode()).hexdigest()[:12]


# The neutral look of a page that names no municipality, or one without a theme.
DEFAULT_THEME = ThemeTokens(
    code="standaard",
    name="",
    logo_text="",
    primary_colour="#154273",
    primary_text_colour="#ffffff",
    link_colour="#01689b",
    background_colour="#ffffff",
    text_colour="#1b1b1b",
)

# (foreground field, background field, what the pair is used for)
CONTRAST_PAIRS = (
    ("text_colour", "background_colour", _("text on the page background")),
    ("link_colour", "background_colour", _("links on the page background")),
    ("primary_text_colour", "primary_colour", _("text on the header and buttons")),
)


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme_contrast_problems(colours: dict[str, str]) -> dict[str, str]:
    """Per foreground field, why its pair falls short of 4.5:1 (a bad colour skips its pair)."""
    valid = {
        name: value
        for name, value in colours.items()
        if isinstance(value, str) and _hex_colour.regex.match(value)
    }
    problems = {}
    for foreground, background, use in CONTRAST_PAIRS:
        if foreground not in valid or background not in valid:
            continue
        ratio = contrast_ratio(valid[foreground], valid[background])
        if ratio < MINIMUM_CONTRAST:
            problems[foreground] = _(
                "The contrast of %(use)s is %(ratio)s:1; WCAG 2.1 AA asks at least %(least)s:1."
            ) % {
                "use": use,
                "ratio": number_format(int(ratio * 100) / 100, 2),
                "least": number_format(MINIMUM_CONTRAST, 1),
            }
    return problems


def _colour_field(label, help_text):
    return models.CharField(label, max_length=7, validators=[_hex_colour], help_text=help_text)


class MunicipalityTheme(models.Model):
    """A municipality's name, logo text and colours on the portal (design tokens)."""

    municipality = models.OneToOneField(
        "registry.Municipality",
        on_delete=models.CASCADE,
        related_name="theme",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown in the page header, e.g. Gemeente Haarlem.")
    )
    logo_text = models.CharField(
        _("logo text"),
        max_length=40,
        blank=True,
        help_text=_("A short word mark shown before the name; leave empty for none."),
    )
    primary_colour = _colour_field(_("primary colour"), _("Header and button background."))
    primary_text_colour = _colour_field(
        _("text on primary colour"), _("Text in the header and on buttons.")
    )
    link_colour = _colour_field(_("link colour"), _("Links on the page background."))
    background_colour = _colour_field(_("page background"), _("Usually white, #ffffff."))
    text_colour = _colour_field(_("text colour"), _("Body text on the page background."))

    class Meta:
        verbose_name = _("municipality theme")
        verbose_name_plural = _("municipality themes")
        ordering = ["municipality__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    primary_colour__regex=HEX_COLOUR_REGEX,
                    primary_text_colour__regex=HEX_COLOUR_REGEX,
                    link_colour__regex=HEX_COLOUR_REGEX,
                    background_colour__regex=HEX_COLOUR_REGEX,
                    text_colour__regex=HEX_COLOUR_REGEX,
                ),
                name="municipality_theme_colours_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = theme_contrast_problems(
            {field: getattr(self, field) for field, _bg, _use in CONTRAST_PAIRS}
            | {bg: getattr(self, bg) for _fg, bg, _use in CONTRAST_PAIRS}
        )
        if problems:
            raise ValidationError(problems)

    def tokens(self) -> ThemeTokens:
        return ThemeTokens(
            code=self.municipality.code,
            name=self.name,
            logo_text=self.logo_text,
            primary_colour=self.primary_colour,
            primary_text_colour=self.primary_text_colour,
            link_colour=self.link_colour,
            background_colour=self.background_colour,
            text_colour=self.text_colour,
        )
