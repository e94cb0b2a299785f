from django.core.management.base import BaseCommand

from policy.services.rounds import rounds_close_due


class Command(BaseCommand):
    help = (
        "Close the prioritisation rounds whose end has passed and keep their results. "
        "Run it from cron (for example every 5 minutes); the clerk can also close a round "
        "by hand."
    )

    def handle(self, *args, **options) -> None:
        closed = rounds_close_due()
        for round_ in closed:
            self.stdout.write(f"Closed: {round_.title} ({round_.result['ballots']} ballots)")
        if not closed:
            self.stdout.write("No round was due.")
