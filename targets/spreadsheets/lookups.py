"""Find what a spreadsheet cell refers to, from tables read once per sheet.

An import of thousands of rows must not query the database for every reference; each sheet
builds a ``Lookups`` after the sheets before it have been saved, so it sees their rows too.
"""

from functools import cached_property

from partners.models import Partner, Person
from plans.models import Outcome, Plan, Strategy, Theme
from targets.models import Breakdown, Commitment, Indicator, Period
from targets.periods import UnreadablePeriod, parse_period


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class Lookups:
    def __init__(self):
        # Period labels as written ('2008/9', '08/09') and the period each was read as.
        self.periods_as_written: dict[str, Period] = {}

    @cached_property
    def partners(self) -> dict[str, Partner]:
        found = {}
        for partner in Partner.objects.all():
            for name in [partner.short_name, *partner.alias_list, partner.name]:
                if name:
                    found[_key(name)] = partner
        return found

    def partner(self, name: str) -> Partner:
        try:
            return self.partners[_key(name)]
        except KeyError:
            raise ValueError(f"Unknown partner '{name}'.") from None

    @cached_property
    def plans(self) -> dict[str, Plan]:
        return {plan.slug: plan for plan in Plan.objects.all()}

    def plan(self, slug: str) -> Plan:
        try:
            return self.plans[slug.strip()]
        except KeyError:
            raise ValueError(f"Unknown plan '{slug}'.") from None

    @cached_property
    def themes(self) -> dict[tuple[int, str], Theme]:
        found = {}
        for theme in Theme.objects.all():
            found[(theme.plan_id, _key(theme.title))] = theme
        # A code wins over a title that happens to read the same.
        for theme in Theme.objects.exclude(code=""):
            found[(theme.plan_id, _key(theme.code))] = theme
        return found

    def theme(self, plan: Plan, code_or_title: str) -> Theme:
        try:
            return self.themes[(plan.pk, _key(code_or_title))]
        except KeyError:
            raise ValueError(f"Unknown theme '{code_or_title}' in plan '{plan.slug}'.") from None

    def theme_ref(self, reference: str) -> Theme:
        """A theme of any plan, written 'plan-slug:code'."""
        slug, _, code = reference.partition(":")
        if not code:
            raise ValueError(
                f"Write a theme of another plan as 'plan-slug:code', not '{reference}'."
            )
        return self.theme(self.plan(slug), code)

    @cached_property
    def outcomes(self) -> dict[tuple[int, str], Outcome]:
        return {(o.plan_id, _key(o.code)): o for o in Outcome.objects.all()}

    def outcome_ref(self, reference: str) -> Outcome:
        slug, _, code = reference.partition(":")
        plan = self.plan(slug)
        try:
            return self.outcomes[(plan.pk, _key(code))]
        except KeyError:
            raise ValueError(f"Unknown outcome '{reference}'.") from None

    @cached_property
    def people(self) -> dict[str, Person]:
        return {_key(person.name): person for person in Person.objects.all()}

    def person(self, name: str) -> Person:
        try:
            return self.people[_key(name)]
        except KeyError:
            raise ValueError(f"Unknown person '{name}'.") from None

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {_key(indicator.code): indicator for indicator in Indicator.objects.all()}

    def indicator(self, code: str) -> Indicator:
        try:
            return self.indicators[_key(code)]
        except KeyError:
            raise ValueError(f"Unknown indicator '{code}'.") from None

    @cached_property
    def breakdowns(self) -> dict[str, Breakdown]:
        return {_key(f"{b.dimension}:{b.name}"): b for b in Breakdown.objects.all()}

    def breakdown_ref(self, reference: str) -> Breakdown:
        try:
            return self.breakdowns[_key(reference)]
        except KeyError:
            raise ValueError(
                f"Unknown breakdown '{reference}' (write it as 'dimension:name', e.g. 'sex:Male')."
            ) from None

    @cached_property
    def indicator_breakdowns(self) -> dict[int, list[Breakdown]]:
        """Every stored indicator's breakdowns, from one read of the link table.

        Not prefetch_related: that sends every indicator's id as a query parameter, more than
        SQLite takes once a plan has tens of thousands of indicators.
        """
        breakdowns = Breakdown.objects.in_bulk()
        found = {pk: [] for pk in Indicator.objects.values_list("pk", flat=True)}
        links = Indicator.breakdowns.through.objects.order_by(
            "breakdown__dimension", "breakdown__name"
        ).values_list("indicator_id", "breakdown_id")
        for indicator_id, breakdown_id in links:
            found[indicator_id].append(breakdowns[breakdown_id])
        return found

    def breakdown_of(self, indicator: Indicator, label: str) -> Breakdown:
        """One of the indicator's breakdowns, by name or alias ('Male', 'M')."""
        known = self.indicator_breakdowns.get(indicator.pk)
        if known is None:  # saved since the table was read
            known = list(indicator.breakdowns.all())
        for breakdown in known:
            if breakdown.matches(label):
                return breakdown
        names = ", ".join(b.name for b in known) or "none"
        raise ValueError(f"Unknown breakdown '{label}' for {indicator.code} (known: {names}).")

    @cached_property
    def commitments(self) -> dict[tuple[int, int], Commitment]:
        # Each commitment shares its indicator with `indicators` rather than prefetching it:
        # Django 5.2 prefetches a foreign key with a tuple IN, which SQLite receives as one OR
        # per commitment and refuses past 1,000 ("Expression tree is too large").
        indicators = {indicator.pk: indicator for indicator in self.indicators.values()}
        found = {}
        for commitment in Commitment.objects.all():
            if commitment.indicator_id in indicators:
                commitment.indicator = indicators[commitment.indicator_id]
            found[(commitment.plan_id, commitment.indicator_id)] = commitment
        return found

    def commitment(self, plan: Plan, indicator: Indicator) -> Commitment:
        try:
            return self.commitments[(plan.pk, indicator.pk)]
        except KeyError:
            raise ValueError(
                f"{indicator.code} is not a commitment of plan '{plan.slug}' "
                "(add it to the commitments sheet first)."
            ) from None

    @cached_property
    def commitments_by_id(self) -> dict[int, Commitment]:
        """Commitments by id, as first asked for: enough for the stored links."""
        return {c.pk: c for c in self.commitments.values() if c.pk is not None}

    @cached_property
    def commitment_refs(self) -> dict[tuple[int, str], Commitment]:
        """Commitments by plan and by reference or indicator code; the first one read wins."""
        found = {}
        for commitment in self.commitments.values():
            for name in (commitment.reference, commitment.indicator.code):
                found.setdefault((commitment.plan_id, _key(name)), commitment)
        return found

    def commitment_ref(self, plan: Plan, reference: str) -> Commitment:
        try:
            return self.commitment_refs[(plan.pk, _key(reference))]
        except KeyError:
            raise ValueError(f"Unknown commitment '{reference}' in plan '{plan.slug}'.") from None

    @cached_property
    def periods(self) -> dict[str, Period]:
        return {period.label: period for period in Period.objects.all()}

    def period(self, label: str) -> Period:
        """The period a label means; a new period is created the first time it is used."""
        # A long sheet repeats a handful of labels: each is read once.
        if label in self.periods_as_written:
            return self.periods_as_written[label]
        try:
            parsed = parse_period(label)
        except UnreadablePeriod as error:
            raise ValueError(str(error)) from None
        if parsed.label not in self.periods:
            self.periods[parsed.label] = Period.objects.for_label(label)
        self.periods_as_written[label] = self.periods[parsed.label]
        return self.periods[parsed.label]

    @cached_property
    def strategies(self) -> dict[str, Strategy]:
        return {_key(strategy.name): strategy for strategy in Strategy.objects.all()}

    def strategy(self, name: str) -> Strategy:
        """Strategies are named as the plan names them; a new name is a new strategy."""
        name = " ".join(name.split())
        if _key(name) not in self.strategies:
            self.strategies[_key(name)] = Strategy.objects.create(name=name)
        return self.strategies[_key(name)]

    def remember(self, obj) -> None:
        """Make a row saved during this import findable by the rows after it."""
        if isinstance(obj, Partner):
            for name in [obj.short_name, *obj.alias_list, obj.name]:
                if name:
                    self.partners[_key(name)] = obj
        elif isinstance(obj, Plan):
            self.plans[obj.slug] = obj
        elif isinstance(obj, Theme):
            self.themes[(obj.plan_id, _key(obj.title))] = obj
            if obj.code:
                self.themes[(obj.plan_id, _key(obj.code))] = obj
        elif isinstance(obj, Outcome):
            self.outcomes[(obj.plan_id, _key(obj.code))] = obj
        elif isinstance(obj, Person):
            self.people[_key(obj.name)] = obj
        elif isinstance(obj, Indicator):
            self.indicators[_key(obj.code)] = obj
        elif isinstance(obj, Breakdown):
            self.breakdowns[_key(f"{obj.dimension}:{obj.name}")] = obj
        elif isinstance(obj, Commitment):
            self.commitments[(obj.plan_id, obj.indicator_id)] = obj
            # Built again when next asked for, with this commitment.
            self.__dict__.pop("commitment_refs", None)
