"""Charts as plotly figure dicts. The template emits one with ``json_script`` and
``static/js/charts.js`` draws it with the plotly.js of the plotly package: no inline script.

Values are drawn at the end of their period; a target is a dashed line across its period (a band
for a range), read through the status rules (``goal_of``), so a relative target is drawn where it
resolves against the baseline; the baseline is a dotted line across the chart.
"""

from collections import defaultdict
from decimal import Decimal

from targets.models import ActualState, Unit
from targets.status import GoalKind, _figure_value, goal_of

FONT = "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif"
# Okabe and Ito's colours, told apart by people with colour-blindness; dark blue first.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]
TARGET_COLOUR = "#0b0c0c"
BAND_COLOUR = "rgba(0, 112, 60, 0.15)"
BASELINE_COLOUR = "#505a5f"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicator_figure(indicator, commitments, actuals) -> dict | None:
    """The chart of one indicator: its values (one series per breakdown), targets and
    baselines of every plan that commits to it. None when there is nothing dated to draw."""
    names: list[str] = []

    def colour(name: str) -> str:
        if name not in names:
            names.append(name)
        return PALETTE[names.index(name) % len(PALETTE)]

    data = []
    series: dict[str, list] = defaultdict(list)
    for actual in actuals:
        if actual.value is None or actual.period.ends_on is None:
            continue
        name = actual.breakdown.name if actual.breakdown_id else "Actual"
        series[name].append(actual)
    breakdowns = len(series) > 1 or "Actual" not in series
    for name, items in series.items():
        items.sort(key=lambda a: a.period.ends_on)
        pending = [a.state == ActualState.SUBMITTED for a in items]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [a.period.ends_on.isoformat() for a in items],
                "y": [_number(a.value) for a in items],
                "text": [
                    f"{a.period.label}{' (not yet approved)' if p else ''}"
                    for a, p in zip(items, pending, strict=True)
                ],
                "hovertemplate": f"{name}, %{{text}}: %{{y}}<extra></extra>",
                "line": {"color": colour(name), "width": 3},
                "marker": {
                    "size": 9,
                    "symbol": ["circle-open" if p else "circle" for p in pending],
                },
            }
        )

    lines: dict[str, dict] = {}
    for commitment in commitments:
        baselines = {b.breakdown_id: b for b in commitment.baselines.all()}
        for target in commitment.targets.all():
            period = target.period
            if period.starts_on is None or period.ends_on is None:
                continue
            goal = goal_of(target, baselines.get(target.breakdown_id), unit=indicator.unit)
            if goal is None:
                continue
            group = target.breakdown.name if target.breakdown_id else ""
            x = [period.starts_on.isoformat(), period.ends_on.isoformat()]
            label = f"{period.label}: {' '.join(target.text.split())}"
            if goal.kind == GoalKind.RANGE:
                name = f"Target range{f' ({group})' if group else ''}"
                data.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "name": name,
                        "legendgroup": name,
                        "showlegend": not any(t.get("legendgroup") == name for t in data),
                        "x": [x[0], x[1], x[1], x[0], x[0]],
                        "y": [_number(goal.lower)] * 2
                        + [_number(goal.upper)] * 2
                        + [_number(goal.lower)],
                        "fill": "toself",
                        "fillcolor": BAND_COLOUR,
                        "line": {"color": "rgba(0, 112, 60, 0.6)", "width": 1},
                        "hoverinfo": "text",
                        "text": [f"{name} {label}"] * 5,
                    }
                )
                continue
            bound = goal.lower if goal.lower is not None else goal.upper
            name = f"Target{f' ({group})' if group else ''}"
            line = lines.setdefault(
                name,
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "x": [],
                    "y": [],
                    "text": [],
                    "hovertemplate": "%{text}<extra></extra>",
                    "line": {
                        "color": colour(group) if breakdowns and group else TARGET_COLOUR,
                        "dash": "dash",
                        "width": 2,
                    },
                    "connectgaps": False,
                },
            )
            if line["x"]:
                line["x"].append(None)
                line["y"].append(None)
                line["text"].append("")
            line["x"] += x
            line["y"] += [_number(bound)] * 2
            line["text"] += [f"{name} {label}"] * 2
    data.extend(lines.values())

    # A baseline is a dotted line across the chart: its period may be years before the
    # agreement (NI 120's is 1995-97) and would squeeze the values into a corner.
    xs = [x for trace in data for x in trace["x"] if x is not None]
    for commitment in commitments:
        for baseline in commitment.baselines.all():
            value = _figure_value(baseline, indicator.unit)
            if value is None:
                continue
            group = baseline.breakdown.name if baseline.breakdown_id else ""
            written = baseline.period_as_written or (baseline.period and baseline.period.label)
            name = " ".join(filter(None, ["Baseline", written, f"({group})" if group else ""]))
            if xs:
                span = [min(xs), max(xs)]
            elif baseline.period is not None and baseline.period.ends_on is not None:
                span = [baseline.period.ends_on.isoformat()] * 2
            else:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines" if xs else "markers",
                    "name": name,
                    "x": span,
                    "y": [_number(value)] * 2,
                    "text": [f"{name}: {baseline.text}"] * 2,
                    "hovertemplate": "%{text}<extra></extra>",
                    "line": {
                        "color": colour(group) if breakdowns and group else BASELINE_COLOUR,
                        "dash": "dot",
                        "width": 2,
                    },
                }
            )

    if not data:
        return None
    unit = indicator.unit_text or indicator.get_unit_display()
    return {
        "data": data,
        "layout": {
            "height": 380,
            "margin": {"l": 64, "r": 16, "t": 16, "b": 40},
            "font": {"family": FONT, "size": 14, "color": "#0b0c0c"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "hovermode": "closest",
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
            "xaxis": {"type": "date", "gridcolor": "#e5e6e7", "linecolor": "#0b0c0c"},
            "yaxis": {
                "title": {"text": unit},
                "gridcolor": "#e5e6e7",
                "zeroline": False,
                "ticksuffix": "%" if indicator.unit == Unit.PERCENT else "",
                "rangemode": "tozero" if indicator.unit == Unit.PERCENT else "normal",
            },
        },
    }


def caption(figure: dict) -> str:
    """How to read the chart, naming only what it draws."""
    names = [trace["name"] for trace in figure["data"]]
    parts = ["Values at the end of each period"]
    if any(name.startswith("Target range") for name in names):
        parts.append("the shaded band is the target range")
    if any(name.startswith("Target") and "range" not in name for name in names):
        parts.append("dashed lines are targets across their period")
    if any(name.startswith("Baseline") for name in names):
        parts.append("dotted lines are baselines")
    text = "; ".join(parts) + "."
    symbols = [trace.get("marker", {}).get("symbol") for trace in figure["data"]]
    if any(isinstance(symbol, list) and "circle-open" in symbol for symbol in symbols):
        text += " Open circles are values not yet approved."
    return text
