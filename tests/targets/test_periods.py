"""Reading reporting periods as the plans write them (pure Python, no database)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.periods import (
    MAX_YEAR,
    MIN_YEAR,
    ParsedPeriod,
    PeriodKind,
    UnreadablePeriod,
    calendar_year,
    financial_year,
    format_period,
    month,
    parse_period,
    quarter,
    quarters_of,
    school_year,
)

K = PeriodKind


def span(label, start, end, qualifier=""):
    return ParsedPeriod(K.SPAN, label, start, end, None, None, qualifier)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Financial years, however written.
        ("2008/09", financial_year(2008)),
        ("2008/9", financial_year(2008)),
        ("08/09", financial_year(2008)),
        ("2008-09", financial_year(2008)),
        ("2008/2009", financial_year(2008)),
        ("2007/8", financial_year(2007)),
        ("2006-07", financial_year(2006)),
        ("1999/00", financial_year(1999)),
        ("FY 2008/09", financial_year(2008)),
        (" 2008/09 \n", financial_year(2008)),
        # Quarters, either way round, any case, with or without spaces.
        ("Q2 2008/9", quarter(2008, 2)),
        ("2008/09 Q1", quarter(2008, 1)),
        ("Q1 2008/09", quarter(2008, 1)),
        ("q1 08/09", quarter(2008, 1)),
        ("2008/09Q1", quarter(2008, 1)),
        ("2008/09 q4", quarter(2008, 4)),
        ("Quarter 3 2008/09", quarter(2008, 3)),
        # School years: results land in the summer at the end of the school year.
        ("summer 09", school_year(2008)),
        ("Summer 2009", school_year(2008)),
        ("school year 08/09", school_year(2008)),
        ("School year 2012/13", school_year(2012)),
        ("2008/09 school year", school_year(2008)),
        # Calendar years and months.
        ("(2006)", calendar_year(2006)),
        ("2013", calendar_year(2013)),
        ("March 2014", month(2014, 3)),
        ("Mar 14", month(2014, 3)),
        ("June 2008", month(2008, 6)),
        # Sources and qualifiers are kept, and in the label.
        (
            "(Defra 2005)",
            ParsedPeriod(
                K.CALENDAR_YEAR,
                "Defra 2005",
                date(2005, 1, 1),
                date(2005, 12, 31),
                2005,
                None,
                "Defra",
            ),
        ),
        (
            "Place Survey 2008/9",
            ParsedPeriod(
                K.FINANCIAL_YEAR,
                "Place Survey 2008/09",
                date(2008, 4, 1),
                date(2009, 3, 31),
                2008,
                None,
                "Place Survey",
            ),
        ),
        (
            "MARAC 2008/9",
            ParsedPeriod(
                K.FINANCIAL_YEAR,
                "MARAC 2008/09",
                date(2008, 4, 1),
                date(2009, 3, 31),
                2008,
                None,
                "MARAC",
            ),
        ),
        (
            "Nomis, February 2007",
            ParsedPeriod(
                K.MONTH,
                "Nomis, February 2007",
                date(2007, 2, 1),
                date(2007, 2, 28),
                2007,
                None,
                "Nomis",
            ),
        ),
        # Spans keep a tidy form of what was written.
        (
            "Nov 07-Jan 08 average",
            span("Nov 07-Jan 08 average", date(2007, 11, 1), date(2008, 1, 31), "average"),
        ),
        ("1995-97", span("1995-97", date(1995, 1, 1), date(1997, 12, 31))),
        # Read as the three financial years 2005/06 to 2007/08: see periods._rolling.
        (
            "3 year rolling average 2005-8",
            span(
                "3 year rolling average 2005-8",
                date(2005, 4, 1),
                date(2008, 3, 31),
                "3 year rolling average",
            ),
        ),
        (
            "April 2008 – January 2009",
            span("April 2008 – January 2009", date(2008, 4, 1), date(2009, 1, 31)),
        ),
        (
            "April 2008 \n– January 2009",
            span("April 2008 – January 2009", date(2008, 4, 1), date(2009, 1, 31)),
        ),
        ("2013/14 – 2014/15", span("2013/14 – 2014/15", date(2013, 4, 1), date(2015, 3, 31))),
        ("(2003/4 – 2006/7)", span("2003/4 – 2006/7", date(2003, 4, 1), date(2007, 3, 31))),
    ],
)
def test_period_is_read_as_written(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # The baseline periods quoted in DOMAIN.md, each with a start and an end.
        "2007/8",
        "(2006)",
        "Nov 07-Jan 08 average",
        "1995-97",
        "3 year rolling average 2005-8",
        "Q2 2008/9",
        "April 2008 – January 2009",
        "(Defra 2005)",
        "Place Survey 2008/9",
    ],
)
def test_every_domain_baseline_period_is_dated_and_its_label_reads_back(text):
    period = parse_period(text)

    assert period.start is not None
    assert period.end is not None
    assert period.start <= period.end
    assert parse_period(format_period(period)) == period


def test_format_period_is_the_canonical_label():
    assert format_period(parse_period("Q2 2008/9")) == "2008/09 Q2"
    assert format_period(parse_period("summer 09")) == "2008/09 school year"
    assert format_period(parse_period("08/09")) == "2008/09"


def test_quarters_of_a_financial_year_cover_it_in_order():
    fy = financial_year(2008)

    quarters = quarters_of(fy)

    assert [q.label for q in quarters] == ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4"]
    assert quarters[0].start == fy.start
    assert quarters[-1].end == fy.end
    assert [(q.start, q.end) for q in quarters] == [
        (date(2008, 4, 1), date(2008, 6, 30)),
        (date(2008, 7, 1), date(2008, 9, 30)),
        (date(2008, 10, 1), date(2008, 12, 31)),
        (date(2009, 1, 1), date(2009, 3, 31)),
    ]


def test_only_a_financial_year_has_quarters():
    with pytest.raises(ValueError, match="not a financial year"):
        quarters_of(school_year(2008))


def test_period_kinds_keep_their_stored_values():
    assert [kind.value for kind in PeriodKind] == [
        "financial_year",
        "quarter",
        "school_year",
        "calendar_year",
        "month",
        "span",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "sometime last year",
        "next year",
        "Q2 2008",  # a calendar-year quarter: April-June or January-March? Never guess.
        "13/14/15",
        "summer",
        "Smarch 2014",
        "Febuary 2007",
        "2233",
        "2007/8 verified",
        "of regional average 2004/5 - 2006/7",
        "10-15",
        "4 year rolling average 2005-7",
        "January 2009 – April 2008",
    ],
)
def test_unreadable_period_raises_and_names_the_input(text):
    with pytest.raises(UnreadablePeriod) as error:
        parse_period(text)

    assert repr(text) in str(error.value)


def test_unreadable_period_message_shows_accepted_forms():
    with pytest.raises(UnreadablePeriod, match="Accepted forms include: 2008/09"):
        parse_period("garbage")


@pytest.mark.parametrize("text", ["Q5 2008/09", "2008/09 Q5", "Q0 2008/09"])
def test_quarter_outside_one_to_four_is_rejected_by_number(text):
    number = text.split("Q")[1][0]

    with pytest.raises(UnreadablePeriod, match=f"quarter {number} is not a financial quarter"):
        parse_period(text)


def test_quarter_constructor_rejects_quarter_five():
    with pytest.raises(UnreadablePeriod, match="Quarter 5"):
        quarter(2008, 5)


@pytest.mark.parametrize("text", ["2008/10", "2008/2010", "08/10", "2008/08"])
def test_financial_year_must_be_consecutive_years(text):
    with pytest.raises(UnreadablePeriod, match="not consecutive") as error:
        parse_period(text)

    assert repr(text) in str(error.value)


def test_unreadable_period_is_a_value_error():
    assert issubclass(UnreadablePeriod, ValueError)


# Property tests. Two-digit years 00-69 are the 2000s and 70-99 the 1900s, so spellings with
# two-digit years are generated only for years they can name.
start_years = st.integers(MIN_YEAR, MAX_YEAR)
two_digit_start_years = st.integers(1970, 2068)


@given(start_years)
def test_financial_year_label_reads_back(year):
    period = financial_year(year)
    assert parse_period(format_period(period)) == period


@given(start_years, st.integers(1, 4))
def test_quarter_label_reads_back(year, q):
    period = quarter(year, q)
    assert parse_period(format_period(period)) == period


@given(start_years)
def test_school_year_label_reads_back(year):
    period = school_year(year)
    assert parse_period(format_period(period)) == period


@given(st.integers(MIN_YEAR, MAX_YEAR + 1))
def test_calendar_year_label_reads_back(year):
    period = calendar_year(year)
    assert parse_period(format_period(period)) == period


@given(st.integers(MIN_YEAR, MAX_YEAR + 1), st.integers(1, 12))
def test_month_label_reads_back(year, number):
    period = month(year, number)
    assert parse_period(format_period(period)) == period


def _fy_spellings(year):
    following = year + 1
    return [
        f"{year}/{following % 10}",
        f"{year}/{following % 100:02d}",
        f"{year}-{following % 100:02d}",
        f"{year}/{following}",
        f"{year} / {following % 100:02d}",
    ]


def _two_digit_fy_spellings(year):
    return [f"{year % 100:02d}/{(year + 1) % 100:02d}", f"{year % 100:02d}-{(year + 1) % 100:02d}"]


@given(start_years, st.data())
def test_financial_year_spellings_read_as_the_same_year(year, data):
    text = data.draw(st.sampled_from(_fy_spellings(year)))
    assert parse_period(text) == financial_year(year)


@given(two_digit_start_years, st.data())
def test_two_digit_financial_year_spellings_read_as_the_same_year(year, data):
    text = data.draw(st.sampled_from(_two_digit_fy_spellings(year)))
    assert parse_period(text) == financial_year(year)


@given(two_digit_start_years, st.integers(1, 4), st.data())
def test_quarter_spellings_read_as_the_same_quarter(year, q, data):
    fy = data.draw(st.sampled_from(_fy_spellings(year) + _two_digit_fy_spellings(year)))
    template = data.draw(
        st.sampled_from(["Q{q} {fy}", "{fy} Q{q}", "q{q} {fy}", "{fy}Q{q}", "Q{q}  {fy}"])
    )
    assert parse_period(template.format(q=q, fy=fy)) == quarter(year, q)


@given(two_digit_start_years, st.data())
def test_school_year_spellings_read_as_the_same_school_year(year, data):
    fy = data.draw(st.sampled_from(_fy_spellings(year) + _two_digit_fy_spellings(year)))
    text = data.draw(
        st.sampled_from(
            [f"summer {(year + 1) % 100:02d}", f"summer {year + 1}", f"school year {fy}"]
        )
    )
    assert parse_period(text) == school_year(year)


MONTHS = "January February March April May June July August September October November December"


@given(two_digit_start_years, st.integers(1, 12), st.data())
def test_month_spellings_read_as_the_same_month(year, number, data):
    name = MONTHS.split()[number - 1]
    text = data.draw(
        st.sampled_from([f"{name} {year}", f"{name[:3]} {year}", f"{name[:3]} {year % 100:02d}"])
    )
    assert parse_period(text) == month(year, number)


@given(st.text())
def test_parse_period_raises_nothing_but_unreadable_period(text):
    try:
        period = parse_period(text)
    except UnreadablePeriod:
        return
    assert parse_period(format_period(period)) == period
