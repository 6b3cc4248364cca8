"""Find the data planforge ships: the JSON Schema and the built-in template packs.

In an installed wheel they sit inside the package (``planforge/_data``); in a source checkout
or an editable install they are the repository's top-level ``schemas/`` and ``templates/``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from planforge.caches import memo


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """Return the folder ``schemas`` or ``templates`` wherever this installation keeps it."""
    shipped = Path(str(files("planforge") / "_data" / name))
    if shipped.is_dir():
        return shipped
    # Source checkout or editable install: the folder beside the package, at the repo root.
    checkout = Path(str(files("planforge"))).parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"planforge is installed without its {name}/ folder")


def schema_file() -> Path:
    return data_dir("schemas") / "planforge.schema.json"


@memo(None)
def read_schema() -> dict:
    """Return the spec's JSON Schema (parsed once per process)."""
    return json.loads(schema_file().read_text(encoding="utf-8"))


def templates_dir() -> Path:
    return data_dir("templates")


def coverage_specs() -> list[Path]:
    """The coverage specs ``templates check`` renders a pack with (``planforge/data/coverage``).

    Together they fill every optional field of the format and use every value of every list
    the schema fixes; they are package data, so a wheel carries them as a checkout does.
    """
    return sorted(Path(str(files("planforge") / "data" / "coverage")).glob("*.yaml"))
