"""Hostile text: extraction never raises, never hangs, stays linear; builds are atomic."""
import importlib
import json
import math
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import regex
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
SIZE = 50_000  # characters; the doubled run has 100,000. Work is counted, so size adds no noise.
SCANS = {"search", "finditer", "findall", "sub", "subn", "split"}  # may read their whole region
ANCHORED = {"match", "fullmatch"}  # read at least what they consume, usually little more


class Tally:
    """Pattern calls made and characters they read: work that no busy machine changes."""

    def __init__(self):
        self.calls = self.chars = 0


class Counting:
    """A compiled pattern that reports every call and the characters it reads to a Tally.

    A scan counts its region (pos to endpos), a match what it consumed: counting an
    unbounded region for an anchored match would make linear code look quadratic."""

    def __init__(self, pattern, tally):
        self.pattern_object, self.tally = pattern, tally

    def __getattr__(self, name):
        method = getattr(self.pattern_object, name)
        if name not in SCANS | ANCHORED:
            return method

        def counted(*args, **kwargs):
            result = method(*args, **kwargs)
            self.tally.calls += 1
            if name in ANCHORED:
                self.tally.chars += result.end() - result.start() if result else 0
            elif name in ("sub", "subn"):
                self.tally.chars += len(args[1] if len(args) > 1 else kwargs["string"])
            else:
                self.tally.chars += len(_region(name, args, kwargs))
            return result
        return counted


def _region(name, args, kwargs):
    string = args[0] if args else kwargs["string"]
    if name == "split":
        return string
    pos = (args[1] if len(args) > 1 else kwargs.get("pos")) or 0
    endpos = args[2] if len(args) > 2 else kwargs.get("endpos")
    return string[pos:endpos]


@pytest.fixture
def counted_extract(monkeypatch):
    """(extract, tally) from a fresh import of the extract package whose own patterns count
    their work: re.compile and regex.compile called from any module of the package hand
    out Counting patterns, so no private name matters. The suite's own import is untouched."""
    tally = Tally()

    def counting(compile):
        def compile_and_count(pattern, *args, **kwargs):
            compiled = compile(getattr(pattern, "pattern_object", pattern), *args, **kwargs)
            caller = sys._getframe(1).f_globals.get("__name__", "")
            return Counting(compiled, tally) if caller.split(".")[0] == "extract" else compiled
        return compile_and_count

    for module in (re, regex):
        monkeypatch.setattr(module, "compile", counting(module.compile))
    ours = [name for name in sys.modules if name.split(".")[0] == "extract"]
    for name in ours:
        monkeypatch.delitem(sys.modules, name)  # given back after the test
    yield importlib.import_module("extract.claims").extract, tally
    for name in [name for name in sys.modules if name.split(".")[0] == "extract" and name not in ours]:
        del sys.modules[name]


def work(counted_extract, text):
    extract, tally = counted_extract
    tally.calls = tally.chars = 0
    extract("T", text)
    return tally.calls, tally.chars


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_input_takes_linear_work(counted_extract, name):
    make = ADVERSARIAL[name]
    (calls, chars), (calls2, chars2) = work(counted_extract, make(SIZE)), work(counted_extract, make(2 * SIZE))
    assert chars >= SIZE * 0.9, f"{name}: the text was never scanned as a whole: is the counting wired?"
    assert calls2 <= 2.2 * calls and chars2 <= 2.2 * chars, (
        f"{name}: doubling the text took {calls} -> {calls2} pattern calls, {chars} -> {chars2} characters read")


def test_the_work_count_sees_a_quadratic_scan():
    """The measure can fail: one search over the rest of the text per character is quadratic."""
    tally = Tally()
    pattern = Counting(regex.compile("x"), tally)
    counts = []
    for n in (1000, 2000):
        tally.chars = 0
        for i in range(n):
            pattern.search("7" * n, i)
        counts.append(tally.chars)
    assert counts[1] > 3.9 * counts[0]


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
