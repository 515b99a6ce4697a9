"""The shortcuts that make extraction fast find exactly what the plain definitions find:
a prefix tree matches like the longest-first alternation it replaces, the number and name
patterns tried only where a cheap scan points find what trying them everywhere finds,
an end-anchored rule checked backwards first and a case-blind rule on lowered text
answer as the plain patterns do. Checked on every bundled abstract plus mangled copies."""
import re

import pytest
import regex

from extract import claims, vocab
from extract.papers import read_papers
from schema.build import bundled_dumps

ABSTRACTS = sorted({p.abstract for path in bundled_dumps() for p in read_papers(path)})
# Case, Unicode and spacing the bundled abstracts rarely show.
MANGLED = [a.upper() for a in ABSTRACTS[::10]] + [a.replace(" ", "\u00a0") for a in ABSTRACTS[::10]] + [
    "TWICE as fast; Half the cost; A THOUSAND steps; an Order Of Magnitude; between 3 and 5x",
    "ÉcoNet-2 beats ResNet-50 (76.1% → 79.3%) on ImageNet; Überformer+ uses 4.5 GFLOPs.",
    "v1.2.3, 1..2, .5x, $500, \\$20, 1/200 of the cost, 3,150 and 5, 000 images, 80+% and 1000+ layers",
    # letters a case-blind `regex` pattern takes for i, s and k
    "A \u017fpeedup of 4x; TW\u0130CE as fast, a\u212aSO \u017fINGLE GPU; we propo\u017fe Net\u212a in 2 days",
]
TEXTS = ABSTRACTS + MANGLED
EVERYWHERE = re.compile(r"(?=.)", re.S)  # a scan that points at every character


def flat_alternation(words, escape=regex.escape, ending=lambda word: ""):
    return "|".join("".join(map(escape, w)) + ending(w) for w in sorted(words, key=len, reverse=True))


@pytest.mark.parametrize("words, lower", [(vocab.metric_aliases(), True), (vocab.datasets(), False)])
def test_prefix_tree_matches_like_a_longest_first_alternation(words, lower):
    tree = regex.compile(rf"(?<![\w-])(?:{vocab.prefix_tree(words)})(?![\w-])")
    flat = regex.compile(rf"(?<![\w-])(?:{flat_alternation(words)})(?![\w-])")
    for text in TEXTS:
        text = vocab.ascii_lower(text) if lower else text
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_unit_tree_keeps_each_forms_own_ending():
    forms = vocab.unit_forms()
    tree = regex.compile(rf"\d(?:{claims._unit_alternation()})")
    flat = regex.compile(rf"\d(?:{flat_alternation(forms, claims._escape, claims._unit_ending)})")
    for text in TEXTS:
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)]


def number_fields(text):
    return [(n.start, n.end, n.value, n.value_max, n.scale, n.unit, n.plus, n.bare_unit_form)
            for n in claims.numbers(text)]


def test_numbers_found_at_scanned_starts_are_those_found_everywhere(monkeypatch):
    scanned = [number_fields(text) for text in TEXTS]
    monkeypatch.setattr(claims, "_number_starts", lambda: EVERYWHERE)
    assert scanned == [number_fields(text) for text in TEXTS]
    assert sum(map(len, scanned)) > 1000  # the corpus does exercise the number pattern


def test_names_found_at_scanned_starts_are_those_found_everywhere(monkeypatch):
    scanned = [[m.span() for m in claims.names(text)] for text in TEXTS]
    monkeypatch.setattr(claims, "NAME_START", EVERYWHERE)
    assert scanned == [[m.span() for m in claims.names(text)] for text in TEXTS]
    assert sum(map(len, scanned)) > 500


def windows_before_numbers():
    return [text[max(0, n.start - 50):n.start] for text in TEXTS for n in claims.numbers(text)]


@pytest.mark.parametrize("rule", ["QUALIFIER", "OWN_WORDS_BEFORE"])
def test_end_anchored_rules_answer_as_the_forward_search(rule):
    anchored = getattr(claims, rule)
    hits = 0
    for window in windows_before_numbers():
        quick, plain = anchored.search(window), anchored.forward.search(window)
        assert (quick and quick.span()) == (plain and plain.span())
        hits += bool(plain)
    assert hits > 10  # the corpus does exercise the rule


def test_case_blind_cue_words_match_as_a_case_insensitive_pattern():
    plain = regex.compile(claims.CUE.pattern.pattern, regex.I)
    for text in TEXTS:
        assert [(m.span(), m.lastgroup) for m in claims.CUE.finditer(text)] == \
               [(m.span(), m.lastgroup) for m in plain.finditer(text)]


def test_next_number_is_the_first_digit_or_number_word():
    plain = regex.compile(r"\d|" + "|".join(map(regex.escape, claims.NUMBER_WORDS)))
    for text in TEXTS:
        doc = claims.Abstract("T", text)
        for lo, _ in doc.spans:
            first = plain.search(doc.folded, lo)
            assert doc.next_numberish(lo) == (first.start() if first else None)
