"""The audit trail of an indicator, read from django-simple-history: every change to its values,
targets and baselines, who made it, when, through which route, and what it was before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.contrib.auth import get_user_model

from targets.models import Actual, Baseline, Breakdown, Indicator, Period, Target

# Bookkeeping that changes on every save and says nothing to a reader.
NOT_SHOWN = ["version", "entered_at", "submitted_at", "approved_at", "needs_review"]
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    route: str
    kind: str  # "Actual", "Target", "Baseline"
    about: str  # "2008/09 Q2 Male"
    action: str
    fields: tuple[FieldChange, ...]


def changes_for(indicator: Indicator, limit: int = 500) -> list[Change]:
    """The indicator's changes, newest first. A fixed number of queries."""
    commitment_ids = list(indicator.commitments.values_list("pk", flat=True))
    sources = [
        ("Actual", Actual, Actual.history.filter(indicator_id=indicator.pk)),
        ("Target", Target, Target.history.filter(commitment_id__in=commitment_ids)),
        ("Baseline", Baseline, Baseline.history.filter(commitment_id__in=commitment_ids)),
    ]
    records = []
    for kind, model, history in sources:
        rows = list(history.order_by("id", "history_date", "history_id")[: limit * 4])
        records += [(kind, model, rows)]

    period_ids = {r.period_id for _, _, rows in records for r in rows if r.period_id}
    breakdown_ids = {r.breakdown_id for _, _, rows in records for r in rows if r.breakdown_id}
    user_ids = {r.history_user_id for _, _, rows in records for r in rows if r.history_user_id}
    periods = dict(Period.objects.filter(pk__in=period_ids).values_list("pk", "label"))
    breakdowns = dict(Breakdown.objects.filter(pk__in=breakdown_ids).values_list("pk", "name"))
    users = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }

    changes = []
    for kind, model, rows in records:
        # Relations are shown by what the change is about and by who made it, not as ids.
        labels = {
            f.attname: f.verbose_name
            for f in model._meta.concrete_fields
            if not f.is_relation and f.name not in NOT_SHOWN and f.name != "id"
        }
        by_object: dict[int, list] = {}
        for row in rows:
            by_object.setdefault(row.id, []).append(row)
        for versions in by_object.values():
            for before, after in [(None, versions[0]), *pairwise(versions)]:
                changes.append(
                    Change(
                        when=after.history_date,
                        who=users.get(after.history_user_id, "System"),
                        route=after.history_change_reason or "",
                        kind=kind,
                        about=" ".join(
                            part
                            for part in (
                                periods.get(after.period_id, ""),
                                breakdowns.get(after.breakdown_id, ""),
                            )
                            if part
                        ),
                        action=ACTIONS.get(after.history_type, after.history_type),
                        fields=_field_changes(before, after, labels),
                    )
                )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def _field_changes(before, after, labels) -> tuple[FieldChange, ...]:
    if before is None:
        return tuple(
            FieldChange(labels[name], None, getattr(after, name))
            for name in labels
            if getattr(after, name) not in (None, "", False)
        )
    delta = after.diff_against(before, included_fields=list(labels))
    return tuple(FieldChange(labels[c.field], c.old, c.new) for c in delta.changes)
