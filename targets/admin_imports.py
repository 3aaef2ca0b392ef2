"""Admin pages to import spreadsheets: upload, preview of every change and error, confirm.

Only people with the import permission reach them (admins by role); the preview is a dry run
in a rolled-back transaction, and confirming applies exactly the file that was previewed.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import SpreadsheetError, read_spreadsheet, write_spreadsheet
from targets.spreadsheets.uploads import upload_keep, upload_take
from targets.spreadsheets.workbook import import_actual_sheets, import_plan_sheets

IMPORTS = {
    "targets": {
        "permission": "targets.import_targets",
        "title": "Import plans and targets",
        "run": import_plan_sheets,
        "changelist": "admin:targets_target_changelist",
    },
    "actuals": {
        "permission": "targets.import_actuals",
        "title": "Import actuals",
        "run": import_actual_sheets,
        "changelist": "admin:targets_actual_changelist",
    },
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet (.xlsx or .csv)",
        help_text=(
            "One sheet per kind of row (partners, plans, themes, indicators, figures…); the "
            "example workbook below shows every sheet and column."
        ),
    )


def spreadsheet_import_view(admin_site, kind):
    config = IMPORTS[kind]

    def view(request):
        if not request.user.has_perm(config["permission"]):
            raise PermissionDenied
        context = {**admin_site.each_context(request), "title": config["title"], "kind": kind}
        if request.method == "POST" and "confirm" in request.POST:
            return _confirm(request, config)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(settings.IMPORT_MAX_FILE_BYTES + 1)
            try:
                sheets = read_spreadsheet(
                    data,
                    upload.name,
                    max_bytes=settings.IMPORT_MAX_FILE_BYTES,
                    max_rows=settings.IMPORT_MAX_ROWS,
                )
            except SpreadsheetError as error:
                form.add_error("file", str(error))
            else:
                report = config["run"](
                    sheets, user=request.user, file_name=upload.name, dry_run=True
                )
                context["report"] = report
                if report.ok:
                    context["token"] = upload_keep(data, user_id=request.user.pk)
                    context["file_name"] = upload.name
        context["form"] = form
        return TemplateResponse(request, "admin/targets/spreadsheet_import.html", context)

    return admin_site.admin_view(view)


def _confirm(request, config):
    file_name = request.POST.get("file_name", "")
    try:
        data = upload_take(request.POST.get("token", ""), user_id=request.user.pk)
    except FileNotFoundError:
        messages.error(request, "That upload has expired or was already imported; upload it again.")
        return redirect(request.path)
    sheets = read_spreadsheet(
        data,
        file_name,
        max_bytes=settings.IMPORT_MAX_FILE_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
    )
    report = config["run"](sheets, user=request.user, file_name=file_name)
    if report.ok:
        messages.success(request, report.summary())
        return redirect(reverse(config["changelist"]))
    # The database changed between preview and confirmation; nothing was written.
    for error in report.errors[:20]:
        messages.error(request, str(error))
    messages.error(request, report.summary())
    return redirect(request.path)


def example_workbook_view(admin_site):
    def view(request):
        if not request.user.has_perm("targets.import_targets"):
            raise PermissionDenied
        sheets = [(name, rows[0], rows[1:]) for name, rows in EXAMPLE_WORKBOOK.items()]
        response = HttpResponse(
            write_spreadsheet(sheets, "example.xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="leicester-perf-example.xlsx"'
        return response

    return admin_site.admin_view(view)
