"""Read one baseline or target cell, as written in a plan, into a structured figure.

``parse_figure`` never raises. A cell is read as a head (the figure: "62%", "5 out of 14",
"Level 2"...) followed by trailers (stars, a period, notes in brackets); what cannot be read with
confidence comes back as ``Shape.UNPARSED``, or parsed but flagged ``needs_review``, with the text
always kept exactly as given. Pure Python, no Django.

Seed cells deliberately left UNPARSED, because any reading would be a guess:

- 004 employment land: "INCLUDE IN MAA ONLY" (where the target lives, not what it is).
- 003 "2013" (target for "Site development brief for Waterside regeneration area"): a year
  alone cannot be told from a count; any cell that is only a period is left unparsed.
- 003 "2013/14 – 6,000 2013/14 – 600 2013/14 – 85% 2013/14 – 7 per week": four sub-measures.
- 003 "2013/14 – £10 million (total value) Number of opportunities – 650": two measures.
- 003 "(National target 70%) 2013/14 local target – 90% (March 2014)": two targets.
- 003 "2013/14 – 7,500m <sup>2</sup>": markup from the conversion inside the unit.
- 003 "2013/14 – one Bioblitz event and two environment days": counts in words, two of them.
- 003 "2013/14 – provide an additional 200 breaks (a day, a night, ...)".
- 003 "Quarterly use of leicester.gov.uk: 750,000".
- 003 "Across 10 Meet The Mayor events during each calendar year: <ul>...": three averages.
- 003 "" (the empty cell beside the heading "Unlawful supply of alcohol and tobacco:").

Parsed but flagged needs_review: NI 35 "9/20 Mean baseline: 11/4 = 2.75 = 3" (9 is not 11);
NI 135 "22.% 2007/8" (a lost digit); NI 56 "19.6 % % of children in year 6..."; NI 40 "1192*
Increase of 5% (from baseline)" and "1204* Increase of 1% (6% from baseline)"; NI 179 "£10.906m*
(...) Equates to 3% of baseline" and its neighbours (the percentage is the true measure).
"""

import re
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from functools import lru_cache

from targets.periods import UnreadablePeriod, parse_period


class Shape(StrEnum):
    # Values are stored in the database: keep them exactly.
    VALUE = "value"
    RANGE = "range"
    CHANGE = "change"
    COHORT = "cohort"
    BREAKDOWN = "breakdown"
    LEVEL = "level"
    MONEY = "money"
    MILESTONE = "milestone"
    GROWTH = "growth"
    NO_TARGET = "no_target"
    WITHDRAWN = "withdrawn"
    UNPARSED = "unparsed"


class ChangeUnit(StrEnum):
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"
    ABSOLUTE = "absolute"


@dataclass(frozen=True)
class ParsedFigure:
    text: str
    shape: Shape
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    unit: str = ""
    unit_text: str = ""
    scale: str = ""
    change_unit: ChangeUnit | None = None
    base_value: Decimal | None = None
    base_text: str = ""
    due_text: str = ""
    period_text: str = ""
    reason: str = ""
    note: str = ""
    designated: bool = False
    reward: bool = False
    recorded_actual: Decimal | None = None
    parts: tuple[tuple[str, "ParsedFigure"], ...] = ()
    needs_review: bool = False


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (the PDF conversion's stray newlines) and strip."""
    return " ".join(text.split())


def parse_figure(text: str) -> ParsedFigure:
    """Read a baseline or target cell; never raises, and keeps ``text`` exactly as given."""
    return replace(_parse(normalise_space(text)), text=text)


# [0-9] rather than \d: other scripts' digits are not figures in these documents.
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+"
_END = r"(?=$|[\s*();:–—-])"
_SIGN = r"(?P<sign>[+\-−])?\s*"
_BASE = r"(?P<base>[A-Za-z0-9/][A-Za-z0-9/ ]*?)(?=\s*(?:$|[*(),;–—]|\s-\s))"
_CHANGE_WORDS = "reduction|decrease|fall|drop|cut|increase|rise|improvement"
_DOWN = {"reduction", "decrease", "fall", "drop", "cut", "reduce", "lower"}
_LEVEL_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def _n(name: str) -> str:
    return rf"(?P<{name}>{_NUM})"


def _rx(*parts: str) -> re.Pattern:
    return re.compile("".join(parts), re.I)


_GROWTH = _rx(
    rf"(?P<avg>average\s+)?{_n('rate')}\s*%\s*(?P<what>growth(?:\s+(?:per|a|each)\s+"
    rf"(?:year|annum))?)(?:\s*[:,]?\s*(?P<when>[0-9][0-9/]*)\s*[–—-]\s*£?\s*{_n('base')}"
    rf"\s*(?P<scale>bn|m|k|million|billion)?)?{_END}"
)
_SCORE = _rx(
    rf"{_n('num')}\s*/\s*{_n('den')}\s+(?P<mid>…|\.\.\.|mean\s+(?:baseline|target)\s*:?\s*"
    rf"{_n('mn')}\s*/\s*{_n('md')}\s*=\s*{_n('mean')})\s*=\s*{_n('score')}{_END}"
)
_LEVEL = _rx(
    rf"(?:to\s+(?:achieve|reach|attain)\s+)?level\s+(?P<n>[0-9]+|{'|'.join(_LEVEL_WORDS)})\b"
    r"(?:\s*[–—:-]\s*[‘'\"“](?P<name>[^’'\"”‘“]+)[’'\"”])?"
)
_POINTS = _rx(
    rf"{_SIGN}{_n('n')}\s*%?\s*(?:percentage\s+)?points?(?:\s+(?:from|on|above|below|against|"
    rf"over)\s+{_BASE})?{_END}"
)
_PERCENT_CHANGE = _rx(
    rf"{_n('n')}\s*%\s*(?P<word>{_CHANGE_WORDS})(?:\s+(?:from|on|against|in)\s+{_BASE})?{_END}"
)
_OF_CHANGE = _rx(
    rf"(?P<word>{_CHANGE_WORDS})\s+of\s+{_n('n')}\s*%(?:\s+(?:from|on|against)\s+{_BASE})?{_END}"
)
_BY_CHANGE = _rx(
    rf"(?P<word>reduce|decrease|cut|lower|increase|raise|improve)d?\s+by\s+{_n('n')}"
    rf"(?P<pct>\s*%)?{_END}"
)
_BETWEEN = _rx(rf"between\s+{_n('lo')}(?P<lp>\s*%)?\s+(?:and|to)\s+{_n('hi')}(?P<hp>\s*%)?{_END}")
_DASH_RANGE = _rx(rf"{_n('lo')}(?P<lp>\s*%)?\s*(?:-|–|—|to)\s*{_n('hi')}(?P<hp>\s*%)?{_END}")
_COHORT = _rx(
    rf"{_n('num')}\s+(?:out\s+)?of\s+(?:(?:the|an?)\s+)?(?:(?P<note>estimated|expected|"
    rf"approximately|about)\s+)?{_n('den')}(?!\s*%){_END}"
)
_MONEY = _rx(rf"{_SIGN}£\s*{_n('n')}\s*(?P<scale>bn|m|k|million|billion|thousand)?{_END}")
_VALUE = _rx(
    rf"(?:(?:reduce|increase|rise|fall|decrease|maintain|keep)\s+(?:to|at)\s+)?{_SIGN}{_n('n')}"
    rf"(?P<pct>\s*(?:%|per\s?cent\b))?(?:\s+(?P<scale>million|billion|thousand)\b)?{_END}"
)

# A breakdown label is a short capitalised name just before ":" or a dash and a number:
# "Male:", "M:", "Female –", "BME –", "Year 6 –".
_LABEL = re.compile(
    r"(?<![A-Za-z0-9])(?P<label>[A-Z][A-Za-z]*(?: (?:[A-Za-z]+|[0-9]+)){0,2}) ?"
    r"(?::|–|—| - )\s*(?=[£+\-−]?[0-9])"
)
_NO_TARGET = _rx(
    r"(?:n/?a|not applicable)(?:\s*\((?P<reason>[^()]+)\))?|x|tbc|tba|to be (?:confirmed|agreed)"
    r"|(?P<placeholder>placeholder)"
)
_NO_TARGET_SAID = _rx(
    r"new indicators?\s*[–—:-]\s*targets? (?:have|has) not (?:yet )?been set"
    r"|available [A-Za-z0-9/ ]+ at the earliest"
    r"|to be collected (?:as part of|through|from|by|in|via) [A-Za-z0-9/ ]+"
)
_WITHDRAWN = _rx(r"\b(?:dropped|withdrawn|deleted|discontinued)\b")
_TOKEN = re.compile(r"\((?P<paren>[^()]*)\)|(?P<star>\*+)|(?P<bare>[^()*]+)|(?P<odd>[()])")
_ACTUAL = _rx(rf"actual(?: for (?:the )?year)?\s*[=:]\s*{_n('n')}")
_FROM = _rx(r"(?:from|on|against)\s+(?P<base>.+)")
_OR_MORE = _rx(r"or (?:less|more|fewer|above|below|higher|lower|better)")
# Another "– number" after the figure means a second figure in the same cell.
_MULTI = re.compile(r"[–—:]\s*[£+\-−]?[0-9]|\s-\s*[£+−]?[0-9]")
_UNIT_TEXT = re.compile(
    r"[A-Za-z][A-Za-z'’.\-]*(?: (?:[A-Za-z][A-Za-z'’.\-]*|(?<=per )[0-9][0-9,.]*k?))*"
)
_FIGURE_CHARS = re.compile(r"[0-9%£]")
_LOST_DIGIT = re.compile(r"[0-9]\.(?![0-9])")
_SEPARATORS = " –—:;,-"
_PERIOD_TOKENS = 8  # the longest period written, "3 year rolling average 2003/4 – 2006/7", is 7
_DUE_JOINERS = {"by", "before"}
_JOINERS = _DUE_JOINERS | {"in", "during", "–", "—", "-", ":"}


class _Draft:
    """A figure being read: its head is known, trailers still to come."""

    def __init__(self, shape: Shape, *, review=False, unit_text_ok=False, **values):
        self.shape, self.values, self.notes = shape, values, []
        self.review, self.takes_unit_text = review, unit_text_ok


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _signed(match: re.Match) -> Decimal:
    number = _dec(match["n"])
    return -number if match["sign"] in ("-", "−") else number


@lru_cache(maxsize=4096)
def _is_period(text: str) -> bool:
    try:
        return bool(parse_period(text))
    except UnreadablePeriod:
        return False


def _unparsed(text: str) -> ParsedFigure:
    return ParsedFigure(text=text, shape=Shape.UNPARSED, needs_review=True)


def _unwrap(text: str) -> str:
    """The inside of a cell written wholly in brackets: "(3% reduction from baseline)"."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return text
    return text[1:-1].strip()


def _parse(text: str) -> ParsedFigure:
    if not text or _is_period(text):
        # A period alone ("2013") could be a milestone year or a count: never guess.
        return _unparsed(text)
    if prefix := _period_prefix(text):
        period_text, rest = prefix
        figure = _parse_body(rest)
        if figure is not None and figure.shape != Shape.UNPARSED:
            if figure.period_text:
                note = "; ".join(filter(None, (figure.note, figure.period_text)))
                figure = replace(figure, note=note, needs_review=True)
            return replace(figure, text=text, period_text=period_text)
    figure = _parse_body(_unwrap(text))
    return replace(figure, text=text) if figure is not None else _unparsed(text)


def _period_prefix(text: str) -> tuple[str, str] | None:
    """A period leading the cell, as in "2013/14 – 1,062" or "School year 2012/13 Reception..."."""
    tokens = text.split(" ")
    for count in range(min(len(tokens) - 1, _PERIOD_TOKENS), 0, -1):
        candidate = " ".join(tokens[:count]).rstrip(":")
        if _is_period(candidate):
            return candidate, " ".join(tokens[count:]).lstrip(_SEPARATORS)
    return None


def _period_suffix(text: str) -> tuple[str, str, str] | None:
    """Split "sites by March 2014" into ("sites", "by", "March 2014"); the longest period wins."""
    tokens = text.split(" ")
    for start in range(max(0, len(tokens) - _PERIOD_TOKENS), len(tokens)):
        candidate = " ".join(tokens[start:])
        if _is_period(candidate):
            head, joiner = tokens[:start], ""
            if head and (head[-1].lower() in _JOINERS or head[-1].endswith(":")):
                joiner = head.pop() if head[-1].lower() in _JOINERS else ":"
            return " ".join(head).strip(_SEPARATORS), joiner, candidate
    return None


def _parse_body(text: str) -> ParsedFigure | None:
    if absent := _absence(text):
        return absent
    for pattern, build in _HEADS:
        if pattern is None:
            found = build(text)
        else:
            match = pattern.match(text)
            found = (build(match), text[match.end() :]) if match else None
            if found and found[0] and _LOST_DIGIT.search(match.group(0)):
                found[0].review = True  # "22.%": a digit lost in the conversion
        if found and found[0]:
            return _finish(found[0], found[1], text)
    return _milestone(text)


def _absence(text: str) -> ParsedFigure | None:
    plain = _unwrap(text.replace("*", "").strip())
    if match := _NO_TARGET.fullmatch(plain):
        reason = (match["reason"] or match["placeholder"] or "").strip()
    elif _NO_TARGET_SAID.fullmatch(plain):
        reason = plain
    elif re.fullmatch(r"[A-Za-z ]+", plain) and _WITHDRAWN.search(plain):
        return ParsedFigure(text=text, shape=Shape.WITHDRAWN, reason=plain)
    else:
        return None
    return ParsedFigure(text=text, shape=Shape.NO_TARGET, reason=reason)


def _finish(draft: _Draft, rest: str, text: str) -> ParsedFigure | None:
    """Apply the trailers after the head; None when they hold a second figure."""
    stars: list[str] = []
    for token in _TOKEN.finditer(rest):
        if token["star"]:
            stars.append(token["star"])
        elif token["odd"]:
            draft.review = True
        elif token["paren"] is not None:
            _paren(draft, token["paren"].strip())
        elif not _bare(draft, token["bare"], after_star=bool(stars)):
            return None
    marks = set(stars)
    values = {**draft.values, "note": "; ".join(filter(None, draft.notes))}
    values["designated"] = values.get("designated", False) or "*" in marks
    values["reward"] = values.get("reward", False) or "**" in marks
    review = draft.review or bool(marks - {"*", "**"}) or len(marks) > 1
    return ParsedFigure(text=text, shape=draft.shape, needs_review=review, **values)


def _set_period(draft: _Draft, key: str, period_text: str) -> None:
    if draft.values.get(key):
        draft.review = True
        draft.notes.append(period_text)
    else:
        draft.values[key] = period_text


def _paren(draft: _Draft, inner: str) -> None:
    if not inner:
        return
    if match := _ACTUAL.fullmatch(inner):
        draft.values["recorded_actual"] = _dec(match["n"])
    elif _is_period(inner):
        _set_period(draft, "period_text", inner)
    elif draft.shape == Shape.CHANGE and not draft.values["base_text"] and _FROM.fullmatch(inner):
        draft.values["base_text"] = _FROM.fullmatch(inner)["base"]
    else:
        draft.notes.append(inner)  # an explanation in brackets, kept as written


def _bare(draft: _Draft, bare: str, after_star: bool) -> bool:
    words = bare.strip(_SEPARATORS)
    if not words:
        return True
    if _OR_MORE.fullmatch(words):
        draft.notes.append(words)
        return True
    if split := _period_suffix(words):
        words, joiner, period_text = split
        key = "due_text" if joiner.lower() in _DUE_JOINERS else "period_text"
        _set_period(draft, key, period_text)
    if not words:
        return True
    if _MULTI.search(words):
        return False
    # Words straight after the number say what it counts ("offences per 1,000 population");
    # after a star they are a separate remark ("1192* Increase of 5%").
    fits = draft.takes_unit_text and not after_star and not draft.values.get("unit_text")
    if fits and _UNIT_TEXT.fullmatch(words):
        draft.values["unit_text"] = words
        return True
    draft.notes.append(words)
    if _FIGURE_CHARS.search(words):
        draft.review = True  # a second figure in free text: a person should look
    return True


def _growth(match: re.Match) -> _Draft:
    draft = _Draft(Shape.GROWTH, value=_dec(match["rate"]), unit="%", unit_text=match["what"])
    draft.notes.append(match["avg"].strip().lower() if match["avg"] else "")
    if match["base"]:
        draft.values.update(base_value=_dec(match["base"]), base_text=match["when"])
        draft.values["scale"] = match["scale"] or ""
        draft.review = not _is_period(match["when"])
    return draft


def _score(match: re.Match) -> _Draft:
    """NI 35's "13/20 Mean target 13/4 = 3.25 = 3": a score of 3 from 13 points out of 20."""
    numerator, score, mean = _dec(match["num"]), _dec(match["score"]), match["mean"]
    draft = _Draft(Shape.LEVEL, value=score, numerator=numerator, denominator=_dec(match["den"]))
    if mean:
        draft.notes.append(match["mid"])
        mean, divisor = _dec(mean), _dec(match["md"])
        rounded = (mean + Decimal("0.5")).to_integral_value(ROUND_FLOOR)
        consistent = _dec(match["mn"]) == numerator and divisor != 0 and rounded == score
        draft.review = not (consistent and numerator / divisor == mean)
    return draft


def _level(match: re.Match) -> _Draft:
    written = match["n"].lower()
    number = Decimal(_LEVEL_WORDS[written]) if written in _LEVEL_WORDS else _dec(written)
    return _Draft(Shape.LEVEL, value=number, unit_text=match["name"] or "level")


def _change(match: re.Match) -> _Draft:
    word, number = match["word"], _dec(match["n"])
    absolute = "pct" in match.re.groupindex and not match["pct"]
    return _Draft(
        Shape.CHANGE,
        value=-number if word.lower() in _DOWN else number,
        unit="" if absolute else "%",
        unit_text=word,
        change_unit=ChangeUnit.ABSOLUTE if absolute else ChangeUnit.PERCENT,
        base_text=match.groupdict().get("base") or "",
    )


def _points(match: re.Match) -> _Draft:
    # Without a sign the direction of the change is not written down.
    return _Draft(
        Shape.CHANGE,
        value=_signed(match),
        unit="%",
        unit_text="points",
        change_unit=ChangeUnit.PERCENTAGE_POINTS,
        base_text=match["base"] or "",
        review=not match["sign"],
    )


def _range(match: re.Match) -> _Draft | None:
    percent = bool(match["lp"] or match["hp"])
    if not percent and _is_period(match.group(0)):
        return None  # "2006-07" is a year, not a range
    lower, upper = _dec(match["lo"]), _dec(match["hi"])
    unit = "%" if percent else ""
    review = lower > upper
    return _Draft(
        Shape.RANGE, lower=lower, upper=upper, unit=unit, review=review, unit_text_ok=True
    )


def _cohort(match: re.Match) -> _Draft:
    numerator, denominator = _dec(match["num"]), _dec(match["den"])
    draft = _Draft(Shape.COHORT, numerator=numerator, denominator=denominator, unit_text_ok=True)
    draft.review = numerator > denominator
    draft.notes.append(match["note"] or "")
    return draft


def _money(match: re.Match) -> _Draft:
    scale = match["scale"] or ""
    return _Draft(Shape.MONEY, value=_signed(match), unit="£", scale=scale, unit_text_ok=True)


def _value(match: re.Match) -> _Draft:
    unit, scale = "%" if match["pct"] else "", match["scale"] or ""
    # "+5%" alone may be a change from the baseline rather than a level.
    review = match["sign"] == "+"
    return _Draft(
        Shape.VALUE, value=_signed(match), unit=unit, scale=scale, review=review, unit_text_ok=True
    )


def _breakdown(text: str) -> tuple[_Draft, str] | None:
    """ "Male: 1018 Female: 665", "M:801* F:552*", "Female – 55% BME – 30%"."""
    labels = list(_LABEL.finditer(text))
    if not labels or labels[0].start() != 0:
        return None
    # Brackets after the last part belong to the whole cell: "... Female: 665 (1995-97)".
    bracket = text.find("(", labels[-1].end())
    body_end = len(text) if bracket == -1 else bracket
    parts = []
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        segment = text[label.end() : following.start() if following else body_end].strip()
        part = _parse(segment)
        if part.shape not in (Shape.VALUE, Shape.MONEY, Shape.RANGE, Shape.COHORT, Shape.LEVEL):
            return None
        parts.append((label["label"], part))
    figures = [part for _, part in parts]
    designated, reward = [p.designated for p in figures], all(p.reward for p in figures)
    review = any(p.needs_review for p in figures) or len(set(designated)) > 1
    draft = _Draft(Shape.BREAKDOWN, parts=tuple(parts), designated=all(designated), reward=reward)
    draft.review, draft.takes_unit_text = review, True
    return draft, text[body_end:]


def _milestone(text: str) -> ParsedFigure | None:
    """A dated deliverable: "Developed a ... model for four areas by March 2014"."""
    body = text.rstrip("* ")
    split = _period_suffix(body) if body[:1].isalpha() else None
    if not split or not split[0] or not split[1] or not split[0][:1].isalpha():
        return None
    words, _, due = split
    draft = _Draft(Shape.MILESTONE, due_text=due, review=bool(_FIGURE_CHARS.search(words)))
    draft.notes.append(words)
    return _finish(draft, text[len(body) :], text)


# Tried in order; the breakdown (None: not a single pattern) before any plain number.
_HEADS = (
    (_GROWTH, _growth), (_SCORE, _score), (_LEVEL, _level), (None, _breakdown),
    (_POINTS, _points), (_PERCENT_CHANGE, _change), (_OF_CHANGE, _change), (_BY_CHANGE, _change),
    (_BETWEEN, _range), (_DASH_RANGE, _range), (_COHORT, _cohort), (_MONEY, _money),
    (_VALUE, _value),
)  # fmt: skip
