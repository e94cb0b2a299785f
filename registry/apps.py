from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """Municipalities, population and migrant counts, with their sources and imports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = _("Register figures")  # the admin's section heading
