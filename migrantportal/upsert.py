"""Create or update a row by its natural key, touching only what differs.

Loaders that run again and again (the demo content, reference data) use this so
that a second run writes nothing and reports every row as unchanged.

Why not a library (measured 2026-11-29, docs/benchmarks.md, "The demo loaders'
upsert against the library paths"): django-import-export with `skip_unchanged` keeps
a second load free of writes and history rows too, but took 1.5–2.4× as long on the
first load and 3.9–7.1× on the second; natural-key fixtures with `loaddata` took
1.5–1.9× and 3.8–5.1× and need natural keys on sixteen models; a fixture with primary
keys is faster (0.45–0.61× and 0.77–0.86×) but overwrites the rows holding its keys.
Fixtures are saved "raw", which simple-history does not record, so the audit
office's texts would start without their creation entry in the history. Neither
path reports the created/updated/unchanged counts `load_demo` prints, nor sets a
demo user's password only when it no longer matches (`demo_users_ensure`).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Upserted(Generic[M]):
    instance: M
    outcome: Outcome


def upsert(
    *,
    model: type[M],
    lookup: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
) -> Upserted[M]:
    """Find the row matching `lookup`; create it, or update the fields of `values`
    and the many-to-many sets of `m2m` that differ.

    `lookup` and `values` name model fields (foreign keys take an instance or
    None); values are converted the way the field would read them from the
    database, so "2025-09-29" matches a stored date and 11.4 a stored 11.40.
    """
    wanted = {name: _python_value(model, name, value) for name, value in (values or {}).items()}
    try:
        instance = model._default_manager.get(**lookup)
    except model.DoesNotExist:
        instance = model(**lookup, **wanted)
        _validate(instance, fields=[*lookup, *wanted])
        instance.save(force_insert=True)
        for name, related in (m2m or {}).items():
            m2m_sync(instance=instance, name=name, related=related)
        return Upserted(instance, Outcome.CREATED)

    changed = [
        name for name, value in wanted.items() if _stored_value(instance, name) != _key(value)
    ]
    if changed:
        for name in changed:
            setattr(instance, name, wanted[name])
        _validate(instance, fields=changed)
        instance.save(update_fields=changed)

    m2m_changed = False
    for name, related in (m2m or {}).items():
        m2m_changed |= m2m_sync(instance=instance, name=name, related=related)

    outcome = Outcome.UPDATED if changed or m2m_changed else Outcome.UNCHANGED
    return Upserted(instance, outcome)


def m2m_sync(*, instance: models.Model, name: str, related: Iterable[models.Model]) -> bool:
    """Make the many-to-many `name` hold exactly `related`; True if it had to change."""
    related = list(related)
    manager = getattr(instance, name)
    if set(manager.values_list("pk", flat=True)) == {obj.pk for obj in related}:
        return False
    manager.set(related)
    return True


def upsert_counted(
    *,
    counts: Counter,
    model: type[M],
    lookup: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
) -> M:
    """`upsert`, tallying the outcome in `counts` under (model label, outcome)."""
    result = upsert(model=model, lookup=lookup, values=values, m2m=m2m)
    counts[(model._meta.label, str(result.outcome))] += 1
    return result.instance


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


# In a loader's table of fields: the item must give this one (no default).
REQUIRED: Any = _Required()


def item_values(item: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """The plain values of a data item: `fields` maps each name to its default where the
    item may leave it out, or to REQUIRED where it must give it (a KeyError names it)."""
    return {
        name: item[name] if default is REQUIRED else item.get(name, default)
        for name, default in fields.items()
    }


class UnknownReference(ValueError):
    """A natural key in the data names nothing that exists."""


def resolve(index: Mapping[Any, M], key: Any, *, what: str) -> M:
    """Look a natural key up in `index`, failing with a message that names it."""
    try:
        return index[key]
    except KeyError:
        raise UnknownReference(f"Unknown {what}: {key!r}") from None


def sections_check(*, data: Mapping[str, Any], sections: Iterable[str]) -> None:
    """Refuse top-level keys a loader does not know, so a misspelt section is not
    silently skipped; "about" is free text for people reading the file."""
    unknown = set(data) - {*sections, "about"}
    if unknown:
        raise ValueError(f"Unknown sections in the data: {', '.join(sorted(unknown))}")


def _python_value(model: type[models.Model], name: str, value: Any) -> Any:
    field = model._meta.get_field(name)
    if field.is_relation:
        return value
    if isinstance(value, float) and isinstance(field, models.DecimalField):
        # repr keeps 11.4 from becoming 11.4000000000000003552713678800500929355621337890625
        value = Decimal(repr(value))
    return field.to_python(value)


def _key(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _stored_value(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    # Comparing ids avoids a query per foreign key.
    return getattr(instance, field.attname)


def _validate(instance: models.Model, *, fields: Iterable[str]) -> None:
    # Only the fields being written are checked, mainly for max_length, which
    # SQLite does not enforce; the database checks relations and uniqueness.
    checked = {instance._meta.get_field(name).name for name in fields}
    exclude = [
        field.name
        for field in instance._meta.concrete_fields
        if field.name not in checked or field.is_relation
    ]
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
