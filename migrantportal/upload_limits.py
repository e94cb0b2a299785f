"""The size limit of an upload, checked before its body is read.

Django's CSRF middleware reads a POST body (`request.POST`) before any view runs, so a
check in the view comes after a 200 MB upload has been copied to disk. This upload handler
looks at the request's `Content-Length` before the body is read and stops the upload at
once when it is too large; the view then tells the clerk (`upload_refusal`). A body sent
without a length is counted as it arrives and stopped at the limit.

The browser may see only a reset connection when the rest of the body is never read
(docs/operations.md); the reverse proxy's `client_max_body_size` matches this limit, so
behind it a too-large upload gets the proxy's answer instead.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

UPLOAD_MAX_BYTES = 50 * 1024 * 1024
# The form fields beside the file (CSRF token, options): a little room above the file.
_FORM_OVERHEAD_BYTES = 64 * 1024


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops an upload larger than UPLOAD_MAX_BYTES before its body is read."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > UPLOAD_MAX_BYTES + _FORM_OVERHEAD_BYTES:
            self._refuse(content_length)
        return None

    def new_file(self, *args, **kwargs) -> None:
        if getattr(self.request, "upload_refused_bytes", None):
            raise StopUpload(connection_reset=True)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > UPLOAD_MAX_BYTES:
            self._refuse(self.received)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self, size: int) -> None:
        if self.request is not None:
            self.request.upload_refused_bytes = size


def upload_refusal(request: HttpRequest) -> str | None:
    """The message for a request whose upload was stopped as too large, else None."""
    size = getattr(request, "upload_refused_bytes", None)
    if not size:
        return None
    return upload_too_large_message(size=size)


def upload_too_large_message(*, size: int) -> str:
    return _(
        "The file is larger than %(limit)s MB (%(size)s MB); nothing was read or imported. "
        "Split it into smaller files."
    ) % {"limit": UPLOAD_MAX_BYTES // (1024 * 1024), "size": round(size / (1024 * 1024), 1)}
