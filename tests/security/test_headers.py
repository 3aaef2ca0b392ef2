"""Security headers on every page, and templates that keep the CSP strict (no inline script,
no inline event handler, no style attribute). The deployment check with debug off is in
tests/test_settings.py; the CSP in a real browser in tests/browser/test_csp.py."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    found = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


@pytest.mark.parametrize("url_name", ["login", "accessibility"])
def test_pages_carry_a_strict_content_security_policy(client, url_name):
    policy = directives(client.get(reverse(url_name)))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_signed_in_pages_carry_the_policy_and_the_other_security_headers(cast):
    client = Client()
    client.force_login(cast.owner)

    response = client.get(reverse("targets:indicator-detail", args=[cast.indicator.slug]))

    assert response.status_code == 200
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_is_enforced_with_hsts_in_production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client = Client()

    plain = client.get(reverse("login"))
    secure = client.get(reverse("login"), secure=True)

    assert plain.status_code == 301
    assert plain.url.startswith("https://")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def template_files():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text()
    inline_scripts = [
        tag for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE) if "src=" not in tag
    ]
    handlers = re.findall(r"<[^>]*\son[a-z]+\s*=", text, re.IGNORECASE)
    styles = re.findall(r"<[^>]*\sstyle\s*=", text, re.IGNORECASE)
    javascript_urls = re.findall(r"javascript:", text, re.IGNORECASE)

    assert inline_scripts == []
    assert handlers == []
    assert styles == []
    assert javascript_urls == []
