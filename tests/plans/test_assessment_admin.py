"""The performance team records an assessment in the admin, its themes inline."""

import pytest
from django.urls import reverse

from plans.models import AssessmentTheme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def inline_form(assessment, changes):
    """The change form's data as posted back, with some theme scores changed."""
    data = {
        "plan": assessment.plan_id,
        "title": assessment.title,
        "kind": assessment.kind,
        "year": assessment.year,
        "source_note": "",
    }
    theme_scores = list(assessment.theme_scores.order_by("theme__order"))
    prefix = "theme_scores"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": len(theme_scores),
            f"{prefix}-INITIAL_FORMS": len(theme_scores),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for number, theme_score in enumerate(theme_scores):
        data.update(
            {
                f"{prefix}-{number}-id": theme_score.pk,
                f"{prefix}-{number}-assessment": assessment.pk,
                f"{prefix}-{number}-theme": theme_score.theme_id,
                f"{prefix}-{number}-score": changes.get(theme_score.theme.title, theme_score.score),
                f"{prefix}-{number}-key_risks": theme_score.key_risks,
                f"{prefix}-{number}-actions": theme_score.actions,
                f"{prefix}-{number}-evidence": "",
            }
        )
    return data


def test_the_change_page_shows_the_themes_inline_and_the_overall_score(admin_client, assess):
    assessment = assess([4, 3, 2, 3, 3])

    response = admin_client.get(reverse("admin:plans_assessment_change", args=[assessment.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Overall score (by the CPA rule)" in html
    assert "3: Three or more themes with a score of 3" in html
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 5


def test_a_score_of_5_is_refused_in_the_admin_with_a_clear_message(admin_client, assess):
    assessment = assess([4, 3, 2, 3, 3])
    url = reverse("admin:plans_assessment_change", args=[assessment.pk])

    response = admin_client.post(url, inline_form(assessment, {"Capacity": 5}))

    assert response.status_code == 200
    assert (
        "A theme score must be a whole number from 1 (inadequate performance) to 4 "
        "(performing strongly), not 5."
    ) in response.content.decode()
    assert AssessmentTheme.objects.get(theme__title="Capacity").score == 2


def test_a_score_changed_in_the_admin_changes_the_overall_score(admin_client, assess):
    assessment = assess([4, 3, 2, 3, 3])
    url = reverse("admin:plans_assessment_change", args=[assessment.pk])

    response = admin_client.post(url, inline_form(assessment, {"Capacity": 4}))

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.overall().score == 4
