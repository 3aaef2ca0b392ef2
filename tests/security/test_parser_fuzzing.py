"""A few hundred generated inputs per parser on every CI run, from the same strategies as the
long fuzzing run (benchmarks/fuzz_parsers.py, figures in docs/security.md): each parser gives a
result or its documented validation error, quickly."""

import time

from hypothesis import HealthCheck, given, settings

from benchmarks.fuzz_parsers import (
    PERIOD_WORDS,
    TARGET_WORDS,
    read_upload,
    spreadsheet_inputs,
    text_inputs,
)
from targets.periods import UnreadablePeriod, parse_period
from targets.spreadsheets.files import SpreadsheetError
from targets.target_text import parse_figure

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def timed(call, value, allowed=()):
    started = time.perf_counter()
    try:
        result = call(value)
    except allowed as error:
        result = error
    assert time.perf_counter() - started < 1.0, f"{value!r} took over a second"
    return result


@FAST
@given(text_inputs(PERIOD_WORDS))
def test_period_parsing_reads_a_period_or_says_why_not(text):
    result = timed(parse_period, text, (UnreadablePeriod,))

    if isinstance(result, UnreadablePeriod):
        assert str(result)
    else:
        # What it reads, it reads back the same (the canonical label is a fixed point).
        assert parse_period(result.label) == result


@FAST
@given(text_inputs(TARGET_WORDS))
def test_target_text_parsing_never_raises_and_keeps_the_text(text):
    figure = timed(parse_figure, text)

    assert figure.text == text


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(spreadsheet_inputs)
def test_spreadsheet_reading_gives_sheets_or_a_spreadsheet_error(upload):
    result = timed(read_upload, upload, (SpreadsheetError,))

    if isinstance(result, SpreadsheetError):
        assert str(result)
