"""Floors on the gold, measured through the public evaluation API as `claimboard eval` does.

dev and SciREX are development sets (the rules were written while reading them), so these
floors guard against regressions; they are not held-out estimates. ../shared must sit next
to the repository (CI has it): without it the floors cannot be checked, and that fails.
"""
import functools
from pathlib import Path

import pytest

from extract.claims import extract_or_skip
from extract.evaluate import read_gold, score
from extract.papers import read_papers
from schema.build import bundled_dumps
from tests.conftest import SHARED

GOLD = {  # name -> (gold claims, the dumps they were written for)
    "dev": (SHARED / "gold" / "dev.jsonl", [Path(p) for p in bundled_dumps()]),
    "scirex": (SHARED / "gold" / "scirex.jsonl", [SHARED / "scirex" / "abstracts.jsonl"]),
}
FLOORS = [("dev", "f1", 0.94), ("dev", "unit", 0.97), ("dev", "type", 0.87), ("scirex", "f1", 0.93)]


@functools.cache
def figures(name):
    gold, dumps = GOLD[name]
    for path in (gold, *dumps):
        if not path.exists():
            pytest.fail(f"{path} is missing: the quality floors need ../shared next to the repository")
    predicted = [c.as_dict() for path in dumps for paper in read_papers(path)
                 for c in extract_or_skip(paper.title, paper.abstract)[0]]
    return score(read_gold(gold), predicted)


@pytest.mark.parametrize("gold,figure,floor", FLOORS)
def test_quality_floor(gold, figure, floor):
    result = figures(gold)
    value = result["f1"] if figure == "f1" else result["fields"][figure]
    assert value >= floor, f"{gold}: {figure} {value:.3f} is under its floor {floor}"
