"""Import benchmark: synthetic target rows through the full importer and a plain resource.

    python -m benchmarks.imports [--rows 10000] [--plain-rows N] [--admin csv|xlsx] [--profile]
    python -m benchmarks.imports --rows 10000 --admin workbook
    scripts/with-postgres.sh .venv/bin/python -m benchmarks.imports --rows 100000

The last line prints `rows_per_s=… plain_rows_per_s=… ratio=…`, then with --admin csv|xlsx the
admin timings. Both imports run in this process on the same database, one after the other, on
the same rows: the full importer with validation, audit history and all-or-nothing; then
django-import-export's ModelResource with default settings on the same rows (commitment and
period given by id, as it needs them), or on the first N of them with --plain-rows. With
--admin csv|xlsx, the same figures file is then previewed and confirmed through the admin import
page with Django's test client; --admin workbook instead times only that, for the whole
workbook (every sheet the figures need, then the figures) in one .xlsx on an empty database,
then for the same workbook with every indicator, commitment and target changed (a re-import
of a revised plan: every row updated). Every row is labelled synthetic.
"""

import argparse
import cProfile
import csv
import io
import pstats
import re
import sys
import time
import warnings

from benchmarks.setup import django_for_benchmark

PERIODS = ["2008/09", "2009/10", "2010/11", "2011/12"]
TEXTS = [
    "62%",
    "Between 10% and 15%",
    "+3 % points from baseline",
    "10 of the estimated 23",
    "£10.906m",
    "Level 4",
    "N/A (Placeholder)",
    "2776",
]


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def synthetic_workbook(rows: int):
    indicators = rows // len(PERIODS)
    plan = "synthetic-benchmark-plan"
    sheets = {
        "partners": [["name", "kind"], ["SYNTHETIC Partner Organisation", "other"]],
        "plans": [
            ["slug", "name", "kind", "area"],
            [plan, "SYNTHETIC benchmark plan", "other", "Nowhere (synthetic)"],
        ],
        "themes": [["plan", "title"], [plan, "SYNTHETIC theme"]],
        "indicators": [["code", "title"]]
        + [[f"SYN {n:06d}", f"SYNTHETIC indicator {n}"] for n in range(indicators)],
        "commitments": [["plan", "theme", "indicator", "lead_partners"]]
        + [
            [plan, "SYNTHETIC theme", f"SYN {n:06d}", "SYNTHETIC Partner Organisation"]
            for n in range(indicators)
        ],
    }
    figures = [["plan", "indicator", "kind", "period", "breakdown", "text"]]
    for n in range(indicators):
        for p, period in enumerate(PERIODS):
            figures.append(
                [plan, f"SYN {n:06d}", "target", period, "", TEXTS[(n + p) % len(TEXTS)]]
            )
    return sheets, figures


def revised_workbook(sheets: dict) -> dict:
    """The workbook with every indicator, commitment and target changed."""
    revised = {name: [row[:] for row in rows] for name, rows in sheets.items()}
    for row in revised["indicators"][1:]:
        row[1] += " (revised)"
    revised["commitments"][0].append("reference")
    for n, row in enumerate(revised["commitments"][1:]):
        row.append(f"R{n}")
    for row in revised["figures"][1:]:
        row[5] = TEXTS[(TEXTS.index(row[5]) + 1) % len(TEXTS)]
    return revised


def clear_targets():
    from django.db import transaction

    from targets.models import Target

    with transaction.atomic():
        Target.history.all().delete()
        Target.objects.all().delete()


def admin_preview_confirm(sheets: dict, file_format: str) -> tuple[float, float]:
    """Seconds to preview, then to confirm, a file on the admin import page.

    ``sheets`` maps sheet names to rows (header first); a CSV file holds the only sheet.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings
    from django.urls import reverse

    from targets.models import Target
    from targets.spreadsheets.files import write_spreadsheet

    file_name = f"synthetic-{'figures' if len(sheets) == 1 else 'workbook'}.{file_format}"
    if file_format == "csv":
        [rows] = sheets.values()
        data = csv_bytes(rows)
    else:
        data = write_spreadsheet(
            [(name, rows[0], rows[1:]) for name, rows in sheets.items()], file_name
        )
    name = "synthetic-benchmark-admin"
    user = get_user_model().objects.filter(username=name).first()
    user = user or get_user_model().objects.create_superuser(name, password=None)
    client = Client()
    client.force_login(user)
    url = reverse("admin:targets_spreadsheet_import")
    # As in the tests: no collectstatic manifest here, so plain static file names.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic either
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        started = time.perf_counter()
        preview = client.post(url, {"file": SimpleUploadedFile(file_name, data)}, secure=True)
        preview_seconds = time.perf_counter() - started
        token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode())
        if preview.status_code != 200 or token is None:
            raise SystemExit(f"The admin preview failed ({preview.status_code}).")
        started = time.perf_counter()
        confirm = client.post(
            url, {"confirm": "1", "token": token[1], "file_name": file_name}, secure=True
        )
        confirm_seconds = time.perf_counter() - started
    if confirm.status_code != 302 or Target.objects.count() != len(sheets["figures"]) - 1:
        raise SystemExit(f"The admin confirmation failed ({confirm.status_code}).")
    return preview_seconds, confirm_seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--plain-rows", type=int, help="Time the plain resource on the first N rows only."
    )
    parser.add_argument(
        "--admin",
        choices=["csv", "xlsx", "workbook"],
        help="Also time the admin preview and confirm of the figures file (csv or xlsx); "
        "or, instead of everything else, of the whole workbook in one .xlsx on an empty database.",
    )
    parser.add_argument("--profile", action="store_true", help="Profile the full import.")
    args = parser.parse_args()
    django_for_benchmark()

    import tablib
    from django.db import connection
    from import_export import resources

    from targets.models import Commitment, Indicator, Period, Target
    from targets.spreadsheets.files import read_spreadsheet
    from targets.spreadsheets.workbook import import_plan_sheets

    setup, figures = synthetic_workbook(args.rows)
    if args.admin == "workbook":
        workbook = {**setup, "figures": figures}
        preview_seconds, confirm_seconds = admin_preview_confirm(workbook, "xlsx")
        revised = revised_workbook(workbook)
        changed_preview_seconds, changed_confirm_seconds = admin_preview_confirm(revised, "xlsx")
        if (
            Indicator.objects.filter(title__endswith="(revised)").count()
            != len(setup["indicators"]) - 1
        ):
            raise SystemExit("The revised workbook was not imported.")
        print(f"database={connection.vendor} rows={len(figures) - 1} (and every setup sheet)")
        print(
            f"admin_format=workbook admin_preview_s={preview_seconds:.2f} "
            f"admin_confirm_s={confirm_seconds:.2f} "
            f"admin_total_s={preview_seconds + confirm_seconds:.2f} "
            f"changed_preview_s={changed_preview_seconds:.2f} "
            f"changed_confirm_s={changed_confirm_seconds:.2f}"
        )
        return
    sheets = []
    for name, rows in setup.items():
        sheets.extend(read_spreadsheet(csv_bytes(rows), f"{name}.csv", max_bytes=10**9))
    setup_started = time.perf_counter()
    report = import_plan_sheets(sheets, file_name="synthetic-setup")
    setup_seconds = time.perf_counter() - setup_started
    setup_rows = len(setup["indicators"]) + len(setup["commitments"]) - 2
    print(
        f"setup: {setup_rows} indicator and commitment rows in {setup_seconds:.1f} s "
        f"({setup_rows / setup_seconds:.0f} rows/s)",
        file=sys.stderr,
    )
    if not report.ok:
        raise SystemExit(f"Setting up failed: {[str(e) for e in report.errors[:5]]}")
    figure_sheet = read_spreadsheet(csv_bytes(figures), "figures.csv", max_bytes=10**9)

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_plan_sheets(figure_sheet, file_name="synthetic-figures.csv")
    full_seconds = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    if not report.ok or report.total("new") != len(figures) - 1:
        first = "\n".join(str(error) for error in report.errors[:10])
        raise SystemExit(f"The full import failed: {report.summary()}\n{first}")

    class PlainTargetResource(resources.ModelResource):
        class Meta:
            model = Target
            fields = ("id", "commitment", "period", "breakdown", "text", "shape")

    # The same rows, as the plain resource needs them: ids, into an empty table.
    commitments = dict(Commitment.objects.values_list("indicator__code", "pk"))
    periods = {label: Period.objects.for_label(label).pk for label in PERIODS}
    plain = tablib.Dataset(headers=["id", "commitment", "period", "breakdown", "text", "shape"])
    for _, code, _, period, _, text in figures[1 : 1 + (args.plain_rows or len(figures))]:
        plain.append(["", commitments[code], periods[period], "", text, "value"])
    clear_targets()
    started = time.perf_counter()
    result = PlainTargetResource().import_data(plain, dry_run=False)
    plain_seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("The plain import failed.")

    count = len(figures) - 1
    rows_per_s = count / full_seconds
    plain_rows_per_s = len(plain) / plain_seconds
    print(f"database={connection.vendor} rows={count} plain_rows={len(plain)}")
    print(f"full importer: {full_seconds:.2f} s; plain ModelResource: {plain_seconds:.2f} s")
    last = (
        f"rows_per_s={rows_per_s:.0f} plain_rows_per_s={plain_rows_per_s:.0f} "
        f"ratio={rows_per_s / plain_rows_per_s:.2f}"
    )
    if args.admin:
        clear_targets()
        preview_seconds, confirm_seconds = admin_preview_confirm({"figures": figures}, args.admin)
        last += (
            f" admin_format={args.admin} admin_preview_s={preview_seconds:.2f} "
            f"admin_confirm_s={confirm_seconds:.2f} "
            f"admin_total_s={preview_seconds + confirm_seconds:.2f}"
        )
    print(last)


if __name__ == "__main__":
    main()
