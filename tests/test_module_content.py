"""Each module teaches every concept listed for its article, with the counts the course promises (issue 6)."""
from __future__ import annotations

import re

import pytest
import yaml

from autograder import exercise_bank
from course import quiz_bank

from .conftest import REPO

CHECKLISTS = sorted((REPO / "tests" / "data" / "module_concepts").glob("*.yaml"))
ARTICLE_MODULES = {"m1_empathy", "m2_casework", "m3_relationships", "m4_human_relationships",
                   "m5_building_relationships", "m6_capstone"}
TITLES = {
    "m1_empathy": "Empathy in Social Work: Improving Outcomes for Vulnerable Populations",
    "m2_casework": "Why Empathy is Key in Casework Scenarios",
    "m3_relationships": "The Vital Relationships Between Social Workers and Their Clients",
    "m4_human_relationships": "The Importance of Human Relationships in Social Work",
    "m5_building_relationships": "How Social Workers Build Relationships with Clients",
}
DIRECTIVE_BLOCK = re.compile(r"^:::\{(exercise|reflection)\}.*?^:::$", re.S | re.M)


def teaching_text(assignment: str) -> str:
    """The Markdown students read, without model answers and mark schemes."""
    return "\n".join(DIRECTIVE_BLOCK.sub("", md.read_text()).lower()
                     for md in sorted((REPO / "source" / assignment).glob("*.md")))


def notebooks(assignment: str) -> list[str]:
    return [md.stem for md in sorted((REPO / "source" / assignment).glob("*.md"))]


def test_every_module_has_a_concept_checklist():
    assert {p.stem for p in CHECKLISTS} >= ARTICLE_MODULES | {"m0_orientation"}


@pytest.mark.parametrize("checklist", CHECKLISTS, ids=lambda p: p.stem)
def test_module_teaches_every_concept_on_its_checklist(checklist):
    concepts = yaml.safe_load(checklist.read_text())["concepts"]
    text = teaching_text(checklist.stem)
    missing = [c["name"] for c in concepts if not any(p.lower() in text for p in c["any_of"])]
    assert not missing


@pytest.mark.parametrize("assignment", sorted(ARTICLE_MODULES), ids=str)
def test_each_notebook_meets_the_counts(assignment):
    for notebook in notebooks(assignment):
        questions = [q for q in quiz_bank.all_questions().values() if q.notebook == notebook]
        exercises = [e for e in exercise_bank.all_exercises().values() if e.notebook == f"{notebook}.ipynb"]
        text = (REPO / "source" / assignment / f"{notebook}.md").read_text()
        assert sum(not q.graded for q in questions) >= 6, notebook
        assert sum(q.graded for q in questions) >= 3, notebook
        assert len(exercises) >= 4, notebook
        assert ":::{reflection}" in text, notebook
        assert re.search(r"^#+ .*summary", text, re.I | re.M), notebook
        assert re.search(r"^#+ .*key terms", text, re.I | re.M), notebook


@pytest.mark.parametrize("assignment", sorted(ARTICLE_MODULES - {"m6_capstone"}), ids=str)
def test_rewrites_cover_different_poor_replies_and_settings(assignment):
    exercises = [e for e in exercise_bank.all_exercises().values() if e.assignment == assignment]
    for notebook in {e.notebook for e in exercises}:
        mine = [e for e in exercises if e.notebook == notebook]
        assert len({e.poor_type for e in mine}) >= 4 and len({e.setting for e in mine}) >= 4


@pytest.mark.parametrize("assignment, title", sorted(TITLES.items()), ids=lambda x: str(x)[:20])
def test_module_cites_its_article_by_title(assignment, title):
    assert title.lower() in teaching_text(assignment)


def test_capstone_follows_one_client_and_has_a_client_owned_goal():
    exercises = [e for e in exercise_bank.all_exercises().values() if e.assignment == "m6_capstone"]
    assert len({e.client_name for e in exercises}) == 1 and len(exercises) >= 5
    goal = [e for e in exercises if any(c.kind == "uses_any" and {"offers_choice", "collaborates"} <= set(c.params["moves"])
                                        for c in e.criteria)]
    assert goal and any(any(c.kind == "avoids" and "advice" in c.params["moves"] for c in e.criteria) for e in goal)


SENSITIVE = re.compile(r"\b(suicid\w*|self-harm|abuse\w*|hit me|hits me|beat\w*|assault\w*|violen\w*)\b", re.I)


@pytest.mark.parametrize("md", sorted((REPO / "source").glob("*/*.md")), ids=lambda p: p.stem)
def test_scenarios_about_abuse_suicide_or_violence_follow_a_content_note(md):
    """Any exercise whose client talks of abuse, suicide or violence is preceded by a content note."""
    text = md.read_text()
    for e in [e for e in exercise_bank.all_exercises().values() if e.notebook == f"{md.stem}.ipynb"]:
        if SENSITIVE.search(e.client_statement):
            before = text[:text.index(f":::{{exercise}} {e.id}")]
            assert "**Content note:**" in before[-2500:], e.id


def _readability():
    import importlib.util

    spec = importlib.util.spec_from_file_location("readability", REPO / "bench" / "readability.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("md", sorted((REPO / "source").glob("*/*.md")), ids=lambda p: p.stem)
def test_module_prose_reads_at_grade_10_or_below(md):
    readability = _readability()
    grade, words = readability.fk_grade(readability.prose(md.read_text()))
    assert words > 800 and grade <= 10, (grade, words)


def test_readability_formula_tells_plain_from_dense_prose():
    readability = _readability()
    plain, _ = readability.fk_grade("You seem tired. That makes sense. What has this week been like?")
    dense, _ = readability.fk_grade("Biopsychosocial assessments operationalize multidimensional interdependencies "
                                    "characterizing intergenerational socioeconomic marginalization.")
    assert plain < 6 < 14 < dense
