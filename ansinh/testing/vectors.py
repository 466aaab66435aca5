"""The shared worked examples (../shared/vectors/rules.json), read by tests; never copied into code."""

import functools
import json
from pathlib import Path

VECTORS_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "rules.json"


@functools.cache
def vectors() -> dict[str, dict]:
    """All vectors by id."""
    return {v["id"]: v for v in json.loads(VECTORS_PATH.read_text(encoding="utf-8"))}


def vector(vector_id: str) -> dict:
    """One vector: {"request": ..., "expect": ...}."""
    return vectors()[vector_id]
