"""Writes to the register: imports of migrant counts and population.

Every write is atomic: an import reads, validates and plans the whole file first
(`registry.importers`), then writes in one transaction; a refused file writes nothing.
"""

import csv
import datetime
import hashlib
import io
import itertools
import logging

from django.db import connection, transaction
from django.utils.translation import gettext as _

from migrantportal.access import user_municipality_ids
from migrantportal.audit import audit_log
from migrantportal.figure_cache import figure_cache_invalidate
from registry.constants import (
    NETHERLANDS_CODE,
    ImportFormat,
    Measure,
    Provenance,
    RegionKind,
    SourceKind,
)
from registry.importers.planning import ImportReport, PlannedWrites, figures_plan
from registry.importers.reading import read_file
from registry.importers.results import ImportRefused, ParsedFile, Problem
from registry.importers.validating import ValidatedFigures, figures_validate
from registry.models import ImportBatch, MigrantCount, Municipality, Population, Source

logger = logging.getLogger(__name__)

# Lets a clerk import a national file across municipalities (given to `griffie`).
IMPORT_ANY = "registry.import_any_municipality"

# Rows per INSERT: 500 × 11 values stays under every backend's parameter limit.
WRITE_BATCH_SIZE = 500


def _source_for_file(*, file_name: str, sha256: str, file_format: str) -> Source:
    is_cbs = file_format in (ImportFormat.STATLINE_CSV, ImportFormat.CBS_ODATA)
    source, _created = Source.objects.get_or_create(
        slug=f"import-{sha256[:16]}",
        defaults={
            "title": file_name[:300] or _("Imported file"),
            "publisher": "CBS" if is_cbs else _("Municipality (BRP)"),
            "kind": SourceKind.CBS_TABLE if is_cbs else SourceKind.BRP_EXPORT,
            "year": datetime.date.today().year,
        },
    )
    return source


def migrant_counts_import(
    *,
    content: bytes,
    file_name: str,
    measure: str = Measure.STOCK,
    source: Source | None = None,
    add_municipalities: bool = False,
    dry_run: bool = False,
    user=None,
) -> ImportReport:
    """Import a file of migrant counts (and population) all-or-nothing.

    Raises ImportRefused, having written nothing, when any row is wrong. A dry
    run reports what would change without writing. Re-importing the same file
    changes nothing and records no batch.
    """
    try:
        parsed = read_file(content=content, file_name=file_name)
    except ImportRefused as refused:
        import_refusal_audit(user=user, file_name=file_name, problems=refused.problems)
        raise
    except Exception as error:
        # Whatever the file holds, the clerk gets a refusal, never a server error; the
        # operators get the traceback, to teach the reader this file's fault.
        logger.exception("Import of %s failed while reading", file_name)
        problem = Problem(
            _(
                "The file could not be read; nothing was imported. Check that it is a CBS "
                "download or the portal's template."
            )
        )
        import_refusal_audit(user=user, file_name=file_name, problems=[problem])
        raise ImportRefused([problem]) from error
    return figures_import(
        parsed=parsed,
        content=content,
        file_name=file_name,
        measure=measure,
        source=source,
        add_municipalities=add_municipalities,
        dry_run=dry_run,
        user=user,
    )


def figures_import(
    *,
    parsed: ParsedFile,
    content: bytes,
    file_name: str,
    measure: str = Measure.STOCK,
    source: Source | None = None,
    add_municipalities: bool = False,
    dry_run: bool = False,
    user=None,
) -> ImportReport:
    """Validate already parsed figures and write them; the common path of every import."""
    validated, problems = figures_validate(
        parsed=parsed, measure=measure, add_municipalities=add_municipalities
    )
    problems = parsed.problems + problems + figures_scope_problems(validated=validated, user=user)
    if problems:
        import_refusal_audit(user=user, file_name=file_name, problems=problems)
        raise ImportRefused(problems)
    report = ImportReport(file_format=parsed.file_format, dry_run=dry_run, skipped=parsed.skipped)
    report.municipalities_added = sorted(validated.new_municipalities)
    planned = figures_plan(validated=validated, report=report)
    if dry_run or not report.changed_anything:
        return report
    with transaction.atomic():
        _write(
            validated=validated,
            report=report,
            planned=planned,
            content=content,
            file_name=file_name,
            measure=measure,
            source=source,
            user=user,
        )
        transaction.on_commit(lambda: _import_audit(report=report, file_name=file_name, user=user))
    return report


def import_refusal_audit(*, user, file_name: str, problems: list[Problem]) -> None:
    """One `import_refused` audit line, whatever stage refused the file."""
    audit_log(
        event="import_refused",
        user=user,
        file_name=file_name[:255],
        problems=len(problems),
        first_problem=str(problems[0])[:300] if problems else "",
    )


def figures_scope_problems(*, validated: ValidatedFigures, user) -> list[Problem]:
    """Without the permission to import for every municipality, a user imports only for
    the municipalities they work for: one problem per other municipality (or the
    Netherlands), naming its first row and how many rows it has. None for the operator
    on the command line (no user) and superusers."""
    if user is None or user_municipality_ids(user=user) is None or user.has_perm(IMPORT_ANY):
        return []
    scope = user_municipality_ids(user=user)
    rows: dict[str, list[int]] = {}
    for (code, *_rest), (_value, row, *_more) in [
        *validated.counts.items(),
        *validated.populations.items(),
    ]:
        rows.setdefault(code, []).append(row)
    ids = dict(Municipality.objects.filter(code__in=rows).values_list("code", "pk"))
    names = {**validated.names, **validated.new_municipalities}
    return [
        Problem(
            message=_(
                "is not a municipality you work for (%(count)s row(s)); you may import "
                "figures only for the municipalities in your profile, unless you have the "
                "permission to import for every municipality."
            )
            % {"count": len(code_rows)},
            row=min(code_rows),
            column="municipality",
            value=f"{code} {names.get(code, '')}".strip(),
        )
        for code, code_rows in sorted(rows.items(), key=lambda item: min(item[1]))
        if ids.get(code) not in scope
    ]


def _import_audit(*, report: ImportReport, file_name: str, user) -> None:
    audit_log(
        event="import",
        user=user,
        obj=report.batch,
        file_name=file_name,
        counts_created=report.created,
        counts_updated=report.updated,
        populations_created=report.populations_created,
        populations_updated=report.populations_updated,
        municipalities_added=len(report.municipalities_added),
    )


def _insert_rows(model, field_names: list[str], rows) -> None:
    """Multi-row INSERTs without building model instances.

    bulk_create spends most of its time preparing one model instance per row;
    for a national file of 22,800 rows that was two thirds of the import. The
    values here are already validated, and the database constraints still apply.
    """
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in field_names]
    prefix = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    if connection.vendor == "postgresql":
        _copy_rows(model._meta.db_table, columns, rows)
        return
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, WRITE_BATCH_SIZE)):
            cursor.execute(
                prefix + ", ".join([placeholders] * len(batch)),
                [value for row in batch for value in row],
            )


def _copy_rows(table: str, columns: list[str], rows) -> None:
    """PostgreSQL's COPY: several times faster than INSERT for a national file."""
    buffer = io.StringIO()
    # Quoting every field keeps an empty string from being read as NULL.
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    buffer.seek(0)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )


def _update_rows(model, field_names: list[str], rows) -> None:
    """Set fields of existing rows by primary key, without building model instances.

    `rows`: tuples of the primary key and then the values of `field_names`.
    bulk_update builds a CASE expression per row and field in Python: for a
    national file whose counts all changed that took half a minute, longer than
    gunicorn lets the clerk's confirmation run. Here PostgreSQL gets one
    `UPDATE … FROM (VALUES …)` per batch and SQLite one prepared statement.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(name).column) for name in field_names]
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {key} = %s",
                [(*values, pk) for pk, *values in rows],
            )
            return
        names = ", ".join(f"v{index}" for index in range(len(columns)))
        assignments = ", ".join(f"{column} = new.v{index}" for index, column in enumerate(columns))
        placeholders = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
        while batch := list(itertools.islice(rows, WRITE_BATCH_SIZE)):
            cursor.execute(
                f"UPDATE {table} SET {assignments} "
                f"FROM (VALUES {', '.join([placeholders] * len(batch))}) AS new(pk, {names}) "
                f"WHERE {table}.{key} = new.pk",
                [value for row in batch for value in row],
            )


def _write(
    *,
    validated: ValidatedFigures,
    report: ImportReport,
    planned: PlannedWrites,
    content: bytes,
    file_name: str,
    measure: str,
    source: Source | None,
    user,
) -> None:
    _municipalities_add(new_municipalities=validated.new_municipalities)
    ids = dict(Municipality.objects.values_list("code", "id"))
    sha256 = hashlib.sha256(content).hexdigest()
    source = source or _source_for_file(
        file_name=file_name, sha256=sha256, file_format=report.file_format
    )
    batch = ImportBatch.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        file_name=file_name[:255],
        file_sha256=sha256,
        file_format=report.file_format,
        measure=measure,
        source=source,
        rows_created=report.created,
        rows_updated=report.updated,
        rows_unchanged=report.unchanged,
        rows_skipped=len(report.skipped),
    )
    _counts_write(planned=planned, ids=ids, source=source, batch=batch)
    _populations_write(planned=planned, ids=ids, source=source, batch=batch)
    report.batch = batch
    figure_cache_invalidate()


def _municipalities_add(*, new_municipalities: dict[str, str]) -> None:
    if new_municipalities:
        Municipality.objects.bulk_create(
            Municipality(
                code=code,
                name=name,
                kind=RegionKind.COUNTRY if code == NETHERLANDS_CODE else RegionKind.MUNICIPALITY,
            )
            for code, name in new_municipalities.items()
        )


def _counts_write(
    *, planned: PlannedWrites, ids: dict[str, int], source: Source, batch: ImportBatch
) -> None:
    _insert_rows(
        MigrantCount,
        [
            "municipality",
            "year",
            "motive",
            "measure",
            "persons",
            "source",
            "import_batch",
            "source_detail",
            "provenance",
            "provenance_basis",
            "note",
        ],
        (
            (
                ids[code],
                year,
                motive,
                row_measure,
                persons,
                source.pk,
                batch.pk,
                "",
                Provenance.PUBLISHED,
                "",
                "",
            )
            for (code, year, motive, row_measure), persons in planned.new_counts
        ),
    )
    _update_rows(
        MigrantCount,
        ["persons", "source", "import_batch"],
        ((pk, persons, source.pk, batch.pk) for pk, persons in planned.changed_counts),
    )


def _populations_write(
    *, planned: PlannedWrites, ids: dict[str, int], source: Source, batch: ImportBatch
) -> None:
    _insert_rows(
        Population,
        [
            "municipality",
            "year",
            "inhabitants",
            "source",
            "import_batch",
            "source_detail",
            "provenance",
            "provenance_basis",
            "note",
        ],
        (
            (ids[code], year, inhabitants, source.pk, batch.pk, "", Provenance.PUBLISHED, "", "")
            for (code, year), inhabitants in planned.new_populations
        ),
    )
    _update_rows(
        Population,
        ["inhabitants", "source", "import_batch"],
        ((pk, inhabitants, source.pk, batch.pk) for pk, inhabitants in planned.changed_populations),
    )
