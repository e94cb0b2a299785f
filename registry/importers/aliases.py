"""The names the importer understands: headers, motive and measure labels, the template.

Header names and motive labels are matched against the alias lists below,
case- and accent-insensitively, on the parts of a CBS label such as
`Immigratie/Migratiemotief/Asiel (aantal)` (the unit in brackets ignored).
docs/importing.md documents them with an example of each format.
"""

import functools
import re
import unicodedata
from typing import Any

from registry.constants import Measure, MotiveSlug

REGION_CODE_HEADERS = {
    "gemeentecode",
    "regiocode",
    "cbs code",
    "cbs-code",
    "code",
    "municipality code",
    "region code",
}
REGION_NAME_HEADERS = {"gemeentenaam", "naam", "regionaam", "municipality name", "name"}
# Columns that hold a code or a name, told apart cell by cell.
REGION_HEADERS = {"regios", "regio", "gemeente", "gemeenten", "region", "regions", "municipality"}
PERIOD_HEADERS = {"perioden", "periode", "jaar", "year", "period", "periods"}
MOTIVE_HEADERS = {"migratiemotief", "motief", "motive", "migration motive"}
MEASURE_HEADERS = {"maat", "measure"}
COUNT_HEADER_PREFIXES = (
    "aantal",
    "migranten",
    "immigratie",
    "immigranten",
    "personen",
    "count",
    "persons",
    "migrants",
    "immigrants",
)
POPULATION_HEADER_PREFIXES = ("bevolking", "inwoners", "population", "inhabitants")
# Parts that make a label a count of migrants rather than of inhabitants.
MIGRANT_HEADER_PREFIXES = ("migranten", "immigratie", "immigranten", "migrants", "immigrants")
# What a figure column's label says is counted: checked against the clerk's choice.
INFLOW_LABEL_PREFIXES = ("immigratie", "immigranten", "instroom", "inflow", "immigrants")
STOCK_LABEL_PREFIXES = ("stand", "bestand", "voorraad", "stock")
STOCK_LABEL_PHRASES = ("op 1 januari", "on 1 january", "per 1 januari")
# Label columns a file may carry beside the figures, which the import does not use.
IGNORED_HEADERS = {
    "id",
    "toelichting",
    "opmerking",
    "opmerkingen",
    "note",
    "notes",
    "comment",
    "comments",
    "bron",
    "source",
    "provincie",
    "province",
}
TOTAL_LABELS = {"totaal", "total", "t001056", "totaal migratiemotieven", "totaal alle motieven"}

MOTIVE_ALIASES: dict[str, set[str]] = {
    MotiveSlug.ASIEL: {"asiel", "asielmigratie", "asielmigrant", "asielmigranten", "asylum"},
    MotiveSlug.ARBEID: {
        "arbeid",
        "arbeidsmigratie",
        "arbeidsmigrant",
        "arbeidsmigranten",
        "labour",
        "labor",
        "work",
    },
    MotiveSlug.GEZIN: {"gezin", "gezinsmigratie", "gezinsmigrant", "gezinsmigranten", "family"},
    MotiveSlug.STUDIE: {"studie", "studiemigratie", "studiemigrant", "studiemigranten", "study"},
    MotiveSlug.OEKRAINE: {
        "oekraine",
        "oekraiense ontheemden",
        "oekrainers",
        "tijdelijke bescherming",
        "ukrainian displaced persons",
        "ukrainians",
        "temporary protection",
    },
    MotiveSlug.ONBEKEND: {"onbekend", "overig", "overige", "unknown", "other"},
}
# CBS open data codes of the dimension Migratiemotief (tables 84809NED, 84808NED).
CBS_MOTIVE_CODES = {
    "a009232": MotiveSlug.ARBEID,
    "a009233": MotiveSlug.ASIEL,
    "a009234": MotiveSlug.GEZIN,
    "a009235": MotiveSlug.STUDIE,
    "a052135": MotiveSlug.OEKRAINE,
    "a009238": MotiveSlug.ONBEKEND,
}
MEASURE_ALIASES = {
    Measure.STOCK: {"stock", "stand", "bestand", "voorraad"},
    Measure.INFLOW: {"inflow", "instroom", "immigratie"},
}
_UNIT = re.compile(r"\s*\([^()]*\)\s*$")

MOTIVE_BY_LABEL = {alias: slug for slug, aliases in MOTIVE_ALIASES.items() for alias in aliases}
MOTIVE_BY_LABEL.update({slug.value: slug for slug in MotiveSlug})
MOTIVE_BY_LABEL.update(CBS_MOTIVE_CODES)
MEASURE_BY_LABEL = {alias: slug for slug, aliases in MEASURE_ALIASES.items() for alias in aliases}

TEMPLATE_HEADERS_NL = [
    "Gemeentecode",
    "Gemeente",
    "Jaar",
    "Migratiemotief",
    "Maat",
    "Aantal",
    "Bevolking",
]
TEMPLATE_HEADERS_EN = [
    "Municipality code",
    "Municipality",
    "Year",
    "Motive",
    "Measure",
    "Count",
    "Population",
]


@functools.lru_cache(maxsize=4096)
def _normalise_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("'", "").replace("\u2019", "").replace('"', "")
    return " ".join(plain.lower().split())


def normalise(text: Any) -> str:
    """Lower case, accents and apostrophes removed, white space folded."""
    # Cached: a national file repeats the same few labels tens of thousands of times.
    return _normalise_text(str(text))


def label_parts(header: Any) -> list[str]:
    """`Immigratie/Migratiemotief/Asiel (aantal)` → ['immigratie', 'migratiemotief', 'asiel']."""
    without_unit = _UNIT.sub("", str(header))
    return [normalise(part) for part in without_unit.split("/") if normalise(part)]


def motive_from_label(label: Any) -> str | None:
    return MOTIVE_BY_LABEL.get(normalise(label))


def template_rows(*, language: str = "nl") -> list[list[str]]:
    """The portal's template: a header and two example rows (from the Haarlemmermeer report)."""
    headers = TEMPLATE_HEADERS_EN if language.startswith("en") else TEMPLATE_HEADERS_NL
    measure = "stock" if language.startswith("en") else "stand"
    return [
        headers,
        ["GM0394", "Haarlemmermeer", "2023", "gezin", measure, "7.975", "162.105"],
        ["GM0394", "Haarlemmermeer", "2023", "arbeid", measure, "4.025", "162.105"],
    ]
