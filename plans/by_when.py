"""An activity's "by when" as the delivery plan writes it, read into dates.

The plan's "By when" column mixes due dates ("March 2015"), windows ("Throughout 2013/14",
"Spring 2014"), starts ("From April 2013", "Starts September 2013") and open-ended work
("Ongoing"). Each is read into a window (``starts_on`` .. ``due_on``), a due date alone, a start
alone, or open-ended; text that cannot be read without guessing is kept and flagged. Plain
Python, no Django (docs/seed-notes/delivery-plan-2013-14.md lists how the seed rows read).

Conventions:

- A period is its whole window: "March 2014" starts 1 March and is due 31 March 2014; "2013/14"
  runs 1 April 2013 - 31 March 2014; a year alone ("2015") is the calendar year.
- "End 2013", "End of 2013", "By 2014", "By end of March 2014": due on the last day of the period,
  with no start (the work may have begun long before).
- "From April 2013", "Starts September 2013": a start with no end, so open-ended: no due date,
  never late.
- "Ongoing", "All ongoing", "Ongoing with targets set for 2013-15": open-ended. "Ongoing to 2015"
  runs until the end of 2015, so that is its due date.
- Seasons are the meteorological ones the Met Office uses: spring March-May, summer June-August,
  autumn September-November, winter December to the end of February of the next year
  ("Winter 2013" is 1 December 2013 - 28 February 2014). This is not the period parser's
  "summer 09", which is a school year's results.
- "May to October 2013": 1 May - 31 October 2013 (a first month after the second is in the
  year before: "November to February 2014" starts 1 November 2013).
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from targets.periods import UnreadablePeriod, parse_period


class Timing(StrEnum):
    DUE = "due"  # a due date, perhaps with the window it falls in
    OPEN_ENDED = "open_ended"  # ongoing, or started with no end given
    UNREAD = "unread"  # kept as written, flagged for review
    BLANK = "blank"  # the document gives no "by when"

    @property
    def label(self) -> str:
        return {
            Timing.DUE: "Due date",
            Timing.OPEN_ENDED: "Open-ended",
            Timing.UNREAD: "Not read: kept as written",
            Timing.BLANK: "No date given",
        }[self]


@dataclass(frozen=True)
class ByWhen:
    text: str
    timing: Timing
    starts_on: date | None = None
    due_on: date | None = None
    reason: str = ""  # why the text was not read

    @property
    def is_ongoing(self) -> bool:
        return self.timing == Timing.OPEN_ENDED

    @property
    def needs_review(self) -> bool:
        return self.timing == Timing.UNREAD


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_YEAR = r"(?P<y>[0-9]{4}|[0-9]{2})"

_SEASON = re.compile(rf"(?P<s>spring|summer|autumn|fall|winter)\s+{_YEAR}", re.I)
_MONTH_RANGE = re.compile(rf"(?P<a>[a-z]+)\s*(?:to|-|–|—)\s*(?P<b>[a-z]+)\s+{_YEAR}", re.I)
_ONGOING = re.compile(r"(?:all\s+)?ongoing(?P<rest>\s+.*)?", re.I)
_ONGOING_UNTIL = re.compile(r"ongoing\s+(?:to|until|till)\s+(?P<p>.+)", re.I)
# Words before a period and what they make of it.
_STARTS = re.compile(r"(?:from|starts|starting|starts in|commencing|beginning)\s+(?P<p>.+?)"
                     r"(?:\s+onwards)?", re.I)  # fmt: skip
_DUE_BY = re.compile(
    r"(?:by\s+(?:the\s+)?end\s+of|by\s+end|by|end\s+of|end|before\s+the\s+end\s+of)"
    r"\s+(?:the\s+)?(?P<p>.+)",
    re.I,
)
_DURING = re.compile(r"(?:throughout|during|in|review)\s+(?P<p>.+)", re.I)


class _Unread(Exception):
    pass


def _full_year(token: str) -> int:
    year = int(token)
    return 2000 + year if len(token) == 2 else year


def _window(text: str) -> tuple[date, date]:
    """The first and last day of a period as written: a season, a month range, or anything the
    period parser reads without a qualifier."""
    text = text.strip().rstrip(".")
    if match := _SEASON.fullmatch(text):
        year, first = _full_year(match["y"]), _SEASONS[match["s"].lower()]
        last_year, last = (year + 1, 2) if first == 12 else (year, first + 2)
        return date(year, first, 1), date(last_year, last, monthrange(last_year, last)[1])
    if match := _MONTH_RANGE.fullmatch(text):
        first, last = _MONTHS.get(match["a"].lower()), _MONTHS.get(match["b"].lower())
        if first and last:
            year = _full_year(match["y"])
            first_year = year if first <= last else year - 1
            return date(first_year, first, 1), date(year, last, monthrange(year, last)[1])
    try:
        period = parse_period(text)
    except UnreadablePeriod:
        raise _Unread(f"'{text}' is not a period that can be read.") from None
    if period.qualifier or period.start is None or period.end is None:
        # A leading word the period parser takes as a source ("Draft in 2013" no, "Starts
        # September 2013" yes) may change the meaning: never guess what it says.
        raise _Unread(f"'{text}' has words around the period that are not understood.")
    return period.start, period.end


def read_by_when(text: str) -> ByWhen:
    """Read a "by when" as written; what cannot be read is flagged with the reason, not guessed."""
    words = " ".join((text or "").split())
    if not words:
        return ByWhen(text or "", Timing.BLANK)
    try:
        if match := _ONGOING_UNTIL.fullmatch(words):
            return ByWhen(text, Timing.DUE, due_on=_window(match["p"])[1])
        if _ONGOING.fullmatch(words):
            return ByWhen(text, Timing.OPEN_ENDED)
        if match := _STARTS.fullmatch(words):
            return ByWhen(text, Timing.OPEN_ENDED, starts_on=_window(match["p"])[0])
        if match := _DUE_BY.fullmatch(words):
            return ByWhen(text, Timing.DUE, due_on=_window(match["p"])[1])
        if match := _DURING.fullmatch(words):
            starts_on, due_on = _window(match["p"])
            return ByWhen(text, Timing.DUE, starts_on=starts_on, due_on=due_on)
        starts_on, due_on = _window(words)
        return ByWhen(text, Timing.DUE, starts_on=starts_on, due_on=due_on)
    except _Unread as error:
        return ByWhen(text, Timing.UNREAD, reason=str(error))
    except ValueError as error:  # an impossible date, e.g. a year out of range
        return ByWhen(text, Timing.UNREAD, reason=str(error))
