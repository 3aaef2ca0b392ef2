"""Writes that span models: recording the baselines and targets a plan agreed.

Each function validates with ``full_clean()`` before saving and runs in one transaction, so a
refused value leaves the database as it was.
"""

from django.db import transaction

from targets.models import (
    Actual,
    ActualSource,
    ActualState,
    Baseline,
    Breakdown,
    Commitment,
    CommitmentStatus,
    CommitmentStatusKind,
    Figure,
    Period,
    Target,
)
from targets.periods import UnreadablePeriod
from targets.target_text import ParsedFigure, Shape, parse_figure


class UnknownBreakdown(ValueError):
    pass


def _breakdown_for(commitment: Commitment, label: str) -> Breakdown:
    for breakdown in commitment.indicator.breakdowns.all():
        if breakdown.matches(label):
            return breakdown
    known = ", ".join(b.name for b in commitment.indicator.breakdowns.all()) or "none"
    raise UnknownBreakdown(
        f"Unknown breakdown '{label}' for {commitment.indicator.code} (known: {known})."
    )


def _figures_by_breakdown(
    commitment: Commitment, figure: ParsedFigure, breakdown: Breakdown | None
) -> list[tuple[Breakdown | None, ParsedFigure]]:
    """One figure per row to store: a cell split by group gives one per breakdown."""
    if figure.shape != Shape.BREAKDOWN:
        return [(breakdown, figure)]
    if breakdown is None:
        return [(_breakdown_for(commitment, label), part) for label, part in figure.parts]
    # A row for one group whose cell names several ("M:801* F:552*" on the Male row).
    matching = [part for label, part in figure.parts if breakdown.matches(label)]
    if len(matching) != 1:
        raise UnknownBreakdown(
            f"The text '{figure.text}' does not give exactly one figure for {breakdown.name}."
        )
    return [(breakdown, matching[0])]


def _save(figure_row: Figure, parsed: ParsedFigure) -> Figure:
    figure_row.apply_parsed(parsed)
    figure_row.full_clean()
    figure_row.save()
    return figure_row


@transaction.atomic
def target_record(
    *,
    commitment: Commitment,
    period: Period,
    text: str,
    breakdown: Breakdown | None = None,
) -> list[Target]:
    """Record the target a plan agreed for ``period`` as written; returns the rows stored.

    A cell split by group ("M:801* F:552*") is stored as one target per breakdown; a cell that
    also records what happened ("140 (actual for year = 156)") records that actual too, as
    approved and sourced to the document.
    """
    figure = parse_figure(text)
    stored = []
    for row_breakdown, parsed in _figures_by_breakdown(commitment, figure, breakdown):
        target = Target.objects.filter(
            commitment=commitment, period=period, breakdown=row_breakdown
        ).first() or Target(commitment=commitment, period=period, breakdown=row_breakdown)
        stored.append(_save(target, parsed))
        target_record_consequences(target=target, figure=parsed)
    return stored


def target_record_consequences(*, target: Target, figure: ParsedFigure) -> None:
    """What a target's text says beyond the target: an actual it records, or a withdrawal."""
    if figure.recorded_actual is not None:
        _record_document_actual(target.commitment, target.period, target.breakdown, figure)
    if figure.shape == Shape.WITHDRAWN:
        _record_withdrawal(target.commitment, target.period, figure.text)


def _record_withdrawal(commitment: Commitment, period: Period, text: str) -> None:
    # "Dropped from National Indicator Set" in 09/10 and 10/11 is one change, from 09/10 on.
    status = (
        CommitmentStatusKind.DROPPED_FROM_NIS
        if "national indicator set" in text.casefold()
        else CommitmentStatusKind.WITHDRAWN
    )
    change = CommitmentStatus.objects.filter(commitment=commitment, status=status).first()
    if change is None:
        CommitmentStatus.objects.create(
            commitment=commitment, status=status, from_period=period, text=" ".join(text.split())
        )
    elif (
        change.from_period and period.starts_on and change.from_period.starts_on > period.starts_on
    ):
        change.from_period = period
        change.save(update_fields=["from_period"])


@transaction.atomic
def baseline_record(
    *,
    commitment: Commitment,
    text: str,
    period_text: str = "",
    breakdown: Breakdown | None = None,
) -> list[Baseline]:
    """Record a commitment's baseline as written, with its period as written.

    A period label that cannot be read is kept as written and the baseline flagged for review.
    """
    period = None
    period_unreadable = False
    if period_text.strip():
        try:
            period = Period.objects.for_label(period_text)
        except UnreadablePeriod:
            period_unreadable = True
    figure = parse_figure(text)
    stored = []
    for row_breakdown, parsed in _figures_by_breakdown(commitment, figure, breakdown):
        baseline = Baseline.objects.filter(
            commitment=commitment, breakdown=row_breakdown
        ).first() or Baseline(commitment=commitment, breakdown=row_breakdown)
        baseline.period = period
        baseline.period_as_written = period_text
        baseline.apply_parsed(parsed)
        baseline.needs_review = baseline.needs_review or period_unreadable
        baseline.full_clean()
        baseline.save()
        stored.append(baseline)
    return stored


def _record_document_actual(commitment, period, breakdown, parsed: ParsedFigure) -> Actual:
    actual = Actual.objects.filter(
        indicator=commitment.indicator, period=period, breakdown=breakdown
    ).first() or Actual(indicator=commitment.indicator, period=period, breakdown=breakdown)
    actual.value = parsed.recorded_actual
    actual.state = ActualState.APPROVED
    actual.source = ActualSource.DOCUMENT
    actual.source_note = f"{commitment.plan.name}: “{parsed.text.strip()}”"[:300]
    actual.full_clean()
    actual.save()
    return actual
