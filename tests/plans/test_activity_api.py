"""Activities, their timing, lateness and latest progress in the plan's JSON API."""

import pytest

from plans import progress
from plans.models import ProgressStatus

pytestmark = pytest.mark.django_db


def activity_json(client, delivery, title):
    body = client.get(f"/api/v1/plans/{delivery.plan.slug}/").json()
    theme = next(t for t in body["themes"] if t["title"] == "Improve outcomes")
    return body, next(a for a in theme["activities"] if a["title"] == title)


def test_an_activity_shows_its_approved_progress_and_lateness(client, delivery):
    client.force_login(delivery.cast.scrutiny)
    update = progress.activity_update_save(
        user=delivery.cast.owner,
        activity=delivery.june,
        period=delivery.quarter,
        status=ProgressStatus.COMPLETE,
        commentary="Both centres opened in June.",
        submit=True,
    )

    _, submitted = activity_json(client, delivery, "Open two new children's centres")
    progress.activity_update_approve(user=delivery.cast.approver, update=update)
    body, approved = activity_json(client, delivery, "Open two new children's centres")

    # Readers do not see the submitted update: still late.
    assert (submitted["late"], submitted["progress"]) == (True, None)
    assert approved["late"] is False
    assert approved["progress"] == {
        "period": "2013/14 Q1",
        "status": "complete",
        "state": "approved",
        "commentary": "Both centres opened in June.",
    }
    assert approved["timing"] == "due"
    holder = next(t for t in body["themes"] if t["title"] == "Our children and young people")
    assert holder["portfolio_holder"] == "Vi Dempster"


def test_an_ongoing_activity_is_open_ended_and_never_late(client, delivery):
    client.force_login(delivery.cast.scrutiny)

    _, found = activity_json(client, delivery, "Support young carers")

    assert (found["timing"], found["ongoing"], found["due_on"], found["late"]) == (
        "open_ended",
        True,
        None,
        False,
    )
