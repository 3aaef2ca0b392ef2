"""One indicator judged for every period with a value or a target: its page and the API."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from targets import reporting
from targets.dashboard.choosing import own_period, parsed
from targets.dashboard.judging import (
    CommitmentRow,
    applicable_targets,
    judge_commitment,
    visible_states,
)
from targets.models import (
    Actual,
    Baseline,
    Commitment,
    CommitmentPartner,
    CommitmentStatus,
    Indicator,
    Target,
)
from targets.periods import ParsedPeriod


def indicators_in_full() -> QuerySet[Indicator]:
    """Indicators with what ``indicator_history`` and the indicator page read: commitments
    (plan, theme, baselines, targets, partners, status changes) and the visible actuals."""
    commitments = (
        Commitment.objects.select_related("plan", "theme")
        .prefetch_related(
            Prefetch("baselines", Baseline.objects.select_related("period", "breakdown")),
            Prefetch("targets", Target.objects.select_related("period", "breakdown")),
            Prefetch("commitment_partners", CommitmentPartner.objects.select_related("partner")),
            Prefetch(
                "status_changes",
                CommitmentStatus.objects.select_related("from_period").order_by(
                    "from_period__starts_on", "pk"
                ),
            ),
        )
        .order_by("plan__starts_on", "plan__name")
    )
    return Indicator.objects.select_related("parent").prefetch_related(
        Prefetch("commitments", queryset=commitments),
        Prefetch(
            "actuals",
            queryset=Actual.objects.filter(state__in=visible_states())
            .select_related("period", "breakdown")
            .order_by("period__starts_on", "breakdown__name"),
        ),
    )


def indicator_history(
    indicator, commitments: list[Commitment], actuals: list[Actual], *, today: date | None = None
) -> list[CommitmentRow]:
    """The indicator judged for every period of its own frequency that has a value or a
    target, oldest first, from rows already loaded (commitments with their targets, baselines,
    partners and status changes prefetched; the visible actuals with period and breakdown).

    Each period is judged against the commitment with a target for it (the plan in force),
    or the first commitment where none has one.
    """
    today = today or timezone.localdate()
    by_key = {(a.period.label, a.breakdown_id): a for a in actuals}
    stored = {a.period.label: a.period for a in actuals}
    found: dict[str, ParsedPeriod] = {}
    dated = [a.period for a in actuals] + [t.period for c in commitments for t in c.targets.all()]
    for period in dated:
        stored.setdefault(period.label, period)
        if period.starts_on is None or period.ends_on is None:
            continue
        own = own_period(indicator.frequency, parsed(period))
        found.setdefault(own.label, own)
    rows = []
    for period in sorted(found.values(), key=lambda p: (p.start, p.end)):
        commitment = next(
            (c for c in commitments if applicable_targets(list(c.targets.all()), period)),
            commitments[0] if commitments else None,
        )
        if commitment is None:
            break
        commitment.indicator = indicator
        rows.append(
            judge_commitment(
                commitment,
                period,
                targets=list(commitment.targets.all()),
                baselines=list(commitment.baselines.all()),
                changes=list(commitment.status_changes.all()),
                actuals=by_key,
                partners=list(commitment.commitment_partners.all()),
                deadline=reporting.deadline_of(period, stored.get(period.label)),
                today=today,
            )
        )
    return rows


def latest_with_data(history: list[CommitmentRow]) -> CommitmentRow | None:
    """The row of the latest period with a value, as the API and indicator page show it."""
    return next((row for row in reversed(history) if any(p.actual for p in row.parts)), None)
