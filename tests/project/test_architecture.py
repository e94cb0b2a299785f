"""The packages import downwards only, so each can be read and changed without the ones above it.

From the top: `dashboards` (the pages), `policy`, `registry`, then `charts` (what
every chart shares) and `migrantportal` (settings, wiring, small helpers). Every
module's imports are read with `ast`, lazy imports inside functions too; a string
that names a module (`include("dashboards.urls")`, a lazy model reference) is
wiring, not an import, and is not checked.
"""

import ast
from pathlib import Path

import pytest

from tests.paths import PROJECT

ROOT = PROJECT

# Per package, the project packages it may import besides itself.
MAY_IMPORT = {
    "migrantportal": set(),
    "charts": {"migrantportal"},
    "registry": {"migrantportal"},
    "policy": {"registry", "charts", "migrantportal"},
    "dashboards": {"policy", "registry", "charts", "migrantportal"},
}
# The project package's wiring may name the apps; nothing else in it may.
WIRING = {"migrantportal/settings.py", "migrantportal/urls.py"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, *, module: str, is_package: bool) -> list[str]:
    """The absolute names an import statement reads, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        return [node.module or ""]
    # `from . import x` in a package's __init__ is relative to the package itself.
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return [".".join([*base, node.module] if node.module else base)]


def arrows_back(*, path: str, source: str) -> list[str]:
    """Each import in `source` (the module at `path`, relative to the root) that runs upward."""
    relative = Path(path)
    package = relative.parts[0]
    if package not in MAY_IMPORT or path in WIRING:
        return []
    allowed = {package, *MAY_IMPORT[package]}
    module = _module_name(ROOT / relative)
    problems = []
    for node in ast.walk(ast.parse(source, filename=path)):
        for name in _imported(node, module=module, is_package=relative.name == "__init__.py"):
            target = name.split(".")[0]
            if target in MAY_IMPORT and target not in allowed:
                problems.append(
                    f"{path}:{node.lineno} imports {name}: {package} may import only "
                    f"{', '.join(sorted(MAY_IMPORT[package])) or 'none of the apps'}"
                )
    return problems


def _project_modules() -> list[Path]:
    return sorted(path for package in MAY_IMPORT for path in (ROOT / package).rglob("*.py"))


def test_every_package_of_the_project_is_checked():
    assert {path.relative_to(ROOT).parts[0] for path in _project_modules()} == set(MAY_IMPORT)


def test_no_import_runs_back_up_the_layers():
    problems = [
        problem
        for path in _project_modules()
        for problem in arrows_back(
            path=path.relative_to(ROOT).as_posix(), source=path.read_text(encoding="utf-8")
        )
    ]

    assert not problems, "Imports that run back up the layers:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("policy/selectors/rounds.py", "from dashboards.selectors import overview_page\n"),
        ("charts/chart.py", "import registry.models\n"),
        ("registry/services.py", "def f():\n    from policy import models\n"),
        ("registry/services.py", "from charts import privacy\n"),
        ("migrantportal/menu.py", "from dashboards.models import Profile\n"),
    ],
)
def test_an_upward_import_is_named_with_its_module_and_line(path, source):
    (problem,) = arrows_back(path=path, source=source)

    assert problem.startswith(f"{path}:")
    assert " imports " in problem


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("dashboards/views.py", "from policy.selectors import rounds\nimport charts.privacy\n"),
        ("policy/figures.py", "from charts.figures import wrap_label\n"),
        ("charts/downloads.py", "from migrantportal.spreadsheet import spreadsheet_safe\n"),
        ("dashboards/selectors/pack.py", "from .overview import overview_page\n"),
        ("migrantportal/urls.py", "from dashboards import views\n"),
        ("tests/test_x.py", "from dashboards import views\n"),
    ],
)
def test_a_downward_import_and_the_wiring_pass(path, source):
    assert arrows_back(path=path, source=source) == []
