from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from registry.upload_storage import pending_upload_expire


class Command(BaseCommand):
    help = (
        "Delete the import uploads that waited for confirmation longer than an hour; "
        "run it from cron."
    )

    def handle(self, *args, **options) -> None:
        deleted = pending_upload_expire()
        self.stdout.write(
            _("Deleted %(count)s upload(s) that waited longer than an hour.") % {"count": deleted}
        )
