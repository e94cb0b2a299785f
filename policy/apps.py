from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    """The policy matrix and the audit office's reports, findings, follow-up and rounds."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "policy"
    verbose_name = _("Policy and findings")  # the admin's section heading
