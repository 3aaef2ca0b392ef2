"""leicester_perf/addresses.py: the same address as ``reverse``, without reversing per row."""

import pytest
from django.urls import reverse, set_script_prefix

from leicester_perf.addresses import slug_address

NAMES = [
    "plans:plan-detail",
    "targets:indicator-detail",
    "targets:actual-entry",
    "partners:partner-detail",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["ni-39", "NI_39", "a", "synthetic-plan-07", "x-9-y_z"])
def test_the_same_address_as_reverse(name, slug):
    assert slug_address(name, slug) == reverse(name, kwargs={"slug": slug})


def test_the_script_prefix_of_a_site_served_under_a_path_is_kept():
    try:
        set_script_prefix("/performance/")
        assert slug_address("plans:plan-detail", "laa") == "/performance/plans/laa/"
        assert slug_address("plans:plan-detail", "laa") == reverse(
            "plans:plan-detail", kwargs={"slug": "laa"}
        )
    finally:
        set_script_prefix("/")
    assert slug_address("plans:plan-detail", "laa") == "/plans/laa/"
