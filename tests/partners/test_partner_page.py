import pytest

from partners.models import PartnerKind
from tests.factories import PartnerFactory, UserFactory
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
    assert 'Local Area Agreement 2008-11</a> <span class="subtle">2008/09</span>' in html


def test_partner_page_for_a_period_asked_for(reader):
    scenario = laa_with_values()

    response = reader.get(scenario.council.get_absolute_url(), {"period": "2009/10"})

    ((_plan, period, rows),) = response.context["plans"]
    assert period.label == "2009/10"
    assert {row.indicator.code for row in rows} == {"NI 39", "NI 54", "NI 59", "NI 65", "NI 120"}


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
