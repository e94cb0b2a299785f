"""Signal receivers that feed the audit log (connected in MigrantportalConfig.ready).

Logging, not business logic: what Django and django-axes announce about
logins and permissions is written down as it happens.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from migrantportal.audit import audit_log, request_user

# Flags whose change alters what a user may do.
PERMISSION_FLAGS = ("is_active", "is_staff", "is_superuser")


def logged_in(sender, request, user, **kwargs) -> None:
    audit_log(event="login", user=user, request=request)


def logged_out(sender, request, user, **kwargs) -> None:
    audit_log(event="logout", user=user, request=request)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django masks the password in `credentials`; only the user name is kept.
    audit_log(
        event="login_failed",
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_log(event="login_locked_out", request=request, username=str(username or "")[:150])


def flags_remember(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        instance._audit_flags = None
        return
    if update_fields is not None and not set(update_fields) & set(PERMISSION_FLAGS):
        instance._audit_flags = None
        return
    instance._audit_flags = (
        type(instance).objects.filter(pk=instance.pk).values(*PERMISSION_FLAGS).first()
    )


def flags_compare(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_audit_flags", None)
    if created:
        changes = {flag: [None, getattr(instance, flag)] for flag in PERMISSION_FLAGS}
    elif before is None:
        return
    else:
        changes = {
            flag: [before[flag], getattr(instance, flag)]
            for flag in PERMISSION_FLAGS
            if before[flag] != getattr(instance, flag)
        }
    if changes:
        event = "user_created" if created else "user_flags_changed"
        actor = request_user()
        transaction.on_commit(
            lambda: audit_log(event=event, user=actor, obj=instance, changes=changes)
        )


def _labels(model, pks) -> list[str]:
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
        return sorted(f"{app}.{codename}" for app, codename in rows)
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    user_model = get_user_model()
    return sorted(
        user_model.objects.filter(pk__in=pks).values_list(user_model.USERNAME_FIELD, flat=True)
    )


def _related(instance, sender):
    """The side of the relation that pre_clear is about to empty, seen from `instance`."""
    user_model = get_user_model()
    if sender is user_model.groups.through:
        return instance.groups if isinstance(instance, user_model) else instance.user_set
    if sender is user_model.user_permissions.through:
        return instance.user_permissions if isinstance(instance, user_model) else instance.user_set
    return instance.permissions if isinstance(instance, Group) else instance.group_set


def memberships_changed(sender, instance, action, model, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if action == "pre_clear":
        # Nothing says afterwards what was cleared; read it while it is still there.
        pk_set = set(_related(instance, sender).values_list("pk", flat=True))
    if not pk_set:
        return
    labels = _labels(model, pk_set)
    change = "added" if action == "post_add" else "removed"
    relation = sender._meta.model_name
    actor = request_user()
    transaction.on_commit(
        lambda: audit_log(
            event="permissions_changed",
            user=actor,
            obj=instance,
            relation=relation,
            change=change,
            items=labels,
        )
    )
