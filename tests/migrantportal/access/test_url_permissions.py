"""Every URL of the portal, for every role, against an explicit table.

A new URL without a row here fails `test_every_url_has_a_row`, so nobody adds
a page without deciding who may open it. The admin's own pages are walked in
test_admin_permissions.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import client_for_role
from tests.url_table import EXPECTED, ROLES


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_url_has_a_row():
    routes = set(_routes(get_resolver().url_patterns))
    portal_routes = {route for route in routes if not route.startswith("admin/")}

    assert portal_routes == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_expected_status_on_every_url(site, role):
    client = client_for_role(role)
    column = ROLES.index(role)

    actual = {
        route: client.get(path.format(**site)).status_code for route, (path, _) in EXPECTED.items()
    }

    assert actual == {route: statuses[column] for route, (_, statuses) in EXPECTED.items()}
