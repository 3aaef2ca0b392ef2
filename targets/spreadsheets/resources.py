"""django-import-export resources, one per sheet of the import format (docs/import-format.md).

The base class adds what the library leaves out for this product: references resolved from
in-memory lookups (no query per cell), rows matched on the sheet's natural key, "unchanged"
judged on every stored field, and an audit record of the file and user behind each change.
"""

from import_export import fields, resources

from partners.models import Partner, PartnerKind, Person, Portfolio
from plans.models import (
    Activity,
    Outcome,
    Plan,
    PlanKind,
    PlanStatus,
    Strategy,
    Theme,
    ThemeKind,
)
from targets.models import Breakdown
from targets.spreadsheets.lookups import Lookups
from targets.spreadsheets.widgets import (
    SEPARATOR,
    Choice,
    Integer,
    IsoDate,
    Reference,
    References,
    Text,
    cell_text,
    split_list,
)


def column(name, widget=None, attribute=None, **kwargs):
    return fields.Field(
        attribute=name if attribute is None else attribute or None,
        column_name=name,
        widget=widget or Text(),
        **kwargs,
    )


def partner_ref(lookups, text, row):
    return lookups.partner(text)


def plan_ref(lookups, text, row):
    return lookups.plan(text)


def theme_in_row_plan(lookups, text, row):
    return lookups.theme(lookups.plan(cell_text(row.get("plan"))), text)


def show_name(obj):
    return obj.name


def show_slug(obj):
    return obj.slug


def show_theme(theme):
    return theme.code or theme.title


class SheetResource(resources.ModelResource):
    """A sheet of the workbook. Subclasses give ``sheet``, ``key_columns`` and ``find_existing``."""

    sheet: str = ""
    key_columns: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True

    def __init__(self, *, lookups: Lookups | None = None, user=None, source: str = ""):
        super().__init__()
        self.lookups = lookups or Lookups()
        self.user = user
        self.source = source
        # The spreadsheet row of each dataset row (blank rows are not in the dataset).
        self.row_numbers: list[int] = []
        self.progress = None  # called with (sheet, rows done, rows in all) for a progress bar
        for field in self.fields.values():
            if isinstance(field.widget, Reference | References):
                field.widget.lookups = self.lookups

    @classmethod
    def columns(cls) -> list[str]:
        return [field.column_name for field in cls().get_export_fields()]

    @classmethod
    def required_columns(cls) -> list[str]:
        return [
            field.column_name
            for field in cls().get_export_fields()
            if getattr(field.widget, "required", False) or field.column_name in cls.key_columns
        ]

    def get_instance(self, instance_loader, row):
        try:
            return self.find_existing(row)
        except ValueError:
            # The key itself is refused; the field that holds it reports why.
            return None

    def find_existing(self, row):
        raise NotImplementedError

    def spreadsheet_row(self, dataset_row_number: int) -> int:
        if self.row_numbers:
            return self.row_numbers[dataset_row_number - 1]
        return dataset_row_number + 1

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        stored = [f.attname for f in self._meta.model._meta.concrete_fields]
        if any(getattr(instance, name) != getattr(original, name) for name in stored):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress:
            self.progress(self.sheet, kwargs["row_number"], len(self.row_numbers))

    def before_save_instance(self, instance, row, **kwargs):
        # django-simple-history reads these for the audit trail.
        instance._history_user = self.user
        instance._change_reason = self.source

    def after_save_instance(self, instance, row, **kwargs):
        self.lookups.remember(instance)


class PartnerResource(SheetResource):
    sheet = "partners"
    key_columns = ("name",)
    name = column("name", Text(required=True, max_length=200))
    short_name = column("short_name", Text(max_length=40))
    kind = column("kind", Choice(PartnerKind.choices))
    parent = column("parent", Reference(partner_ref, show_name))
    members = column("members", References(Partner, partner_ref, show_name))
    aliases = column("aliases")

    class Meta(SheetResource.Meta):
        model = Partner
        fields = ["name", "short_name", "kind", "parent", "members", "aliases"]

    def find_existing(self, row):
        return Partner.objects.filter(name=cell_text(row.get("name"))).first()

    def dehydrate_aliases(self, partner):
        return SEPARATOR.join(partner.alias_list)

    def before_import_row(self, row, **kwargs):
        # One alias per line in the model, '; '-separated in the sheet.
        row["aliases"] = "\n".join(split_list(row.get("aliases")))


class PersonResource(SheetResource):
    sheet = "people"
    key_columns = ("name",)
    name = column("name", Text(required=True, max_length=200))
    role = column("role", Text(max_length=200))
    partner = column("partner", Reference(partner_ref, show_name))
    portfolios = column("portfolios", attribute=False)

    class Meta(SheetResource.Meta):
        model = Person
        fields = ["name", "role", "partner", "portfolios"]

    def find_existing(self, row):
        return Person.objects.filter(name=cell_text(row.get("name"))).first()

    def dehydrate_portfolios(self, person):
        return SEPARATOR.join(p.title for p in person.portfolios.order_by("order"))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Portfolios are not a field of the person, so the base class cannot see them change.
        if original is not None and original.pk is not None and "portfolios" in row:
            stored = list(original.portfolios.order_by("order").values_list("title", flat=True))
            if stored != split_list(row.get("portfolios")):
                return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if "portfolios" not in row:
            return  # a sheet without the column leaves the portfolios as they are
        titles = split_list(row.get("portfolios"))
        instance.portfolios.exclude(title__in=titles).delete()
        for order, title in enumerate(titles):
            Portfolio.objects.update_or_create(
                holder=instance, title=title, defaults={"order": order}
            )


class PlanResource(SheetResource):
    sheet = "plans"
    key_columns = ("slug",)
    slug = column("slug", Text(required=True, max_length=100))
    name = column("name", Text(required=True, max_length=300))
    kind = column("kind", Choice(PlanKind.choices))
    area = column("area", Text(required=True, max_length=200))
    years = column("years", Text(max_length=100), attribute="years_text")
    starts_on = column("starts_on", IsoDate())
    ends_on = column("ends_on", IsoDate())
    status = column("status", Choice(PlanStatus.choices, default=PlanStatus.AGREED))
    framework = column("framework", Reference(plan_ref, show_slug))
    lead_partner = column("lead_partner", Reference(partner_ref, show_name))
    source_document = column("source_document", Text(max_length=300))
    description = column("description")

    class Meta(SheetResource.Meta):
        model = Plan
        fields = [
            "slug",
            "name",
            "kind",
            "area",
            "years",
            "starts_on",
            "ends_on",
            "status",
            "framework",
            "lead_partner",
            "source_document",
            "description",
        ]

    def find_existing(self, row):
        return Plan.objects.filter(slug=cell_text(row.get("slug"))).first()


class ThemeResource(SheetResource):
    sheet = "themes"
    key_columns = ("plan", "title")
    plan = column("plan", Reference(plan_ref, show_slug, required=True))
    code = column("code", Text(max_length=20))
    title = column("title", Text(required=True, max_length=300))
    kind = column("kind", Choice(ThemeKind.choices, default=ThemeKind.PRIORITY))
    parent = column("parent", Reference(theme_in_row_plan, show_theme))
    order = column("order", Integer())
    summary = column("summary")
    portfolio_holder = column(
        "portfolio_holder", Reference(lambda lk, text, row: lk.person(text), show_name)
    )
    serves = column(
        "serves",
        References(Theme, lambda lk, text, row: lk.theme_ref(text), lambda t: _ref(t.plan, t)),
        attribute="serves_themes",
    )

    class Meta(SheetResource.Meta):
        model = Theme
        fields = [
            "plan",
            "code",
            "title",
            "kind",
            "parent",
            "order",
            "summary",
            "portfolio_holder",
            "serves",
        ]

    def find_existing(self, row):
        plan = self.lookups.plan(cell_text(row.get("plan")))
        key = cell_text(row.get("code")) or cell_text(row.get("title"))
        return self.lookups.theme(plan, key)


class ServesOutcomesResource(ThemeResource):
    """The `serves_outcomes` sheet: which outcomes (of this or another plan) each theme serves.

    A sheet of its own because it is read after the outcomes sheet, which itself names themes;
    the same column on the themes sheet works for outcomes that were loaded before."""

    sheet = "serves_outcomes"
    # The code alone names the theme; the title is there for people reading the sheet.
    title = column("title", Text(max_length=300), attribute=False)
    serves_outcomes = column(
        "serves_outcomes",
        References(Outcome, lambda lk, text, row: lk.outcome_ref(text), lambda o: _ref(o.plan, o)),
    )

    class Meta(ThemeResource.Meta):
        fields = ["plan", "code", "title", "serves_outcomes"]

    def dehydrate_title(self, theme):
        return theme.title

    def init_instance(self, row=None):
        raise ValueError(
            f"No theme {cell_text(row.get('code')) or cell_text(row.get('title'))!r} in plan "
            f"{cell_text(row.get('plan'))!r}: add it on the themes sheet first."
        )


def _ref(plan, obj):
    return f"{plan.slug}:{obj.code}"


class OutcomeResource(SheetResource):
    sheet = "outcomes"
    key_columns = ("plan", "code")
    plan = column("plan", Reference(plan_ref, show_slug, required=True))
    code = column("code", Text(required=True, max_length=20))
    title = column("title", Text(required=True, max_length=500))
    theme = column("theme", Reference(theme_in_row_plan, show_theme))
    order = column("order", Integer())

    class Meta(SheetResource.Meta):
        model = Outcome
        fields = ["plan", "code", "title", "theme", "order"]

    def find_existing(self, row):
        plan = self.lookups.plan(cell_text(row.get("plan")))
        return self.lookups.outcome_ref(f"{plan.slug}:{cell_text(row.get('code'))}")


class BreakdownResource(SheetResource):
    sheet = "breakdowns"
    key_columns = ("dimension", "name")
    dimension = column("dimension", Text(required=True, max_length=100))
    name = column("name", Text(required=True, max_length=100))
    aliases = column("aliases", Text(max_length=200))

    class Meta(SheetResource.Meta):
        model = Breakdown
        fields = ["dimension", "name", "aliases"]

    def find_existing(self, row):
        return self.lookups.breakdown_ref(f"{row.get('dimension')}:{row.get('name')}")


class ActivityResource(SheetResource):
    sheet = "activities"
    key_columns = ("plan", "theme", "title")
    plan = column("plan", Reference(plan_ref, show_slug, required=True), attribute=False)
    theme = column("theme", Reference(theme_in_row_plan, show_theme, required=True))
    title = column("title", Text(required=True))
    by_when = column("by_when", Text(max_length=200), attribute="by_when_text")
    strategies = column(
        "strategies",
        References(Strategy, lambda lk, text, row: lk.strategy(text), show_name),
    )
    lead_partner = column("lead_partner", Reference(partner_ref, show_name))
    order = column("order", Integer())

    class Meta(SheetResource.Meta):
        model = Activity
        fields = ["plan", "theme", "title", "by_when", "strategies", "lead_partner", "order"]

    def find_existing(self, row):
        plan = self.lookups.plan(cell_text(row.get("plan")))
        theme = self.lookups.theme(plan, cell_text(row.get("theme")))
        title = cell_text(row.get("title"))
        return Activity.objects.filter(theme=theme, title=title).first()

    def dehydrate_plan(self, activity):
        return activity.theme.plan.slug

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.set_by_when(instance.by_when_text)
