"""Hostile text: extraction never raises, never hangs, stays linear; builds are atomic."""
import json
import math
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.claims import number as number_module
from extract.claims import extract, extract_or_skip
from extract.papers import read_papers
from schema.build import bundled_dumps

ABSTRACTS = [p.abstract for p in read_papers(bundled_dumps()[-1])]
TRICKY = ["%", "\\%", "x", "times", "-", "~", "sim", "it ", "{", "}", "/", "$", "\\", "up to ", "1,000",
          "0.5", "2x", "B ", "M parameters", "GPU", " and ", ", ", ".", "(", ")", "e.g.", "\u00d7", "\u2013",
          "a \u017fINGLE ", "TW\u0130CE ", "\u212a"]  # letters regex's case-blind matching folds to ASCII


def check(abstract):
    for claim in extract("A Paper: Its Title", abstract):
        assert abstract[claim.start:claim.end] == claim.text
        assert math.isfinite(claim.value)
        assert claim.value_max is None or math.isfinite(claim.value_max)
        assert claim.type in {"score", "improvement", "speedup", "reduction", "resource"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_any_unicode_text(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ABSTRACTS), st.lists(st.tuples(st.integers(0, 3000), st.sampled_from(TRICKY)), max_size=20),
       st.integers(0, 3000), st.integers(0, 400))
def test_mutated_real_abstracts(abstract, insertions, cut_at, cut_len):
    text = abstract[:cut_at] + abstract[cut_at + cut_len:]
    for at, token in insertions:
        text = text[:at] + token + text[at:]
    check(text)


@pytest.mark.parametrize("digits", ["1e309", "9" * 400, "0." + "9" * 400 + "%", "1/0 of", "0/0 of"])
def test_huge_and_degenerate_numbers_stay_finite(digits):
    check(f"It is {digits}x faster and {digits}% better.")


ADVERSARIAL = {
    "digits": lambda n: "7" * n,
    "dotted": lambda n: "1." * (n // 2),
    "up to up to": lambda n: "up to " * (n // 6) + "4x faster.",
    "percent signs": lambda n: "%" * n,
    "no spaces": lambda n: "abcdefghij" * (n // 10),
    "braces": lambda n: "{" * n,
    "claims": lambda n: "It is 3.5x faster with 80% accuracy on ImageNet, " * (n // 50),
    "latex debris": lambda n: "it 3-it 10 times sim " * (n // 21),
    "dashes": lambda n: "abcdefgh-" * (n // 9) + "5x",
    "names": lambda n: "GPT-4 and ResNet-50 " * (n // 20),
}
SIZE = 200_000  # characters; the doubled run has 400,000


def best_time(text, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract("T", text)
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_input_takes_linear_time(name):
    make = ADVERSARIAL[name]
    small, large = best_time(make(SIZE)), best_time(make(2 * SIZE))
    assert large / max(small, 1e-3) < 3.0, f"{name}: {small:.3f}s then {large:.3f}s on doubling"


def test_regex_timeout_reports_the_abstract_as_skipped(monkeypatch):
    monkeypatch.setattr(number_module, "TIMEOUT", 1e-9)
    claims, reason = extract_or_skip("T", "It is 4x faster, " * 2000)  # one long sentence
    assert claims == [] and reason.startswith("skipped:")


def test_killed_build_leaves_the_previous_database_intact(tmp_path, built_db):
    target = tmp_path / "claims.db"
    target.write_bytes(built_db.read_bytes())
    before = target.read_bytes()
    big = tmp_path / "big.jsonl"
    with big.open("w") as f:
        for i in range(40_000):
            abstract = ABSTRACTS[i % len(ABSTRACTS)]
            f.write(json.dumps({"id": f"2401.{i:05d}", "title": f"Paper {i}", "abstract": abstract}) + "\n")
    build = subprocess.Popen([sys.executable, "-m", "claimboard.cli", "build", str(target), str(big), "-j", "1", "-q"],
                             cwd=Path(__file__).resolve().parent.parent)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".claims.db.building-*")):
        time.sleep(0.05)
    time.sleep(1.0)
    assert build.poll() is None, "the build finished before it could be killed"
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert target.read_bytes() == before
    conn = sqlite3.connect(target)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert conn.execute("select count(*) from dumps").fetchone() == (3,)
