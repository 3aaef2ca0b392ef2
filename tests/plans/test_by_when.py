"""Reading an activity's "by when" (plans/by_when.py): every shape the Delivery Plan uses."""

from datetime import date

import pytest

from plans.by_when import Timing, read_by_when
from plans.models import Activity

# text as written, timing, starts_on, due_on
SHAPES = [
    ("September 2014", Timing.DUE, date(2014, 9, 1), date(2014, 9, 30)),
    ("March 2015", Timing.DUE, date(2015, 3, 1), date(2015, 3, 31)),
    ("2013/14", Timing.DUE, date(2013, 4, 1), date(2014, 3, 31)),
    ("2013/14 – 2014/15", Timing.DUE, date(2013, 4, 1), date(2015, 3, 31)),
    ("Throughout 2013/14", Timing.DUE, date(2013, 4, 1), date(2014, 3, 31)),
    ("2015", Timing.DUE, date(2015, 1, 1), date(2015, 12, 31)),
    ("Review 2013", Timing.DUE, date(2013, 1, 1), date(2013, 12, 31)),
    # A due point: no start is known.
    ("End 2013", Timing.DUE, None, date(2013, 12, 31)),
    ("End of 2013", Timing.DUE, None, date(2013, 12, 31)),
    ("By 2014", Timing.DUE, None, date(2014, 12, 31)),
    ("By the end of March 2014", Timing.DUE, None, date(2014, 3, 31)),
    ("Ongoing to 2015", Timing.DUE, None, date(2015, 12, 31)),
    # Seasons are meteorological: spring March-May, winter December-February.
    ("Spring 2014", Timing.DUE, date(2014, 3, 1), date(2014, 5, 31)),
    ("Summer 2014", Timing.DUE, date(2014, 6, 1), date(2014, 8, 31)),
    ("Autumn 2013", Timing.DUE, date(2013, 9, 1), date(2013, 11, 30)),
    ("Winter 2013", Timing.DUE, date(2013, 12, 1), date(2014, 2, 28)),
    ("May to October 2013", Timing.DUE, date(2013, 5, 1), date(2013, 10, 31)),
    ("November to February 2014", Timing.DUE, date(2013, 11, 1), date(2014, 2, 28)),
    # A start and no end: open-ended, never due.
    ("From April 2013", Timing.OPEN_ENDED, date(2013, 4, 1), None),
    ("From July 2013", Timing.OPEN_ENDED, date(2013, 7, 1), None),
    ("Starts September 2013", Timing.OPEN_ENDED, date(2013, 9, 1), None),
    ("Starts spring 2013", Timing.OPEN_ENDED, date(2013, 3, 1), None),
    ("Ongoing", Timing.OPEN_ENDED, None, None),
    ("All ongoing", Timing.OPEN_ENDED, None, None),
    ("Ongoing with targets set for 2013-15", Timing.OPEN_ENDED, None, None),
    ("", Timing.BLANK, None, None),
    ("   ", Timing.BLANK, None, None),
]


@pytest.mark.parametrize(("text", "timing", "starts_on", "due_on"), SHAPES)
def test_by_when_shapes(text, timing, starts_on, due_on):
    read = read_by_when(text)

    assert (read.timing, read.starts_on, read.due_on) == (timing, starts_on, due_on)
    assert read.text == text


@pytest.mark.parametrize(
    "text",
    ["Draft in 2013", "Annual", "Autumn 2013, then bi-annual updates", "Soon", "Place Survey 2013"],
)
def test_a_by_when_that_cannot_be_read_is_flagged_with_a_reason(text):
    read = read_by_when(text)

    assert read.timing == Timing.UNREAD
    assert (read.starts_on, read.due_on, read.needs_review) == (None, None, True)
    assert text.split(",")[0] in read.reason


def test_starts_is_never_taken_for_a_due_date():
    # The period parser alone reads "Starts September 2013" as September 2013, due on the 30th.
    assert read_by_when("Starts September 2013").due_on is None


def test_activity_keeps_the_text_and_takes_the_reading():
    activity = Activity(title="Open the new library")
    activity.set_by_when("Annual")
    assert (activity.by_when_text, activity.needs_review, activity.timing) == (
        "Annual",
        True,
        Timing.UNREAD,
    )

    activity.set_by_when("From April 2013")

    assert (activity.by_when_text, activity.starts_on, activity.due_on) == (
        "From April 2013",
        date(2013, 4, 1),
        None,
    )
    assert (activity.is_ongoing, activity.needs_review, activity.timing) == (
        True,
        False,
        Timing.OPEN_ENDED,
    )
