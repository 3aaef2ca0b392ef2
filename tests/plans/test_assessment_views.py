"""The corporate assessment scorecard page of a plan."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory())
    return client


def scorecard_url(plan):
    return reverse("plans:plan-assessment", kwargs={"slug": plan.slug})


def page_text(response) -> str:
    """The page as a reader sees it: tags removed, white space collapsed."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_scorecard_needs_login(client, cpa_plan):
    response = client.get(scorecard_url(cpa_plan))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_scorecard_shows_each_theme_with_its_score_judgement_risks_and_actions(
    reader, assess, scale
):
    assessment = assess([4, 3, 2, 3, 3])
    ambition = assessment.theme_scores.get(theme__title="Ambition")
    ambition.key_risks = "Revising the community strategy\nLinks to budget consultation"
    ambition.actions = "Consultation with key stakeholders is underway"
    ambition.save()

    response = reader.get(scorecard_url(assessment.plan))

    assert response.status_code == 200
    text = page_text(response)
    assert "Ambition 4 Performing strongly" in text
    assert "Prioritisation 3 Performing well" in text
    assert "Capacity 2 Adequate performance" in text
    assert "Performance Management 3 Performing well" in text
    assert "Achievement 3 Performing well" in text
    html = response.content.decode()
    assert "<li>Revising the community strategy</li><li>Links to budget consultation</li>" in html
    assert "<li>Consultation with key stakeholders is underway</li>" in html
    assert "Self-assessment (anticipated scores)" in text


def test_the_scorecard_gives_the_overall_score_and_the_clause_of_the_rule_that_gave_it(
    reader, assess, scale
):
    assessment = assess([4, 3, 2, 3, 3])

    text = page_text(reader.get(scorecard_url(assessment.plan)))

    assert "Overall corporate assessment score: 3" in text
    assert (
        "By the rule's row “Three or more themes with a score of 3 and none less than a score "
        "of 2”: 4 themes score 3 or more and none is below 2; not 4: only 1 theme scores 4."
    ) in text


def test_the_overall_score_follows_a_change_of_theme_score(reader, assess, scale):
    assessment = assess([4, 3, 2, 3, 3])
    assessment.theme_scores.filter(theme__title="Capacity").update(score=4)

    text = page_text(reader.get(scorecard_url(assessment.plan)))

    assert "Overall corporate assessment score: 4" in text
    assert "Two or more themes with a score of 4 and none less than a score of 3" in text


def test_an_incomplete_assessment_has_no_overall_score_yet(reader, assess, scale):
    assessment = assess([4, 3, 2])

    text = page_text(reader.get(scorecard_url(assessment.plan)))

    assert "Overall corporate assessment score: not yet – 3 of 5 themes scored" in text


def test_the_achievement_theme_shows_the_share_of_indicators_improving(reader, assess, scale):
    assessment = assess([4, 3, 2, 3, 3])

    text = page_text(reader.get(scorecard_url(assessment.plan)))

    assert (
        "Share of performance indicators improving, computed from actuals: none yet: this plan "
        "commits to no performance indicators to compute it from, and no performance indicator "
        "has approved actuals for 2007."
    ) in text


def test_the_scorecard_shows_the_scoring_scale_and_the_rule(reader, assess, scale):
    assessment = assess([4, 3, 2, 3, 3])

    text = page_text(reader.get(scorecard_url(assessment.plan)))

    assert "1 Below minimum requirements Inadequate performance" in text
    assert "4 Well above minimum requirements Performing strongly" in text
    assert "Three or more themes with a score of 2 or more 2" in text
    assert "Any other combination 1" in text


def test_a_plan_without_an_assessment_says_so(reader, cpa_plan):
    text = page_text(reader.get(scorecard_url(cpa_plan)))

    assert "No corporate assessment has been recorded for this plan." in text


def test_the_plan_page_links_a_cpa_plan_to_its_scorecard(reader, cpa_plan):
    html = reader.get(cpa_plan.get_absolute_url()).content.decode()

    assert f'href="{scorecard_url(cpa_plan)}"' in html


def test_an_unknown_plan_has_no_scorecard(reader):
    response = reader.get(reverse("plans:plan-assessment", kwargs={"slug": "nope"}))

    assert response.status_code == 404


@pytest.mark.parametrize("assessments", [1, 3])
def test_the_scorecard_query_count_does_not_grow_with_assessments(
    reader, assess, scale, assessments, django_assert_max_num_queries
):
    for number in range(assessments):
        assessment = assess([4, 3, 2, 3, 3], title=f"Assessment {number}")

    with django_assert_max_num_queries(12):
        response = reader.get(scorecard_url(assessment.plan))

    assert response.status_code == 200
