#!/usr/bin/env python3
"""Measure the demo loaders' hand-written upsert against the library paths (docs/benchmarks.md).

Runs in a throwaway test database of the configured kind (SQLite by default,
PostgreSQL with DATABASE_URL), so it never touches real data:

    .venv/bin/python scripts/benchmark_load_demo.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/migrantportal \
        .venv/bin/python scripts/benchmark_load_demo.py

Loads the registry and policy demo content (what `load_demo` loads besides its four users)
three ways, each into the migrated database and then a second time over itself:

- upsert: `registry_demo_load` and `policy_demo_load`, as `load_demo` does;
- loaddata (pk): a Django fixture of the same rows, dumped from the loaded demo, with
  primary keys: the cheapest fixture there is, but one that overwrites whatever rows hold
  those keys in a database that has other content;
- loaddata (natural keys): the same with `--natural-foreign --natural-primary`, the keys
  being the loaders' lookups; the models define no natural keys, so this script gives
  them `natural_key()` and `get_by_natural_key()` for the run;
- import-export: one django-import-export `ModelResource` per model, with the natural key
  as `import_id_fields`, foreign keys and many-to-many sets by natural key where there is
  a single-field one, and `skip_unchanged = True`; datasets exported from the loaded demo.

For scale, the whole `load_demo` command (the same upsert, plus the four demo users, whose
passwords are hashed and checked) is timed too.

Each load runs in a transaction that is rolled back, so every first load starts from the
migrated database. Reports medians of several runs, the ratio to upsert, the queries of
each load and the simple-history rows each load writes.
"""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "migrantportal.settings")

import django  # noqa: E402

django.setup()

from benchtools import throwaway_test_database  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from import_export import fields, resources, widgets  # noqa: E402

from dashboards.management.commands.load_demo import DEMO_DIR  # noqa: E402
from policy.demo import policy_demo_load  # noqa: E402
from registry.demo import registry_demo_load  # noqa: E402

RUNS = 5

# Every model the two loaders write, in an order that satisfies the foreign keys.
DEMO_MODELS = [
    "registry.Source",
    "registry.Municipality",
    "registry.Population",
    "registry.MigrantCount",
    "registry.MigrantShare",
    "registry.MigrantBreakdown",
    "registry.Estimate",
    "policy.PolicyTheme",
    "policy.Report",
    "policy.PolicyCell",
    "policy.AttentionPoint",
    "policy.Conclusion",
    "policy.Recommendation",
    "policy.Indicator",
    "policy.ProgrammeLine",
    "policy.ContextNote",
]
# The lookups of the loaders' upserts.
NATURAL_KEYS = {
    "registry.Source": ("slug",),
    "registry.Municipality": ("code",),
    "registry.Population": ("municipality", "year"),
    "registry.MigrantCount": ("municipality", "year", "motive", "measure"),
    "registry.MigrantShare": ("municipality", "year", "motive", "measure", "basis"),
    "registry.MigrantBreakdown": (
        "municipality",
        "year",
        "motive",
        "measure",
        "dimension",
        "category",
    ),
    "registry.Estimate": ("municipality", "year", "label"),
    "policy.PolicyTheme": ("slug",),
    "policy.Report": ("slug",),
    "policy.PolicyCell": ("municipality", "group", "theme"),
    "policy.AttentionPoint": ("report", "number"),
    "policy.Conclusion": ("report", "number"),
    "policy.Recommendation": ("report", "number"),
    "policy.Indicator": ("municipality", "slug", "year"),
    "policy.ProgrammeLine": ("report", "kind", "number"),
    "policy.ContextNote": ("report", "number"),
}
# Related models with a single-field natural key, and that field.
NATURAL_FIELD = {
    "Municipality": "code",
    "Source": "slug",
    "Motive": "slug",
    "MigrantGroup": "slug",
    "PolicyTheme": "slug",
    "Report": "slug",
}


def _natural_keys_add() -> None:
    """Give the demo models the natural keys a natural-key fixture needs (this run only)."""
    for label, names in {**NATURAL_KEYS, "policy.MigrantGroup": ("slug",)}.items():
        model = apps.get_model(label)
        model.natural_key = _natural_key_method(names)
        manager = model._default_manager
        manager.__class__ = type(
            f"{model.__name__}NaturalKeyManager",
            (manager.__class__,),
            {"get_by_natural_key": _get_by_natural_key_method(names)},
        )


def _natural_key_method(names: tuple[str, ...]) -> Callable:
    def natural_key(self) -> tuple:
        key = []
        for name in names:
            field = self._meta.get_field(name)
            related = getattr(self, name) if field.is_relation else None
            if related is not None and hasattr(related, "natural_key"):
                key.append(related.natural_key())
            else:
                key.append(getattr(self, field.attname))
        return tuple(key)

    return natural_key


def _get_by_natural_key_method(names: tuple[str, ...]) -> Callable:
    def get_by_natural_key(self, *values):
        lookup = {}
        for name, value in zip(names, values, strict=True):
            field = self.model._meta.get_field(name)
            if field.is_relation and isinstance(value, list | tuple):
                value = field.related_model._default_manager.get_by_natural_key(*value)
            lookup[name] = value
        return self.get(**lookup)

    return get_by_natural_key


def _resource_for(label: str) -> type[resources.ModelResource]:
    model = apps.get_model(label)
    attrs: dict = {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if not field.is_relation or field.primary_key:
            continue
        natural = NATURAL_FIELD.get(field.related_model.__name__, "pk")
        widget_class = widgets.ManyToManyWidget if field.many_to_many else widgets.ForeignKeyWidget
        attrs[field.name] = fields.Field(
            attribute=field.name,
            column_name=field.name,
            widget=widget_class(field.related_model, field=natural),
        )
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "exclude": ("id",),
            "import_id_fields": NATURAL_KEYS[label],
            "skip_unchanged": True,
            "use_transactions": False,
        },
    )
    return type(
        f"{model.__name__}DemoResource", (resources.ModelResource,), {**attrs, "Meta": meta}
    )


def _history_rows() -> int:
    return sum(
        model._default_manager.count()
        for app in ("registry", "policy")
        for model in apps.get_app_config(app).get_models()
        if model._meta.model_name.startswith("historical")
    )


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _prepare(fixtures: dict[str, Path]) -> dict:
    """Load the demo once (rolled back) to dump a fixture and export the datasets."""
    registry_data, policy_data = (
        json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("registry", "policy")
    )
    with _rolled_back():
        registry_demo_load(data=registry_data)
        policy_demo_load(data=policy_data)
        call_command("dumpdata", *DEMO_MODELS, output=str(fixtures["pk"]), verbosity=0)
        _natural_keys_add()
        call_command(
            "dumpdata",
            *DEMO_MODELS,
            "--natural-foreign",
            "--natural-primary",
            output=str(fixtures["natural"]),
            verbosity=0,
        )
        # In primary-key order, as loaded: a report names a related report loaded before it.
        datasets = {
            label: _resource_for(label)().export(
                queryset=apps.get_model(label)._default_manager.order_by("pk")
            )
            for label in DEMO_MODELS
        }
    return {"registry": registry_data, "policy": policy_data, "datasets": datasets}


def _loaders(fixtures: dict[str, Path], prepared: dict) -> dict[str, Callable[[], None]]:
    def upsert() -> None:
        registry_demo_load(data=prepared["registry"])
        policy_demo_load(data=prepared["policy"])

    def loaddata_pk() -> None:
        call_command("loaddata", str(fixtures["pk"]), verbosity=0)

    def loaddata_natural() -> None:
        call_command("loaddata", str(fixtures["natural"]), verbosity=0)

    def import_export() -> None:
        for label in DEMO_MODELS:
            result = _resource_for(label)().import_data(prepared["datasets"][label])
            if result.has_errors() or result.has_validation_errors():
                errors = (
                    [row.error for row in result.base_errors]
                    + [(number, [e.error for e in errs]) for number, errs in result.row_errors()]
                    + [row.error_dict for row in result.invalid_rows]
                )
                raise RuntimeError(f"import-export failed for {label}: {errors[:3]}")

    def load_demo() -> None:
        call_command("load_demo", stdout=io.StringIO())

    return {
        "load_demo (all of it)": load_demo,
        "upsert": upsert,
        "loaddata (pk)": loaddata_pk,
        "loaddata (natural keys)": loaddata_natural,
        "import-export": import_export,
    }


def _measure(load: Callable[[], None]) -> dict:
    """Seconds of a first and a second load (medians), their queries and history rows."""
    first, second = [], []
    for _ in range(RUNS):
        with _rolled_back():
            started = time.perf_counter()
            load()
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            load()
            second.append(time.perf_counter() - started)
    with _rolled_back():
        history = [_history_rows()]
        queries = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                load()
            queries.append(len(captured))
            history.append(_history_rows())
    return {
        "first": statistics.median(first),
        "second": statistics.median(second),
        "queries": queries,
        "history": [history[1] - history[0], history[2] - history[1]],
    }


def main() -> int:
    settings.DEBUG = False  # as under the test runner: no query log kept in memory
    load_average = os.getloadavg()[0]
    with throwaway_test_database(), tempfile.TemporaryDirectory() as folder:
        fixtures = {kind: Path(folder) / f"demo-{kind}.json" for kind in ("pk", "natural")}
        prepared = _prepare(fixtures)
        rows = sum(len(dataset) for dataset in prepared["datasets"].values())
        results = {name: _measure(load) for name, load in _loaders(fixtures, prepared).items()}
        version = ".".join(map(str, connection.get_database_version()))
        print(
            f"database: {connection.vendor} {version}; {rows} demo rows; medians of {RUNS}; "
            f"load average at the start {load_average:.2f}"
        )
        base = results["upsert"]
        for name, result in results.items():
            print(
                f"{name:24} first {result['first'] * 1000:7.1f} ms "
                f"({result['first'] / base['first']:.2f}× upsert), "
                f"second {result['second'] * 1000:7.1f} ms "
                f"({result['second'] / base['second']:.2f}× upsert); "
                f"queries {result['queries'][0]} / {result['queries'][1]}; "
                f"history rows written {result['history'][0]} / {result['history'][1]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
