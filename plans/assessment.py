"""The CPA corporate assessment rule: five theme scores make one overall score.

The Audit Commission's rule as the Cabinet report of November 2007 sets it out (seed 002,
paragraph 2.3; ../shared/DOMAIN.md). Plain Python, so it can be tested against every combination
of scores without a database.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THEMES = ("Ambition", "Prioritisation", "Capacity", "Performance Management", "Achievement")
LOWEST_SCORE = 1
HIGHEST_SCORE = 4

# The rows of the document's table, tried from the top; each in the document's own words.
CLAUSE_4 = "Two or more themes with a score of 4 and none less than a score of 3"
CLAUSE_3 = "Three or more themes with a score of 3 and none less than a score of 2"
CLAUSE_2 = "Three or more themes with a score of 2 or more"
CLAUSE_1 = "Any other combination"
RULE = ((4, CLAUSE_4), (3, CLAUSE_3), (2, CLAUSE_2), (1, CLAUSE_1))


def score_error(score: object) -> str | None:
    """Why a theme score is refused, or None if it is one of 1, 2, 3, 4."""
    whole = isinstance(score, int) and not isinstance(score, bool)
    if whole and LOWEST_SCORE <= score <= HIGHEST_SCORE:
        return None
    return (
        f"A theme score must be a whole number from {LOWEST_SCORE} (inadequate performance) "
        f"to {HIGHEST_SCORE} (performing strongly), not {score!r}."
    )


def check_score(score: object) -> int:
    """The score, or ValueError saying what a score must be."""
    if error := score_error(score):
        raise ValueError(error)
    return score


@dataclass(frozen=True)
class Overall:
    """An overall score, the row of the rule that gave it, and how the theme scores meet it."""

    score: int
    clause: str
    reason: str

    def __str__(self):
        return f"{self.score}: {self.clause} ({self.reason})"


def _themes(count: int, score: str, *, only: bool = False) -> str:
    """'4 themes score 3 or more', '1 theme scores 4', 'only 1 theme scores 4', 'no theme ...'."""
    if count == 0:
        return f"no theme scores {score}"
    said = f"1 theme scores {score}" if count == 1 else f"{count} themes score {score}"
    return f"only {said}" if only else said


def overall(scores: Sequence[int]) -> Overall:
    """The overall corporate assessment score for the five theme scores, with its reason.

    The second row says "with a score of 3"; it is read as "3 or more" (DOMAIN.md), since a
    theme scoring 4 is above 3 too. Raises ValueError for anything but five scores from 1 to 4.
    """
    scores = list(scores)
    if len(scores) != len(THEMES):
        raise ValueError(
            f"The CPA corporate assessment scores exactly {len(THEMES)} themes "
            f"({', '.join(THEMES)}); {len(scores)} score(s) given."
        )
    for number, score in enumerate(scores, start=1):
        if error := score_error(score):
            raise ValueError(f"Theme {number}: {error}")

    fours = sum(score == 4 for score in scores)
    threes_or_more = sum(score >= 3 for score in scores)
    twos_or_more = sum(score >= 2 for score in scores)
    lowest = min(scores)

    if fours >= 2 and lowest >= 3:
        return Overall(4, CLAUSE_4, f"{_themes(fours, '4')} and none is below 3")
    not_4 = _themes(fours, "4", only=True) if fours < 2 else f"a theme scores {lowest}"
    if threes_or_more >= 3 and lowest >= 2:
        reason = f"{_themes(threes_or_more, '3 or more')} and none is below 2; not 4: {not_4}"
        return Overall(3, CLAUSE_3, reason)
    if threes_or_more < 3:
        not_3 = _themes(threes_or_more, "3 or more", only=True)
    else:
        not_3 = f"a theme scores {lowest}"
    if twos_or_more >= 3:
        return Overall(2, CLAUSE_2, f"{_themes(twos_or_more, '2 or more')}; not 3: {not_3}")
    return Overall(1, CLAUSE_1, _themes(twos_or_more, "2 or more", only=True))


def overall_score(scores: Sequence[int]) -> int:
    """The overall corporate assessment score (1 to 4) for the five theme scores."""
    return overall(scores).score
