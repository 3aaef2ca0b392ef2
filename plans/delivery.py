"""Reads for the delivery plan pages: a theme's measures and activities, milestones due and
overdue, a portfolio holder's themes. Each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from partners.models import Person
from plans import milestones
from plans.models import Activity, Plan, Theme
from targets import dashboard
from targets.models import Commitment


def top_theme(theme: Theme) -> Theme:
    """A theme, or for an objective (a sub-group) the theme it belongs to."""
    return theme.parent if theme.parent_id else theme


def activities_with_progress():
    return Activity.objects.with_progress(dashboard.visible_states()).prefetch_related("strategies")


def flag_late(activities, today: date) -> list[Activity]:
    """Mark each activity ``late`` for the templates, which cannot pass today to a method."""
    activities = list(activities)
    for activity in activities:
        activity.late = activity.is_late_on(today)
    return activities


@dataclass
class ThemeActivities:
    """A theme's activities, grouped by the objective (sub-group) each hangs from."""

    theme: Theme
    groups: list[tuple[Theme, list[Activity]]] = field(default_factory=list)

    @property
    def activities(self) -> list[Activity]:
        return [activity for _, found in self.groups for activity in found]


def theme_activities(themes: list[Theme]) -> list[ThemeActivities]:
    """The activities of each theme and of its objectives, in plan order: one query, plus the
    prefetches of ``with_progress``."""
    ids = [theme.pk for theme in themes]
    found = {theme.pk: ThemeActivities(theme) for theme in themes}
    groups: dict[tuple[int, int], list[Activity]] = {}
    objective: dict[int, Theme] = {}
    for activity in (
        activities_with_progress()
        .filter(Q(theme_id__in=ids) | Q(theme__parent_id__in=ids))
        .order_by("theme__order", "theme__title", "order")
    ):
        owner = activity.theme.pk if activity.theme.pk in found else activity.theme.parent_id
        objective[activity.theme.pk] = activity.theme
        groups.setdefault((owner, activity.theme.pk), []).append(activity)
    for (owner, theme_id), activities in groups.items():
        found[owner].groups.append((objective[theme_id], activities))
    return list(found.values())


def theme_rows(themes: list[Theme], chosen=None):
    """The measures of these themes and their sub-groups, each judged for the period chosen
    or, by default, its plan's own latest period with data (themes may be of several plans)."""
    ids = [theme.pk for theme in themes]
    loaded = dashboard.load(
        Commitment.objects.filter(Q(theme_id__in=ids) | Q(theme__parent_id__in=ids))
    )
    found = loaded.plan_periods()

    def period_of(plan):
        return chosen or found.default_for(plan) or dashboard.fallback_period(plan)

    return loaded.assess(period_of)


@dataclass
class Milestones:
    overdue: list[Activity]
    due_soon: list[Activity]
    until: date  # the end of the "due soon" window


def milestones_of(activities: list[Activity], today: date) -> Milestones:
    """Late milestones (oldest due first) and those due from today to the end of the next
    quarter that are not yet complete (soonest first)."""
    until = milestones.due_soon_until(today)
    overdue, due_soon = [], []
    for activity in activities:
        if activity.is_late_on(today):
            overdue.append(activity)
        elif activity.due_on and today <= activity.due_on <= until:
            latest = activity.latest_update
            if latest is None or latest.status != milestones.COMPLETE:
                due_soon.append(activity)
    overdue.sort(key=lambda a: (a.due_on or date.max, a.theme.order, a.order))
    due_soon.sort(key=lambda a: (a.due_on, a.theme.order, a.order))
    return Milestones(overdue, due_soon, until)


def plan_milestones(plan: Plan) -> list[Activity]:
    return list(activities_with_progress().filter(theme__plan=plan))


def plan_themes(plan: Plan) -> list[Theme]:
    """The plan's top-level themes, in order."""
    return list(plan.themes.filter(parent__isnull=True).select_related("portfolio_holder"))


def portfolio_holders():
    """The people who hold a theme of some plan, with their portfolios."""
    return (
        Person.objects.filter(themes__isnull=False)
        .distinct()
        .prefetch_related("portfolios")
        .order_by("name")
    )
