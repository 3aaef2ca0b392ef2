"""The seed plans say exactly what the documents say."""

import html
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from targets.models import Actual, Baseline, Target

pytestmark = pytest.mark.django_db

# The source documents, kept in the repository (docs/sources/) so any clone can check them.
SEEDS = Path(__file__).resolve().parents[2] / "docs" / "sources"


def normalise(text: str) -> str:
    """White space collapsed, the conversion's HTML markup removed."""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def documents() -> dict[str, str]:
    return {path.name: normalise(path.read_text()) for path in SEEDS.glob("0*.txt")}


def test_every_target_and_baseline_text_occurs_in_its_source_document(seeded):
    sources = documents()
    missing = []
    figures = [*Baseline.objects.select_related("commitment__plan", "commitment__indicator")]
    figures += Target.objects.select_related("commitment__plan", "commitment__indicator")
    for figure in figures:
        plan = figure.commitment.plan
        document = sources[plan.source_document]
        if normalise(figure.text) not in document:
            missing.append(f"{plan.slug} {figure.commitment.indicator.code}: {figure.text!r}")

    assert len(figures) > 200
    assert missing == []


def test_loading_the_seed_plans_again_changes_nothing(seeded, capsys):
    before = {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Baseline, Target, Actual)
    }

    call_command("load_seed_plans")

    output = capsys.readouterr().out
    assert " 0 created, 0 updated" in output
    assert "created" in output
    after = {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Baseline, Target, Actual)
    }
    assert after == before
