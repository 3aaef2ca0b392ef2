"""Write static/css/plotly.css from the installed plotly.js bundle (after upgrading plotly)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from targets.plotly_assets import plotly_css

OUTPUT = Path(settings.BASE_DIR) / "static" / "css" / "plotly.css"


class Command(BaseCommand):
    help = "Write static/css/plotly.css: plotly.js's own style rules, so no inline style is needed."

    def handle(self, *args, **options):
        OUTPUT.write_text(plotly_css(), encoding="utf-8")
        self.stdout.write(f"Wrote {OUTPUT.relative_to(settings.BASE_DIR)}.")
