from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save


class MigrantportalConfig(AppConfig):
    """The project package as an app, for project-wide wiring."""

    name = "migrantportal"
    verbose_name = "Migrant portal"

    def ready(self) -> None:
        from migrantportal.auth_backends import user_cache_forget

        # Cache invalidation, not business logic: a changed user must not be
        # served from the cache of signed-in users. Groups and permissions are
        # read apart from the user's row, so they need nothing here.
        def forget(sender, instance, **kwargs) -> None:
            user_cache_forget(user_id=instance.pk)

        user_model = get_user_model()
        post_save.connect(forget, sender=user_model, weak=False, dispatch_uid="user_cache_save")
        post_delete.connect(forget, sender=user_model, weak=False, dispatch_uid="user_cache_del")
