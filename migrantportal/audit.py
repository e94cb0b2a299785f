"""The audit log: who did what to which object, one JSON object per line.

Written for the audit office's and the municipality's security officers (BIO):
logins, failed logins and lockouts, imports, publications and permission
changes. The formatter and destination are configured in settings.LOGGING
(logger `migrantportal.audit`); docs/operations.md says how to read it.
"""

import logging

from django.db import models
from django.http import HttpRequest

from migrantportal.security import client_ip

logger = logging.getLogger("migrantportal.audit")


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def _user_fields(user) -> dict:
    if not _signed_in(user):
        return {"user": None, "user_id": None}
    return {"user": user.get_username(), "user_id": user.pk}


def _object_fields(obj) -> dict:
    if obj is None:
        return {}
    if isinstance(obj, models.Model):
        return {
            "object_type": obj._meta.label,
            "object_id": obj.pk,
            "object": str(obj)[:200],
        }
    return {"object": str(obj)[:200]}


def _current_request() -> HttpRequest | None:
    # simple-history's middleware keeps the request being served; signal
    # receivers have no other way to know who is acting. Imported here because
    # services import this module while the app registry may still be loading.
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def request_user():
    """The signed-in user of the request being served, if any."""
    request = _current_request()
    user = getattr(request, "user", None)
    return user if _signed_in(user) else None


def audit_log(
    *,
    event: str,
    user=None,
    obj=None,
    request: HttpRequest | None = None,
    **details,
) -> None:
    """Write one audit record. `details` must be JSON-serialisable."""
    record = {"event": event, **_user_fields(user), **_object_fields(obj)}
    request = request or _current_request()
    if request is not None:
        record["ip"] = client_ip(request)
    if details:
        record["details"] = details
    logger.info(event, extra=record)
