from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR_MIN = 1990
YEAR_MAX = 2100

# CBS region codes: municipalities are GM + four digits, the Netherlands NL01.
REGION_CODE_REGEX = r"^(GM[0-9]{4}|NL01)$"
NETHERLANDS_CODE = "NL01"
# CBS changed how it determines the migration motive in this year (its own caption says so).
CBS_METHOD_CHANGE_YEAR = 2020


class MotiveSlug(models.TextChoices):
    ASIEL = "asiel", _("Asylum")
    ARBEID = "arbeid", _("Labour")
    GEZIN = "gezin", _("Family")
    STUDIE = "studie", _("Study")
    OEKRAINE = "oekraine", _("Ukrainian displaced persons")
    ONBEKEND = "onbekend", _("Unknown")


# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
MOTIVE_COLOURS: dict[str, str] = {
    MotiveSlug.ASIEL: "#D55E00",
    MotiveSlug.ARBEID: "#0072B2",
    MotiveSlug.GEZIN: "#009E73",
    MotiveSlug.STUDIE: "#CC79A7",
    MotiveSlug.OEKRAINE: "#E69F00",
    MotiveSlug.ONBEKEND: "#7F7F7F",
}


class Measure(models.TextChoices):
    STOCK = "stock", _("Stock (registered residents at a reference date)")
    INFLOW = "inflow", _("Inflow (immigrants during the year)")


class RegionKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTRY = "country", _("Country")


class SourceKind(models.TextChoices):
    CBS_TABLE = "cbs_table", _("CBS table")
    BRP_EXPORT = "brp_export", _("BRP export")
    REPORT = "report", _("Report")
    COUNCIL_LETTER = "council_letter", _("Letter to the council")
    OTHER = "other", _("Other")


class ShareBasis(models.TextChoices):
    POPULATION = "population", _("Share of inhabitants")
    MIGRANTS = "migrants", _("Share of registered migrants")


class BreakdownDimension(models.TextChoices):
    ORIGIN = "origin", _("Origin")
    LENGTH_OF_STAY = "length_of_stay", _("Length of stay")
    HOUSEHOLD = "household", _("Household type")


class ImportFormat(models.TextChoices):
    STATLINE_CSV = "statline_csv", _("CBS StatLine CSV")
    CBS_ODATA = "cbs_odata", _("CBS open data (OData JSON)")
    TEMPLATE_CSV = "template_csv", _("Portal template (CSV)")
    TEMPLATE_XLSX = "template_xlsx", _("Portal template (XLSX)")


class ImportAction(models.TextChoices):
    """What an import does with one figure, as its preview lists it."""

    NEW = "new", _("New")
    UPDATE = "update", _("Changed")
    UNCHANGED = "unchanged", _("Unchanged")


class Provenance(models.TextChoices):
    """What kind of value a figure is; the values are the Dutch words exports carry."""

    PUBLISHED = "gepubliceerd", _("published")
    COMPUTED = "berekend", _("computed by the portal")
    DERIVED = "afgeleid", _("derived from a share")
    ESTIMATED = "geschat", _("estimated")
    FOUND = "gebleken", _("found (counted)")


# A computed or derived figure says how it was made.
PROVENANCE_NEEDS_BASIS = (Provenance.COMPUTED, Provenance.DERIVED)
