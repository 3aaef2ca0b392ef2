"""plotly.js as the plotly wheel ships it, served as the static file ``plotly/plotly.min.js``.

No CDN and no copy in the repository: ``PlotlyFinder`` (in ``STATICFILES_FINDERS``) finds the
one file in the installed package, so ``collectstatic`` and the development server serve the
version that is installed, and pages load it once, cached, with ``<script src>``.

The bundle needs no ``'unsafe-eval'`` for the SVG charts drawn here (its one ``new Function`` is
a fallback for browsers without ``globalThis``). It does add its CSS rules in a ``<style>``
element, which the CSP's ``style-src 'self'`` refuses, unless the page already holds an element
with the id ``plotly.js-style-global`` and the class ``no-inline-styles``: the pages link
``static/css/plotly.css``, made from the same bundle by ``plotly_css`` (the management command
``write_plotly_css``; a test keeps it in step with the installed plotly). The bundle also adds
the map library's stylesheet in a ``<style>`` element as it loads, unless an element with that
element's id exists; ``{% plotly_styles %}`` puts an empty ``<template>`` with that id in the
page, since these charts draw no maps.
"""

import re
from functools import cache
from pathlib import Path

import plotly
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "plotly"
FILE_NAME = "plotly.min.js"
STATIC_PATH = f"{PREFIX}/{FILE_NAME}"


def bundle_path() -> Path:
    return Path(plotly.__file__).resolve().parent / "package_data" / FILE_NAME


class PlotlyFinder(BaseFinder):
    """Finds ``plotly/plotly.min.js`` in the installed plotly package, and nothing else."""

    def __init__(self, *args, **kwargs):
        self.storage = FileSystemStorage(location=str(bundle_path().parent))
        self.storage.prefix = PREFIX
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        from django.core.checks import Error

        if bundle_path().is_file():
            return []
        return [Error(f"plotly.js is missing from the plotly package: {bundle_path()}.")]

    def find(self, path, find_all=False, **kwargs):
        found = str(bundle_path()) if path == STATIC_PATH and bundle_path().is_file() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        if bundle_path().is_file() and not utils.matches_patterns(FILE_NAME, ignore_patterns):
            yield FILE_NAME, self.storage


# In the bundle: var X={"X,X div":'direction:ltr;...',...};for(k in X)...addStyleRule(...)
_RULES = re.compile(r'=\{("X,X div":.*?)\};for\(', re.S)
_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)":(?:"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\')')


def plotly_css(bundle: str | None = None) -> str:
    """The CSS rules plotly.js would inject, as a stylesheet (its selectors expanded as it
    expands them: X is a plot, Y the notifier)."""
    text = bundle if bundle is not None else bundle_path().read_text(encoding="utf-8")
    match = _RULES.search(text)
    if match is None:
        raise ValueError("plotly.js's style rules were not found in the bundle.")
    lines = [
        "/* Made by `manage.py write_plotly_css` from the CSS rules in the plotly.js bundle",
        f"   (plotly {plotly.__version__}), so the CSP need not allow inline styles. */",
    ]
    for selector, double, single in _PAIR.findall(match.group(1)):
        body = double or single
        selector = re.sub(r"^,", " ,", selector)
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        lines.append(f"{selector}{{{body}}}")
    return "\n".join(lines) + "\n"


# In the bundle: if(!document.getElementById("<64 hex>")){var e=document.createElement("style");
_INJECTED = re.compile(
    r'document\.getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)'
)


@cache
def injected_style_ids() -> tuple[str, ...]:
    """The ids of the ``<style>`` elements the bundle adds as it loads, if none is there yet."""
    return tuple(_INJECTED.findall(bundle_path().read_text(encoding="utf-8")))
