"""Addresses of pages named by a slug, without Django's ``reverse`` for each one.

A dashboard links every row to its indicator and its partners: hundreds of ``reverse`` calls a
page, each resolving the URL pattern afresh (about a tenth of a millisecond: a fifth of an
uncached report's time). The address of a slug is the same text around the slug every time, so
it is reversed once per URL name (and script prefix) and the slug put in. A slug's letters,
digits, hyphens and underscores go into an address as they are.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "slug-goes-here"


@lru_cache(maxsize=64)
def _around_slug(name: str, prefix: str, urlconf) -> tuple[str, str]:
    before, after = reverse(name, kwargs={"slug": _MARKER}, urlconf=urlconf).split(_MARKER)
    return before, after


def slug_address(name: str, slug: str) -> str:
    """``reverse(name, kwargs={"slug": slug})``, reversed once per name."""
    before, after = _around_slug(name, get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"
