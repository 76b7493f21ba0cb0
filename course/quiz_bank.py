"""Quiz questions as data: `course/banks/<notebook>.yaml` (shipped) and `source/<a>/quiz_keys.yaml` (never)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

KEYS_FILE = "quiz_keys.yaml"


class BankError(ValueError):
    """A bank or keys file does not match its schema; the message names the file and the place."""


@dataclass(frozen=True)
class Question:
    id: str
    notebook: str
    assignment: str
    article: str | None
    type: str        # single | multiple | truefalse | spot
    graded: bool
    concept: str
    prompt: str
    options: tuple[dict, ...] = ()   # single, multiple, truefalse: {id, text[, correct, feedback]}
    labels: tuple[dict, ...] = ()    # spot: the moves to choose from
    items: tuple[dict, ...] = ()     # spot: the replies to label {id, text[, answer, feedback]}

    def key(self) -> object:
        """The answer of a practice question (graded keys are not in the bank)."""
        if self.graded:
            raise LookupError(f"{self.id} is graded: its answer is only in the instructor's {KEYS_FILE}")
        if self.type == "spot":
            return {item["id"]: item["answer"] for item in self.items}
        correct = [o["id"] for o in self.options if o["correct"]]
        return correct if self.type == "multiple" else correct[0]

    def public(self) -> dict:
        """What `python -m course quizzes --json` lists: never a key."""
        return {"id": self.id, "module": self.assignment, "notebook": self.notebook, "graded": self.graded,
                "type": self.type, "concept": self.concept, "prompt": self.prompt}


def validate(data: object, schema_name: str, where: str) -> None:
    from autograder.data import validate as check_schema

    check_schema(data, schema_name, where, package="course", error=BankError)


def bank_files() -> list[Path]:
    return sorted(Path(str(resources.files("course") / "banks")).glob("*.yaml"))


@lru_cache(maxsize=None)
def all_questions() -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for path in bank_files():
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        validate(bank, "quiz_bank", path.name)
        for raw in bank["questions"]:
            if raw["id"] in questions:
                raise BankError(f"{path.name}: question id {raw['id']} is used twice")
            questions[raw["id"]] = Question(
                notebook=path.stem, assignment=bank["assignment"], article=bank.get("article"),
                **{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
    return questions


def get(question_id: str) -> Question:
    try:
        return all_questions()[question_id]
    except KeyError:
        raise KeyError(f"There is no quiz question called {question_id!r}.") from None


def load_keys(path: Path) -> dict:
    """The graded keys of one assignment, checked against the schema and against the questions they answer."""
    keys = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    validate(keys, "quiz_keys", str(path))
    for qid, key in keys.items():
        check_key(get(qid), key["answer"], where=f"{path}: {qid}")
    return keys


def check_key(question: Question, answer: object, where: str) -> None:
    if not question.graded:
        raise BankError(f"{where}: {question.id} is a practice question; its answer belongs in the bank")
    if question.type == "spot":
        items, labels = {i["id"] for i in question.items}, {lab["id"] for lab in question.labels}
        if not isinstance(answer, dict) or set(answer) != items or not set(answer.values()) <= labels:
            raise BankError(f"{where}: a spot key maps every item ({sorted(items)}) to a label ({sorted(labels)})")
        return
    options = {o["id"] for o in question.options}
    chosen = answer if isinstance(answer, list) else [answer]
    if question.type != "multiple" and isinstance(answer, list):
        raise BankError(f"{where}: a {question.type} question has one answer")
    if not set(chosen) <= options:
        raise BankError(f"{where}: answer {answer!r} is not among the options {sorted(options)}")
