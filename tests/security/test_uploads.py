"""Hostile and broken uploads through the admin import page: each is refused next to the file
field with a message that says what is wrong, and no row of the database changes. (The reader's
own checks are tested one by one in tests/targets/test_spreadsheet_files.py.)"""

import io
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models

from partners.roles import Role
from targets.spreadsheets.example import EXAMPLE_WORKBOOK
from targets.spreadsheets.files import write_spreadsheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/targets/target/import/"
ACTUALS_URL = "/admin/targets/actual/import/"
WATCHED_APPS = {"partners", "plans", "targets", "auth"}


def snapshot():
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in WATCHED_APPS
    }


@pytest.fixture
def admin(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMIN))
    client.force_login(user)
    return client


def example_xlsx() -> bytes:
    sheets = [(name, rows[0], rows[1:]) for name, rows in EXAMPLE_WORKBOOK.items()]
    return write_spreadsheet(sheets, "plan.xlsx")


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            archive.writestr(entry.filename, replace.get(entry.filename, source.read(entry)))
        for name, content in replace.items():
            if name not in source.namelist():
                archive.writestr(name, content)
    return out.getvalue()


def billion_laughs() -> bytes:
    data = example_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    body = sheet.split("?>", 1)[-1].replace("<v>", "<v>&lol9;", 1)
    attack = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>{body}'
    return rezip(data, {"xl/worksheets/sheet1.xml": attack.encode()})


def zip_bomb() -> bytes:
    return rezip(example_xlsx(), {"xl/media/image1.png": bytes(60 * 1024 * 1024)})


def upload(client, data: bytes, name: str, url=URL):
    file = io.BytesIO(data)
    file.name = name
    return client.post(url, {"file": file})


def refused(response) -> str:
    assert response.status_code == 200
    assert "token" not in response.context or not response.context.get("token")
    [message] = response.context["form"].errors["file"]
    return message


def test_a_billion_laughs_workbook_is_refused_and_nothing_changes(admin):
    before = snapshot()

    message = refused(upload(admin, billion_laughs(), "plan.xlsx"))

    assert message == "The .xlsx file contains XML entity declarations, which are not allowed."
    assert snapshot() == before


def test_a_zip_bomb_is_refused_naming_the_part_and_nothing_changes(admin):
    data = zip_bomb()
    assert len(data) < 200_000  # 60 MB of zeros packed a thousand to one
    before = snapshot()

    message = refused(upload(admin, data, "plan.xlsx"))

    assert message.startswith("The .xlsx file looks like a zip bomb: ")
    assert "xl/media/image1.png" in message
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_naming_both_sizes(admin, settings):
    settings.IMPORT_MAX_FILE_BYTES = 10_000
    before = snapshot()

    message = refused(upload(admin, example_xlsx() + bytes(20_000), "plan.xlsx"))

    assert message.startswith("The file is ")
    assert message.endswith("; the limit is 10,000 bytes.")
    assert snapshot() == before


def test_a_sheet_over_the_row_limit_is_refused_before_anything_is_imported(admin, settings):
    settings.IMPORT_MAX_ROWS = 5
    before = snapshot()

    message = refused(upload(admin, example_xlsx(), "plan.xlsx"))

    assert "rows; the limit is 5." in message
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"plan,indicator\nlaa,NI 59\n", "plan.xlsx", "The file is not a valid .xlsx (zip) file."),
        (
            rezip(example_xlsx(), {}).replace(b"xl/workbook.xml", b"xl/workbook.xmX"),
            "plan.xlsx",
            "The file is not a valid .xlsx workbook: it has no xl/workbook.xml.",
        ),
        (b"\x81\x8d\x8f\x90\x9d", "actuals.csv", "could not be read as UTF-8 or Windows-1252"),
        (b"\xff\xfep\x00l\x00", "actuals.csv", "is UTF-16 ('Unicode Text'), not CSV"),
        (example_xlsx(), "actuals.csv", "The file is a zip file (an .xlsx workbook?), not CSV"),
        (b"a,b\n1,2\n", "actuals.xls", "Only .csv and .xlsx files can be imported, not '.xls'."),
        (b"", "actuals.csv", "The submitted file is empty."),
    ],
    ids=[
        "not-a-zip",
        "no-workbook-part",
        "undecodable-csv",
        "utf16",
        "xlsx-named-csv",
        "xls",
        "empty",
    ],
)
def test_broken_files_are_refused_saying_what_is_wrong(admin, data, name, expected):
    before = snapshot()

    message = refused(upload(admin, data, name, url=ACTUALS_URL))

    assert expected in message
    assert snapshot() == before


def test_a_zip_asking_for_a_version_python_cannot_read_is_refused_not_a_crash(admin):
    """Found by the fuzzer: a damaged central directory made zipfile raise NotImplementedError,
    which the reader did not expect, so the upload page answered 500."""
    data = bytearray(example_xlsx())
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 0xAE  # "version needed to extract": 17.4
    before = snapshot()

    message = refused(upload(admin, bytes(data), "plan.xlsx"))

    assert message == "The file is not a valid .xlsx (zip) file."
    assert snapshot() == before


def test_a_confirmation_cannot_name_another_file_or_another_users_upload(admin, client):
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name=Role.ADMIN))
    preview = upload(admin, example_xlsx(), "plan.xlsx")
    token = preview.context["token"]
    before = snapshot()

    near_miss = token[:-1] + ("1" if token.endswith("0") else "0")  # one character off
    for forged in ["../../../etc/passwd", token + "0", near_miss, ""]:
        response = admin.post(URL, {"confirm": "1", "token": forged, "file_name": "plan.xlsx"})
        assert response.status_code == 302
    client.force_login(other)  # the same token, another admin
    client.post(URL, {"confirm": "1", "token": token, "file_name": "plan.xlsx"})
    last_login = {"auth.User"}  # signing the other admin in sets their last_login

    after = snapshot()
    assert {k: v for k, v in after.items() if k not in last_login} == {
        k: v for k, v in before.items() if k not in last_login
    }


def test_no_model_stores_uploaded_files():
    """There are no evidence attachments: nothing to serve to the wrong reader. A FileField
    added later must come with a view that checks the reader may see the indicator, and a
    test of it here."""
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]

    assert file_fields == []


def test_media_files_are_not_served_by_the_application(client, settings):
    assert not getattr(settings, "MEDIA_ROOT", "")
    assert client.get("/media/anything.xlsx").status_code in (302, 404)
