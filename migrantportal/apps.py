from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save


class MigrantportalConfig(AppConfig):
    """The project package as an app, for project-wide wiring."""

    name = "migrantportal"
    verbose_name = "Migrant portal"

    def ready(self) -> None:
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
