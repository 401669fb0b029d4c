from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.devdata.demo import demo_counts, load_demo


class Command(BaseCommand):
    help = "Load a small invented demo newsroom (idempotent) and print the demo accounts' passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help="Give existing demo accounts new passwords and print them."
        )
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (the demo accounts can sign in)."
        )

    def handle(self, *args, reset_passwords=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Pass --force to load demo accounts anyway.")
        accounts = load_demo(reset_passwords=reset_passwords)
        counts = ", ".join(f"{n} {name}" for name, n in demo_counts().items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {counts}."))
        self.stdout.write("Demo accounts (sign in to the desk at /signin/, or to the admin at /admin/):")
        for account in accounts:
            password = account.password or "unchanged (run load_demo --reset-passwords for a new one)"
            self.stdout.write(f"  {account.role:<9} {account.username:<9} password: {password}")
