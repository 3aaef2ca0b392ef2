"""Reporting periods as the plans write them: financial years, quarters, school years, spans.

``parse_period`` reads the spellings found in the source documents ("2008/9", "Q2 2008/9",
"summer 09", "Nov 07-Jan 08 average"...) and never guesses: what it cannot read raises
``UnreadablePeriod``. ``format_period`` gives the canonical label, which reads back equal.
Pure Python, no Django.
"""

import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    # Values are stored in the database: keep them exactly.
    FINANCIAL_YEAR = "financial_year"
    QUARTER = "quarter"
    SCHOOL_YEAR = "school_year"
    CALENDAR_YEAR = "calendar_year"
    MONTH = "month"
    SPAN = "span"


class UnreadablePeriod(ValueError):
    """A period that cannot be read without guessing."""


@dataclass(frozen=True)
class ParsedPeriod:
    kind: PeriodKind
    label: str
    start: date | None
    end: date | None  # inclusive
    year: int | None
    quarter: int | None
    qualifier: str = ""


ACCEPTED_FORMS = (
    "2008/09, 2008/9, 08/09, 2008-09, 2008/2009, Q2 2008/09, 2008/09 Q2, summer 09, "
    "school year 2008/09, 2006, March 2014, 1995-97, Nov 07-Jan 08, "
    "April 2008 – January 2009, 2013/14 – 2014/15, Place Survey 2008/9, (Defra 2005)"
)

# Four-digit years outside this window are more likely counts ("2233 admissions") than years;
# the upper bound leaves room for the year after, so every label reads back.
MIN_YEAR, MAX_YEAR = 1900, 2098
# The longest label in the documents is under 40 characters; longer text is not one period.
MAX_LABEL = 80

_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

# Words that say what a period is, so they are never taken as a qualifier ("Summer 2009" is not
# calendar 2009 qualified by "Summer").
_NOT_QUALIFIER = set(_MONTHS) | {
    "q", "quarter", "summer", "spring", "autumn", "winter", "school", "academic", "year",
    "financial", "fy", "by", "in", "for", "from", "to", "until", "since", "before", "after",
    "between", "and", "of", "the", "average",
}  # fmt: skip

_PAIR = re.compile(r"(?P<a>[0-9]{4}|[0-9]{2})\s*(?P<sep>[/\-–])\s*(?P<b>[0-9]{1,4})")
_FY_WORDS = re.compile(r"(?:fy|financial year)\s*(?P<p>.+)", re.I)
_QUARTER_FIRST = re.compile(r"(?:q|quarter)\s*(?P<q>[0-9]+)\s*[,\s]\s*(?P<fy>.+)", re.I)
_QUARTER_LAST = re.compile(r"(?P<fy>.+?)\s*,?\s*(?:q|quarter)\s*(?P<q>[0-9]+)", re.I)
_SUMMER = re.compile(r"summer\s+(?P<y>[0-9]{4}|[0-9]{2})", re.I)
_SCHOOL_FIRST = re.compile(r"(?:school|academic)\s+year\s+(?P<p>.+)", re.I)
_SCHOOL_LAST = re.compile(r"(?P<p>.+?)\s+(?:school|academic)\s+year", re.I)
_CALENDAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"(?P<m>[A-Za-z]+)\.?\s+(?P<y>[0-9]{4}|[0-9]{2})")
_SPAN_SEP = re.compile(r"\s*(?:–|—|-|\bto\b)\s*", re.I)
_N_YEAR = re.compile(r"(?P<n>[0-9]+)[ -]year(?: rolling)? average", re.I)
_QUALIFIER_WORD = re.compile(r"[A-Z][A-Za-z]*,?")


class _Reject(Exception):
    """Internal: the text is recognisably a period but breaks a rule (the reason is kept)."""


def parse_period(text: str) -> ParsedPeriod:
    """Read a period as written; raise UnreadablePeriod rather than guess."""
    tidy = _tidy(text) if isinstance(text, str) else ""
    try:
        period = _parse_qualified(tidy) if 0 < len(tidy) <= MAX_LABEL else None
    except _Reject as reason:
        raise UnreadablePeriod(f"Cannot read the period {text!r}: {reason}") from None
    if period is None:
        raise UnreadablePeriod(
            f"Cannot read the period {text!r}. Accepted forms include: {ACCEPTED_FORMS}."
        )
    return period


def format_period(period: ParsedPeriod) -> str:
    """The canonical label, which parse_period reads back to an equal period."""
    return period.label


def financial_year(start_year: int) -> ParsedPeriod:
    _check_start(start_year)
    return ParsedPeriod(
        PeriodKind.FINANCIAL_YEAR,
        _pair_label(start_year),
        date(start_year, 4, 1),
        date(start_year + 1, 3, 31),
        start_year,
        None,
    )


def quarter(start_year: int, q: int) -> ParsedPeriod:
    """Quarter ``q`` of the financial year starting in April ``start_year``."""
    _check_start(start_year)
    if not 1 <= q <= 4:
        raise UnreadablePeriod(f"Quarter {q} is not a financial quarter: use Q1 to Q4.")
    # Q1 is April-June, so Q4 (January-March) falls in the following calendar year.
    first_month = (q * 3 + 1) % 12 or 12
    year = start_year + 1 if q == 4 else start_year
    last_month = first_month + 2
    return ParsedPeriod(
        PeriodKind.QUARTER,
        f"{_pair_label(start_year)} Q{q}",
        date(year, first_month, 1),
        date(year, last_month, monthrange(year, last_month)[1]),
        start_year,
        q,
    )


def school_year(start_year: int) -> ParsedPeriod:
    _check_start(start_year)
    return ParsedPeriod(
        PeriodKind.SCHOOL_YEAR,
        f"{_pair_label(start_year)} school year",
        date(start_year, 9, 1),
        date(start_year + 1, 8, 31),
        start_year,
        None,
    )


def calendar_year(y: int) -> ParsedPeriod:
    _check_year(y)
    return ParsedPeriod(PeriodKind.CALENDAR_YEAR, str(y), date(y, 1, 1), date(y, 12, 31), y, None)


def month(year: int, month_number: int) -> ParsedPeriod:
    _check_year(year)
    if not 1 <= month_number <= 12:
        raise UnreadablePeriod(f"Month {month_number} is not a month: use 1 to 12.")
    return ParsedPeriod(
        PeriodKind.MONTH,
        f"{_MONTH_NAMES[month_number - 1].title()} {year}",
        date(year, month_number, 1),
        date(year, month_number, monthrange(year, month_number)[1]),
        year,
        None,
    )


def quarters_of(fy: ParsedPeriod) -> list[ParsedPeriod]:
    """The four quarters of a financial year, Q1 first."""
    if fy.kind != PeriodKind.FINANCIAL_YEAR or fy.year is None:
        raise ValueError(f"{fy.label!r} is not a financial year, so it has no quarters.")
    return [quarter(fy.year, q) for q in range(1, 5)]


def _tidy(text: str) -> str:
    tidy = " ".join(text.split())
    while tidy.startswith("(") and tidy.endswith(")"):
        tidy = tidy[1:-1].strip()
    return tidy


def _check_start(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UnreadablePeriod(f"{year} is outside the years {MIN_YEAR} to {MAX_YEAR}.")


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR + 1:
        raise UnreadablePeriod(f"{year} is outside the years {MIN_YEAR} to {MAX_YEAR + 1}.")


def _pair_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _full_year(token: str) -> int | None:
    """Two-digit years: 00-69 are the 2000s, 70-99 the 1900s."""
    if len(token) == 2:
        n = int(token)
        return 2000 + n if n < 70 else 1900 + n
    year = int(token)
    return year if MIN_YEAR <= year <= MAX_YEAR + 1 else None


def _later_year(start: int, token: str) -> int:
    """Complete a shortened second year: 2008/9 -> 2009, 1999/00 -> 2000, 1995-97 -> 1997."""
    if len(token) == 4:
        return int(token)
    base = 10 ** len(token)
    year = start - start % base + int(token)
    return year + base if year <= start else year


def _guarded(make, *args) -> ParsedPeriod:
    try:
        return make(*args)
    except UnreadablePeriod as error:
        raise _Reject(str(error)) from None


def _pair(text: str) -> ParsedPeriod | None:
    """A year pair: consecutive years are a financial year; 1995-97 is a span of calendar years."""
    match = _PAIR.fullmatch(text)
    if not match:
        return None
    start = _full_year(match["a"])
    if start is None or len(match["b"]) == 3:
        return None
    end = _later_year(start, match["b"])
    if end == start + 1:
        return _guarded(financial_year, start)
    if match["sep"] == "/":
        raise _Reject(f"the years in {text!r} are not consecutive (a financial year is 2008/09).")
    # Only a four-digit first year makes a span: "10-15" is more likely a range of numbers.
    if len(match["a"]) != 4 or end > MAX_YEAR + 1:
        return None
    return ParsedPeriod(PeriodKind.SPAN, text, date(start, 1, 1), date(end, 12, 31), None, None)


def _financial_year_only(text: str) -> ParsedPeriod | None:
    period = _pair(text)
    return period if period and period.kind == PeriodKind.FINANCIAL_YEAR else None


def _single(text: str) -> ParsedPeriod | None:
    """A period that is not a span of two others."""
    if period := _pair(text):
        return period
    if match := _FY_WORDS.fullmatch(text):
        return _financial_year_only(match["p"])
    for pattern in (_QUARTER_FIRST, _QUARTER_LAST):
        match = pattern.fullmatch(text)
        if match and (fy := _financial_year_only(match["fy"])):
            q = int(match["q"])
            if not 1 <= q <= 4:
                raise _Reject(f"quarter {match['q']} is not a financial quarter (Q1 to Q4).")
            return quarter(fy.year, q)
    if match := _SUMMER.fullmatch(text):
        # Results land in the summer, at the end of the school year that began the autumn before.
        ending = _full_year(match["y"])
        return _guarded(school_year, ending - 1) if ending else None
    for pattern in (_SCHOOL_FIRST, _SCHOOL_LAST):
        match = pattern.fullmatch(text)
        if match and (fy := _financial_year_only(match["p"])):
            return _guarded(school_year, fy.year)
    if _CALENDAR.fullmatch(text):
        year = _full_year(text)
        return calendar_year(year) if year else None
    if match := _MONTH.fullmatch(text):
        number = _MONTHS.get(match["m"].lower())
        year = _full_year(match["y"])
        return month(year, number) if number and year else None
    return None


def _plain(text: str) -> ParsedPeriod | None:
    """A single period, or a span from one period to a later one ("Nov 07-Jan 08")."""
    if period := _single(text):
        return period
    for sep in _SPAN_SEP.finditer(text):
        left, right = text[: sep.start()], text[sep.end() :]
        try:
            first, last = _single(left), _single(right)
        except _Reject:
            continue
        if first and last and first.start < last.start and first.end < last.end:
            return ParsedPeriod(PeriodKind.SPAN, text, first.start, last.end, None, None)
    return None


def _parse_qualified(text: str) -> ParsedPeriod | None:
    """A period, possibly with a source or qualifier: "Place Survey 2008/9", "... average"."""
    if period := _plain(text):
        return period
    if text.lower().endswith(" average") and (core := _plain(text[: -len(" average")])):
        return _with_qualifier(core, "average", text, leading=False)
    if (match := _N_YEAR.match(text)) and (core := _plain(text[match.end() :].strip())):
        return _rolling(core, match, text)
    words = text.split(" ")
    for count in range(1, min(3, len(words) - 1) + 1):
        leading = words[:count]
        if not all(_is_qualifier_word(word) for word in leading):
            continue
        if core := _plain(" ".join(words[count:])):
            if core.kind == PeriodKind.CALENDAR_YEAR and _looks_like_a_month(leading[-1]):
                return None  # "Febuary 2007" is a month misspelt, not a source of 2007
            return _with_qualifier(core, " ".join(leading), text, leading=True)
    return None


def _looks_like_a_month(word: str) -> bool:
    word = word.rstrip(",").lower()
    return any(_distance(word, name) <= 2 for name in _MONTH_NAMES)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, for spotting misspelt month names."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def _is_qualifier_word(word: str) -> bool:
    # A source is named in capitals ("Place Survey", "Defra", "MARAC", "Nomis,"): requiring it
    # keeps ordinary words ("of regional average 2004/5") from passing as a source.
    return bool(_QUALIFIER_WORD.fullmatch(word)) and word.rstrip(",").lower() not in _NOT_QUALIFIER


def _with_qualifier(core: ParsedPeriod, written: str, text: str, leading: bool) -> ParsedPeriod:
    qualifier = written.rstrip(",")
    if core.kind == PeriodKind.SPAN:
        label = text
    else:
        label = f"{written} {core.label}" if leading else f"{core.label} {written}"
    return replace(core, label=label, qualifier=qualifier)


def _rolling(core: ParsedPeriod, match: re.Match, text: str) -> ParsedPeriod:
    """An N-year average over a year pair, e.g. "3 year rolling average 2005-8".

    Reading chosen: when the pair is N years apart (2008 - 2005 = 3), the average is of N
    financial years, 2005/06 to 2007/08 (1 April 2005 - 31 March 2008): the measure (affordable
    homes) is counted by financial year, as the neighbouring "2003/4 – 2006/7" baseline shows,
    and four calendar years would contradict "3 year". When the pair spans N calendar years
    inclusive ("3 year average 1995-97") it is those calendar years. Anything else is refused.
    """
    period = _with_qualifier(core, match.group(0), text, leading=True)
    if core.kind != PeriodKind.SPAN or core.start.month != 1 or core.end.month != 12:
        return period
    years, first, last = int(match["n"]), core.start.year, core.end.year
    if last - first == years:
        return replace(period, start=date(first, 4, 1), end=date(last, 3, 31))
    if last - first + 1 == years:
        return period
    raise _Reject(f"a {years} year average cannot run from {first} to {last}.")
