"""The `indicators` and `commitments` sheets: thousands of rows each in a county's workbook.

Saved in batches like the figures (``BatchedResource``). What a row gives besides the model's own
fields (an indicator's breakdowns, a commitment's partners and links) is compared with tables
read once and written in bulk once the sheet's rows are saved, so a sheet takes a fixed number
of queries however long it is, besides the inserts of its batches.
"""

from django.core.exceptions import ValidationError

from targets.models import (
    Breakdown,
    Commitment,
    CommitmentPartner,
    Frequency,
    Indicator,
    Polarity,
    QuarterlyValues,
    Unit,
)
from targets.spreadsheets.batches import BatchedResource, Links, delete_by_id, update_rows
from targets.spreadsheets.resources import (
    column,
    plan_ref,
    show_slug,
    show_theme,
    theme_in_row_plan,
)
from targets.spreadsheets.widgets import (
    SEPARATOR,
    Choice,
    Integer,
    Number,
    Reference,
    References,
    Text,
    YesNo,
    cell_text,
    split_list,
)


class IndicatorResource(BatchedResource):
    sheet = "indicators"
    key_columns = ("code",)
    noun = "indicator"
    resolved = ("parent",)
    code = column("code", Text(required=True, max_length=50))
    title = column("title", Text(required=True, max_length=500))
    definition = column("definition")
    unit = column("unit", Choice(Unit.choices, default=Unit.NUMBER))
    unit_text = column("unit_text", Text(max_length=100))
    polarity = column("polarity", Choice(Polarity.choices, default=Polarity.HIGHER))
    frequency = column("frequency", Choice(Frequency.choices, default=Frequency.ANNUAL))
    quarterly_values = column(
        "quarterly_values", Choice(QuarterlyValues.choices, default=QuarterlyValues.SNAPSHOT)
    )
    national = column("national", YesNo(), attribute="is_national")
    parent = column("parent", Reference(lambda lk, text, row: lk.indicator(text), lambda i: i.code))
    breakdowns = column(
        "breakdowns",
        References(
            Breakdown,
            lambda lk, text, row: lk.breakdown_ref(text),
            lambda b: f"{b.dimension}:{b.name}",
        ),
    )
    has_numerator = column("has_numerator", YesNo())
    tolerance_percent = column("tolerance_percent", Number())
    data_source = column("data_source", Text(max_length=300))

    class Meta(BatchedResource.Meta):
        model = Indicator
        fields = [
            "code",
            "title",
            "definition",
            "unit",
            "unit_text",
            "polarity",
            "frequency",
            "quarterly_values",
            "national",
            "parent",
            "breakdowns",
            "has_numerator",
            "tolerance_percent",
            "data_source",
        ]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.breakdown_links = Links(Indicator.breakdowns.through, "indicator", "breakdown")
        # Who holds each code and slug, for the checks full_clean would make with a query per
        # row: (id or None while unsaved, the row that gave it or None, the code).
        self.taken = {}
        for pk, code, slug in Indicator.objects.values_list("pk", "code", "slug"):
            self.taken[("code", code)] = self.taken[("slug", slug)] = (pk, None, code)

    def find_existing(self, row):
        return self.lookups.indicator(cell_text(row.get("code")))

    def before_import_row(self, row, **kwargs):
        if not cell_text(row.get("tolerance_percent")):
            row["tolerance_percent"] = "5"

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.wanted_breakdowns = None
        if "breakdowns" in row:  # a sheet without the column leaves the breakdowns as they are
            try:
                breakdowns = self.fields["breakdowns"].widget.clean(row.get("breakdowns"), row)
                self.wanted_breakdowns = {breakdown.pk for breakdown in breakdowns}
            except ValueError as error:
                errors["breakdowns"] = [str(error)]
        if errors:
            raise ValidationError(errors)
        instance.fill_slug()

    def relations_unchanged(self, instance, row):
        return self.wanted_breakdowns is None or (
            self.wanted_breakdowns == self.breakdown_links.of(instance.pk)
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "code" not in errors:
            unique = self.unique_error(instance)
            if unique:
                errors["code"] = [unique]
        if errors:
            raise ValidationError(errors)

    def unique_error(self, instance) -> str:
        """Why the row's code or slug is another indicator's, if it is: without a query."""
        for name in ("code", "slug"):
            value = getattr(instance, name)
            holder = self.taken.get((name, value))
            if holder is None:
                continue
            pk, row, code = holder
            if pk is None or pk != instance.pk:
                other = f"indicator {code} (row {row})" if row else f"indicator {code}"
                if name == "code":
                    return f"Already the code of {other}."
                return (
                    f"Its web address ('{value}') would be that of {other}: codes must differ "
                    "by more than spaces, punctuation and case."
                )
        return ""

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        row_number = self.spreadsheet_row(kwargs["row_number"])
        for name in ("code", "slug"):
            self.taken[(name, getattr(instance, name))] = (instance.pk, row_number, instance.code)
        if self.wanted_breakdowns is not None:
            self.breakdown_links.set(instance, self.wanted_breakdowns)

    def creation_order(self, instances):
        """Sub-measures after the new measures they are part of."""
        waiting = instances
        while waiting:
            ready = [i for i in waiting if not _waits_for_parent(i)] or waiting
            yield ready
            waiting = [i for i in waiting if i.pk is None]

    def after_import(self, dataset, result, **kwargs):
        if not result.has_errors():  # the rows were all saved, so they all have ids
            self.breakdown_links.save()


def _waits_for_parent(indicator) -> bool:
    # The parent is read from the cache: an indicator without a parent id and none assigned
    # reads as None without a query.
    parent = indicator.parent if indicator.parent_id is None else None
    return parent is not None and parent.pk is None


class CommitmentResource(BatchedResource):
    sheet = "commitments"
    key_columns = ("plan", "indicator")
    noun = "commitment"
    resolved = ("plan", "theme", "indicator", "responsible_officer")
    plan = column("plan", Reference(plan_ref, show_slug, required=True))
    theme = column("theme", Reference(theme_in_row_plan, show_theme, required=True))
    indicator = column(
        "indicator",
        Reference(lambda lk, text, row: lk.indicator(text), lambda i: i.code, required=True),
    )
    reference = column("reference", Text(max_length=50))
    title_as_written = column("title_as_written")
    description = column("description")
    rationale = column("rationale")
    designated = column("designated", YesNo(), attribute="is_designated")
    reward = column("reward", YesNo(), attribute="is_reward")
    statutory = column("statutory", YesNo(), attribute="is_statutory")
    placeholder = column("placeholder", YesNo(), attribute="is_placeholder")
    lead_partners = column("lead_partners", attribute=False)
    partners = column("partners", attribute=False)
    links = column("links", attribute=False)
    order = column("order", Integer())

    class Meta(BatchedResource.Meta):
        model = Commitment
        fields = [
            "plan",
            "theme",
            "indicator",
            "reference",
            "title_as_written",
            "description",
            "rationale",
            "designated",
            "reward",
            "statutory",
            "placeholder",
            "lead_partners",
            "partners",
            "links",
            "order",
        ]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Each commitment's partners: {commitment id: {partner id: (row id, is lead)}}.
        self.stored_partners: dict[int, dict[int, tuple[int, bool]]] = {}
        for pk, commitment_id, partner_id, is_lead in CommitmentPartner.objects.values_list(
            "pk", "commitment_id", "partner_id", "is_lead"
        ):
            self.stored_partners.setdefault(commitment_id, {})[partner_id] = (pk, is_lead)
        self.pending_partners = []
        through = Commitment.linked_commitments.through
        self.links = Links(through, "from_commitment", "to_commitment")
        self.pending_links = []

    def find_existing(self, row):
        plan = self.lookups.plan(cell_text(row.get("plan")))
        indicator = self.lookups.indicator(cell_text(row.get("indicator")))
        return self.lookups.commitments.get((plan.pk, indicator.pk))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.partner_rows = {}
        for name, is_lead in (("lead_partners", True), ("partners", False)):
            try:
                for partner_name in split_list(row.get(name)):
                    self.partner_rows[self.lookups.partner(partner_name).pk] = is_lead
            except ValueError as error:
                errors[name] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def relations_unchanged(self, instance, row):
        stored = self.stored_partners.get(instance.pk, {})
        if {partner_id: is_lead for partner_id, (_, is_lead) in stored.items()} != (
            self.partner_rows
        ):
            return False
        # A sheet without the column leaves the links as they are.
        return "links" not in row or self.links_unchanged(instance, split_list(row.get("links")))

    def links_unchanged(self, commitment, references) -> bool:
        """Whether the references name the stored links, each by its reference or its code.

        Compared as written: a link may point to a commitment further down the sheet, which
        the lookups cannot find before it is saved.
        """
        names = {}
        for pk in self.links.of(commitment.pk):
            linked = self.lookups.commitments_by_id.get(pk)
            if linked is None:
                return False
            names[pk] = {_key(linked.reference), _key(linked.indicator.code)} - {""}
        named = set()
        for reference in references:
            matches = [pk for pk, known in names.items() if _key(reference) in known]
            if len(matches) != 1:
                return False
            named.add(matches[0])
        return len(named) == len(names) == len(references)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.pending_partners.append((instance, self.partner_rows))
        if "links" in row:
            self.pending_links.append(
                (instance, split_list(row.get("links")), self.spreadsheet_row(kwargs["row_number"]))
            )

    def after_import(self, dataset, result, **kwargs):
        if not result.has_errors():  # the rows were all saved, so they all have ids
            self.save_partners()

    def save_partners(self):
        """Each saved commitment's partner rows as its row gives them (delete, change, add)."""
        removed, changed, added = [], [], []
        for commitment, wanted in self.pending_partners:
            stored = self.stored_partners.get(commitment.pk, {})
            removed += [pk for partner_id, (pk, _) in stored.items() if partner_id not in wanted]
            for partner_id, is_lead in wanted.items():
                if partner_id not in stored:
                    added.append(
                        CommitmentPartner(
                            commitment=commitment, partner_id=partner_id, is_lead=is_lead
                        )
                    )
                elif stored[partner_id][1] != is_lead:
                    changed.append(CommitmentPartner(pk=stored[partner_id][0], is_lead=is_lead))
        delete_by_id(CommitmentPartner, removed)
        update_rows(CommitmentPartner, changed, ["is_lead"])
        CommitmentPartner.objects.bulk_create(added, batch_size=500)
        self.pending_partners.clear()

    def dehydrate_lead_partners(self, commitment):
        return SEPARATOR.join(
            sorted(cp.partner.name for cp in commitment.commitment_partners.all() if cp.is_lead)
        )

    def dehydrate_partners(self, commitment):
        return SEPARATOR.join(
            sorted(cp.partner.name for cp in commitment.commitment_partners.all() if not cp.is_lead)
        )

    def dehydrate_links(self, commitment):
        return SEPARATOR.join(
            sorted(c.reference or c.indicator.code for c in commitment.linked_commitments.all())
        )

    def link_errors(self) -> list[tuple[int, str, str, str]]:
        """Links are set once every row of the sheet is saved, as they may point forward."""
        errors = []
        # A batch that failed left its rows without ids: the import is refused for that.
        saved = all(commitment.pk is not None for commitment, _, _ in self.pending_links)
        for commitment, references, row_number in self.pending_links:
            linked = []
            for reference in references:
                try:
                    linked.append(self.lookups.commitment_ref(commitment.plan, reference).pk)
                except ValueError as error:
                    errors.append((row_number, "links", reference, str(error)))
            self.links.set(commitment, linked)
        self.pending_links.clear()
        if saved:
            self.links.save()
        return errors


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()
