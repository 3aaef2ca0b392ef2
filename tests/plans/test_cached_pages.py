"""The home page, a plan's page, its report, an indicator's and a partner's page, and the API's
plan and indicator are rendered once per data version and query string and then read from the
cache (``dashboard.page``): what the cache serves is always what rendering afresh gives, after every
kind of write, for every reader."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from partners.roles import Role
from partners.views import PartnerDetailView
from plans.models import Plan, Theme
from plans.views import PlanDetailView, PlanListView, PlanReportView
from targets.models import Actual, ActualState, CommitmentStatus, CommitmentStatusKind, Target
from targets.views import IndicatorDetailView
from tests.factories import UserFactory, period, person
from tests.scenarios import laa_with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return laa_with_values()


@pytest.fixture
def reader(client):
    client.force_login(UserFactory(username="councillor"))
    return client


def main(response) -> str:
    """The page's <main>: what the cache holds, without the menu and messages around it."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def pages(scenario) -> list[str]:
    url = scenario.plan.get_absolute_url()
    report = url + "report/"
    return [
        reverse("plans:plan-list"),
        reverse("plans:plan-list") + "?period=2008/09",
        url,
        url + "?period=2008/09",
        url + "?status=amber&sort=-status",
        url + "?page=1&theme=" + str(scenario.health.pk),
        report,
        report + f"?period=2008/09&theme={scenario.children.pk}",
        scenario.ni39.get_absolute_url(),
        scenario.ni59.get_absolute_url(),
        scenario.ni65.get_absolute_url(),
        scenario.police.get_absolute_url(),
        scenario.council.get_absolute_url() + "?status=amber&sort=-status",
    ]


@contextmanager
def rendering_forbidden():
    with (
        mock.patch.object(PlanListView, "render_body", side_effect=AssertionError("rendered")),
        mock.patch.object(PlanDetailView, "render_body", side_effect=AssertionError("rendered")),
        mock.patch.object(PlanReportView, "render_body", side_effect=AssertionError("rendered")),
        mock.patch.object(
            IndicatorDetailView, "render_body", side_effect=AssertionError("rendered")
        ),
        mock.patch.object(PartnerDetailView, "render_body", side_effect=AssertionError("rendered")),
    ):
        yield


def served_as_fresh(reader, urls):
    """Each page, asked for twice (the second from the cache), equals the page rendered with an
    empty cache."""
    for url in urls:
        first = main(reader.get(url))
        with rendering_forbidden():
            cached = main(reader.get(url))
        cache.clear()
        fresh = main(reader.get(url))
        assert cached == first == fresh, url


def test_a_page_is_rendered_once_then_read_from_the_cache(reader, scenario):
    served_as_fresh(reader, pages(scenario))


WRITES = {
    "a value approved": lambda s: Actual.objects.filter(indicator=s.ni59).update(
        state=ActualState.APPROVED
    ),
    "a value changed in place": lambda s: Actual.objects.filter(
        indicator=s.ni39, period__label="2008/09"
    ).update(value=Decimal("3500")),
    "a commentary changed": lambda s: Actual.objects.filter(indicator=s.ni65).update(
        commentary="Revised after audit."
    ),
    "a target's text changed": lambda s: Target.objects.filter(commitment__indicator=s.ni65).update(
        text="11% (revised)"
    ),
    "a commitment withdrawn": lambda s: CommitmentStatus.objects.create(
        commitment=s.commitment(s.ni39),
        status=CommitmentStatusKind.WITHDRAWN,
        from_period=period("2008/09"),
    ),
    "a theme renamed": lambda s: Theme.objects.filter(pk=s.health.pk).update(title="Wellbeing"),
    "the plan renamed": lambda s: Plan.objects.filter(pk=s.plan.pk).update(name="LAA renamed"),
    "a partner renamed": lambda s: (
        type(s.police).objects.filter(pk=s.police.pk).update(name="Police (renamed)")
    ),
    "an indicator renamed": lambda s: (
        type(s.ni39).objects.filter(pk=s.ni39.pk).update(title="Emergency admissions (renamed)")
    ),
    # NI 59's missing 2008/09 value is overdue, until the deadline is put off.
    "a deadline moved": lambda s: (
        type(period("2008/09"))
        .objects.filter(label="2008/09")
        .update(entry_deadline=date(2099, 1, 1))
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_after_every_kind_of_write_the_pages_show_it(reader, scenario, write):
    urls = pages(scenario)
    before = {url: main(reader.get(url)) for url in urls}
    WRITES[write](scenario)
    after = {url: main(reader.get(url)) for url in urls}
    assert after != before, f"{write}: no page changed"
    served_as_fresh(reader, urls)


def test_a_draft_saved_renders_nothing_again(reader, scenario):
    """Drafts show on no dashboard, so officers saving them do not empty the readers' cache."""
    urls = pages(scenario)
    for url in urls:
        reader.get(url)
    Actual.objects.filter(indicator=scenario.ni59).update(value=Decimal("98"))
    with rendering_forbidden():
        for url in urls:
            assert reader.get(url).status_code == 200


def test_submitted_values_show_at_once_where_the_council_shows_them(reader, scenario, settings):
    settings.SHOW_SUBMITTED_VALUES = True
    url = scenario.plan.get_absolute_url() + "report/"
    before = main(reader.get(url))
    Actual.objects.filter(indicator=scenario.ni59).update(state=ActualState.SUBMITTED)
    assert main(reader.get(url)) != before
    served_as_fresh(reader, [url])


def test_what_one_reader_is_served_does_not_depend_on_who_asked_first(client, scenario):
    """The body is shared by every reader, so it must not depend on the user: an admin's visit
    fills the cache, and a councillor is served what rendering for them gives."""
    admin = UserFactory(username="site-admin", is_staff=True, is_superuser=True)
    councillor = UserFactory(username="councillor")
    for url in pages(scenario):
        cache.clear()
        client.force_login(admin)
        client.get(url)
        client.force_login(councillor)
        from_admins_visit = main(client.get(url))
        cache.clear()
        assert main(client.get(url)) == from_admins_visit, url


def test_the_enter_values_button_is_for_whoever_may_enter(client, scenario):
    """The one part of an indicator's page that depends on the reader is kept out of the cache."""
    officer = person(Role.OFFICER, scenario.council, username="officer")
    url = scenario.ni39.get_absolute_url()
    client.force_login(officer)
    assert "Enter values" in main(client.get(url))
    client.force_login(UserFactory(username="councillor"))
    with rendering_forbidden():
        page = main(client.get(url))
    assert "Enter values" not in page
    assert "History of changes" in page


def test_the_api_answers_from_the_cache_what_it_would_build_afresh(reader, scenario):
    urls = [
        reverse("api:plan-detail", args=[scenario.plan.slug]),
        reverse("api:indicator-detail", args=[scenario.ni59.slug]),
    ]
    before = [reader.get(url).json() for url in urls]
    assert before[1]["actuals"] == []  # NI 59's value is a draft
    WRITES["a value approved"](scenario)
    WRITES["a partner renamed"](scenario)
    after = [reader.get(url).json() for url in urls]
    assert [actual["value"] for actual in after[1]["actuals"]] == [99]
    assert "Police (renamed)" in str(after[0])
    assert "Police (renamed)" not in str(before[0])
    cache.clear()
    assert [reader.get(url).json() for url in urls] == after
