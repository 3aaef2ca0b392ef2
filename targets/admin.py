from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from targets import reporting
from targets.admin_imports import example_workbook_view, spreadsheet_import_view
from targets.forms import UnlockForm
from targets.models import (
    Actual,
    Baseline,
    Breakdown,
    Commitment,
    CommitmentPartner,
    CommitmentStatus,
    Indicator,
    Period,
    Target,
)

# What the parser read from the text; shown beside it, changed only by changing the text.
PARSED_FIELDS = ["shape", "value", "lower", "upper", "numerator", "denominator", "needs_review"]


class FigureForm(forms.ModelForm):
    """The text as written is what people edit; the structured value is read from it."""

    def clean(self):
        cleaned = super().clean()
        if "text" in cleaned:
            self.instance.set_text(cleaned["text"])
        return cleaned


class VersionCheckedAdminForm(forms.ModelForm):
    """Refuses to overwrite a row someone else saved after this admin opened it: for models
    with a ``version`` raised on every save (values, activity progress updates)."""

    # How the refusal names the row: "Someone else saved this value…".
    noun = "row"
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            model = self._meta.model
            current = model.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current and current[0] != seen:
                raise forms.ValidationError(
                    f"Someone else saved this {self.noun} after you opened it. Reload the page "
                    "to see their change before saving yours."
                )
        return cleaned


class ActualAdminForm(VersionCheckedAdminForm):
    noun = "value"


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "starts_on", "ends_on", "deadline", "is_locked"]
    list_filter = ["kind", "is_locked"]
    search_fields = ["label", "qualifier"]
    # Locking goes through the actions, so that every unlock has its reason logged.
    readonly_fields = ["is_locked"]
    actions = ["lock_periods", "unlock_periods"]

    @admin.action(description="Lock the selected periods (reported)", permissions=["lock"])
    def lock_periods(self, request, queryset):
        # All the selected periods or none: a failure part way must not leave some locked.
        with transaction.atomic():
            for period in queryset:
                reporting.lock_period(request.user, period)
        self.message_user(request, f"Locked {queryset.count()} period(s).", messages.SUCCESS)

    @admin.action(description="Unlock the selected periods, giving a reason", permissions=["lock"])
    def unlock_periods(self, request, queryset):
        form = UnlockForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            with transaction.atomic():
                for period in queryset:
                    reporting.unlock_period(request.user, period, form.cleaned_data["reason"])
            self.message_user(request, f"Unlocked {queryset.count()} period(s).", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/targets/unlock_periods.html",
            {
                **self.admin_site.each_context(request),
                "title": "Unlock periods",
                "periods": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    def has_lock_permission(self, request):
        return request.user.has_perm("targets.lock_period")


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin):
    list_display = ["name", "dimension", "aliases"]
    list_filter = ["dimension"]
    search_fields = ["name", "aliases"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    fields = ["plan", "theme", "reference", "is_designated", "is_reward"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "unit", "polarity", "frequency", "is_national", "parent"]
    list_filter = ["commitments__plan", "polarity", "frequency", "unit", "is_national"]
    search_fields = ["code", "title", "definition"]
    prepopulated_fields = {"slug": ["code"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["breakdowns"]
    inlines = [CommitmentInline]


class CommitmentPartnerInline(admin.TabularInline):
    model = CommitmentPartner
    extra = 0
    autocomplete_fields = ["partner"]


class CommitmentStatusInline(admin.TabularInline):
    model = CommitmentStatus
    extra = 0
    autocomplete_fields = ["from_period"]


class BaselineInline(admin.TabularInline):
    model = Baseline
    form = FigureForm
    fields = ["breakdown", "text", "period", "period_as_written", *PARSED_FIELDS]
    readonly_fields = PARSED_FIELDS
    extra = 0
    autocomplete_fields = ["period", "breakdown"]


class TargetInline(admin.TabularInline):
    model = Target
    form = FigureForm
    fields = ["period", "breakdown", "text", *PARSED_FIELDS]
    readonly_fields = PARSED_FIELDS
    extra = 0
    autocomplete_fields = ["period", "breakdown"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "indicator",
        "plan",
        "theme",
        "reference",
        "lead_partner_names",
        "is_designated",
        "is_reward",
        "is_placeholder",
    ]
    list_filter = [
        "plan",
        "theme",
        "commitment_partners__partner",
        "is_designated",
        "is_reward",
        "is_statutory",
        "is_placeholder",
        "status_changes__status",
    ]
    search_fields = ["indicator__code", "indicator__title", "reference", "title_as_written"]
    autocomplete_fields = ["plan", "theme", "indicator", "responsible_officer"]
    filter_horizontal = ["linked_commitments"]
    inlines = [CommitmentPartnerInline, CommitmentStatusInline, BaselineInline, TargetInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("indicator", "plan", "theme")
            .prefetch_related("commitment_partners__partner")
        )

    @admin.display(description="Lead partner")
    def lead_partner_names(self, commitment):
        return ", ".join(
            cp.partner.short_name or cp.partner.name
            for cp in commitment.commitment_partners.all()
            if cp.is_lead
        )


class FigureAdmin(SimpleHistoryAdmin):
    form = FigureForm
    list_select_related = ["commitment__indicator", "commitment__plan", "period", "breakdown"]
    search_fields = ["commitment__indicator__code", "commitment__indicator__title", "text"]
    autocomplete_fields = ["commitment", "period", "breakdown"]
    readonly_fields = [
        *PARSED_FIELDS,
        "unit",
        "unit_text",
        "scale",
        "change_unit",
        "base_value",
        "base_text",
        "due_text",
        "due_on",
        "period_text",
        "reason",
        "note",
        "is_designated",
        "is_reward",
    ]


@admin.register(Baseline)
class BaselineAdmin(FigureAdmin):
    list_display = ["commitment", "breakdown", "text", "period_as_written", "shape", "value"]
    list_filter = ["commitment__plan", "shape", "needs_review"]


@admin.register(Target)
class TargetAdmin(FigureAdmin):
    list_display = ["commitment", "period", "breakdown", "text", "shape", "value", "needs_review"]
    list_filter = ["commitment__plan", "period", "shape", "needs_review", "is_reward"]
    change_list_template = "admin/targets/change_list_with_import.html"

    def get_urls(self):
        return [
            path(
                "import/",
                spreadsheet_import_view(self.admin_site, "targets"),
                name="targets_spreadsheet_import",
            ),
            path(
                "import/example.xlsx",
                example_workbook_view(self.admin_site),
                name="targets_spreadsheet_example",
            ),
            *super().get_urls(),
        ]


@admin.register(Actual)
class ActualAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "breakdown", "value", "state", "source", "approved_by"]
    list_filter = ["state", "source", "period", "indicator__commitments__plan", "is_synthetic"]
    list_select_related = ["indicator", "period", "breakdown", "approved_by"]
    search_fields = ["indicator__code", "indicator__title", "commentary"]
    autocomplete_fields = ["indicator", "period", "breakdown"]
    readonly_fields = ["entered_by", "entered_at", "approved_by", "approved_at", "version"]
    change_list_template = "admin/targets/change_list_with_import.html"
    form = ActualAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        obj._change_reason = reporting.ROUTE_ADMIN
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "import/",
                spreadsheet_import_view(self.admin_site, "actuals"),
                name="targets_actuals_import",
            ),
            *super().get_urls(),
        ]
