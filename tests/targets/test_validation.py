"""Impossible values are refused by the models, with a message that names the field."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from targets.models import Actual, ActualSource, ActualState, Period, Target, Unit
from targets.services import UnknownBreakdown, target_record
from tests.factories import CommitmentFactory, IndicatorFactory, period

pytestmark = pytest.mark.django_db


def test_range_with_lower_above_upper_is_refused():
    target = Target(
        commitment=CommitmentFactory(),
        period=period("2008/09"),
        text="Between 15% and 10%",
        shape="range",
        lower=Decimal("15"),
        upper=Decimal("10"),
    )

    with pytest.raises(ValidationError) as error:
        target.full_clean()

    assert "lower" in error.value.message_dict
    assert "above the upper bound" in error.value.message_dict["lower"][0]


def test_quarter_outside_one_to_four_is_refused():
    bad = Period(label="2008/09 Q5", kind="quarter", year=2008, quarter=5)

    with pytest.raises(ValidationError) as error:
        bad.full_clean()

    assert error.value.message_dict["quarter"] == ["A quarter is 1 to 4, not 5."]


def test_actual_with_numerator_above_denominator_is_refused():
    actual = Actual(
        indicator=IndicatorFactory(),
        period=period("2008/09"),
        numerator=Decimal("15"),
        denominator=Decimal("14"),
        source=ActualSource.FORM,
    )

    with pytest.raises(ValidationError) as error:
        actual.full_clean()

    assert "numerator" in error.value.message_dict
    assert Actual.objects.count() == 0


def test_percentage_actual_outside_0_to_100_is_refused():
    actual = Actual(
        indicator=IndicatorFactory(unit=Unit.PERCENT),
        period=period("2008/09"),
        value=Decimal("112"),
        source=ActualSource.FORM,
    )

    with pytest.raises(ValidationError) as error:
        actual.full_clean()

    assert error.value.message_dict["value"] == [
        "Must be between 0 and 100 for a percentage, not 112."
    ]


def test_returned_actual_needs_a_reason():
    actual = Actual(
        indicator=IndicatorFactory(),
        period=period("2008/09"),
        value=Decimal("3"),
        state=ActualState.RETURNED,
        source=ActualSource.FORM,
    )

    with pytest.raises(ValidationError) as error:
        actual.full_clean()

    assert "return_reason" in error.value.message_dict


def test_split_cell_for_an_unknown_breakdown_is_refused_and_nothing_is_stored():
    commitment = CommitmentFactory()

    with pytest.raises(UnknownBreakdown, match="Unknown breakdown 'M'"):
        target_record(commitment=commitment, period=period("2008/09"), text="M:801* F:552*")

    assert Target.objects.count() == 0


def test_theme_from_another_plan_is_refused():
    commitment = CommitmentFactory()
    commitment.theme = CommitmentFactory().theme

    with pytest.raises(ValidationError) as error:
        commitment.full_clean()

    assert "theme" in error.value.message_dict
