"""The CPA corporate assessment rule, checked against every combination of theme scores."""

from itertools import product

import pytest

from plans.assessment import (
    CLAUSE_1,
    CLAUSE_2,
    CLAUSE_3,
    CLAUSE_4,
    THEMES,
    check_score,
    overall,
    overall_score,
)

EVERY_COMBINATION = list(product(range(1, 5), repeat=5))


def restated_rule(scores) -> int:
    """The rule of DOMAIN.md written again another way: by the order statistics of the scores
    (highest first) instead of by counting. The second highest is 4 exactly when two or more
    themes score 4; the third highest is at least k exactly when three or more score k or more;
    the last is the lowest."""
    best = sorted(scores, reverse=True)
    second, third, lowest = best[1], best[2], best[-1]
    if second == 4 and lowest >= 3:
        return 4
    if third >= 3 and lowest >= 2:
        return 3
    if third >= 2:
        return 2
    return 1


def test_there_are_1024_combinations_of_five_scores_from_1_to_4():
    assert len(set(EVERY_COMBINATION)) == 4**5 == 1024


def test_the_overall_score_follows_the_rule_for_every_combination():
    disagreements = [
        (scores, overall_score(scores), restated_rule(scores))
        for scores in EVERY_COMBINATION
        if overall_score(scores) != restated_rule(scores)
    ]

    assert disagreements == []


def test_every_overall_score_occurs():
    # Guards the restatement against agreeing with a rule that never gives some score.
    assert {restated_rule(scores) for scores in EVERY_COMBINATION} == {1, 2, 3, 4}


def test_the_order_of_the_themes_does_not_matter():
    for scores in EVERY_COMBINATION:
        assert overall_score(scores) == overall_score(sorted(scores))


def test_raising_any_theme_score_never_lowers_the_overall_score():
    for scores in EVERY_COMBINATION:
        for theme, score in enumerate(scores):
            if score < 4:
                raised = (*scores[:theme], score + 1, *scores[theme + 1 :])
                assert overall_score(raised) >= overall_score(scores), (scores, raised)


@pytest.mark.parametrize(
    ("scores", "expected", "clause"),
    [
        # The self-assessment of November 2007 (seed 002, table 2.9): Ambition 4,
        # Prioritisation 3, Capacity 2, Performance Management 3, Achievement 3; "Overall 3".
        ((4, 3, 2, 3, 3), 3, CLAUSE_3),
        ((4, 4, 3, 3, 3), 4, CLAUSE_4),
        ((4, 4, 4, 4, 4), 4, CLAUSE_4),
        # Four themes score 4, but one is below 3: not 4.
        ((4, 4, 4, 4, 2), 3, CLAUSE_3),
        # Below 2 anywhere rules out 3, however strong the rest.
        ((4, 4, 4, 4, 1), 2, CLAUSE_2),
        # "a score of 3" read as "3 or more": two 4s and one 3 make three themes of 3 or more.
        ((4, 4, 3, 2, 2), 3, CLAUSE_3),
        ((3, 3, 2, 2, 2), 2, CLAUSE_2),
        ((2, 2, 2, 1, 1), 2, CLAUSE_2),
        ((2, 2, 1, 1, 1), 1, CLAUSE_1),
        ((1, 1, 1, 1, 1), 1, CLAUSE_1),
    ],
)
def test_named_cases(scores, expected, clause):
    result = overall(scores)

    assert (result.score, result.clause) == (expected, clause)


def test_the_2007_self_assessment_is_explained_by_the_second_row_of_the_rule():
    result = overall([4, 3, 2, 3, 3])

    assert result.clause == "Three or more themes with a score of 3 and none less than a score of 2"
    assert result.reason == (
        "4 themes score 3 or more and none is below 2; not 4: only 1 theme scores 4"
    )


def test_the_rule_scores_the_five_cpa_themes():
    assert THEMES == (
        "Ambition",
        "Prioritisation",
        "Capacity",
        "Performance Management",
        "Achievement",
    )


@pytest.mark.parametrize("bad", [0, 5, -1, 40])
def test_a_score_outside_1_to_4_is_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError, match="Theme 3: A theme score must be a whole number") as error:
        overall_score([4, 3, bad, 3, 3])

    assert str(error.value) == (
        "Theme 3: A theme score must be a whole number from 1 (inadequate performance) "
        f"to 4 (performing strongly), not {bad}."
    )


@pytest.mark.parametrize("bad", [2.5, 3.0, "3", None, True])
def test_a_score_that_is_not_a_whole_number_is_refused(bad):
    with pytest.raises(ValueError, match=r"whole number from 1 .* to 4"):
        overall_score([4, 3, bad, 3, 3])


@pytest.mark.parametrize("scores", [[], [3, 3, 3, 3], [3, 3, 3, 3, 3, 3]])
def test_anything_but_five_scores_is_refused(scores):
    with pytest.raises(ValueError, match="exactly 5 themes") as error:
        overall_score(scores)

    assert f"{len(scores)} score(s) given" in str(error.value)


def test_check_score_returns_a_good_score_and_refuses_a_bad_one():
    assert check_score(4) == 4
    with pytest.raises(ValueError, match="not 5"):
        check_score(5)
