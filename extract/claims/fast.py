"""Speed shortcuts, all in one place, each with the plain definition it stands for.

The rules read like plain patterns; these objects make them cheap:

- ``EndAnchored``: a rule that must end at the number ("... by up to 4x") is checked
  backwards first; plain: the forward search alone.
- ``CaseBlind``: case-blind word rules ("Reduces", "TWICE") run with the standard re over
  the folded text; plain: a case-blind `regex` pattern over the text.
- ``alternation()``: long word lists ("GPU days", "fps", "frames per second") as prefix
  trees; plain: a longest-first alternation.
- ``NAME_START``, ``starts()``: the number and name patterns are tried only where a cheap
  scan points; plain: at every character.
- ``first_numberish()``: a digit search, then str.find of the number words; plain: one
  pattern for both.

The ``plain`` switch: set the environment variable ``CLAIMBOARD_PLAIN=1`` before
claimboard is imported and every shortcut uses its plain definition (read once, at
import, as the patterns are compiled then). Extraction must give the same claims either
way; tests/test_fast_paths.py compares the two through ``extract()``.
"""
import functools
import os
import re

import regex

from .. import vocab

PLAIN = os.environ.get("CLAIMBOARD_PLAIN", "") not in ("", "0")
EVERYWHERE = re.compile(r"(?=.)", re.S)  # the plain scan: every character is a start


class EndAnchored:
    """A pattern that must end where the searched text ends ("... by up to $"). Searched
    forward, it is tried from every start; its reverse twin tells at once whether it
    matches at all, so the forward search, whose match the rules read, runs only then."""

    def __init__(self, pattern, flags=0):
        self.forward = regex.compile(pattern, flags)
        self.backward = regex.compile(pattern, flags | regex.REVERSE)

    def search(self, text, pos=0, endpos=None):
        endpos = len(text) if endpos is None else endpos
        if PLAIN:
            return self.forward.search(text, pos, endpos)
        return self.backward.search(text, pos, endpos) and self.forward.search(text, pos, endpos)


ODD_FOLDS = str.maketrans({"\u0130": "i", "\u017f": "s", "\u212a": "k"})  # İ, long s, Kelvin sign


def fold(text, lowered=None):
    """``text`` lower-cased as a case-blind `regex` pattern sees it, offsets kept: ASCII
    letters, and the three other letters it takes for ASCII ones. ``lowered``, when
    given, is ``vocab.ascii_lower(text)`` already made.

    >>> fold("Up TO \u017fix \u212aB")
    'up to six kb'
    """
    lowered = vocab.ascii_lower(text) if lowered is None else lowered
    return lowered if lowered.isascii() else lowered.translate(ODD_FOLDS)


# The abstract being read is lowered once: ASCII letters for metric names (as
# metric_pattern() expects), and folded from that for the case-blind rules.
lowered = functools.lru_cache(maxsize=8)(vocab.ascii_lower)


@functools.lru_cache(maxsize=8)
def folded(text):
    return fold(text, lowered(text))


class CaseBlind:
    """A case-blind pattern of lower-case words, run with the standard re over the folded
    text: several times faster than a case-blind `regex` pattern. Offsets are those of
    the text; read matched words from the text itself."""

    def __init__(self, pattern):
        self.pattern = regex.compile(pattern, regex.I) if PLAIN else re.compile(pattern)
        self.view = (lambda text: text) if PLAIN else folded

    def search(self, text, *span):
        return self.pattern.search(self.view(text), *span)

    def match(self, text, *span):
        return self.pattern.match(self.view(text), *span)

    def finditer(self, text, *span):
        return self.pattern.finditer(self.view(text), *span)


def alternation(words, escape=re.escape, ending=lambda word: ""):
    """A pattern matching any of ``words``, longest first, each followed by ``ending(word)``:
    a prefix tree (``vocab.prefix_tree``), or plain, the flat alternation.

    >>> alternation(["fid", "fps", "fidelity"])
    'f(?:id(?:elity)?|ps)'
    """
    if PLAIN:
        return "|".join("".join(map(escape, w)) + ending(w) for w in sorted(words, key=len, reverse=True))
    return vocab.prefix_tree(words, escape=escape, ending=ending)


@functools.lru_cache(None)
def metric_pattern():
    """Every metric alias as a whole word, to run over text lowered with
    ``vocab.ascii_lower`` (much faster than a case-blind pattern)."""
    return vocab.whole_words(alternation(vocab.metric_aliases()))


@functools.lru_cache(None)
def dataset_pattern():
    """Every dataset name as a whole word."""
    return vocab.whole_words(alternation(vocab.datasets()))


def starts(scan):
    """Where a costly pattern is tried: where the cheap ``scan`` points, or plain, everywhere."""
    return EVERYWHERE if PLAIN else scan


# Where NAME can start: a word start with a capital ahead in the word, then a capital, a
# digit or a "+" (any non-ASCII character may be one). NAME itself is tried only there,
# as trying it at every character was slow; the possessive runs stop at the first
# character that could be what follows them, so a lower-case word is rejected in one pass.
NAME_START = starts(re.compile(r"(?<![A-Za-z0-9_-])(?=[a-z0-9_.+-]{0,40}+[A-Z\x80-\U0010FFFF]"
                               r"[a-z_.-]{0,41}+[A-Z0-9+\x80-\U0010FFFF])"))
DIGIT = regex.compile(r"\d")


@functools.lru_cache(None)
def _numberish(words):
    return regex.compile(r"\d|" + "|".join(map(regex.escape, words)))


def present(text, words):
    """Those of ``words`` that stand somewhere in ``text``: found once per abstract, so
    each sentence's search looks only for them; plain: all of ``words``."""
    return words if PLAIN else tuple(w for w in words if w in text)


def first_numberish(folded_text, lo, words):
    """Where the first digit or one of ``words`` (lower case) stands at or after ``lo`` in
    the folded text, else None: a digit search, then str.find of the words before that
    digit only (twice as fast as one pattern for both, the plain way)."""
    if PLAIN:
        m = _numberish(words).search(folded_text, lo)
        return m.start() if m else None
    digit = DIGIT.search(folded_text, lo)
    end = digit.start() if digit else len(folded_text)
    found = [at for at in (folded_text.find(word, lo, end) for word in words) if at >= 0]
    return min(found, default=digit.start() if digit else None)
