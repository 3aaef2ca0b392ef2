"""The CPA corporate assessment of November 2007 (seed 002) as loaded by load_seed_plans."""

import pytest
from django.core.management import call_command

from plans.models import Assessment, AssessmentTheme, Plan, ScaleLevel
from plans.services import share_improving
from tests.seeds.test_fidelity import documents

pytestmark = pytest.mark.django_db

DOCUMENT = "002_8fa79fd7281d12ca.txt"


def test_the_self_assessment_is_loaded_with_the_anticipated_scores_and_overall_3(seeded):
    assessment = Assessment.objects.get(plan__slug="cpa-2007")

    scores = [
        (theme_score.theme.title, theme_score.score)
        for theme_score in assessment.theme_scores.select_related("theme")
    ]

    assert scores == [
        ("Ambition", 4),
        ("Prioritisation", 3),
        ("Capacity", 2),
        ("Performance Management", 3),
        ("Achievement", 3),
    ]
    assert assessment.overall().score == 3
    assert "Overall 3" in assessment.source_note


def test_the_scoring_scale_is_worded_as_the_document_words_it(seeded):
    document = documents()[DOCUMENT]

    for level in ScaleLevel.objects.all():
        assert f"{level.score} {level.description} {level.judgement}" in document
    assert ScaleLevel.objects.count() == 4


def test_key_risks_and_actions_are_the_documents_cells(seeded):
    """Table 2.9 lost its bullets in the conversion: each cell's items, joined back with single
    spaces, are the cell as the document has it."""
    document = documents()[DOCUMENT]

    for theme_score in AssessmentTheme.objects.select_related("theme"):
        for items in (theme_score.key_risk_list, theme_score.action_list):
            if items:
                assert " ".join(items) in document, (theme_score.theme.title, items)


def test_the_cpa_folder_has_nothing_left_unloaded(seeded, capsys):
    call_command("load_seed_plans")

    lines = capsys.readouterr().out.splitlines()
    start = lines.index(next(line for line in lines if "fixtures/5-cpa-2007:" in line))
    folder = [lines[start]]
    for line in lines[start + 1 :]:
        if line.startswith("Imported fixtures/") and "5-cpa-2007" not in line:
            break
        folder.append(line)
    assert folder[0].startswith("Imported fixtures/5-cpa-2007: 0 created, 0 updated")
    assert not [line for line in folder if "not loaded yet" in line]


def test_loading_the_seed_plans_again_leaves_the_assessment_as_it_was(seeded):
    def state():
        return sorted(map(str, AssessmentTheme.objects.values_list())), sorted(
            map(str, Assessment.objects.values_list())
        )

    before = state()

    call_command("load_seed_plans", verbosity=0)

    assert state() == before


def test_the_achievement_share_uses_the_indicators_with_actuals_in_2007(seeded):
    # The plan commits to no indicators; its 2007 assessment is judged on the performance
    # indicators with approved actuals for periods ending in 2007 (issue 7). Only bus patronage
    # and sports visits by older people have a value a year earlier too (seed notes, cpa-2007).
    share = share_improving(Plan.objects.get(slug="cpa-2007"), year=2007)

    compared = {t.indicator.code: t.direction for t in share.travels if t.direction}
    assert share.by_actuals_in_year
    assert share.indicators == 16
    assert set(compared) == {"CPA bus patronage", "CPA sports visits older people"}
    assert (share.improving, share.compared) == (2, 2)
