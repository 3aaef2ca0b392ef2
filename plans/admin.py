from django.contrib import admin

from plans.models import Activity, Outcome, Plan, Strategy, Theme


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
