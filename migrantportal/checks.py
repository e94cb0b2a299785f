"""System checks for settings that are allowed but must never go unnoticed."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def insecure_local_check(app_configs, **kwargs) -> list[Warning]:
    if not getattr(settings, "ALLOW_INSECURE_LOCAL", False):
        return []
    return [
        Warning(
            "ALLOW_INSECURE_LOCAL is on: the portal serves over plain HTTP and its cookies are "
            "not marked secure.",
            hint="Only for trying the production settings on this machine's loopback; "
            "unset it before the portal goes behind TLS.",
            id="migrantportal.W001",
        )
    ]
