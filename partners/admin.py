from django.contrib import admin
from django.db import models

from partners.models import Membership, Partner, Person, Portfolio


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_synthetic"]
    list_filter = ["kind", "is_synthetic"]
    search_fields = ["name", "short_name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
    inlines = [MembershipInline]
    # Django 5 warns (and 6 changes) that a scheme-less address is read as http://; be explicit.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class PortfolioInline(admin.TabularInline):
    model = Portfolio
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "partner"]
    list_filter = ["partner"]
    search_fields = ["name", "role", "portfolios__title"]
    autocomplete_fields = ["partner", "user"]
    inlines = [PortfolioInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "job_title"]
    list_filter = ["partner"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "partner__name"]
    autocomplete_fields = ["user", "partner"]
