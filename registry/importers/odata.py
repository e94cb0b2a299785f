"""CBS open data (OData v3 TypedDataSet) JSON: `{"value": [{"RegioS": …}, …]}`.

The document is read record by record (`json.JSONDecoder.raw_decode` over the text), so
a large file never becomes one big list of dictionaries; nesting too deep for Python,
a document that is no CBS response and a file holding only the first page are refused.
"""

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import ImportFormat
from registry.importers.columns import columns_check, columns_classify
from registry.importers.limits import MAX_COLUMNS, MAX_ROWS
from registry.importers.results import ImportRefused, ParsedFile, Problem
from registry.importers.tables import table_row_parse

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Document:
    """Walks the top-level object, yielding the records of its "value" list."""

    def __init__(self, text: str):
        self.text = text
        self.next_link = False
        self.has_value = False

    def _skip(self, position: int) -> int:
        return _SPACE.match(self.text, position).end()

    def _expect(self, position: int, characters: str) -> int:
        position = self._skip(position)
        if position >= len(self.text) or self.text[position] not in characters:
            raise json.JSONDecodeError(
                f"Expecting one of {characters!r}", self.text, min(position, len(self.text))
            )
        return position

    def records(self) -> Iterator[Any]:
        position = self._expect(0, "{") + 1
        if self.text[self._skip(position)] == "}":
            position = self._skip(position) + 1
        else:
            while True:
                key, position = _DECODER.raw_decode(self.text, self._expect(position, '"'))
                position = self._expect(position, ":") + 1
                position = self._skip(position)
                if key == "value" and self.text.startswith("[", position):
                    self.has_value = True
                    position = yield from self._list(position + 1)
                else:
                    value, position = _DECODER.raw_decode(self.text, position)
                    self.next_link = self.next_link or (key == "odata.nextLink" and bool(value))
                position = self._expect(position, ",}")
                position += 1
                if self.text[position - 1] == "}":
                    break
        if self._skip(position) != len(self.text):
            raise json.JSONDecodeError("Extra data", self.text, self._skip(position))

    def _list(self, position: int) -> Iterator[Any]:
        if self.text.startswith("]", self._skip(position)):
            return self._skip(position) + 1
        while True:
            record, position = _DECODER.raw_decode(self.text, self._skip(position))
            yield record
            position = self._expect(position, ",]") + 1
            if self.text[position - 1] == "]":
                return position


def _refused(message: str) -> ImportRefused:
    return ImportRefused([Problem(message)])


def odata_text_parse(*, text: str) -> ParsedFile:
    """Parse a TypedDataSet document; refused as a whole when it is no CBS response."""
    if text.lstrip()[:1] != "{":
        raise _refused(_("The JSON file is not a CBS open-data response: it has no “value” list."))
    document = _Document(text)
    try:
        parsed = odata_records_parse(records=document.records())
    except json.JSONDecodeError as error:
        raise _refused(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except RecursionError:
        raise _refused(
            _("The JSON file is nested too deeply to be a CBS open-data response.")
        ) from None
    if not document.has_value:
        raise _refused(_("The JSON file is not a CBS open-data response: it has no “value” list."))
    if document.next_link:
        raise _refused(
            _(
                "The file holds only the first page of a paged CBS response "
                "(it has an “odata.nextLink”); download all pages into one file."
            )
        )
    return parsed


def _plain(value: Any) -> Any:
    """A record's value as a cell: lists and objects are no figures."""
    return "[…]" if isinstance(value, list | dict) else value


def odata_records_parse(*, records: Iterable[Any]) -> ParsedFile:
    """Parse the records of a TypedDataSet; also used for pages fetched from CBS."""
    records = iter(records)
    first = next(records, None)
    if first is None:
        return ParsedFile(
            file_format=ImportFormat.CBS_ODATA,
            problems=[Problem(_("The file holds no rows of figures."))],
        )
    if not isinstance(first, dict) or len(first) > MAX_COLUMNS:
        raise _refused(_("The records are not CBS open-data records (objects of fields)."))
    keys = [key for key in first if key != "ID"]
    parsed = ParsedFile(file_format=ImportFormat.CBS_ODATA)
    columns = columns_classify(headers=keys)
    if not columns.has_region() or columns.period is None:
        raise _refused(_("The records have no region (RegioS) or period (Perioden) field."))
    if columns.motive is not None and columns.count is None and len(columns.unknown) == 1:
        # A TypedDataSet names its topic after the table ("Immigratie_1"); one left-over
        # field is unambiguous, several are not.
        columns.count = columns.unknown.pop()
    parsed.problems += columns_check(columns=columns)
    parsed.problems += [_unknown_field(keys[index]) for index in columns.unknown]
    if parsed.problems:
        return parsed
    parsed.label_measure = columns.label_measure
    known = {*keys, "ID"}
    for number, record in _numbered(first, records):
        if number > MAX_ROWS:
            parsed.problems.append(
                Problem(
                    _("The file has more than %(limit)s records; split it into smaller files.")
                    % {"limit": MAX_ROWS}
                )
            )
            break
        if parsed.problems_full():
            break
        if not isinstance(record, dict):
            parsed.problems.append(Problem(_("The record is not an object."), row=number))
            continue
        extra = [key for key in record if key not in known]
        if extra:
            parsed.problems.append(
                Problem(
                    _("The record has a field the first record has not: “%(field)s”.")
                    % {"field": str(extra[0])[:60]},
                    row=number,
                )
            )
            continue
        cells = [_plain(record.get(key)) for key in keys]
        table_row_parse(parsed=parsed, columns=columns, headers=keys, cells=cells, row=number)
    return parsed


def _numbered(first: Any, records: Iterator[Any]) -> Iterator[tuple[int, Any]]:
    yield 1, first
    yield from enumerate(records, start=2)


def _unknown_field(key: str) -> Problem:
    return Problem(
        _(
            "is a field the portal does not know what to do with: a file with a motive "
            "field has one count field; download the table with only the count you mean "
            "to import"
        ),
        column=key,
    )
