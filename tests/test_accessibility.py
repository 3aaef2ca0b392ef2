"""The accessibility statement page (/accessibility/); the browser test that follows the footer
link to it and checks it with axe-core is tests/browser/test_accessibility_statement.py."""

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_is_open_to_someone_not_signed_in(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert "Accessibility statement for leicester_perf" in response.content.decode()


def test_every_page_links_to_the_statement_from_its_footer(client):
    html = client.get(reverse("login")).content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a href="{reverse("accessibility")}">Accessibility statement</a>' in footer


def test_the_statement_names_the_axe_core_version_the_tests_run(client):
    """The statement says which version of axe-core checked the pages; it must be the one
    bundled with the installed axe-playwright-python, or the statement is out of date."""
    bundled = re.match(r"/\*! axe v(\d+\.\d+\.\d+)", AXE_SCRIPT).group(1)

    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert f"axe-core</a> {bundled}" in response.content.decode()


def test_the_statement_gives_the_contact_address_when_one_is_set(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "performance@example.gov.uk"

    html = client.get(reverse("accessibility")).content.decode()

    assert 'href="mailto:performance@example.gov.uk"' in html


def test_the_admin_pages_link_to_the_statement_and_load_the_accessibility_fixes(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{reverse("accessibility")}">Accessibility statement</a>' in html
    assert "css/admin.css" in html  # underlined links, GOV.UK focus, 24px targets
