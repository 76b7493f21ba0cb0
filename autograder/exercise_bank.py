"""The rewrite exercises: one YAML file per notebook in `autograder/exercises/`, read into `Exercise` objects."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import data


@dataclass(frozen=True)
class Criterion:
    """One thing a reply is checked for, with the feedback a student reads when it is met or not."""

    id: str
    kind: str
    weight: float
    required: bool
    params: dict  # the kind's own settings: moves, min_words, max_similarity, feedback templates


@dataclass(frozen=True)
class Exercise:
    id: str
    assignment: str
    notebook: str
    article: str | None
    title: str
    setting: str
    poor_type: str | None
    concept: str
    client: str
    client_statement: str
    original_response: str | None
    task: str
    situation_terms: tuple[str, ...]
    points: float
    criteria: tuple[Criterion, ...]

    @property
    def answer_cell(self) -> str:
        return f"{self.id}_answer"

    @property
    def test_cells(self) -> list[str]:
        return [f"{self.id}_check"]

    @property
    def client_name(self) -> str:
        """"Rosa, 34" -> "Rosa": how feedback speaks of the client."""
        return self.client.split(",")[0].strip()

    def to_dict(self) -> dict:
        return {
            "id": self.id, "module": self.assignment, "notebook": self.notebook,
            "answer_cell": self.answer_cell, "test_cells": self.test_cells,
            "title": self.title, "setting": self.setting, "poor_type": self.poor_type,
            "client": self.client, "client_statement": self.client_statement,
            "original_response": self.original_response, "task": self.task, "points": self.points,
            "criteria": [{"id": c.id, "kind": c.kind, "weight": c.weight, "required": c.required,
                          **({"moves": list(c.params["moves"])} if "moves" in c.params else {})}
                         for c in self.criteria],
        }


def make_criterion(spec: dict) -> Criterion:
    """A criterion from its data, with the kind's defaults (rubrics.yaml) filling what the data leaves out."""
    merged = {**data.rubric_defaults()["criterion_defaults"][spec["kind"]], **spec}
    moves = merged.get("moves", [])
    default_id = {"uses_any": f"uses_{moves[0]}" if moves else "uses", "avoids": f"avoids_{moves[0]}" if moves else "avoids"}
    return Criterion(
        id=merged.pop("id", None) or default_id.get(spec["kind"], spec["kind"]),
        kind=merged.pop("kind"),
        weight=float(merged.pop("weight")),
        required=bool(merged.pop("required")),
        params=merged,
    )


def _exercise(raw: dict, bank: dict) -> Exercise:
    return Exercise(
        assignment=bank["assignment"], notebook=bank["notebook"], article=bank.get("article"),
        **{k: v for k, v in raw.items() if k not in ("criteria", "situation_terms")},
        situation_terms=tuple(raw["situation_terms"]),
        criteria=tuple(make_criterion(c) for c in with_other_roadblocks(raw["criteria"])),
    )


def with_other_roadblocks(criteria: list[dict]) -> list[dict]:
    """The exercise's criteria plus one that forbids every roadblock they do not name (rubrics.yaml)."""
    from .analysis import HARMFUL_MOVES

    named = {m for c in criteria if c["kind"] == "avoids" for m in c["moves"]}
    others = [m for m in HARMFUL_MOVES if m not in named]
    if not others:
        return criteria
    return [*criteria, {**data.rubric_defaults()["other_roadblocks"], "moves": others}]


@lru_cache(maxsize=None)
def all_exercises() -> dict[str, Exercise]:
    exercises: dict[str, Exercise] = {}
    for path in data.exercise_files():
        bank = data.load_yaml(path)
        data.validate(bank, "exercises", path.name)
        for raw in bank["exercises"]:
            if raw["id"] in exercises:
                raise data.DataError(f"{path.name}: exercise id {raw['id']} is used twice")
            exercises[raw["id"]] = _exercise(raw, bank)
    return exercises


def get(exercise_id: str) -> Exercise:
    try:
        return all_exercises()[exercise_id]
    except KeyError:
        raise KeyError(f"There is no exercise called {exercise_id!r}.") from None


def adhoc(client_statement: str, original_response: str | None) -> Exercise:
    """An exercise made on the spot, graded by the default rubric for an empathic reply."""
    rubric = data.rubric_defaults()["default_rubric"]
    return Exercise(
        id="adhoc", assignment="", notebook="", article=None, title=rubric["title"], setting="other",
        poor_type=None, concept="An empathic reply", client="the client",
        client_statement=client_statement or "", original_response=original_response, task="",
        situation_terms=(), points=1.0, criteria=tuple(make_criterion(c) for c in rubric["criteria"]),
    )
