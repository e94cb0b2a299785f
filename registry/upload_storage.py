"""Where an uploaded import file waits between the preview and the confirmation.

django-import-export keeps the file in a "temporary storage" between the two steps. Its
cache storage loses the file when Redis evicts it or goes away, and its media storage
needs a folder every server shares. This one keeps it in the database, which every
server has; a file waits at most UPLOAD_TTL.

The admin holds an upload in memory while it is previewed (`hold`) and stores it only
when the preview offers a confirmation (`save_held`): a refused file is never written.
Uploads that were never confirmed are deleted on the next upload and by the
`clear_expired_uploads` command, run from cron.
"""

import datetime
import uuid

from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from registry.models import PendingUpload

UPLOAD_TTL = datetime.timedelta(hours=1)


class UploadExpired(Exception):
    """The upload is gone: confirmed already, expired, or never stored."""


class DatabaseUploadStorage(BaseStorage):
    held: bytes | None = None

    def hold(self, data: bytes) -> None:
        """Keep the upload in memory for the preview; nothing is stored yet."""
        if not self.name:
            self.name = uuid.uuid4().hex
        self.held = data

    def save_held(self) -> None:
        """Store the held upload to wait for confirmation."""
        if self.held is not None:
            self.save(self.held)
            self.held = None

    def save(self, data: bytes | str) -> None:
        if not self.name:
            self.name = uuid.uuid4().hex
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        pending_upload_expire()
        PendingUpload.objects.update_or_create(name=self.name, defaults={"data": data})

    def read(self) -> bytes:
        if self.held is not None:
            return self.held
        row = (
            PendingUpload.objects.filter(name=self.name, created_at__gte=_oldest_kept())
            .only("data")
            .first()
        )
        if row is None:
            raise UploadExpired(self.name)
        return bytes(row.data)

    def remove(self) -> None:
        self.held = None
        PendingUpload.objects.filter(name=self.name).delete()


def pending_upload_expire() -> int:
    """Delete the uploads that waited longer than UPLOAD_TTL; how many there were."""
    deleted, _ = PendingUpload.objects.filter(created_at__lt=_oldest_kept()).delete()
    return deleted


def _oldest_kept() -> datetime.datetime:
    return timezone.now() - UPLOAD_TTL
