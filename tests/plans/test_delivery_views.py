"""The delivery plan pages: a theme's measures and activities, milestones, portfolio holders,
and reporting progress on an activity through to sign-off."""

import html
import re

import pytest
from django.urls import reverse

from plans import progress
from plans.models import Activity, ActivityUpdate, ProgressStatus
from targets.models import ActualState

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text with tags removed and whitespace collapsed, to assert what people read."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def urls(delivery):
    return [
        reverse("plans:theme-detail", args=[delivery.plan.slug, delivery.theme.pk]),
        reverse("plans:plan-milestones", args=[delivery.plan.slug]),
        reverse("plans:portfolio-holder-list"),
        reverse("plans:portfolio-holder-detail", args=[delivery.holder.pk]),
        reverse("plans:activity-progress", args=[delivery.june.pk]),
        reverse("plans:activity-worklist"),
    ]


def test_pages_need_login(client, delivery):
    for url in urls(delivery):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_theme_page_shows_measures_and_activities_side_by_side(client, delivery):
    client.force_login(delivery.cast.scrutiny)

    response = client.get(urls(delivery)[0])

    page = text_of(response)
    assert "Performance measures" in page
    assert "DP 7.1 Children in good schools" in page
    assert "Key projects and activities" in page
    assert "Improve outcomes" in page
    assert "Open two new children's centres" in page
    assert "Portfolio holder Vi Dempster, Assistant city mayor" in page
    # June 2013 has passed with no update saying complete: one late milestone of three.
    assert "3 activities, 1 late" in page
    assert page.count("Late") >= 2
    assert "Report progress" not in page  # scrutiny reads only


def test_theme_page_offers_the_owner_to_report_progress(client, delivery):
    client.force_login(delivery.cast.owner)

    page = text_of(client.get(urls(delivery)[0]))

    assert page.count("Report progress") == 3


def test_milestones_page_lists_overdue_and_due_soon_as_at_a_day(client, delivery):
    client.force_login(delivery.cast.scrutiny)
    url = urls(delivery)[1]

    response = client.get(url, {"on": "2013-05-15"})

    milestones = response.context["milestones"]
    assert (milestones.overdue, milestones.due_soon) == ([], [delivery.june])
    assert "Due by 30 September 2013 (1)" in text_of(response)

    due = delivery.later.due_on
    later = client.get(url, {"on": due.replace(day=1).isoformat()}).context["milestones"]
    assert (later.overdue, later.due_soon) == ([delivery.june], [delivery.later])


def test_milestones_filter_by_theme_and_portfolio_holder(client, delivery):
    from tests.factories import ThemeFactory

    other = ThemeFactory(plan=delivery.plan, title="A place to do business", order=5)
    elsewhere = Activity(theme=other, title="Open the enterprise hub")
    elsewhere.set_by_when("May 2013")
    elsewhere.save()
    client.force_login(delivery.cast.scrutiny)
    url = urls(delivery)[1]

    everything = client.get(url).context["milestones"].overdue
    by_theme = client.get(url, {"theme": other.pk}).context["milestones"].overdue
    by_holder = client.get(url, {"holder": delivery.holder.pk}).context["milestones"].overdue

    assert everything == [elsewhere, delivery.june]  # oldest due first
    assert by_theme == [elsewhere]
    assert by_holder == [delivery.june]


def test_a_complete_milestone_is_not_overdue(client, delivery):
    update = progress.activity_update_save(
        user=delivery.cast.owner,
        activity=delivery.june,
        period=delivery.quarter,
        status=ProgressStatus.COMPLETE,
        commentary="Both open.",
        submit=True,
    )
    client.force_login(delivery.cast.scrutiny)
    url = urls(delivery)[1]
    assert client.get(url).context["milestones"].overdue == [delivery.june]  # not yet approved

    progress.activity_update_approve(user=delivery.cast.approver, update=update)

    assert client.get(url).context["milestones"].overdue == []


def test_portfolio_holder_pages(client, delivery):
    client.force_login(delivery.cast.scrutiny)

    listing = text_of(client.get(urls(delivery)[2]))
    detail = text_of(client.get(urls(delivery)[3]))

    assert "Vi Dempster" in listing
    assert "children, young people and schools" in listing
    assert "Our children and young people" in listing
    assert "Portfolio children, young people and schools" in detail
    assert "DP 7.1 Children in good schools" in detail
    assert "3 activities, 1 late" in detail
    assert "Open two new children's centres" in detail  # the late one is listed


def test_plan_page_links_the_delivery_pages(client, delivery):
    client.force_login(delivery.cast.scrutiny)

    page = client.get(delivery.plan.get_absolute_url()).content.decode()

    assert reverse("plans:plan-milestones", args=[delivery.plan.slug]) in page
    assert urls(delivery)[0] in page
    assert reverse("plans:portfolio-holder-list") in page


def test_officer_reports_progress_and_approver_signs_it_off(client, delivery):
    url = urls(delivery)[4]
    client.force_login(delivery.cast.owner)
    form = client.get(url, {"period": "2013/14 Q1"})
    assert "Progress for 2013/14 Q1" in text_of(form)

    response = client.post(
        url,
        {
            "period": "2013/14 Q1",
            "status": ProgressStatus.AT_RISK,
            "commentary": "One site delayed by planning.",
            "version": 0,
            "action": "submit",
        },
    )

    assert response.status_code == 302
    update = ActivityUpdate.objects.get()
    assert (update.status, update.state, update.period.label) == (
        ProgressStatus.AT_RISK,
        ActualState.SUBMITTED,
        "2013/14 Q1",
    )
    client.force_login(delivery.cast.approver)
    sign_off = text_of(client.get(reverse("sign-off")))
    assert "Progress on activities waiting for sign-off" in sign_off
    assert "One site delayed by planning." in sign_off

    client.post(
        reverse("plans:approve-activity-update", args=[update.pk]), {"version": update.version}
    )

    update.refresh_from_db()
    assert update.state == ActualState.APPROVED


def test_approver_returns_progress_with_a_reason(client, delivery):
    update = progress.activity_update_save(
        user=delivery.cast.owner,
        activity=delivery.june,
        period=delivery.quarter,
        status=ProgressStatus.ON_TRACK,
        commentary="",
        submit=True,
    )
    client.force_login(delivery.cast.approver)

    client.post(
        reverse("plans:return-activity-update", args=[update.pk]),
        {"version": update.version, "reason": "Say which sites."},
    )

    update.refresh_from_db()
    assert (update.state, update.return_reason) == (ActualState.RETURNED, "Say which sites.")
    client.force_login(delivery.cast.owner)
    page = text_of(client.get(urls(delivery)[4], {"period": "2013/14 Q1"}))
    assert "Returned: “Say which sites.”" in page


def test_at_risk_without_commentary_is_explained_next_to_the_field(client, delivery):
    client.force_login(delivery.cast.owner)

    response = client.post(
        urls(delivery)[4],
        {"period": "2013/14 Q1", "status": ProgressStatus.AT_RISK, "version": 0},
    )

    assert response.status_code == 400
    assert "Say why the activity is at risk or late" in text_of(response)
    assert not ActivityUpdate.objects.exists()


def test_other_officers_and_scrutiny_cannot_post_progress(client, delivery):
    data = {"period": "2013/14 Q1", "status": ProgressStatus.COMPLETE, "version": 0}
    for user in (delivery.cast.stranger, delivery.cast.scrutiny):
        client.force_login(user)
        page = text_of(client.get(urls(delivery)[4]))
        assert "Submit for sign-off" not in page
        assert client.post(urls(delivery)[4], data).status_code == 403

    assert not ActivityUpdate.objects.exists()


def test_a_locked_quarter_refuses_the_form_and_changes_nothing(client, delivery):
    delivery.quarter.is_locked = True
    delivery.quarter.save()
    client.force_login(delivery.cast.owner)

    response = client.post(
        urls(delivery)[4],
        {"period": "2013/14 Q1", "status": ProgressStatus.COMPLETE, "version": 0},
    )

    assert response.status_code == 400
    assert "locked" in text_of(response)
    assert not ActivityUpdate.objects.exists()


def test_a_save_over_someone_elses_is_shown_their_update_first(client, delivery):
    progress.activity_update_save(
        user=delivery.cast.admin,
        activity=delivery.june,
        period=delivery.quarter,
        status=ProgressStatus.ON_TRACK,
        commentary="Saved first",
        submit=False,
    )
    client.force_login(delivery.cast.owner)
    data = {"period": "2013/14 Q1", "status": ProgressStatus.COMPLETE, "version": 0}

    response = client.post(urls(delivery)[4], data)

    assert response.status_code == 409
    assert "Someone else saved this update" in text_of(response)
    assert ActivityUpdate.objects.get().status == ProgressStatus.ON_TRACK
    assert 'name="version" value="1"' in response.content.decode()
    assert client.post(urls(delivery)[4], {**data, "version": 1}).status_code == 302
    assert ActivityUpdate.objects.get().status == ProgressStatus.COMPLETE


def test_an_unreadable_quarter_is_a_bad_request(client, delivery):
    client.force_login(delivery.cast.owner)

    assert client.get(urls(delivery)[4], {"period": "2013/14"}).status_code == 400


def test_worklist_links_the_officers_activities(client, delivery):
    client.force_login(delivery.cast.owner)

    worklist = client.get(reverse("worklist")).content.decode()
    page = text_of(client.get(urls(delivery)[5]))

    assert reverse("plans:activity-worklist") in worklist
    assert "3 activities, 1 late" in page
    assert page.index("Open two new children's centres") < page.index("Support young carers")


def add_activities(delivery, count: int, start: int) -> None:
    """``count`` more activities led by the council, each with an approved update."""
    for number in range(start, start + count):
        extra = Activity(
            theme=delivery.objective,
            title=f"Extra {number}",
            order=10 + number,
            lead_partner=delivery.june.lead_partner,
        )
        extra.set_by_when("May 2013")
        extra.save()
        ActivityUpdate.objects.create(
            activity=extra,
            period=delivery.quarter,
            status=ProgressStatus.AT_RISK,
            state=ActualState.APPROVED,
        )


def measure(client, pages) -> list[int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for url in pages:
        cache.clear()  # the worst case: nothing cached (the plan's API answer is)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts.append(len(queries))
    return counts


def test_activity_pages_run_the_same_queries_with_5_and_45_activities(client, delivery):
    pages = [*urls(delivery), reverse("api:plan-detail", args=[delivery.plan.slug])]
    add_activities(delivery, 2, 0)
    client.force_login(delivery.cast.owner)
    # The first requests create the session, and the row of the quarter an activity page offers.
    measure(client, pages)

    with_5 = measure(client, pages)
    add_activities(delivery, 40, 2)
    with_45 = measure(client, pages)

    assert with_45 == with_5
    # The theme page judges its measures (dashboard.load: nine queries, tests/test_query_budget.py).
    assert max(with_45) <= 22
