"""Fuzz the parsers with Hypothesis: period labels, target texts and uploaded spreadsheets.

    python -m benchmarks.fuzz_parsers [--inputs 105000] [--seed 0] [--only spreadsheet]

Each parser gets generated inputs (random text and bytes, and "near misses" assembled from the
words and numbers real documents use), and must either give a result or raise its documented
validation error: `UnreadablePeriod` for `parse_period`, nothing at all for `parse_figure`,
`SpreadsheetError` for `read_spreadsheet`. Anything else is a crash. Every call is timed; none may
take more than a second: a call that does is timed three more times and its fastest run counts,
so that a stall of a busy machine is not taken for a slow input. The inputs are split between
the parsers as in SHARES.

The last line prints `name=value` pairs: per parser its inputs, crashes and slowest call in
seconds, then the totals. The exit status is 1 if anything crashed or took over a second.
Hypothesis only generates here (no shrinking, no example database): a crash is reported with
its input and counted, not minimised.
"""

import argparse
import io
import sys
import time
import traceback
import zipfile

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from targets.periods import UnreadablePeriod, parse_period
from targets.spreadsheets.files import SpreadsheetError, read_spreadsheet, write_spreadsheet
from targets.target_text import parse_figure

SLOW_SECONDS = 1.0
SHARES = {"period": 0.43, "target_text": 0.43, "spreadsheet": 0.14}

# Pieces of the labels and cells found in the source documents, to build near misses from.
PERIOD_WORDS = [
    "2008/09", "2008/9", "08/09", "2008-09", "2008/2009", "Q1", "Q2", "Q4", "Q5", "Q0",
    "summer", "autumn", "09", "2006", "1899", "2099", "9999", "March", "Sept", "Nov", "Jan",
    "school year", "calendar year", "average", "3 year", "rolling", "Place Survey", "(Defra",
    "2005)", "–", "-", "/", " ", "  ", "to", "from", "(", ")", "0", "00", "99/00", "FY",
]  # fmt: skip
TARGET_WORDS = [
    "62%", "62.5 %", "5 out of 14", "Level 2", "*", "**", "£10.906m", "£", "m", "million",
    "2008/09", "(2007/8)", "Increase of", "5%", "from baseline", "reduce by", "to", "-", "–",
    "1,234", "1,2,3", "0.5", ".5", "9/20", "=", "per 1,000", "per week", "N/A", "TBC",
    "Withdrawn", "no target", "(", ")", "<sup>2</sup>", "Male", "Female:", "BME", "pts",
    "percentage points", "between", "and", "1e308", "-0", "NaN", "∞", " ", "\n", "\t",
]  # fmt: skip


def words(vocabulary):
    return st.lists(st.sampled_from(vocabulary), max_size=12).map(" ".join)


def spliced(vocabulary):
    """Vocabulary pieces with random text between them."""
    return st.lists(st.one_of(st.sampled_from(vocabulary), st.text(max_size=5)), max_size=10).map(
        "".join
    )


def text_inputs(vocabulary):
    return st.one_of(
        st.text(max_size=200),
        words(vocabulary),
        spliced(vocabulary),
        st.text(alphabet="0123456789/-–Q ().%*£,", max_size=60),
    )


def _valid_xlsx() -> bytes:
    rows = [["NI 59", "2008/09", "63%*"], ["NI 65", "2009/10", "12.5"]]
    return write_spreadsheet([("figures", ["indicator", "period", "target"], rows)], "f.xlsx")


VALID_XLSX = _valid_xlsx()


@st.composite
def damaged_xlsx(draw):
    """A real workbook with bytes changed, cut short or extended."""
    data = bytearray(VALID_XLSX)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data) + draw(st.binary(max_size=16))


@st.composite
def rebuilt_xlsx(draw):
    """A real workbook with one part's XML replaced by generated text."""
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    names = source.namelist()
    target = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            if name == target:
                archive.writestr(name, draw(st.text(max_size=300)).encode())
            else:
                archive.writestr(name, source.read(name))
    return out.getvalue()


cells = st.one_of(st.text(max_size=30), st.sampled_from(TARGET_WORDS + PERIOD_WORDS))
table = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8)

spreadsheet_inputs = st.one_of(
    st.tuples(st.binary(max_size=400), st.just("upload.csv")),
    st.tuples(
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.just("upload.csv"),
    ),
    st.tuples(
        table.map(lambda rows: "\n".join(",".join(row) for row in rows).encode()),
        st.just("upload.csv"),
    ),
    st.tuples(st.binary(max_size=400), st.just("upload.xlsx")),
    st.tuples(damaged_xlsx(), st.just("upload.xlsx")),
    st.tuples(rebuilt_xlsx(), st.just("upload.xlsx")),
    st.tuples(
        table.map(lambda rows: write_spreadsheet([("s", rows[0], rows[1:])], "t.xlsx")),
        st.just("upload.xlsx"),
    ),
)


class Tally:
    def __init__(self, name):
        self.name = name
        self.inputs = 0
        self.crashes = 0
        self.max_seconds = 0.0
        self.slow = 0
        self.first_crash = None
        self.slowest_input = None
        self.retimed = 0

    def run(self, call, value, allowed: tuple[type[BaseException], ...]):
        self.inputs += 1
        started = time.perf_counter()
        try:
            call(value)
        except allowed:
            pass
        except Exception:
            self.crashes += 1
            if self.first_crash is None:
                self.first_crash = (value, traceback.format_exc())
        elapsed = time.perf_counter() - started
        if elapsed > SLOW_SECONDS:
            # On a shared machine a call can stall for reasons of its own; an input is slow if
            # it is slow every time, so it is timed again and its fastest run counts.
            self.retimed += 1
            elapsed = min(elapsed, *(self._time(call, value, allowed) for _ in range(3)))
        if elapsed > self.max_seconds:
            self.max_seconds, self.slowest_input = elapsed, value
        if elapsed > SLOW_SECONDS:
            self.slow += 1

    @staticmethod
    def _time(call, value, allowed) -> float:
        started = time.perf_counter()
        try:
            call(value)
        except allowed:
            pass
        except Exception:  # counted on the first run
            pass
        return time.perf_counter() - started


def fuzz(name, strategy, call, allowed, count, first_seed) -> Tally:
    tally = Tally(name)
    # A run can end before max_examples (Hypothesis stops when it keeps generating the same
    # inputs); start another, with the next seed, until the count is reached.
    for run in range(100):
        remaining = count - tally.inputs
        if remaining <= 0:
            break

        @seed(first_seed + run)
        @settings(
            max_examples=remaining,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def one(value):
            tally.run(call, value, allowed)

        one()
    return tally


def read_upload(value):
    data, name = value
    read_spreadsheet(data, name, max_bytes=5 * 1024 * 1024, max_rows=1_000)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=105_000, help="total generated inputs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--only", choices=sorted(SHARES), help="fuzz one parser with all the inputs"
    )
    options = parser.parse_args(argv)

    plan = [
        ("period", text_inputs(PERIOD_WORDS), parse_period, (UnreadablePeriod,)),
        ("target_text", text_inputs(TARGET_WORDS), parse_figure, ()),
        ("spreadsheet", spreadsheet_inputs, read_upload, (SpreadsheetError,)),
    ]
    started = time.perf_counter()
    tallies = []
    if options.only:
        plan = [entry for entry in plan if entry[0] == options.only]
    for name, strategy, call, allowed in plan:
        count = options.inputs if options.only else int(options.inputs * SHARES[name])
        tally = fuzz(name, strategy, call, allowed, count, options.seed)
        tallies.append(tally)
        print(
            f"{name}: {tally.inputs:,} inputs, {tally.crashes} crashes, {tally.slow} over "
            f"{SLOW_SECONDS:g} s ({tally.retimed} timed again after a stall), "
            f"slowest {tally.max_seconds:.4f} s",
            flush=True,
        )
        print(f"  slowest input: {tally.slowest_input!r}"[:300], flush=True)
        if tally.first_crash:
            value, trace = tally.first_crash
            print(f"  first crash on {value!r}:\n{trace}", file=sys.stderr)
    pairs = []
    for tally in tallies:
        pairs += [
            f"{tally.name}_inputs={tally.inputs}",
            f"{tally.name}_crashes={tally.crashes}",
            f"{tally.name}_max_seconds={tally.max_seconds:.4f}",
            f"{tally.name}_over_1s={tally.slow}",
        ]
    total_inputs = sum(t.inputs for t in tallies)
    crashes = sum(t.crashes for t in tallies)
    slow = sum(t.slow for t in tallies)
    pairs += [
        f"inputs={total_inputs}",
        f"crashes={crashes}",
        f"over_1s={slow}",
        f"retimed={sum(t.retimed for t in tallies)}",
        f"max_seconds={max(t.max_seconds for t in tallies):.4f}",
        f"wall_seconds={time.perf_counter() - started:.0f}",
    ]
    print(" ".join(pairs))
    return 1 if crashes or slow else 0


if __name__ == "__main__":
    sys.exit(main())
