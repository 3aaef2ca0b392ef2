"""Find what a spreadsheet cell refers to, from tables read once per sheet.

An import of thousands of rows must not query the database for every reference; each sheet
builds a ``Lookups`` after the sheets before it have been saved, so it sees their rows too.
"""

from functools import cached_property

from django.db.models import Prefetch

from partners.models import Partner, Person
from plans.models import Outcome, Plan, Strategy, Theme
from targets.models import Breakdown, Commitment, Indicator, Period
from targets.periods import UnreadablePeriod, parse_period


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class Lookups:
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
        indicators = Indicator.objects.prefetch_related("breakdowns")
        return {_key(indicator.code): indicator for indicator in indicators}

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

    def breakdown_of(self, indicator: Indicator, label: str) -> Breakdown:
        """One of the indicator's breakdowns, by name or alias ('Male', 'M')."""
        for breakdown in indicator.breakdowns.all():
            if breakdown.matches(label):
                return breakdown
        known = ", ".join(b.name for b in indicator.breakdowns.all()) or "none"
        raise ValueError(f"Unknown breakdown '{label}' for {indicator.code} (known: {known}).")

    @cached_property
    def commitments(self) -> dict[tuple[int, int], Commitment]:
        commitments = Commitment.objects.prefetch_related(
            Prefetch("indicator", queryset=Indicator.objects.prefetch_related("breakdowns"))
        )
        return {(c.plan_id, c.indicator_id): c for c in commitments}

    def commitment(self, plan: Plan, indicator: Indicator) -> Commitment:
        try:
            return self.commitments[(plan.pk, indicator.pk)]
        except KeyError:
            raise ValueError(
                f"{indicator.code} is not a commitment of plan '{plan.slug}' "
                "(add it to the commitments sheet first)."
            ) from None

    def commitment_ref(self, plan: Plan, reference: str) -> Commitment:
        wanted = _key(reference)
        for commitment in self.commitments.values():
            if commitment.plan_id == plan.pk and wanted in {
                _key(commitment.reference),
                _key(commitment.indicator.code),
            }:
                return commitment
        raise ValueError(f"Unknown commitment '{reference}' in plan '{plan.slug}'.")

    @cached_property
    def periods(self) -> dict[str, Period]:
        return {period.label: period for period in Period.objects.all()}

    def period(self, label: str) -> Period:
        """The period a label means; a new period is created the first time it is used."""
        try:
            parsed = parse_period(label)
        except UnreadablePeriod as error:
            raise ValueError(str(error)) from None
        if parsed.label not in self.periods:
            self.periods[parsed.label] = Period.objects.for_label(label)
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
