from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The Django groups created by policy/migrations/0003_roles.py."""

    RAADSLID = "raadslid", _("Council member")
    GRIFFIE = "griffie", _("Clerk")
    REKENKAMER = "rekenkamer", _("Audit office")
