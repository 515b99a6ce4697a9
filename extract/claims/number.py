"""Step 1: every number in a sentence, with the unit and scale written right after it.

    "95.42% accuracy"        -> 95.42, unit %
    "up to 4times faster"    -> 4, unit x;  "3-10x" -> 3 to 10, unit x
    "600M parameters"        -> 600, scale M, unit params;  "twice as fast" -> 2, unit x

Numbers inside names ("ResNet-50", "v1.2") are not numbers here. Which unit each written
form stands for is data: vocab/units.yml.
"""
import functools
import math
import re
from dataclasses import dataclass

import regex

from .. import vocab
from .fast import alternation, fold, starts

TIMEOUT = 2.0  # seconds for one pattern at one place; beyond it the abstract is skipped
# The guard reads a clock on every call, as long as a short match itself: sentences this
# short cannot keep the (bounded) patterns busy, so only longer ones pay for it.
GUARDED_LENGTH = 2000

WORD_VALUES = {
    "twice": 2, "half": 0.5, "halve": 0.5, "halves": 0.5,
    "one-tenth": 0.1, "one tenth": 0.1, "a third": 1 / 3,
    "an order of magnitude": 10, "one order of magnitude": 10,
    "two orders of magnitude": 100, "three orders of magnitude": 1000,
}
CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100, "a hundred": 100,
    "a thousand": 1000, "single": 1, "a single": 1,
}
SCALE_WORDS = {"thousand": "K", "million": "M", "billion": "B", "trillion": "T"}


def _alternation(words):
    return alternation(words, escape=regex.escape)


def _escape(char):
    return r"\s" if char == " " else regex.escape(char)  # "GPU days" across a line break too


def _unit_ending(form):
    """Letters must end on a word edge; "x" must not lead a resolution such as 256x256
    or "5 times 5"."""
    ending = r"(?![\p{L}\d])" if form[-1].isalnum() else ""
    if form in ("x", "X", "×", "times", "-times", "-x", "\\times"):
        ending += r"(?!\s*\d)"
    return ending


@functools.lru_cache(None)
def _unit_alternation():
    return alternation(vocab.unit_forms(), escape=_escape, ending=_unit_ending)


@functools.lru_cache(None)
def _number_pattern():
    return regex.compile(
        rf"""
        (?:(?<![\p{{L}}\d.\-_/^=@])        # not inside a name, version, formula or cut-off (ResNet-50, v1.2, pass@1)
          | (?<=\b\p{{Ll}}{{4,40}}-)       # but "parameters-5.5x fewer": a lower-case word, a dash
          | (?<=\d(?:{_unit_alternation()})?/)  # and the second of "0.25/0.28", "3.6x/2x"
        )
        (?P<currency>\\?\$|\\(?=\d))?      # "$500", LaTeX "\$500" or its debris "\500"
        (?:
            (?P<fraction>(?P<over>\d+)/(?P<under>\d+)(?=\s+of\b))   # "1/200 of the cost"
          | (?P<between>between\s)?        # "between 1.12x and 20x" is a range
            (?P<num>
                \d{{1,3}}(?:,\s?\d{{3}})+(?!\d)(?:\.\d+)?   # 3,150 and the detokenized "5, 000"
              | \d*\.\d+ | \d+
              | (?i:{_alternation(WORD_VALUES)})(?![\w-])
              | (?i:{_alternation(CARDINALS)})(?=[\s-])
            )
            (?P<plus>\+)?                  # "80+%", "1000+ layers"
            (?:                            # a range: 3-10x, 1.12x to 20x, 2.35times sim 3.47times
                (?P<unit1>\s?(?:{_unit_alternation()}))?
                (?P<sep>\s*(?:-|–|—|~|\\sim|sim)\s*|\s+to\s+|(?(between)\s+and\s+|(?!)))
                (?P<num2>\d*\.?\d+)(?![\d.]\d)
            )?
        )
        (?P<scale>[KMBT](?![\p{{L}}\d])|\s?-?(?:thousand|million|billion|trillion)(?![\p{{L}}]))?
        (?P<unit>\s?(?:{_unit_alternation()}))?
        """,
        regex.X,
    )


@functools.lru_cache(None)
def _number_starts():
    """Where a number can begin: the start of a run of digits and dots, $ or a backslash,
    or, after no letter, a number word or the "between" of a range. The full pattern is
    tried only there: scanning every character with it cost more than all the other
    rules together."""
    words = alternation({w.lower() for w in (*WORD_VALUES, *CARDINALS, "between")})
    return starts(re.compile(rf"\d[\d.]*|\.\d[\d.]*|\$|\\|(?<![a-z])(?={words})"))  # run over fold(text)


@dataclass
class Number:
    start: int
    end: int
    value: float
    value_max: float = None
    scale: str = None
    unit: str = None
    plus: bool = False  # "80+%": at least
    bare_unit_form: str = None  # the unit as written, without surrounding space ("GPU-days", "-bit")
    placing: bool = False  # "won 1st place": a rank in a contest (placing.py)


def numbers(text):
    """Every number in ``text`` with the unit and scale glued to it.

    >>> [(n.value, n.value_max, n.scale, n.unit) for n in numbers("up to 4times faster, 3-10x, 600M params")]
    [(4.0, None, None, 'x'), (3.0, 10.0, None, 'x'), (600.0, None, 'M', 'params')]
    >>> [(n.value, n.unit) for n in numbers("ImageNet 256x256 and ResNet-50")]
    [(256.0, None)]
    """
    found, pattern, scanned = [], _number_pattern(), 0
    timeout = TIMEOUT if len(text) > GUARDED_LENGTH else None
    for candidate in _number_starts().finditer(fold(text)):
        m = candidate.start() >= scanned and pattern.match(text, candidate.start(), timeout=timeout)
        if not m:
            continue
        scanned = m.end()
        if m["fraction"]:
            under = float(m["under"])
            if under:
                found.append(Number(m.start(), m.end(), float(m["over"]) / under, unit="x"))
            continue
        raw = fold(m["num"])  # "TW\u0130CE" reads "twice"; str.lower() would add a combining dot
        word = not raw[0].isdigit() and raw[0] != "."
        value = WORD_VALUES.get(raw, CARDINALS.get(raw)) if word else float(raw.replace(",", "").replace(" ", ""))
        unit_form = (m["unit"] or m["unit1"] or "").strip()
        unit, scale = vocab.unit_forms().get(unit_form, (None, None)) if unit_form else (None, None)
        if m["scale"]:
            scale = SCALE_WORDS.get(m["scale"].strip(" -").lower(), m["scale"].strip())
        if m["currency"]:
            unit = "USD"
        if raw in WORD_VALUES:
            unit = unit or "x"
        if word and raw not in WORD_VALUES and not unit and (not COUNTED.match(text, m.end()) or "single" in raw):
            continue  # "three epochs" counts; "a single step" is a setting
        if "single" in raw and unit != "GPUs":
            continue  # "a single point", "a single model": no claim; "a single A100 GPU" is one
        end = m.end()
        if m["unit"] is None and m["unit1"] and m["num2"]:
            end = m.end("num2")
        value_max = float(m["num2"]) if m["num2"] else None
        if not math.isfinite(value) or not math.isfinite(value_max or 0):
            continue  # 400 nines overflow a float: no measured outcome is that large
        if value_max is not None and (value_max <= value or FROM.search(text, max(0, m.start() - 40), m.start())):
            # "from 40.4 to 45.9" is two claims; a falling "1-2" is a name or a pair
            first_unit = vocab.unit_forms().get((m["unit1"] or "").strip(), (unit, scale))[0]
            found.append(Number(m.start(), m.end("unit1") if m["unit1"] else m.end("num"), value,
                                unit=first_unit))
            found.append(Number(m.start("num2"), m.end(), value_max, scale=scale, unit=unit,
                                bare_unit_form=unit_form or None))
            continue
        found.append(Number(m.start(), end, value, value_max, scale, unit, bool(m["plus"]), unit_form or None))
    return found



FROM = regex.compile(r"\bfrom\s+(?:\S+\s+)?$")
# "two epochs", "80 total epochs": a count of the things a run is measured in (vocab/counted_nouns.txt)
COUNTED = regex.compile(r"\s?-?(?:(?:total|more|training|inference|sampling|time)\s)?"
                        rf"(?:{vocab.phrase_pattern(vocab.counted_nouns())})s?\b", regex.I)
