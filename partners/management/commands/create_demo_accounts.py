"""Create one demo account per role, for trying the application on a laptop.

Passwords are random on every run and printed once; the command refuses to run with debug off
unless forced, so it cannot quietly open a production system.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partners.models import Membership, Partner, PartnerKind
from partners.roles import Role

DEMO_ACCOUNTS = [
    ("demo-officer", Role.OFFICER, "An officer of Leicester City Council"),
    ("demo-approver", Role.APPROVER, "An approver in the performance team"),
    ("demo-scrutiny", Role.SCRUTINY, "A scrutiny committee member (read only)"),
    ("demo-admin", Role.ADMIN, "An administrator (performance team)"),
]
DEMO_ORGANISATION = "Leicester City Council"


class Command(BaseCommand):
    help = "Create or reset the demo accounts (one per role) and print their passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DJANGO_DEBUG off (not advised)."
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo accounts are for development only; DJANGO_DEBUG is off. Use --force "
                "only on a throwaway system."
            )
        council, _ = Partner.objects.get_or_create(
            name=DEMO_ORGANISATION, defaults={"kind": PartnerKind.COUNCIL, "short_name": "LCC"}
        )
        User = get_user_model()
        rows = []
        for username, role, description in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            Membership.objects.get_or_create(user=user, partner=council)
            rows.append((username, password, description))

        line = "=" * 72
        self.stdout.write(line)
        self.stdout.write("DEMO ACCOUNTS - for trying the application only, never for real data")
        self.stdout.write(line)
        for username, password, description in rows:
            self.stdout.write(f"  {username:<15} {password:<20} {description}")
        self.stdout.write(line)
        self.stdout.write("Passwords change each time this command runs.")
