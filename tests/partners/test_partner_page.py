import csv
import io

import pytest

from partners.models import PartnerKind
from targets.models import CommitmentPartner
from tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    IndicatorFactory,
    PartnerFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)
from tests.scenarios import laa_with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(UserFactory())
    return client


def test_partner_page_needs_login(client):
    partner = PartnerFactory()

    assert client.get(partner.get_absolute_url()).status_code == 302


def test_partner_page_shows_what_it_leads_and_signs_up_to_and_how_it_is_doing(reader):
    scenario = laa_with_values()

    response = reader.get(scenario.police.get_absolute_url())

    leads, signed_up = response.context["roles"]
    assert leads[0] == "Leads"
    assert leads[1].total == 1  # NI 154
    assert leads[1].count("amber") == 1
    assert signed_up[1].total == 1  # NI 39, led by the council
    html = response.content.decode()
    assert 'Signed up<span class="share">led by Leicester City Council</span>' in html
    assert "<strong>Leads</strong>" in html
    assert "Local Area Agreement 2008-11</a>" in html
    ((plan, period, summary),) = response.context["plans"]
    assert (plan, period.label, summary.total) == (scenario.plan, "2008/09", 2)


def test_partner_page_for_a_period_asked_for(reader):
    scenario = laa_with_values()

    response = reader.get(scenario.council.get_absolute_url(), {"period": "2009/10"})

    ((_plan, period, summary),) = response.context["plans"]
    assert period.label == "2009/10"
    assert summary.total == 5
    rows = response.context["table"].data
    assert {row.indicator.code for row in rows} == {"NI 39", "NI 54", "NI 59", "NI 65", "NI 120"}
    assert {row.chosen.label for row in rows} == {"2009/10"}


def test_partner_page_lists_departments_members_and_partnerships(reader):
    council = PartnerFactory(name="Leicester City Council")
    PartnerFactory(name="Housing", kind=PartnerKind.DEPARTMENT, parent=council)
    partnership = PartnerFactory(name="Safer Leicester Partnership", kind=PartnerKind.PARTNERSHIP)
    partnership.members.add(council)

    council_html = reader.get(council.get_absolute_url()).content.decode()
    partnership_html = reader.get(partnership.get_absolute_url()).content.decode()

    assert '<a href="/partners/housing/">Housing</a>' in council_html
    assert "Member of" in council_html
    assert '<a href="/partners/safer-leicester-partnership/">' in council_html
    assert '<a href="/partners/leicester-city-council/">Leicester City Council</a>' in (
        partnership_html
    )
    assert "neither leads nor has signed up" in partnership_html


def test_an_unknown_partner_is_not_found(reader):
    assert reader.get("/partners/nobody/").status_code == 404


def codes(response) -> list[str]:
    return [row.record.indicator.code for row in response.context["table"].paginated_rows]


@pytest.fixture
def busy_partner(db):
    """A partner leading 20 targets in one plan and signed up to 12 in another."""
    partner = PartnerFactory(name="Busy Trust")
    other = PartnerFactory(name="Other Lead")
    for plan_name, count, lead in (("First plan", 20, partner), ("Second plan", 12, other)):
        plan = PlanFactory(name=plan_name)
        theme = ThemeFactory(plan=plan)
        for n in range(count):
            commitment = CommitmentFactory(
                plan=plan, theme=theme, indicator=IndicatorFactory(code=f"{plan_name[0]} {n:02}")
            )
            CommitmentPartnerFactory(commitment=commitment, partner=lead, is_lead=True)
            if lead is other:
                CommitmentPartnerFactory(commitment=commitment, partner=partner, is_lead=False)
    return partner


def test_the_targets_are_shown_a_page_at_a_time(reader, busy_partner):
    first = reader.get(busy_partner.get_absolute_url())
    second = reader.get(busy_partner.get_absolute_url(), {"page": 2})

    assert len(codes(first)) == 25
    assert len(codes(second)) == 7
    assert sorted(codes(first) + codes(second)) == sorted(
        busy_partner.commitment_partners.values_list("commitment__indicator__code", flat=True)
    )
    assert "Page 1 of 2 (32 rows)" in first.content.decode()
    # The summaries still count every target, not only the page shown.
    (leads, signed_up) = first.context["roles"]
    assert (leads[1].total, signed_up[1].total) == (20, 12)


def test_the_targets_are_filtered_by_plan_and_role(reader, busy_partner):
    second_plan = CommitmentPartner.objects.filter(partner=busy_partner, is_lead=False).first()
    plan_pk = second_plan.commitment.plan_id

    by_plan = reader.get(busy_partner.get_absolute_url(), {"plan": plan_pk})
    signed_up = reader.get(busy_partner.get_absolute_url(), {"role": "signed_up"})
    leads = reader.get(busy_partner.get_absolute_url(), {"role": "leads", "q": "F 1"})

    assert sorted(codes(by_plan)) == [f"S {n:02}" for n in range(12)]
    assert sorted(codes(signed_up)) == [f"S {n:02}" for n in range(12)]
    assert sorted(codes(leads)) == [f"F {n:02}" for n in range(10, 20)]
    assert "the 10 targets shown" in leads.content.decode()


def test_an_unknown_filter_value_is_refused_next_to_the_field_and_everything_is_shown(
    reader, busy_partner
):
    response = reader.get(busy_partner.get_absolute_url(), {"role": "owner", "plan": "999"})

    errors = response.context["filters"].form.errors
    assert "Select a valid choice. owner is not one of the available choices." in errors["role"]
    assert "plan" in errors
    html = response.content.decode()
    assert 'id="id_role_error"><span class="visually-hidden">Error:</span> Select a valid' in html
    assert 'aria-invalid="true" aria-describedby="id_role_error"' in html
    assert response.context["table"].paginator.count == 32


def test_the_targets_are_exported_whole_as_csv(reader, busy_partner):
    response = reader.get(busy_partner.get_absolute_url(), {"role": "signed_up", "export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"Indicator", "Plan", "Role", "Lead partner", "Status"} <= set(header)
    assert len(rows) == 12
    role, plan, lead = header.index("Role"), header.index("Plan"), header.index("Lead partner")
    assert {(row[role], row[plan], row[lead]) for row in rows} == {
        ("Signed up", "Second plan", "Other Lead")
    }
