"""Uploads wait for confirmation in the database: through a Redis outage, at most an hour."""

import datetime
import io
import socket

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from registry import models as rm
from registry.upload_storage import DatabaseUploadStorage, UploadExpired, pending_upload_expire
from tests import factories as f
from tests.paths import DATA

IMPORT_URL = reverse("admin:registry_migrantcount_import")
CONFIRM_URL = reverse("admin:registry_migrantcount_process_import")

pytestmark = pytest.mark.django_db


def _upload(client):
    upload = io.BytesIO((DATA / "statline_labels.csv").read_bytes())
    upload.name = "statline_labels.csv"
    return client.post(
        IMPORT_URL, {"format": "0", "resource": "0", "import_file": upload, "measure": "stock"}
    )


def _confirm(client, preview):
    initial = preview.context["confirm_form"].initial
    return client.post(CONFIRM_URL, {k: v for k, v in initial.items() if v is not None})


def test_a_stored_upload_reads_back_as_the_same_bytes():
    storage = DatabaseUploadStorage()
    storage.save(b'\xef\xbb\xbf"Regio\'s";"Perioden"')

    again = DatabaseUploadStorage(name=storage.name)

    assert again.read() == b'\xef\xbb\xbf"Regio\'s";"Perioden"'


def test_a_removed_upload_cannot_be_read():
    storage = DatabaseUploadStorage()
    storage.save(b"data")
    storage.remove()

    with pytest.raises(UploadExpired):
        storage.read()


def test_an_upload_older_than_an_hour_is_expired_and_deleted():
    storage = DatabaseUploadStorage()
    storage.save(b"data")
    rm.PendingUpload.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))

    with pytest.raises(UploadExpired):
        storage.read()
    assert pending_upload_expire() == 1
    assert not rm.PendingUpload.objects.exists()


def test_the_clerk_is_told_to_upload_again_when_the_upload_is_gone(client, griffie):
    f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    client.force_login(griffie)
    preview = _upload(client)
    rm.PendingUpload.objects.all().delete()

    response = _confirm(client, preview)

    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert not rm.MigrantCount.objects.exists()


def test_confirming_removes_the_waiting_upload(client, griffie):
    f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    client.force_login(griffie)

    _confirm(client, _upload(client))

    assert rm.MigrantCount.objects.count() == 5
    assert not rm.PendingUpload.objects.exists()


def test_an_import_goes_through_preview_and_confirmation_with_redis_down(client, griffie):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    down = {
        "default": {
            "BACKEND": "migrantportal.redis_cache.ClientReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }
    with override_settings(CACHES=down):
        client.force_login(griffie)
        response = _confirm(client, _upload(client))

    assert response.status_code == 302
    assert rm.MigrantCount.objects.count() == 5
