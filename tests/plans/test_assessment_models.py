"""Assessments and their theme scores: validation, and the overall score always by the rule."""

from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.assessment import overall_score
from plans.models import Assessment, AssessmentTheme, PlanKind, ScaleLevel
from tests.factories import PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", [0, 5])
def test_a_theme_score_outside_1_to_4_is_refused_with_a_clear_message(assess, bad):
    assessment = assess([4, 3, 2, 3])
    achievement = assessment.plan.themes.get(title="Achievement")
    theme_score = AssessmentTheme(assessment=assessment, theme=achievement, score=bad)

    with pytest.raises(ValidationError) as error:
        theme_score.full_clean()

    assert error.value.message_dict == {
        "score": [
            "A theme score must be a whole number from 1 (inadequate performance) "
            f"to 4 (performing strongly), not {bad}."
        ]
    }


def test_the_database_refuses_a_score_outside_1_to_4_too(assess):
    assessment = assess([4, 3, 2, 3])
    achievement = assessment.plan.themes.get(title="Achievement")

    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentTheme.objects.create(assessment=assessment, theme=achievement, score=5)


def test_a_scale_level_outside_1_to_4_is_refused():
    with pytest.raises(ValidationError, match="not 5"):
        ScaleLevel(score=5, judgement="Beyond excellent").full_clean()


def test_a_theme_of_another_plan_is_refused(assess):
    assessment = assess([4, 3, 2, 3])
    stranger = ThemeFactory(title="Achievement")

    with pytest.raises(ValidationError) as error:
        AssessmentTheme(assessment=assessment, theme=stranger, score=3).full_clean()

    assert "is a theme of another plan" in error.value.message_dict["theme"][0]


def test_a_theme_is_scored_once_per_assessment(assess):
    assessment = assess([4, 3, 2, 3, 3])
    ambition = assessment.plan.themes.get(title="Ambition")

    with pytest.raises(ValidationError, match="already exists"):
        AssessmentTheme(assessment=assessment, theme=ambition, score=1).full_clean()


def test_only_a_cpa_plan_has_an_assessment():
    plan = PlanFactory(kind=PlanKind.LAA)

    with pytest.raises(ValidationError) as error:
        Assessment(plan=plan, title="Self assessment", year=2007).full_clean()

    assert error.value.message_dict["plan"] == [
        "Only a plan of kind 'CPA corporate assessment' has an assessment."
    ]


def test_the_2007_self_assessment_scores_overall_3(assess):
    assessment = assess([4, 3, 2, 3, 3])

    result = assessment.overall()

    assert result.score == 3
    assert "Three or more themes with a score of 3" in result.clause


def test_there_is_no_overall_score_until_all_five_themes_are_scored(assess):
    assert assess([4, 3, 2, 3]).overall() is None


def test_the_overall_score_always_follows_the_theme_scores(assess):
    """Not stored: whatever the scores become, the assessment's overall is the rule's.
    (The rule itself is checked against all 1,024 combinations in test_assessment.py.)"""
    assessment = assess([1, 1, 1, 1, 1])
    theme_scores = list(assessment.theme_scores.order_by("theme__order"))
    for scores in list(product(range(1, 5), repeat=5))[::41]:
        for theme_score, score in zip(theme_scores, scores, strict=True):
            theme_score.score = score
        AssessmentTheme.objects.bulk_update(theme_scores, ["score"])

        stored = Assessment.objects.get(pk=assessment.pk)

        assert stored.overall().score == overall_score(scores)
