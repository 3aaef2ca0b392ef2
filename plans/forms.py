"""Forms for reporting progress on activities, and for finding milestones."""

import django_filters
from django import forms

from plans.models import ProgressStatus


class ActivityUpdateForm(forms.Form):
    status = forms.ChoiceField(
        choices=ProgressStatus.choices,
        widget=forms.RadioSelect,
        label="Status this quarter",
    )
    commentary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was done this quarter. Required when the activity is at risk or late.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self):
        cleaned = super().clean()
        at_risk = cleaned.get("status") in (ProgressStatus.AT_RISK, ProgressStatus.MISSED)
        if at_risk and not cleaned.get("commentary", "").strip():
            self.add_error(
                "commentary", "Say why the activity is at risk or late, and what is being done."
            )
        return cleaned


class MilestoneFilter(django_filters.FilterSet):
    """Milestones by theme and portfolio holder. The rows are in memory (lateness is computed),
    so the choices come from them and ``matching`` filters in Python."""

    theme = django_filters.ChoiceFilter(label="Theme", empty_label="All")
    holder = django_filters.ChoiceFilter(label="Portfolio holder", empty_label="All")
    on = django_filters.DateFilter(
        label="As at",
        widget=forms.DateInput(attrs={"placeholder": "YYYY-MM-DD", "size": 10}),
        help_text="Overdue and due soon as at this day (blank: today).",
    )

    def __init__(self, data=None, *, themes, holders, **kwargs):
        from plans.models import Activity

        super().__init__(data, queryset=Activity.objects.none(), **kwargs)
        self.filters["theme"].extra["choices"] = [(str(t.pk), t.title) for t in themes]
        self.filters["holder"].extra["choices"] = [(str(p.pk), p.name) for p in holders]

    def matching(self, activities, theme_of):
        """The activities that match, in order; ``theme_of`` gives an activity's top theme."""
        if not self.is_bound or not self.form.is_valid():
            return list(activities)
        theme, holder = self.form.cleaned_data.get("theme"), self.form.cleaned_data.get("holder")
        found = []
        for activity in activities:
            top = theme_of(activity)
            if theme and str(top.pk) != theme:
                continue
            person = activity.portfolio_holder
            if holder and (person is None or str(person.pk) != holder):
                continue
            found.append(activity)
        return found
