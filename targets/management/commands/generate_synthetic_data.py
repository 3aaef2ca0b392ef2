"""Generate the synthetic, county-sized data set the benchmarks and load test use.

    python manage.py generate_synthetic_data [--plans 20] [--indicators 2000] [--years 10]
        [--seed 1] [--end-year 2026] [--force] [--clear]

Replaces any earlier synthetic data. Refuses to run on a database that holds data not marked
synthetic, unless --force (the real data is then left as it is, beside the synthetic set).
"""

import resource
import time

from django.core.management.base import BaseCommand, CommandError

from targets import synthetic


class Command(BaseCommand):
    help = "Generate a clearly labelled synthetic data set (plans, indicators, targets, actuals)."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=20)
        parser.add_argument("--indicators", type=int, default=2_000)
        parser.add_argument("--years", type=int, default=10, help="Financial years of targets.")
        parser.add_argument(
            "--end-year", type=int, help="Start year of the last one (default: the current)."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--force", action="store_true", help="Run even beside data that is not synthetic."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Only delete the synthetic data set."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["clear"]:
            deleted = synthetic.synthetic_data_clear()
            self.stdout.write(f"Deleted synthetic data: {_listed(deleted)}.")
            return
        try:
            counts = synthetic.synthetic_data_generate(
                plans=options["plans"],
                indicators=options["indicators"],
                years=options["years"],
                end_year=options["end_year"],
                seed=options["seed"],
                force=options["force"],
            )
        except synthetic.RealDataPresent as error:
            raise CommandError(
                f"{error} Synthetic data would be mixed with it; nothing was changed. "
                "Use an empty database, or --force to add the synthetic set beside it."
            ) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        # ru_maxrss is in kilobytes on Linux.
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"Generated synthetic data: {_listed(counts)}.")
        self.stdout.write(f"seconds={seconds:.1f} peak_memory_mb={peak_mb:.0f}")


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {name}" for name, count in counts.items())
