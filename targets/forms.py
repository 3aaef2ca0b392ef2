"""Forms for the quarterly reporting cycle: entering values and signing them off."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings

from targets.models import Actual, Indicator, Unit
from targets.reporting import Entry, EntryRow, shown

_TYPING = str.maketrans("", "", ", £%\u00a0")


def read_typed_number(text: str) -> Decimal | None:
    """A number as people type it: "1,234", "12.5%", " 7 ", "£3.2". Blank is None.

    Raises ValueError with a message fit to show next to the field."""
    text = (text or "").strip()
    if not text:
        return None
    # "1,234" is a thousand separator; "12,5" is a decimal comma that this form cannot assume.
    if "," in text and not all(len(part) == 3 for part in text.split(".")[0].split(",")[1:]):
        raise ValueError(f"“{text}” is not a number. Use a full stop for decimals, like 12.5.")
    try:
        number = Decimal(text.translate(_TYPING))
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number. Enter digits, like 1,234 or 12.5.") from None
    if not number.is_finite():
        raise ValueError(f"“{text}” is not a number.")
    return number


def unit_hint(indicator: Indicator) -> str:
    """What to type in a value field, from the indicator's unit, as a hint under its label:
    "A rate (per 1,000 population), like 43.2." Blank for units with no obvious example."""
    kinds = {
        Unit.PERCENT: ("A percentage", "12.5", " (the % sign is optional)"),
        Unit.RATE: ("A rate", "43.2", ""),
        Unit.MONEY: ("An amount", "3,200", " (the £ sign is optional)"),
        Unit.DAYS: ("A number of days", "12", ""),
        Unit.LEVEL: ("A level or score", "3", ""),
        Unit.NUMBER: ("A number", "1,234", ""),
    }
    if indicator.unit not in kinds:
        return ""
    kind, example, note = kinds[indicator.unit]
    unit_text = indicator.unit_text.strip()
    if unit_text and indicator.unit != Unit.PERCENT:
        kind = f"{kind} ({unit_text})"
    return f"{kind}, like {example}{note}."


class ActualEntryForm(forms.Form):
    commentary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened and why. Required when a value is off target.",
    )
    data_source = forms.CharField(
        required=False,
        max_length=300,
        label="Data source",
        help_text="Where the figure comes from, e.g. 'ONS conception statistics, Q2 release'.",
    )
    confirm_change = forms.BooleanField(
        required=False, label="Yes, I have checked these values and they are right"
    )

    def __init__(
        self,
        *args,
        indicator: Indicator,
        rows: list[EntryRow],
        off_target: Callable[[EntryRow, Decimal], bool] = lambda row, value: False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.rows = rows
        self.off_target = off_target
        self.large_changes: list[str] = []
        for row in rows:
            saved = row.actual
            self.fields[f"value_{row.key}"] = forms.CharField(
                required=False,
                label=row.label,
                help_text=unit_hint(indicator),
                initial=shown(saved.value) if saved else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            if indicator.has_numerator:
                for part in ("numerator", "denominator"):
                    self.fields[f"{part}_{row.key}"] = forms.CharField(
                        required=False,
                        label=f"{row.label}: {part}",
                        initial=shown(getattr(saved, part)) if saved else "",
                        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    )
            self.fields[f"version_{row.key}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=saved.version if saved else 0, min_value=0
            )
        if rows and rows[0].actual:
            self.fields["commentary"].initial = rows[0].actual.commentary
            self.fields["data_source"].initial = rows[0].actual.data_source

    def row_fields(self):
        """The bound fields of each row, for the template."""
        for row in self.rows:
            parts = [self[f"value_{row.key}"]]
            if self.indicator.has_numerator:
                parts += [self[f"numerator_{row.key}"], self[f"denominator_{row.key}"]]
            yield row, parts

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == "submit"

    def clean(self):
        cleaned = super().clean()
        self.entries: list[Entry] = []
        off_target = False
        for row in self.rows:
            numbers = {}
            for part in ("value", "numerator", "denominator"):
                name = f"{part}_{row.key}"
                if name not in self.fields:
                    continue
                try:
                    numbers[part] = read_typed_number(cleaned.get(name, ""))
                except ValueError as error:
                    self.add_error(name, str(error))
                    numbers[part] = None
            value = numbers.get("value")
            num, den = numbers.get("numerator"), numbers.get("denominator")
            if value is None and num is not None and den:
                value = num / den * (100 if self.indicator.unit == Unit.PERCENT else 1)
            name = f"value_{row.key}"
            if name in self.errors:
                continue
            if value is None:
                if self.submitting:
                    self.add_error(name, f"Enter the {row.label.lower()} before submitting.")
                continue
            if self.indicator.unit == Unit.PERCENT and not 0 <= value <= 100:
                self.add_error(name, f"Must be between 0 and 100 for a percentage, not {value}.")
                continue
            if value < 0 and self.indicator.unit in (Unit.NUMBER, Unit.RATE, Unit.PERCENT):
                self.add_error(name, "Cannot be negative for this indicator.")
                continue
            change = _change_percent(row.previous, value)
            if change is not None and change > settings.ACTUAL_CHANGE_CONFIRM_PERCENT:
                self.large_changes.append(
                    f"{row.label}: {shown(value)} is {change:.0f}% away from "
                    f"{shown(row.previous.value)} in {row.previous.period}."
                )
            # Only a submission needs commentary when off target: a draft is not judged.
            if self.submitting and not off_target:
                off_target = self.off_target(row, value)
            self.entries.append(
                Entry(
                    breakdown=row.breakdown,
                    value=value,
                    numerator=num,
                    denominator=den,
                    seen_version=cleaned.get(f"version_{row.key}") or 0,
                )
            )
        if self.large_changes and not cleaned.get("confirm_change"):
            self.add_error(
                "confirm_change",
                "These values are far from the last ones. Check them, then tick the box "
                "to confirm they are right.",
            )
        if off_target and self.submitting and not cleaned.get("commentary", "").strip():
            self.add_error(
                "commentary",
                "Explain why the value is off target, and what is being done about it.",
            )
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.large_changes)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why are you returning it?",
        help_text="The officer sees this and resubmits.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UnlockForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the reported figures must change. This is logged.",
    )


def _change_percent(previous: Actual | None, value: Decimal) -> Decimal | None:
    if previous is None or previous.value in (None, 0):
        return None
    return abs(value - previous.value) / abs(previous.value) * 100


class WorklistFilter(forms.Form):
    """Narrow an officer's worklist: hundreds of rows for an officer of a county council."""

    q = forms.CharField(
        label="Indicator",
        required=False,
        max_length=100,
        help_text="Part of a code or title, e.g. NI 39 or admissions.",
    )
    state = forms.ChoiceField(label="Status", required=False)

    def __init__(self, data=None, **kwargs):
        from targets.reporting import Due

        super().__init__(data, **kwargs)
        self.fields["state"].choices = [("", "Any")] + [
            (due.value, due.label) for due in Due if due != Due.NOT_DUE
        ]

    def matching(self, rows: list) -> list:
        """The rows whose code or title contains the text and whose value has the status."""
        if not self.is_valid():
            return rows
        text = self.cleaned_data["q"].strip().casefold()
        state = self.cleaned_data["state"]
        return [
            row
            for row in rows
            if (not state or row.due == state)
            and (
                not text
                or text in row.indicator.code.casefold()
                or text in row.indicator.title.casefold()
            )
        ]
