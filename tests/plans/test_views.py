import pytest
from django.urls import reverse

from targets.services import baseline_record, target_record
from tests.factories import CommitmentFactory, CommitmentPartnerFactory, UserFactory, period
from tests.test_query_budget import BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory())
    return client


def test_pages_need_login(client):
    commitment = CommitmentFactory()

    for url in [
        reverse("plans:plan-list"),
        commitment.plan.get_absolute_url(),
        commitment.indicator.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_plan_list_shows_each_plan_with_its_counts(reader):
    commitment = CommitmentFactory(
        theme__plan__name="Local Area Agreement", theme__plan__years_text="2008-11"
    )
    CommitmentFactory(theme=commitment.theme)

    response = reader.get(reverse("plans:plan-list"))

    assert response.status_code == 200
    plan = response.context["plans"][0]
    assert (plan.name, plan.theme_count, plan.commitment_count) == ("Local Area Agreement", 1, 2)
    assert "2008-11" in response.content.decode()


def test_plan_page_shows_targets_as_written_and_lead_partner(reader):
    commitment = CommitmentFactory(indicator__code="NI 59")
    CommitmentPartnerFactory(commitment=commitment, partner__name="Leicester City Council")
    baseline_record(commitment=commitment, text="62%", period_text="(2007/8)")
    target_record(commitment=commitment, period=period("2008/09"), text="63%*")

    html = reader.get(commitment.plan.get_absolute_url()).content.decode()

    assert "NI 59" in html
    assert "63%*" in html
    assert "(2007/8)" in html
    # The lead partner has its own column, linking to the partner's page.
    assert '<a href="/partners/leicester-city-council/">Leicester City Council</a>' in html


@pytest.mark.parametrize("commitments", [2, 20])
def test_plan_page_query_count_does_not_grow_with_commitments(
    reader, commitments, django_assert_max_num_queries
):
    first = CommitmentFactory()
    for _ in range(commitments - 1):
        commitment = CommitmentFactory(theme=first.theme)
        target_record(commitment=commitment, period=period("2008/09"), text="5%")

    with django_assert_max_num_queries(BUDGET):
        response = reader.get(first.plan.get_absolute_url())

    assert response.status_code == 200


def test_indicator_page_shows_each_plan_it_appears_in(reader):
    first = CommitmentFactory(indicator__code="NI 112", theme__plan__name="LAA 2008-11")
    second = CommitmentFactory(indicator=first.indicator, theme__plan__name="Delivery Plan 2013-14")
    target_record(commitment=second, period=period("2013/14"), text="20%")

    html = reader.get(first.indicator.get_absolute_url()).content.decode()

    assert "LAA 2008-11" in html
    assert "Delivery Plan 2013-14" in html
    assert "20%" in html


def test_unknown_plan_is_404(reader):
    assert reader.get(reverse("plans:plan-detail", kwargs={"slug": "nope"})).status_code == 404
