"""Reference data that clerks extend: migrant groups and policy themes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from policy.models.base import BilingualLabelMixin
from registry.models import Motive


class MigrantGroup(BilingualLabelMixin):
    slug = models.SlugField(_("key"), max_length=40, unique=True)
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("migrant group")
        verbose_name_plural = _("migrant groups")
        ordering = ["order", "slug"]


class PolicyTheme(BilingualLabelMixin):
    slug = models.SlugField(_("key"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    in_matrix = models.BooleanField(
        _("column of the policy matrix"),
        default=True,
        help_text=_("Off for themes used only to label findings and programme lines."),
    )

    class Meta:
        verbose_name = _("policy theme")
        verbose_name_plural = _("policy themes")
        ordering = ["order", "slug"]
