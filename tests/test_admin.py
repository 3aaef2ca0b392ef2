"""The admin is where the performance team works: every model is listed, searchable, filterable."""

import pytest
from django.contrib import admin
from django.urls import reverse

from targets.services import baseline_record, target_record
from tests.factories import CommitmentFactory, CommitmentPartnerFactory, UserFactory, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def commitment():
    commitment = CommitmentFactory(indicator__code="NI 112", indicator__title="Under 18 conception")
    CommitmentPartnerFactory(commitment=commitment, partner__name="NHS Leicester City")
    baseline_record(commitment=commitment, text="62%", period_text="(2007/8)")
    target_record(commitment=commitment, period=period("2008/09"), text="63%*")
    return commitment


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in {"partners", "plans", "targets"}],
    ids=lambda m: m._meta.label,
)
def test_every_model_has_a_changelist_listing_all_its_rows(admin_client, commitment, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model_name", ["indicator", "commitment", "baseline", "target"])
def test_search_by_indicator_code_finds_the_rows(admin_client, commitment, model_name):
    url = reverse(f"admin:targets_{model_name}_changelist")

    found = admin_client.get(url, {"q": "NI 112"}).context["cl"].result_count
    missing = admin_client.get(url, {"q": "NI 999"}).context["cl"].result_count

    assert (found, missing) == (1, 0)


def test_commitment_list_shows_lead_partner_and_filters_by_plan(admin_client, commitment):
    url = reverse("admin:targets_commitment_changelist")

    response = admin_client.get(url, {"plan__id__exact": commitment.plan_id})

    html = response.content.decode()
    assert "NI 112 Under 18 conception" in html
    assert "NHS Leicester City" in html


def test_commitment_page_has_targets_and_baselines_inline(admin_client, commitment):
    url = reverse("admin:targets_commitment_change", args=[commitment.pk])

    html = admin_client.get(url).content.decode()

    assert "63%*" in html
    assert "(2007/8)" in html


def test_editing_a_target_text_in_the_admin_reparses_it(admin_client, commitment):
    target = commitment.targets.get()
    url = reverse("admin:targets_target_change", args=[target.pk])

    response = admin_client.post(
        url,
        {
            "text": "Between 10% and 15%",
            "commitment": commitment.pk,
            "period": target.period_id,
            "breakdown": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert (target.shape, target.lower, target.upper) == ("range", 10, 15)
    assert target.history.count() == 2
