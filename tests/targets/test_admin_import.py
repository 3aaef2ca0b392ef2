"""The admin import page: upload, preview, confirm; refused to anyone without the permission."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from partners.roles import Role
from plans.models import Plan
from targets.models import Target
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import write_spreadsheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/targets/target/import/"


def workbook_upload(workbook=EXAMPLE_WORKBOOK, name="plan.xlsx"):
    data = write_spreadsheet([(n, rows[0], rows[1:]) for n, rows in workbook.items()], name)
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def user_with_role(role, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin_client(client):
    client.force_login(user_with_role(Role.ADMIN))
    return client


def test_preview_shows_what_would_change_and_writes_nothing(admin_client):
    response = admin_client.post(URL, {"file": workbook_upload()})

    html = response.content.decode()
    assert "Would import plan.xlsx: 30 created, 0 updated, 0 unchanged." in html
    assert 'name="confirm"' in html
    assert Plan.objects.count() == 0


def test_confirming_imports_the_previewed_file_once(admin_client):
    preview = admin_client.post(URL, {"file": workbook_upload()})
    token = preview.context["token"]

    response = admin_client.post(URL, {"confirm": "1", "token": token, "file_name": "plan.xlsx"})

    assert response.status_code == 302
    assert Target.objects.count() == 9
    assert Target.objects.first().history.first().history_change_reason == (
        "Imported from plan.xlsx"
    )
    again = admin_client.post(URL, {"confirm": "1", "token": token, "file_name": "plan.xlsx"})
    assert again.status_code == 302
    assert Target.objects.count() == 9


def test_errors_are_listed_with_row_column_and_value_and_no_confirm_is_offered(admin_client):
    figures = [*EXAMPLE_WORKBOOK["figures"], ["laa", "NI 59", "target", "2010/11", "", "12,5x%"]]
    figures.append(["laa", "NI 404", "target", "2010/11", "", "5%"])

    response = admin_client.post(
        URL, {"file": workbook_upload({**EXAMPLE_WORKBOOK, "figures": figures})}
    )

    html = response.content.decode()
    assert "Nothing imported from plan.xlsx: 1 error." in html
    assert "Unknown indicator &#x27;NI 404&#x27;." in html
    assert 'name="confirm"' not in html


def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_field(admin_client):
    upload = io.BytesIO(b"PK\x03\x04 not really a zip")
    upload.name = "plan.xlsx"

    response = admin_client.post(URL, {"file": upload})

    assert response.context["form"].errors["file"]
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPROVER, Role.SCRUTINY])
def test_people_without_the_import_permission_get_403_and_import_nothing(client, role):
    client.force_login(user_with_role(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": workbook_upload()}).status_code == 403
    assert Plan.objects.count() == 0


def test_the_example_workbook_downloads_and_imports_cleanly(admin_client):
    response = admin_client.get(reverse("admin:targets_spreadsheet_example"))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == list(EXAMPLE_WORKBOOK)
    upload = io.BytesIO(response.content)
    upload.name = "example.xlsx"
    preview = admin_client.post(URL, {"file": upload})
    assert preview.context["report"].ok
