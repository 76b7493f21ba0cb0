"""Load the checker's data files (rubric defaults, exercise banks) and check them against their schemas."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

PACKAGE = resources.files("autograder")


class DataError(ValueError):
    """A data file does not match its schema; the message names the file and the place."""


def load_yaml(path) -> object:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=None)
def schema(name: str, package: str = "autograder") -> dict:
    return json.loads((resources.files(package) / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def validate(data: object, schema_name: str, where: str, package: str = "autograder", error=DataError) -> None:
    """Check `data` against `<package>/schemas/<schema_name>.schema.json`; the first problem, with its place,
    is raised as `error`."""
    import jsonschema  # only authors and loaders pay for it, not `analyze`

    errors = sorted(jsonschema.Draft202012Validator(schema(schema_name, package)).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        place = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise error(f"{where}: at {place}: {first.message}")


@lru_cache(maxsize=None)
def rubric_defaults() -> dict:
    return yaml.safe_load((PACKAGE / "rubrics.yaml").read_text(encoding="utf-8"))


def exercise_files() -> list[Path]:
    return sorted(Path(str(PACKAGE / "exercises")).glob("*.yaml"))
