"""The audit log: logins, failed logins, imports, publications and permission changes."""

import json
import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from migrantportal.roles import Role
from policy.constants import PublicationState
from policy.selectors.history import item_version
from policy.services.editing import item_state_set
from registry.importers.results import ImportRefused
from registry.services import migrant_counts_import
from tests import factories as f
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

AUDIT_LOGGER = logging.getLogger("migrantportal.audit")


@pytest.fixture
def audit(caplog):
    """The audit records written during the test (the audit logger does not propagate)."""
    AUDIT_LOGGER.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger=AUDIT_LOGGER.name)
    yield lambda event: [r for r in caplog.records if getattr(r, "event", None) == event]
    AUDIT_LOGGER.removeHandler(caplog.handler)


def _post_login(client, username: str, password: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7"
    )


def test_a_login_is_logged_with_user_and_address(client, audit):
    user = user_with_role(Role.RAADSLID, username="jansen")

    _post_login(client, "jansen", "correct-horse-battery")

    [record] = audit("login")
    assert (record.user, record.user_id, record.ip) == ("jansen", user.pk, "10.9.8.7")


def test_a_failed_login_is_logged_with_the_user_name_and_never_the_password(client, audit):
    user_with_role(Role.RAADSLID, username="jansen")

    _post_login(client, "jansen", "geheim-fout-wachtwoord")

    [record] = audit("login_failed")
    assert record.details == {"username": "jansen"}
    assert "geheim-fout-wachtwoord" not in json.dumps(record.__dict__, default=str)


def test_a_lockout_is_logged(client, audit, settings):
    user_with_role(Role.RAADSLID, username="jansen")

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "jansen", "fout")

    [record] = audit("login_locked_out")
    assert record.details == {"username": "jansen"}


def test_an_import_is_logged_with_its_batch_and_totals(
    audit, griffie, django_capture_on_commit_callbacks
):
    f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    content = b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;5\nGM0394;2023;gezin;7\n"

    with django_capture_on_commit_callbacks(execute=True):
        report = migrant_counts_import(content=content, file_name="cbs.csv", user=griffie)

    [record] = audit("import")
    assert record.user == griffie.username
    assert (record.object_type, record.object_id) == ("registry.ImportBatch", report.batch.pk)
    assert record.details["file_name"] == "cbs.csv"
    assert record.details["counts_created"] == 2


def test_a_refused_import_is_logged_with_the_number_of_problems(audit, griffie):
    content = b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM9999;2023;asiel;5\n"

    with pytest.raises(ImportRefused):
        migrant_counts_import(content=content, file_name="fout.csv", user=griffie)

    [record] = audit("import_refused")
    assert record.details["file_name"] == "fout.csv"
    assert record.details["problems"] >= 1


def test_publishing_and_unpublishing_are_logged_with_the_item(
    audit, rekenkamer, django_capture_on_commit_callbacks
):
    point = f.AttentionPointFactory(state=PublicationState.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        item_state_set(
            instance=point,
            state=PublicationState.PUBLISHED,
            base_version=item_version(instance=point),
            user=rekenkamer,
        )
        item_state_set(
            instance=point,
            state=PublicationState.DRAFT,
            base_version=item_version(instance=point),
            user=rekenkamer,
        )

    [published] = audit("publish")
    [unpublished] = audit("unpublish")
    assert (published.object_type, published.object_id) == ("policy.AttentionPoint", point.pk)
    assert published.user == unpublished.user == rekenkamer.username


def test_adding_a_user_to_a_role_group_is_logged(audit, django_capture_on_commit_callbacks):
    user = f.UserFactory(username="nieuw")

    with django_capture_on_commit_callbacks(execute=True):
        user.groups.add(Group.objects.get(name=Role.GRIFFIE))

    [record] = audit("permissions_changed")
    assert record.object_id == user.pk
    assert record.details == {
        "relation": "user_groups",
        "change": "added",
        "items": [str(Role.GRIFFIE)],
    }


def test_taking_a_permission_from_a_group_is_logged(audit, django_capture_on_commit_callbacks):
    group = Group.objects.get(name=Role.REKENKAMER)
    permission = group.permissions.get(codename="change_attentionpoint")

    with django_capture_on_commit_callbacks(execute=True):
        group.permissions.remove(permission)

    [record] = audit("permissions_changed")
    assert record.object_type == "auth.Group"
    assert record.details["items"] == ["policy.change_attentionpoint"]
    assert record.details["change"] == "removed"


def test_emptying_a_users_own_permissions_is_logged_with_what_was_removed(
    audit, django_capture_on_commit_callbacks
):
    user = f.UserFactory(username="nieuw")
    user.user_permissions.add(Permission.objects.get(codename="view_report"))

    with django_capture_on_commit_callbacks(execute=True):
        user.user_permissions.clear()

    [record] = audit("permissions_changed")
    assert record.details["change"] == "removed"
    assert record.details["items"] == ["policy.view_report"]


def test_giving_a_user_staff_rights_is_logged_with_before_and_after(
    audit, django_capture_on_commit_callbacks
):
    user = f.UserFactory(username="nieuw")

    with django_capture_on_commit_callbacks(execute=True):
        user.is_staff = True
        user.save()

    [record] = audit("user_flags_changed")
    assert record.details == {"changes": {"is_staff": [False, True]}}


def test_a_login_updating_last_login_is_not_a_permission_change(client, audit):
    user_with_role(Role.RAADSLID, username="jansen")

    _post_login(client, "jansen", "correct-horse-battery")

    assert audit("user_flags_changed") == []


def test_the_configured_handler_writes_one_json_object_per_line(audit, client):
    user_with_role(Role.RAADSLID, username="jansen")
    _post_login(client, "jansen", "correct-horse-battery")
    [record] = audit("login")
    [handler] = AUDIT_LOGGER.handlers[:1]

    line = handler.formatter.format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["event"] == "login"
    assert entry["user"] == "jansen"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "migrantportal.audit"
    assert entry["time"].startswith("20")
