"""``manage.py load_demo``: the demo site, accounts and content. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import accounts as accounts_demo
from demo import archive as archive_demo
from demo import courses as courses_demo
from demo import home as home_demo
from demo import programme as programme_demo
from demo import programme_after as programme_after_demo
from demo import vocabulary as vocabulary_demo
from search.bulk import indexing_deferred


class Command(BaseCommand):
    help = "Create or refresh the demo content and accounts (idempotent)."

    def handle(self, *args, **options):
        # One index write per model once the load has committed, not one Whoosh commit per save.
        with indexing_deferred(), transaction.atomic():
            homes = home_demo.load()
            vocabulary_demo.load()
            modules = courses_demo.load(homes)
            archive_demo.load(homes)
            accounts = accounts_demo.load()
            accounts += programme_demo.load(homes)
            # After the plan's own demo (progcore's, when present): held sessions, the closed one, the cohort.
            programme_after_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {len(modules)} modules in Arabic and French."))
        self.stdout.write("Demo accounts (log in at /accounts/login/, the admin at /admin/):")
        for account in accounts:
            self.stdout.write(f"  {account['role']:<14} {account['email']:<22} {account['password']}")
