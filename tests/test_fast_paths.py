"""The speed shortcuts (extract/claims/fast.py) change nothing but speed: extraction with
every shortcut in its plain definition (CLAIMBOARD_PLAIN=1: flat alternations instead of
prefix trees, patterns tried at every character instead of where a scan points, forward
searches instead of backward checks, case-blind `regex` patterns instead of folded text)
gives the same claims, field for field and offset for offset, as the fast path. Compared
through extract() on the bundled, SciREX and a synthetic corpus, plus mangled copies."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import generate
from extract.papers import read_papers
from schema.build import bundled_dumps
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted({(p.title, p.abstract) for path in bundled_dumps() for p in read_papers(path)})
# Case, Unicode and spacing the corpora rarely show.
MANGLED = [(t, a.upper()) for t, a in BUNDLED[::10]] + [(t, a.replace(" ", "\u00a0")) for t, a in BUNDLED[::10]] + [
    ("T", text) for text in [
        "TWICE as fast; Half the cost; A THOUSAND steps; an Order Of Magnitude; between 3 and 5x",
        "ÉcoNet-2 beats ResNet-50 (76.1% → 79.3%) on ImageNet; Überformer+ uses 4.5 GFLOPs.",
        "v1.2.3, 1..2, .5x, $500, \\$20, 1/200 of the cost, 3,150 and 5, 000 images, 80+% and 1000+ layers",
        # letters a case-blind `regex` pattern takes for i, s and k
        "A \u017fpeedup of 4x; TW\u0130CE as fast, a\u212aSO \u017fINGLE GPU; we propo\u017fe Net\u212a in 2 days",
    ]]

# Run in a fresh interpreter: the switch is read when the patterns are compiled, at import.
EXTRACT = """
import json, sys
from extract.claims import extract, fast
texts = json.load(sys.stdin)
claims = [[c.as_dict(sentence=True) for c in extract(title, abstract)] for title, abstract in texts]
print(json.dumps({"plain": fast.PLAIN, "name_scan_everywhere": fast.NAME_START is fast.EVERYWHERE,
                  "claims": claims}))
"""


def extract_with(texts, plain):
    env = {**os.environ, "CLAIMBOARD_PLAIN": "1" if plain else "0"}
    result = subprocess.run([sys.executable, "-c", EXTRACT], input=json.dumps(texts), capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["plain"] is plain and out["name_scan_everywhere"] is plain  # the switch did switch
    return out["claims"]


def scirex():
    return [(p.title, p.abstract) for p in read_papers(SHARED / "scirex" / "abstracts.jsonl")]


def synthetic(tmp_path):
    path = tmp_path / "synthetic.jsonl"
    generate(path, 300, seed=7)
    return [(p.title, p.abstract) for p in read_papers(path)]


@pytest.mark.parametrize("corpus, least", [("bundled", 300), ("scirex", 50), ("synthetic", 300), ("mangled", 40)])
def test_plain_definitions_give_the_same_claims(corpus, least, tmp_path):
    texts = {"bundled": lambda: BUNDLED, "scirex": scirex, "synthetic": lambda: synthetic(tmp_path),
             "mangled": lambda: MANGLED}[corpus]()
    fast = extract_with(texts, plain=False)
    assert fast == extract_with(texts, plain=True)
    assert sum(map(len, fast)) >= least  # the corpus does exercise the rules
