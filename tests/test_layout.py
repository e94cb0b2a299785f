"""The tests mirror the code: tests/<app>/<layer>/test_<topic>.py, sharing builders and
fixtures through non-test modules and conftest.py, never by importing another test module.

Browser tests stay together in tests/browser/ (they share Chromium and a live server),
and tests of the project as a whole (its layering, its backup script) in tests/project/.
"""

import ast

import pytest

from tests.paths import PROJECT

TESTS = PROJECT / "tests"
APPS = {"registry", "policy", "dashboards", "charts", "migrantportal"}
LAYERS = {
    # the layers of the apps
    "models",
    "services",
    "selectors",
    "importers",
    "views",
    "admin",
    "commands",
    "figures",
    # the modules of charts and migrantportal, which have no layers of their own
    "chart",
    "privacy",
    "downloads",
    "access",
    "audit",
    "cache",
    "security",
    "settings",
    "spreadsheet",
    "pdf",
}
TOGETHER = {"browser", "project"}  # folders that hold their test files directly
ALLOWED_AT_THE_TOP = {"test_layout.py"}


def _test_files():
    return sorted(TESTS.rglob("test_*.py"))


def _is_test_module(dotted: str) -> bool:
    return dotted.split(".")[-1].startswith("test_")


def _imported_test_modules(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _is_test_module(node.module):
                found.append(node.module)
            else:  # `from tests.policy import test_rounds`
                found += [
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("test_")
                ]
    return found


def _misplaced(relative: str) -> bool:
    *folders, name = relative.split("/")
    if not name.startswith("test_") or relative in ALLOWED_AT_THE_TOP:
        return False
    if len(folders) == 1:
        return folders[0] not in TOGETHER
    return not (len(folders) == 2 and folders[0] in APPS and folders[1] in LAYERS)


def test_no_test_module_imports_another_test_module():
    offenders = {
        str(path.relative_to(PROJECT)): imported
        for path in _test_files()
        if (imported := _imported_test_modules(path.read_text()))
    }

    assert offenders == {}


def test_every_test_file_sits_in_an_app_and_layer_folder():
    misplaced = [
        str(path.relative_to(TESTS))
        for path in _test_files()
        if _misplaced(path.relative_to(TESTS).as_posix())
    ]

    assert misplaced == []


def test_every_test_folder_is_a_package_so_equal_file_names_do_not_clash():
    folders = {path.parent for path in _test_files()}

    assert [str(f.relative_to(PROJECT)) for f in folders if not (f / "__init__.py").exists()] == []


@pytest.mark.parametrize(
    "source",
    [
        "from tests.migrantportal.access.test_url_permissions import EXPECTED\n",
        "import tests.policy.views.test_rounds\n",
        "from tests.policy.views import test_rounds\n",
    ],
)
def test_an_import_of_a_test_module_is_found(source):
    assert _imported_test_modules(source)


def test_an_import_of_a_helper_module_passes():
    assert (
        _imported_test_modules("from tests.url_table import EXPECTED\nimport tests.paths\n") == []
    )


@pytest.mark.parametrize(
    ("relative", "misplaced"),
    [
        ("test_rounds.py", True),
        ("policy/test_rounds.py", True),
        ("policy/views/test_rounds.py", False),
        ("policy/views/deeper/test_rounds.py", True),
        ("nowhere/views/test_rounds.py", True),
        ("browser/test_rounds_browser.py", False),
        ("test_layout.py", False),
        ("policy/round_builders.py", False),
    ],
)
def test_a_test_file_outside_the_layout_is_found(relative, misplaced):
    assert _misplaced(relative) is misplaced
