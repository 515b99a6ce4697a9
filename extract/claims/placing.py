"""A placing in a challenge or on a leaderboard: a score of the metric `rank`.

    "we won 1st place in the NTIRE 2022 Challenge" -> 1 (span "1st place")
    "ranks #1 on the Open LLM Leaderboard"         -> 1 (span "ranks #1")
    "top-1 on the SuperGLUE leaderboard"           -> 1;  "top-1 accuracy", "the first method" -> none

The words are data: vocab/placings.yml.
"""
import functools

import regex

from .. import vocab
from .fast import CaseBlind, folded, present
from .number import Number


@functools.lru_cache(None)
def _contest():  # searched over whole abstracts: over the folded text, as a case-blind regex is slow
    return CaseBlind(rf"\b(?:{vocab.phrase_pattern(vocab.placings()['contests'])})")


@functools.lru_cache(None)
def _contest_words():  # the first word of each ("shared" of "shared task")
    return tuple({phrase.split()[0] for phrase in vocab.placings()["contests"]})


def names_a_contest(text):
    """Whether ``text`` names a contest; an abstract that names none has no placing in
    any sentence, so its sentences skip the search. Most name none: str.find of the
    words tells it before the pattern runs."""
    return bool(present(folded(text), _contest_words())) and bool(_contest().search(text))


@functools.lru_cache(None)
def _placing():
    words = vocab.placings()
    ordinal = rf"(?:\d+(?:st|nd|rd|th)|\#\d+|{vocab.phrase_pattern(words['ordinals'])})"
    noun = rf"\s+(?:{vocab.phrase_pattern(words['nouns'])})(?![\w-])(?!\s+of\b)"  # not "the first position of the sequence"
    verb = rf"\b(?:{vocab.phrase_pattern(words['verbs'])})\s+(?:at\s+|as\s+)?(?:the\s+)?"
    contest = rf"(?=\s+(?:on|in|at)\s+(?:the\s+)?(?:[\w-]+\s+){{0,8}}?(?:{vocab.phrase_pattern(words['contests'])})\b)"
    return regex.compile(
        rf"""
        (?<!\bin\s+the\s+)(?<![\w-])              # "in the first place" is an idiom
        (?:
            (?P<verb>{verb})?                     # "ranked first", "ranks #1"
            (?P<ordinal>{ordinal})(?![\w-])
            (?(verb)(?:{noun})?|{noun})           # "1st place"; alone only after a verb
          | (?P<verb2>{verb})?
            (?P<top>top[-\s]?\d+)(?![\w-])        # "top-1" only after a verb or before a contest
            (?(verb2)|{contest})
        )
        """,
        regex.I | regex.X,
    )


def placings(text):
    """Each placing in ``text`` (a sentence naming a contest), as a ``Number`` spanning its words.

    >>> [(t[n.start:n.end], n.value) for t in ["We won 1st place in the challenge.", "It ranked first on the leaderboard.",
    ...  "The first step of the challenge.", "Pawns move from the second rank."] for n in placings(t)]
    [('1st place', 1.0), ('ranked first', 1.0)]
    """
    if not names_a_contest(text):
        return []
    found = []
    for m in _placing().finditer(text):
        written = (m["ordinal"] or m["top"]).lower()
        digits = regex.search(r"\d+", written)
        value = float(digits[0]) if digits else float(vocab.placings()["ordinals"][written])
        found.append(Number(m.start(), m.end(), value, placing=True))
    return found


def with_placings(text, nums):
    """``nums`` with the placings of ``text`` in place of the numbers inside them, in order."""
    found = placings(text)
    if not found:
        return nums
    kept = [n for n in nums if not any(p.start <= n.start < p.end for p in found)]
    return sorted(kept + found, key=lambda n: n.start)
