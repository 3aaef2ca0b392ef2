from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from targets.spreadsheets.commands import write_file
from targets.spreadsheets.workbook import export_plan_sheets


class Command(BaseCommand):
    help = (
        "Export plan content in the import format: .xlsx holds every sheet; .csv holds the "
        "figures sheet (baselines and targets)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--plan", metavar="SLUG", help="Only this plan.")

    def handle(self, *args, file, plan, **options):
        chosen = None
        if plan:
            chosen = Plan.objects.filter(slug=plan).first()
            if chosen is None:
                raise CommandError(f"Unknown plan '{plan}'.")
        write_file(self, file, export_plan_sheets(chosen))
