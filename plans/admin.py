from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Activity,
    ActivityUpdate,
    Assessment,
    AssessmentTheme,
    Outcome,
    Plan,
    ScaleLevel,
    Strategy,
    Theme,
)
from targets.admin import VersionCheckedAdminForm


class ThemeInline(admin.TabularInline):
    model = Theme
    fields = ["order", "code", "title", "kind", "parent", "portfolio_holder"]
    extra = 0
    show_change_link = True
    autocomplete_fields = ["parent", "portfolio_holder"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "years_text", "status", "is_synthetic"]
    list_filter = ["kind", "status", "area", "is_synthetic"]
    search_fields = ["name", "area", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["framework", "lead_partner"]
    inlines = [ThemeInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["order", "title", "by_when_text", "due_on", "is_ongoing", "needs_review"]
    extra = 0
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "plan", "kind", "parent", "portfolio_holder", "order"]
    list_filter = ["plan", "kind"]
    search_fields = ["title", "code", "summary"]
    autocomplete_fields = ["plan", "parent", "portfolio_holder", "serves_themes", "serves_outcomes"]
    inlines = [ActivityInline]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "theme"]
    list_filter = ["plan"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["plan", "theme"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "theme", "by_when_text", "due_on", "is_ongoing", "needs_review"]
    list_filter = ["theme__plan", "theme", "is_ongoing", "needs_review"]
    search_fields = ["title", "by_when_text", "strategies__name"]
    autocomplete_fields = ["theme", "strategies", "lead_partner"]


class ActivityUpdateAdminForm(VersionCheckedAdminForm):
    noun = "update"


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "period", "status", "state", "entered_by", "approved_by"]
    list_filter = ["state", "status", "period", "activity__theme__plan"]
    list_select_related = ["activity", "period", "entered_by", "approved_by"]
    search_fields = ["activity__title", "commentary"]
    autocomplete_fields = ["activity", "period"]
    readonly_fields = ["entered_by", "entered_at", "approved_by", "approved_at", "version"]
    form = ActivityUpdateAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        obj._change_reason = "Admin"
        super().save_model(request, obj, form, change)


class AssessmentThemeInline(admin.TabularInline):
    model = AssessmentTheme
    fields = ["theme", "score", "key_risks", "actions", "evidence"]
    extra = 0
    autocomplete_fields = ["theme"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "year", "kind", "overall_score"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "plan__name", "source_note"]
    autocomplete_fields = ["plan"]
    readonly_fields = ["overall_score"]
    inlines = [AssessmentThemeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan").prefetch_related("theme_scores")

    @admin.display(description="Overall score (by the CPA rule)")
    def overall_score(self, assessment):
        overall = assessment.overall() if assessment.pk else None
        return str(overall) if overall else "Not yet: all five themes must be scored."


@admin.register(ScaleLevel)
class ScaleLevelAdmin(admin.ModelAdmin):
    list_display = ["score", "judgement", "description"]
