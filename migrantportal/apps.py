from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save


class MigrantportalConfig(AppConfig):
    """The project package as an app, for project-wide wiring."""

    name = "migrantportal"
    verbose_name = "Migrant portal"

    def ready(self) -> None:
        from migrantportal import checks  # noqa: F401  (registers the system checks)
        from migrantportal.auth_backends import user_cache_forget

        # Cache invalidation, not business logic: a changed user must not be
        # served from the cache of signed-in users, nor one whose groups or own
        # permissions changed (the cached user carries its permissions).
        def forget(sender, instance, **kwargs) -> None:
            user_cache_forget(user_id=instance.pk)

        user_model = get_user_model()
        post_save.connect(forget, sender=user_model, weak=False, dispatch_uid="user_cache_save")
        post_delete.connect(forget, sender=user_model, weak=False, dispatch_uid="user_cache_del")

        def forget_members(sender, instance, action, pk_set, **kwargs) -> None:
            if isinstance(instance, user_model):
                user_cache_forget(user_id=instance.pk)
                return
            # Changed from the group's (or permission's) side: pk_set holds users.
            user_ids = set(pk_set or ())
            if action == "pre_clear":
                user_ids.update(instance.user_set.values_list("pk", flat=True))
            for user_id in user_ids:
                user_cache_forget(user_id=user_id)

        for through in (user_model.groups.through, user_model.user_permissions.through):
            m2m_changed.connect(
                forget_members, sender=through, weak=False, dispatch_uid=f"user_cache_{through}"
            )

        self._audit_connect(user_model)

    @staticmethod
    def _audit_connect(user_model) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from migrantportal import audit_receivers as receivers
        from migrantportal.security import session_mark_fresh

        user_logged_in.connect(receivers.logged_in, dispatch_uid="audit_login")
        user_logged_in.connect(session_mark_fresh, dispatch_uid="session_mark_fresh")
        user_logged_out.connect(receivers.logged_out, dispatch_uid="audit_logout")
        user_login_failed.connect(receivers.login_failed, dispatch_uid="audit_login_failed")
        user_locked_out.connect(receivers.locked_out, dispatch_uid="audit_locked_out")
        pre_save.connect(receivers.flags_remember, sender=user_model, dispatch_uid="audit_flags")
        post_save.connect(receivers.flags_compare, sender=user_model, dispatch_uid="audit_flags")
        for through in (
            user_model.groups.through,
            user_model.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(
                receivers.memberships_changed, sender=through, dispatch_uid=f"audit_{through}"
            )
