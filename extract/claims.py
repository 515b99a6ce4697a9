"""Numeric claims out of a paper abstract, by rules (see ../shared/spec/claims.md).

The path of one abstract:

1. ``numbers()`` finds every number with the unit and scale written right after it
   (``95.42%``, ``4times``, ``600M parameters``, ``3-10x``, ``twice``);
2. ``groups()`` joins lists ("79.1%, 81.2% and 83.0%", "0.25/0.28 FID"), and
   ``sentence_claims()`` lets a bare member borrow the unit of the member that has one;
3. ``is_claim()`` keeps the numbers that report an outcome: those with a unit, or standing
   next to a metric name; numbers inside names, years and settings stay out;
4. ``describe()`` reads the fields around each kept number: metric, type, qualifier,
   dataset, method, baseline.

Vocabularies (metrics, datasets, units) are data in ``vocab/``; this module holds only
the rules.

Speed: a pattern runs only where it can match. Long word lists are prefix trees; the
number and name patterns are tried only where a cheap scan points (``_number_starts``,
``NAME_START``); rules anchored at the words before a number are checked backwards first
(``EndAnchored``); case-blind word rules run on the lowered text (``CaseBlind``). The
standard ``re`` runs the patterns it is faster at; ``regex`` keeps those needing Unicode
property classes, variable-length lookbehind, reverse search or a timeout.
tests/test_fast_paths.py holds each shortcut to its plain definition.
"""
import bisect
import functools
import math
import re
from dataclasses import dataclass

import regex

from . import vocab

FIELDS = ("paper", "text", "value", "value_max", "scale", "unit", "type", "metric",
          "dataset", "method", "baseline", "qualifier")
TIMEOUT = 2.0  # seconds for one pattern at one place; beyond it the abstract is skipped
# The guard reads a clock on every call, as long as a short match itself: sentences this
# short cannot keep the (bounded) patterns busy, so only longer ones pay for it.
GUARDED_LENGTH = 2000


@dataclass
class Claim:
    paper: str
    text: str
    value: float
    value_max: float = None
    scale: str = None
    unit: str = None
    type: str = None
    metric: str = None
    dataset: str = None
    method: str = None
    baseline: str = None
    qualifier: str = None
    start: int = 0
    end: int = 0
    sentence: str = ""

    def as_dict(self, sentence=False):
        """The spec fields, then start and end (and the sentence when asked)."""
        keys = FIELDS + ("start", "end") + (("sentence",) if sentence else ())
        return {key: getattr(self, key) for key in keys}


class EndAnchored:
    """A pattern that must end where the searched text ends ("... by up to $"). Searched
    forward, it is tried from every start; its reverse twin tells at once whether it
    matches at all, so the forward search, whose match the rules read, runs only then."""

    def __init__(self, pattern, flags=0):
        self.forward = regex.compile(pattern, flags)
        self.backward = regex.compile(pattern, flags | regex.REVERSE)

    def search(self, text, pos=0, endpos=None):
        endpos = len(text) if endpos is None else endpos
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
# vocab.metric_pattern expects), and folded from that for the case-blind rules.
_lowered = functools.lru_cache(maxsize=8)(vocab.ascii_lower)


@functools.lru_cache(maxsize=8)
def _folded(text):
    return fold(text, _lowered(text))


class CaseBlind:
    """A case-blind pattern of lower-case words, run with the standard re over the folded
    text: several times faster than a case-blind `regex` pattern. Offsets are those of
    the text; read matched words from the text itself."""

    def __init__(self, pattern):
        self.pattern = re.compile(pattern)

    def search(self, text, *span):
        return self.pattern.search(_folded(text), *span)

    def match(self, text, *span):
        return self.pattern.match(_folded(text), *span)

    def finditer(self, text, *span):
        return self.pattern.finditer(_folded(text), *span)


# --- 1. numbers --------------------------------------------------------------------

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
    return vocab.prefix_tree(words, escape=regex.escape)


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
    return vocab.prefix_tree(vocab.unit_forms(), escape=_escape, ending=_unit_ending)


@functools.lru_cache(None)
def _number_pattern():
    return regex.compile(
        rf"""
        (?:(?<![\p{{L}}\d.\-_/^=])         # not inside a name, version or formula (ResNet-50, v1.2)
          | (?<=\b\p{{Ll}}{{4,40}}-)       # but "parameters-5.5x fewer": a lower-case word, a dash
          | (?=\d[\d.]{{0,12}}\s?[%xX×])(?<=\b\p{{Ll}}{{6,40}}) # and LaTeX debris "provide25-33X"
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
                (?P<sep>\s*(?:-|–|—|~|\\sim|sim)\s*(?:it\s)?|\s+to\s+|(?(between)\s+and\s+|(?!)))
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
    words = vocab.prefix_tree({w.lower() for w in (*WORD_VALUES, *CARDINALS, "between")})
    return re.compile(rf"\d[\d.]*|\.\d[\d.]*|\$|\\|(?<![a-z])(?={words})")  # run over fold(text)


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
        if word and raw not in WORD_VALUES and not unit and (not _counted_noun(text, m.end()) or "single" in raw):
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


OUTCOME_COUNT = regex.compile(r"\s(?:test\s)?errors\b", regex.I)  # "160 errors on the test set"
TOTAL_OR_AVERAGE = regex.compile(r"\s*total|.{0,20}on\s+average")
FROM = regex.compile(r"\bfrom\s+(?:\S+\s+)?$")
COUNTED = regex.compile(r"\s?-?(?:(?:total|more|training|inference|sampling|time)\s)?"
                        r"(?:epochs?|steps?|hours?|days?|minutes?|GPUs?|nodes?|layers?|errors?|"
                        r"images?|frames?|bits?|cars|places?)\b", regex.I)


def _counted_noun(text, end):
    return bool(COUNTED.match(text, end))


# --- 2. sentences and lists -----------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z(\[])")  # the standard re finds these fastest
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "cf.", "Fig.", "Eq.")  # no sentence ends there
ABBREVIATION = regex.compile(r"\b(?:%s)$" % "|".join(map(regex.escape, ABBREVIATIONS)))


def sentences(text):
    """(start, end) of each sentence.

    >>> [text[a:b] for text in ["We win. It is 2.5x faster, e.g. here."] for a, b in sentences(text)]
    ['We win.', 'It is 2.5x faster, e.g. here.']
    """
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        end = m.start() + 1
        if not (text.endswith(ABBREVIATIONS, 0, end) and ABBREVIATION.search(text, max(0, end - 8), end)):
            spans.append((start, end))
            start = m.end()
    spans.append((start, len(text)))
    return spans


LIST_GLUE = regex.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|/|\s+vs\.?\s+|,?\s+respectively,?\s+)\s*$")


def groups(text, nums):
    """Split numbers into lists: neighbours joined only by commas, "and", "/" or "vs"."""
    out, current = [], []
    for n in nums:
        if current and LIST_GLUE.match(text[current[-1].end:n.start]) and n.start - current[-1].end < 12:
            current.append(n)
        else:
            if current:
                out.append(current)
            current = [n]
    if current:
        out.append(current)
    return out


# --- 3. which numbers are claims ----------------------------------------------------------

RESOURCE_UNITS = {"ms", "s", "min", "h", "day", "KB", "MB", "GB", "TB", "FLOPs", "params",
                  "tokens", "GPUs", "USD", "W", "J", "Hz", "fps", "bits"}
YEAR = regex.compile(r"^(?:19|20)\d\d$")
NUMERAL = regex.compile(r"[\d,.]+")
GLUED = regex.compile(r"[\p{L}\d]")
# Words just before a number that make it a setting, a name or a reference.
SETTING_BEFORE = regex.compile(
    r"(?:\b(?:top|rank|batch\s+size|k|n|layer|layers|stage|step|level|epsilon|threshold|"
    r"section|table|figure|fig\.|eq\.|version|v|iou|lambda|alpha|beta|gamma|resolution|"
    r"size\s+of|ratio\s+of|temperature|seed|window|width|depth\s+of)\s*[=:]?\s*|=\s?)$",
    regex.I,
)
# Nouns right after a number that make it a setting: "4-bit quantization", "90% sparsity".
SETTING_AFTER = regex.compile(
    r"\s*(?:sparsity|sparse|quantiz|precision|resolution|-shot|shot|layers?\b|heads?\b|"
    r"classes|languages|tasks|datasets|benchmarks|masking|mask\s+ratio|"
    r"pruning\s+ratio|dropout|confidence|risk|labell?ed|"
    r"(?:\w+\s){0,2}(?:super-resolution|SR\b|upscal|upsampl|downsampl|undersampl|magnification|zoom))",
    regex.I,
)
# "on 10% of the data" is a setting; "recalling 84% of the data", "only 5% of the data" are not
DATA_SHARE = regex.compile(r"\s*of\s+(?:the\s+)?(?:training\s+)?(?:data|labels|samples)\b", regex.I)
DATA_SHARE_SETTING = regex.compile(r"\b(?:on|with|using|use|uses|from|in|for)\s+$", regex.I)
AT_SETTING = regex.compile(r"\bat\s+(?:a\s+)?$", regex.I)  # "at 90% sparsity", "at 80GB"
SCALING_UP_TO = regex.compile(r"\b(?:up\s+to|scal\w+\s+to|with|of|such\s+as)\s+(?:more\s+than\s+)?$", regex.I)
BACKGROUND = regex.compile(r"\bgr[eo]wn?s?\b|\bgrowth\b|\bgrowing\b", regex.I)  # "models grew 1000x"
# A model size is a claim only when stated as an achievement: "with only 600M parameters".
ACHIEVED_SIZE = regex.compile(
    r"\b(?:only|merely|just|mere|fewer\s+than|less\s+than|under|compact|activat\w+|as\s+few\s+as)\b|<",
    regex.I)
SIZE_UNITS = {"params", "tokens"}
CLAUSE_BREAK = regex.compile(r"[.;(]")
BY_END = regex.compile(r"\bby\s+$")
TIME_UNITS = {"ms", "s", "min", "h", "day"}
SINGULAR_TIME = {"day", "hour", "minute", "second", "millisecond", "GPU day", "GPU-day"}
PER = regex.compile(r"\s*per\s")
REPEATED = regex.compile(r"\s*[,.;)]")
FACTOR_BEFORE = regex.compile(r"\b(?:by|of|to|than|about|approximately|nearly|over|around|roughly)\s+(?:up\s+to\s+)?$", regex.I)
RESOLUTION = regex.compile(r"\s?(?:x|×|times|\\times)\s?\d")
RESOLUTION_BEFORE = regex.compile(r"\d\s?(?:x|×|times|\\times)\s?$")
ACHIEVED_COUNT = regex.compile(r"\b(?:only|just|merely|mere|as\s+few\s+as|within|in|up\s+to|and)\s+$", regex.I)


def counted_claim(text, number):
    """A count stated as an outcome: "in just two epochs", "80 total epochs", "1000+ layers"."""
    before = text[max(0, number.start - 25):number.start]
    after = text[number.end:number.end + 40]
    return bool(COUNTED.match(text, number.end)) and bool(
        number.plus or ACHIEVED_COUNT.search(before) or TOTAL_OR_AVERAGE.match(after))


def is_claim(text, number, metric_near):
    """Whether a number reports an outcome (spec "Which numbers are claims")."""
    before = text[max(0, number.start - 25):number.start]
    after = text[number.end:number.end + 40]
    numeral = NUMERAL.match(text, number.start, number.end)
    if numeral and YEAR.match(numeral[0]) and (not number.bare_unit_form or number.bare_unit_form == "s"):
        return False  # a year ("in 2014") or a decade ("the 1990s")
    if SETTING_BEFORE.search(before):
        return False
    if number.unit == "bits" and (number.bare_unit_form or "").lstrip("-") == "bit":
        return False  # a bit width as a setting: "4-bit quantization", "2bit KV cache"
    if number.unit in ("%", "bits", "x", "GB", "GPUs", "Hz") and SETTING_AFTER.match(after):
        return False
    if number.unit == "%" and DATA_SHARE.match(after) and DATA_SHARE_SETTING.search(before):
        return False
    if number.unit not in ("fps", None) and AT_SETTING.search(before):
        return False
    if number.unit in ("x", "%") and BACKGROUND.search(text, max(0, number.start - 30), number.start):
        return False
    if number.unit in ("GPUs", "Hz") and SCALING_UP_TO.search(before):
        return False
    if number.unit == "Hz" and not BY_END.search(before):
        return False  # sampling rates and clocks are settings; "raises it by 2 GHz" is not
    if (number.unit in TIME_UNITS and number.value == int(number.value) and number.value != 1
            and number.bare_unit_form in SINGULAR_TIME):
        return False  # adjectival: "0-5 day forecasts", "a 24 hour window"
    if number.unit is None and (RESOLUTION.match(after) or RESOLUTION_BEFORE.search(before)):
        return False  # "256 x 256", "5 times 5"
    if number.unit in TIME_UNITS and PER.match(after):
        return False  # a rate set for the run: "an advance of 10ms per frame", "one minute per move"
    if number.bare_unit_form == "times" and REPEATED.match(after) and not FACTOR_BEFORE.search(before):
        return False  # "pre-trained five times, the ...": a repetition, not a factor
    if number.unit == "GPUs" and number.value >= 1000 and number.bare_unit_form == "GPU":
        return False  # a product name: "RTX 4090 GPU"
    rate = vocab.unit_metrics().get(number.bare_unit_form) == "throughput"
    if (number.unit in SIZE_UNITS and not rate) or (number.unit is None and number.scale):
        window = text[max(0, number.start - 40):number.start]
        alone_in_parens = text[number.start - 1:number.start] == "(" and after.startswith(")")
        clause_before = CLAUSE_BREAK.split(window)[-1]
        if not (ACHIEVED_SIZE.search(clause_before) or alone_in_parens
                or after.startswith(" per token")):
            return False
        return True
    if number.unit is None and OUTCOME_COUNT.match(text, number.end):
        return True
    if number.unit is None and counted_claim(text, number):
        return True
    if GLUED.match(after) and number.unit is None and number.scale is None:
        return False  # glued to letters: 3D, 2nd, v2
    return bool(number.unit) or metric_near


# --- 4. the fields of a claim ----------------------------------------------------------------

CUES = {  # the change a sentence states, nearest cue word wins
    "faster": r"faster|speed-?ups?|speeds?[\s-]up|accelerat\w*|quicker|sooner",
    "down": r"fewer(?!\s+than)|less(?!\s+than)|smaller(?!\s+than)|reduc\w*|sav(?:e|es|ed|ing|ings)|"
            r"compress\w*|lower(?!\s+than)|cuts?|slash\w*|decreas\w*|shrink\w*|cheaper|halve[sd]?|"
            r"drops?|declines?|degradation|loss|only\s+(?:uses|requires|needs)",
    "up": r"improv\w*|higher(?!\s+than)|better|gains?|boost\w*|increas\w*|outperform\w*|surpass\w*|"
          r"exceed\w*|margins?|larger|more(?!\s+than)|beats?|advances?|\+(?=\s?\d)",
}
CUE = CaseBlind(r"(?<![\w-])(?=[a-z+])(?:%s)" % "|".join(rf"(?P<{k}>(?:{v})(?![\w-]))" for k, v in CUES.items()))
SHARE_OF = regex.compile(r"\s*(?:of|the)\s+(?:the\s+)?(?:its\s+)?(?P<what>[\w-]+(?:\s[\w-]+)?)", regex.I)

QUALIFIERS = [  # checked against the words just before the number
    ("up_to", r"up\s+to|as\s+(?:much|high|many|large)\s+as|upto|maximum\s+of"),
    ("approx", r"about|around|approximately|approx\.?|~|∼|nearly|roughly|almost|close\s+to|\\?sim|≈|some"),
    ("at_least", r"over|more\s+than|at\s+least|>|\\?geq|≥|exceed(?:s|ing)?|above|greater\s+than|beyond|upwards\s+of"),
    ("at_most", r"under|less\s+than|fewer\s+than|lower\s+than|<|\\?leq|≤|within|below|at\s+most|no\s+more\s+than|"
                r"(?:do|does|did)\s+not\s+exceed|only\s+up\s+to"),
    ("average", r"on\s+average|an\s+average(?:\s+of)?|average(?:s|d)?(?:\s+of)?|averaging|mean|avg\.?"),
]
QUALIFIER = EndAnchored(
    r"(?:%s)(?:\s+(?:by|of|a|an|to|the))*\s*[(*]*\s*$" % "|".join(f"(?P<{k}>(?<![\\w-])(?:{v}))" for k, v in QUALIFIERS),
    regex.I,
)
AVERAGE_AROUND = regex.compile(r"(?<![\w-])(?:on\s+average|an?\s+average|average[sd]?|averaging)(?![\w-])", regex.I)

WORD = r"(?:[^\s,;:()\[\].]|\.(?=[\w]))+"  # a word; "GPT-3.5" keeps its dot
NOT_IN_NAME = (r"(?:by|on|in|with|while|and|at|across|for|using|which|when|to|of|from|under|as|respectively|"
               r"only|during|without|is|are|was|were|that|its|it|who|whose|where|thereby|thus|but|or|"
               r"achiev\w*|reach\w*|execut\w*|run\w*|obtain\w*|are|w\.r\.t|e\.g|i\.e|\\?[gl]eq|\\\w+|"
               r"one|two|three|four|five|six|seven|eight|nine|ten|\d[\d.,]*\S*)\b")
BASELINE = regex.compile(
    r"(?<![\w-])(?:than|over|compared\s+(?:to|with)|comparing\s+to|against|vs\.?|v\.s\.|versus|relative\s+to|"
    r"in\s+comparison\s+(?:to|with))\s+(?:the\s+|a\s+|an\s+|that\s+of\s+|those\s+of\s+)?"
    rf"(?!{NOT_IN_NAME})(?P<name>{WORD}(?:\s+(?!{NOT_IN_NAME}){WORD}){{0,5}})",
    regex.I,
)
BASELINE_BEFORE = regex.compile(
    r"(?<![\w-])(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|improv\w*\s+(?:up)?on|over|speed\s?up|"
    r"accelerat\w*|of(?=\s+\p{Lu}))\s+(?:the\s+)?"
    rf"(?P<name>(?!{NOT_IN_NAME}){WORD}(?:\s+(?!{NOT_IN_NAME}){WORD}){{0,5}}?)\s+(?:by|with)\s+"
    r"(?:up\s+to\s+|about\s+|over\s+|an?\s+)?[+~]?$",
    regex.I,
)
ARTICLE_OR_POSSESSIVE = regex.compile(r"^(?:the|a|an)\s+|['’]s$", regex.I)
STATE_OF_THE_ART = regex.compile(r"(?:the\s+)?(?:SOTA|SoTA|state[\s-]of[\s-]the[\s-]art)", regex.I)
DATASET_SHAPE = regex.compile(
    r"(?<![\w-])(?:on|in)\s+(?:the\s+)?(?P<name>[A-Z][\w\-]*[A-Z0-9][\w\-]*(?:\s[A-Z0-9][\w\-]*)?)\s+"
    r"(?:dataset|benchmark|challenge|test set|validation set)s?\b"
)
INTRODUCES = CaseBlind(  # where an abstract names its own system
    r"\b(?:called|named|dubbed|termed|coined)\b|\b(?:we|this\s+(?:paper|work|study|article)|here\s+we)\s+"
    r"(?:\w+\s+)?(?:propose|introduce|present|develop|design|devise)s?\b")
SEMICOLON = "; "


# Words with two capitals, or a capital and a digit, possibly joined by - + .
NAME = regex.compile(
    r"(?<![\w-])(?=[\p{L}\d.+-]{0,40}\p{Lu}[\p{L}\d.+-]{0,40}(?:[\p{Lu}\d]|\+))"
    r"[\p{L}\d]{1,40}(?:[-+.][\p{L}\d]{1,40}){0,8}\+*(?![\w-])")
TITLE_CASE_COMPOUND = regex.compile(r"(?:\p{Lu}\p{Ll}+-)+\p{Lu}\p{Ll}+")
PLURAL_KIND = regex.compile(r"\p{Lu}s$")


@functools.lru_cache(maxsize=4096)  # the same names recur through a paper
def looks_like_name(word):
    """A system's name: two capitals, or a capital and a digit ("CoDe", "IIR-SNN", "E-RADIO").

    >>> [w for w in ["CoDe", "The", "IIR-SNN", "GPUs", "Swin-T", "x2"] if looks_like_name(w)]
    ['CoDe', 'IIR-SNN', 'Swin-T']
    """
    if word in vocab.generic_names() or YEAR.match(word):
        return False
    if TITLE_CASE_COMPOUND.fullmatch(word):
        return False  # Title-Case compounds: "Super-Efficient", "Time-Dependent"
    last = word.split("-")[-1]
    if (last.isalpha() and last.islower()) or PLURAL_KIND.search(word):
        return False  # "CNN-based", and plurals that name a kind: "SNNs", "EfficientNets"
    capitals = sum(c.isupper() for c in word)
    return capitals >= 2 or (capitals == 1 and (any(c.isdigit() for c in word) or word.endswith("+")))


# Where NAME can start: a word start with a capital ahead in the word, then a capital, a
# digit or a "+" (any non-ASCII character may be one). NAME itself is tried only there,
# as trying it at every character was slow; the possessive runs stop at the first
# character that could be what follows them, so a lower-case word is rejected in one pass.
NAME_START = re.compile(r"(?<![A-Za-z0-9_-])(?=[a-z0-9_.+-]{0,40}+[A-Z\x80-\U0010FFFF]"
                        r"[a-z_.-]{0,41}+[A-Z0-9+\x80-\U0010FFFF])")


def names(text, lo=0, hi=None):
    hi = len(text) if hi is None else hi
    found, end = [], lo
    for start in NAME_START.finditer(text, lo, hi):
        m = start.start() >= end and NAME.match(text, start.start(), hi)
        if m:
            end = m.end()
            if looks_like_name(m[0]):
                found.append(m)
    return found


def _initials(phrase):
    return "".join(w[0] for w in phrase.replace("-", " ").split()).upper()


def find_word(text, word, ignore_case=False):
    """``word`` as it is written in ``text``, standing as a whole word, else None.

    >>> find_word("Pusa wins; PUSA-2 too", "PUSA", ignore_case=True)
    'Pusa'
    """
    haystack, needle = (vocab.ascii_lower(text), vocab.ascii_lower(word)) if ignore_case else (text, word)
    at = haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not (at and (text[at - 1].isalnum() or text[at - 1] in "_-")) and \
                not (end < len(text) and (text[end].isalnum() or text[end] in "_-")):
            return text[at:end]
        at = haystack.find(needle, at + 1)
    return None


TITLE_HEAD = regex.compile(r"(?P<head>[^:,]+?)\s*(?::|,\s)")  # "ZeRO++: ...", "LeYOLO, New ..."


def introduced_name(abstract):
    """The name an abstract gives its system where it introduces it: "we propose
    SlimNet", "this paper proposes a novel method, AdcSR, ...", "called FooNet". A name set
    off by a comma or parentheses beats one that merely describes ("a Real-ISR method").

    >>> introduced_name("This paper proposes a novel Real-ISR method, AdcSR, by distilling.")
    'AdcSR'
    """
    for m in INTRODUCES.finditer(abstract):
        end = abstract.find(". ", m.end())
        found = names(abstract, m.end(), min(m.end() + 150, end if end >= 0 else len(abstract)))
        set_off = [n for n in found if abstract[n.end():n.end() + 1] in ",():" or abstract[n.start() - 1] in "(,"]
        if set_off or found:
            return (set_off or found)[0][0]
    return None


def paper_method(title, abstract):
    """The paper's own system: the title's prefix before a colon as the abstract spells
    it, else the name it introduces ("we propose FooNet", "called FooNet"), else the name
    it uses most.

    >>> paper_method("ZeRO++: Extremely Efficient Collective Communication", "ZeRO++ is fast.")
    'ZeRO++'
    >>> paper_method("Efficient training", "Here we propose SlimNet, a net. SlimNet wins.")
    'SlimNet'
    >>> paper_method("Once-for-All: Train One Network", "We train a once-for-all network (OFA). OFA wins.")
    'OFA'
    >>> paper_method("PUSA V1.0: Surpassing Wan-I2V", "Pusa wins.")
    'Pusa'
    """
    prefix = TITLE_HEAD.match(title)
    words = prefix["head"].split() if prefix else []
    # a name, not a phrase: "Motion Mamba", "Once-for-All"; not "Breaking the Softmax Bottleneck"
    head = prefix["head"].strip() if words and len(words) <= 4 and not any(w.islower() for w in words) else None
    counts = {}
    for m in names(abstract):
        word = m[0]
        counts[word] = counts.get(word, 0) + 1
    if head and " " in head:  # a spelled-out name the abstract abbreviates: "Once-for-All" -> OFA
        short = [w for w in counts if w.upper() == _initials(head) and counts[w] >= abstract.count(head)]
        if short:
            return short[0]
    if head:
        first = head.split()[0]
        for spelling, flags in ((head, 0), (head.replace(" ", "-"), 0), (first, regex.I)):
            if flags and not looks_like_name(first):
                continue  # only a name-like first word may be re-spelled: "PUSA V1.0" -> "Pusa"
            found = find_word(abstract, spelling, ignore_case=bool(flags))
            if found and found != found.lower():
                return found
        for word in counts:
            if word.lower() in head.lower() or _initials(head).startswith(word.rstrip("s").upper()):
                return word
    introduced = introduced_name(abstract)
    if introduced and counts.get(introduced, 0) >= max(counts.values(), default=0):
        return introduced  # a component introduced on the way ("a ConvFormer block") is used less
    if counts:
        word, count = max(counts.items(), key=lambda kv: kv[1])
        if count >= 2:
            return word
    return head


SUBJECT = regex.compile(  # used with .match(text, pos): anchored at the sentence start
    r"(?:(?:Moreover|Furthermore|Notably|Specifically|In\s+particular|In\s+addition|Additionally|"
    r"For\s+example|For\s+instance|Besides|Finally|Overall|Meanwhile),\s+)?"
    r"(?:(?:the|our|a|an)\s+)?(?:(?:\w+\s+){0,2})?(?P<name>\S+)\s+"
    r"(?:also\s+|only\s+|further\s+|still\s+|significantly\s+|impressively\s+)?"
    r"(?:achieves?|reach(?:es)?|obtains?|attains?|registers?|yields?|records?|scores?|gets?|"
    r"outperforms?|surpasses?|improves?|reduces?|runs?|requires?|uses?|is|was)\b", regex.I)


def claim_method(text, lo, number, method):
    """The system a sentence is about, when it is not the paper's own name: a named
    variant of it ("M-VAR-d32" for M-VAR) or the subject of the sentence ("GPT-4 reaches")."""
    subject = SUBJECT.match(text, lo, min(number.start, lo + 200))
    if subject and looks_like_name(subject["name"].strip(",.;:'")):
        return subject["name"].strip(",.;:'")
    window = max(lo, number.start - 200), number.start
    if method and text.find(method, *window) >= 0:  # a variant's name holds the method's
        for m in reversed(names(text, *window)):
            if m[0] != method and m[0].startswith(method):
                return m[0]
    return method


class Mentions(list):
    """(start, end, canonical name, weak) of each metric name in a sentence, in order;
    ``window()`` finds those near a number without a scan of the whole sentence, so a
    megabyte-long "sentence" stays linear."""

    def __init__(self, items):
        super().__init__(items)
        self.starts = [item[0] for item in items]

    def window(self, lo, hi):
        first = bisect.bisect_left(self.starts, lo - MAX_ALIAS)
        last = bisect.bisect_left(self.starts, hi)
        return [m for m in self[first:last] if m[1] > lo]


MAX_ALIAS = 60  # characters: no metric name is longer


def metric_mentions(text, lo, hi):
    weak = vocab.weak_aliases()
    aliases = vocab.metric_aliases()
    return Mentions([(m.start(), m.end(), aliases[m[0]], m[0] in weak)
                     for m in vocab.metric_pattern().finditer(_lowered(text), lo, hi)])


ADJACENT_BEFORE = regex.compile(
    r"(?:score|scores|value|values|rate)?\s*(?:\(\w+\))?\s*(?:of|is|=|:|reaches|reaching|to|achieves|"
    r"improves\s+to|reduced\s+to|drops\s+to|from|as\s+low\s+as|as\s+high\s+as)?\s*(?:only\s+|just\s+)?$",
    regex.I,
)


SCORE_SLOT_BEFORE = regex.compile(r"(?:\bby|\bto|\bfrom|\bof|\bis|v\.s\.|\bvs\.?)\s+$")
SCORE_SLOT_AFTER = regex.compile(r"\s+(?:on|for|in)\s")
CUE_THEN_METRIC = regex.compile(r"\s+(?:higher|lower|better|worse|gains?|drop|improvement|increase|decrease)\s+$", regex.I)


def metric_near(text, number, mentions, scored_sentence):
    """A metric names this bare number: "FID of 2.3", "41 mAP", "0.03 higher SSIM", or
    the number fills a score slot ("by 0.4", "to 1.98", "1.20 on ImageNet") in a sentence
    about a score metric (``scored_sentence``)."""
    for start, end, name, weak in mentions.window(number.start - 30, number.end + 30):
        if weak:
            continue
        if 0 <= number.start - end <= 30 and ADJACENT_BEFORE.fullmatch(text[end:number.start]):
            return True
        if 0 <= start - number.end <= 2 or CUE_THEN_METRIC.fullmatch(text[number.end:start]):
            return True
    return scored_sentence and bool(SCORE_SLOT_BEFORE.search(text, max(0, number.start - 8), number.start)
                                    or SCORE_SLOT_AFTER.match(text, number.end))


def scores_a_metric(mentions):
    """The sentence names a score metric written without a unit (FID, BLEU, PSNR in dB)."""
    return any(not weak and vocab.metrics()[name].kind == "quality" and vocab.metrics()[name].unit in (None, "dB")
               for _, _, name, weak in mentions)


SEPARATOR = regex.compile(r",\s|\s(?:and|or|while|but|whereas)\s|;")


def distance(text, number, start, end):
    """How far a word is from a number, in characters: words after the number count a
    little nearer ("95.4% top-1 accuracy"), words behind a comma or an "and" much farther
    ("4.8x latency and 79% energy": energy belongs to 79%)."""
    if end <= number.start:
        gap, between = number.start - end, (end, number.start)
    else:
        gap, between = (start - number.end) * 0.8, (number.end, start)
    if SEPARATOR.search(text, *between):
        gap += 60
    return gap


UNIT_DEFAULT = 1000  # the "distance" of a metric taken from the unit alone ("8 days": training time)
WEAK_PENALTY = 40  # characters: a weak name ("faster", "data") loses to a strong one this much nearer


def scored_metric(text, number, mentions, lo, hi):
    """(how far, metric): the metric a number measures and how far its name stands. A
    resource unit brings its own metric; otherwise the nearest name in the clause wins
    (weak names count farther), and "N times faster" stays `speed` unless a named kind of
    speed stands close by. Lists keep the nearest of their members'."""
    ranked = []  # (distance, name, follows the number directly)
    for start, end, name, weak in mentions.window(lo, hi):
        if start < number.end and end > number.start:
            continue  # the number's own unit ("4.5 GFLOPs") is no separate mention
        d = distance(text, number, start, end)
        right_after = 0 <= start - number.end <= 3 or text[number.end:start] == " of "  # "10 minutes of training data"
        ranked.append((d + (WEAK_PENALTY if weak and d > 3 else 0), name, right_after))
    ranked.sort()
    if number.unit in DEFAULT_METRIC and (number.unit in RESOURCE_UNITS or number.unit == "dB"):
        # "0.1 GPU-days of search cost", "0.29dB": a name measured in the same kind of unit
        # wins, or one written right after the number ("8 GB memory"); not "12B parameters in 8 days"
        same_kind = [name for d, name, right_after in ranked
                     if right_after or unit_kind(vocab.metrics()[name].unit) == unit_kind(number.unit)]
        own = vocab.unit_metrics().get(number.bare_unit_form)
        if own:  # "156 TFLOPS" names its metric unless another name stands right after it
            return 0, ([name for d, name, right_after in ranked if right_after] or [own])[0]
        if same_kind:
            return 0, same_kind[0]
        return UNIT_DEFAULT, DEFAULT_METRIC[number.unit]
    if not ranked:
        return float("inf"), None
    score, best, _ = ranked[0]
    if best == "speed":  # "4.8x speedup in inference latency": the named kind of speed
        best = next((name for d, name, _ in ranked if name != "speed" and vocab.metrics()[name].kind == "speed"
                     and d <= 30 + WEAK_PENALTY), best)
    return score, best


_NOT_NP = r"(?:than|that|this|these|those|both|same|its|their|on|in|with|just|for|compared|and|or|at|by|over|while|from|to|as)\b"
_WORD = rf"\p{{Ll}}{{3,}}(?:-(?!{_NOT_NP})\p{{Ll}}{{3,}})*"
_NP = (rf"(?:(?:average|mean|overall)\s+)?(?P<np>(?:number|amount)\s+of\s+\p{{Ll}}+|(?!{_NOT_NP}){_WORD}"
       rf"(?:\s(?!{_NOT_NP}|of\b){_WORD}){{0,2}})(?![\w])")
OWN_WORDS_AFTER = regex.compile(
    r"\s*(?:(?:more|fewer|less|higher|lower|larger|smaller|better|greater|deeper|wider)\s+(?:the\s+)?"
    r"|(?:improvements?|reductions?|gains?|increases?|decreases?|drops?|declines?)\s+(?:in|of|on)\s+(?:the\s+)?"
    r"|in\s+terms\s+of\s+(?:the\s+)?|the\s+)" + _NP)
OWN_WORDS_BEFORE = EndAnchored(
    _NP + r"\s+(?:improvements?|gains?|reductions?|increases?|decreases?|drops?|declines?)\s+(?:of|is|by)\s+$"
    r"|(?:improv|reduc|increas|decreas|boost|enhanc|lower|rais|cut)\w*\s+(?:the\s+|their\s+|its\s+|our\s+)?"
    + _NP + r"(?:\s+\([\w-]+\))?\s+by\s+(?:(?:up\s+to|over|about|around|nearly|more\s+than|an?)\s+)*$")


OWN_WORDS_WIN = 12  # characters: a vocabulary name farther than this loses to the abstract's own words


def own_words_metric(text, number, hi):
    """A metric outside the vocabulary, in the abstract's own words: "25% more depth",
    "a 3x increase in batch size", "an average reward gain of 85%"."""
    m = OWN_WORDS_AFTER.match(text, number.end, hi) or OWN_WORDS_BEFORE.search(text, max(0, number.start - 50), number.start)
    if not m:
        return None
    words = m["np"].split()
    if vocab.metric_pattern().search(m["np"]) or not words or len(words[0]) < 3:
        return None  # the vocabulary knows it, or it is no noun phrase
    return " ".join(words)


UNIT_KINDS = {"ms": "time", "s": "time", "min": "time", "h": "time", "day": "time",
              "KB": "memory", "MB": "memory", "GB": "memory", "TB": "memory"}


def unit_kind(unit):
    return UNIT_KINDS.get(unit, unit)


def sentence_metric(mentions, lo, hi):
    """The first strong quality metric a sentence names, for numbers whose clause names none."""
    for start, _, name, weak in mentions:
        if lo <= start < hi and not weak and vocab.metrics()[name].kind == "quality":
            return name
    return None


CLAUSE_START = regex.compile(r"[;:]\s|,\s(?:while|whereas|but|which|and\s+(?:it|we))\b")
CLAUSE_END = regex.compile(r"[;:]\s|,\s(?:while|whereas|but|which)\b|\.\s")


def clause(text, number, lo, hi):
    """Bounds around a number inside its sentence, stopping at ;, : and other numbers' clauses."""
    left = max(lo, number.start - 70)
    for m in CLAUSE_START.finditer(text, left, number.start):
        left = m.end()
    right = min(hi, number.end + 70)
    m = CLAUSE_END.search(text, number.end, right)
    if m:
        right = m.start()
    return left, right


REDUCED_BY = regex.compile(r"\bby\s+(?:up\s+to\s+)?$|reduc\w*\s+(?:\w+\s+){0,3}$")


def pick_type(number, metric, cue, text):
    kind = vocab.metrics()[metric].kind if metric in vocab.metrics() else None
    if number.unit in RESOURCE_UNITS:
        before = text[max(0, number.start - 30):number.start]
        if cue == "down" and REDUCED_BY.search(before):
            return "speedup" if kind == "speed" else "reduction"
        return "resource"
    if cue == "faster":
        return "speedup"
    if kind == "speed":
        return "speedup"
    if kind == "cost":
        return "reduction" if number.unit in ("%", "x", "pp") or cue else "resource"
    if cue in ("up", "down"):
        return "improvement"
    if number.unit == "x":
        return "speedup" if cue == "faster" else "improvement"
    return "score"


LEVEL_BEFORE = regex.compile(  # "improves to 2.08 FID", "the error rate is 18.5%": a level
    r"(?<!\bup\s)\b(?:to|from|of|is|are|was|were|reach(?:es|ing)?|achiev(?:es|ing)|obtain(?:s|ing)?|"
    r"record|registers?|yields?)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?$|/$")
COMPARATIVE_AFTER = regex.compile(  # after a number, "N more than X" compares: "5.5 points more than"
    r"\s*(?:[\w-]+\s+){0,2}?(?:(?P<up>more|higher|better|larger|greater)|(?P<down>less|fewer|lower|smaller))\s+than\b")
BY_BEFORE = regex.compile(  # "outperforms X by 4.19%": a change
    r"\bby\s+(?:(?:up\s+to|over|about|around|nearly|roughly|more\s+than|almost|even|a|an|only|just|"
    r"average\s+of)\s+)*$")


WORDS_AFTER = regex.compile(r"\s?([\w@-]+(?:\s[\w@-]+)?)")
WORD_BEFORE = regex.compile(r"([\w@-]+)\s(?:of\s|=\s?|:\s)?$")


def adjacent_score(text, number, lo, hi):
    """A quality metric written right at the number with no change word around:
    "86.0% detection rate", "rFID 0.49", "76.73% accuracy" state a score."""
    after = WORDS_AFTER.match(text, number.end, hi)
    before = WORD_BEFORE.search(text, max(lo, number.start - 30), number.start)
    for words in (after, before):
        if not words:
            continue
        name = vocab.metric_aliases().get(words[1].lower()) or vocab.metric_aliases().get(words[1].split()[0].lower())
        if name and vocab.metrics()[name].kind == "quality" and words[1].lower() not in vocab.weak_aliases():
            window = text[max(lo, number.start - 12):min(hi, number.end + len(words[0]) + 14)]
            return not CUE.search(window)
    return False


CUE_STOP = regex.compile(r",|\s(?:while|and|but|which|that|where)\s")


def nearest_cue(text, number, lo, hi):
    """The change the clause states around a number: faster, down, up or None. Words
    after the number count only up to the next comma ("41.6 mAP, surpassing X by 0.8")."""
    before = text[max(lo, number.start - 40):number.start]
    level = LEVEL_BEFORE.search(before)
    if level and not CUE.search(text, number.end, min(hi, number.end + 25)):
        head = before[:level.start()].rstrip()
        tail = head[-20:] + " "
        cue_before = CUE.search(tail)
        noun_of_change = (level[0].split()[0] in ("of", "is", "are", "was", "were") and cue_before
                          and head.endswith(tail[cue_before.start():cue_before.end()]))
        if not noun_of_change:
            return None  # "the FID is 2.3", "improves to 2.08"; but "a gain of 85%" is a change
    comparative = COMPARATIVE_AFTER.match(text, number.end, hi)
    if comparative:
        return comparative.lastgroup
    changed_by = BY_BEFORE.search(before)  # "surpasses X by 2.5 COMET": a change, whatever follows
    if not changed_by and adjacent_score(text, number, lo, hi):
        return None
    stop = CUE_STOP.search(text, number.end, hi)
    hi = stop.start() if stop else hi
    best = None
    for m in CUE.finditer(text, lo, hi):
        if m.start() < number.end and m.end() > number.start:
            continue
        key = distance(text, number, m.start(), m.end())
        if best is None or key < best[0]:
            best = (key, m.lastgroup)
    if best is None and changed_by:
        return "up"
    return best[1] if best else None


def qualifier_before(text, number, lo):
    """The qualifier words written just before a number ("up to", "over"), as a match."""
    return QUALIFIER.search(text, max(lo, number.start - 40), number.start)


def pick_qualifier(text, number, lo, hi, written):
    if written:
        return written.lastgroup
    if number.plus:
        return "at_least"
    if AVERAGE_AROUND.search(text, max(lo, number.start - 45), min(hi, number.end + 25)):
        return "average"
    return None


def pick_baseline(text, number, lo, hi, sentence_end):
    """What a number is compared with: the phrase after than/over/compared to/vs, or
    before "by N" after outperforms/surpasses."""
    m = BASELINE.search(text, number.end, min(sentence_end, number.end + 300))
    if m and m.start() < hi:
        return _trim(m["name"])
    m = BASELINE_BEFORE.search(text[max(lo, number.start - 80):number.start])
    if m:
        return _trim(m["name"])
    return None


def _trim(name):
    """A baseline as annotators write it: no article, and a named system without the
    adjectives before it ("prior state-of-the-art FLAT" -> "FLAT").

    >>> [_trim(x) for x in ["the previous best MobileNetV3", "SOTA", "state-of-the-art SNNs", "GPT-4's",
    ...                     "YOLOv9-Tiny model"]]
    ['MobileNetV3', 'state of the art', 'state-of-the-art SNNs', 'GPT-4', 'YOLOv9-Tiny']
    """
    name = ARTICLE_OR_POSSESSIVE.sub("", name.strip())
    if STATE_OF_THE_ART.fullmatch(name):
        return "state of the art"
    words = name.split()
    first_name = next((i for i, w in enumerate(words) if looks_like_name(w)), None)
    if first_name:
        words = words[first_name:]
    if len(words) > 1 and looks_like_name(words[-2]) and words[-1].lower() in ("model", "models", "method"):
        words = words[:-1]  # "the YOLOv9-Tiny model" -> YOLOv9-Tiny
    return " ".join(words) or None


def split_datasets(value):
    """>>> split_datasets("HumanML3D; KIT-ML")
    ['HumanML3D', 'KIT-ML']
    """
    return [d for d in (value or "").split(SEMICOLON) if d]


def dataset_mentions(text, lo, hi):
    """(start, end, name) of each dataset a sentence names, in order, each name once."""
    found = [(m.start(), m.end(), m[0]) for m in vocab.dataset_pattern().finditer(text, lo, hi)]
    for m in DATASET_SHAPE.finditer(text, lo, hi):
        if not any(m["name"] in name or name in m["name"] for _, _, name in found):
            found.append((m.start("name"), m.end("name"), m["name"]))
    found.sort()
    unique, seen = [], set()
    for mention in found:
        if mention[2] not in seen:
            seen.add(mention[2])
            unique.append(mention)
    return unique


DATASET_JOIN = regex.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|/|\s+or\s+)\s*$")


def pick_datasets(text, number, mentions):
    """The datasets a number is measured on: with one named in the sentence, that one;
    with several, the run nearest the number ("2.46% for CIFAR-10, 15.02% for CIFAR-100":
    each its own; "on the HumanML3D and KIT-ML datasets": both).

    >>> t = "We get 2.46% on CIFAR-10 and 15.02% on CIFAR-100."
    >>> [pick_datasets(t, n, dataset_mentions(t, 0, len(t))) for n in numbers(t)]
    ['CIFAR-10', 'CIFAR-100']
    """
    if len(mentions) <= 1:
        return mentions[0][2] if mentions else None
    nearest = min(range(len(mentions)), key=lambda i: distance(text, number, mentions[i][0], mentions[i][1]))
    run = [nearest]
    while run[0] > 0 and DATASET_JOIN.fullmatch(text[mentions[run[0] - 1][1]:mentions[run[0]][0]]):
        run.insert(0, run[0] - 1)
    while run[-1] + 1 < len(mentions) and DATASET_JOIN.fullmatch(text[mentions[run[-1]][1]:mentions[run[-1] + 1][0]]):
        run.append(run[-1] + 1)
    return SEMICOLON.join(mentions[i][2] for i in run)


def extract_or_skip(title, abstract):
    """(claims, None), or ([], reason) when the regex guard stopped an abstract: a
    pathological text is reported as skipped, never a crash or a hang."""
    try:
        return extract(title, abstract), None
    except TimeoutError:
        return [], f"skipped: a pattern ran longer than {TIMEOUT:g}s on this abstract"


# A sentence worth reading holds a digit or one of these words (in lower case)
NUMBER_WORDS = ("twice", "half", "halve", "order of magnitude", "tenth", "thousand", "hundred", "single")
DIGIT = regex.compile(r"\d")


class Abstract:
    """One abstract being read, with what its sentences share, computed on first use."""

    def __init__(self, title, text):
        self.title, self.text = title, text
        self.folded = _folded(text)
        self.spans = sentences(text)
        self.seen = set()  # (value, value_max, unit): the same number twice is one claim
        self.last_baseline = None  # the comparison an earlier sentence stated
        self.metric_of_unit = {}  # "search time ... 0.52 GPU day. ... NAS of 4 GPU days": the same metric

    @functools.cached_property
    def method(self):
        return paper_method(self.title, self.text)

    def next_numberish(self, lo):
        """Where the first digit or number word at or after ``lo`` stands, else None: a
        digit search, then str.find of the words before that digit only (twice as fast
        as one pattern for both)."""
        digit = DIGIT.search(self.folded, lo)
        end = digit.start() if digit else len(self.folded)
        words = [at for at in (self.folded.find(word, lo, end) for word in NUMBER_WORDS) if at >= 0]
        return min(words, default=digit.start() if digit else None)

    def quality_before(self, lo):
        """The quality metric the nearest earlier sentence names ("accuracy ... gains 4.6%")."""
        for s_lo, s_hi in reversed([span for span in self.spans if span[1] <= lo]):
            found = sentence_metric(metric_mentions(self.text, s_lo, s_hi), s_lo, s_hi)
            if found:
                return found
        return None


def extract(title, abstract):
    """The claims of one paper, in the order they appear.

    >>> [(c.value, c.unit, c.type, c.metric, c.qualifier) for c in extract("X", "X is up to 4 times faster.")]
    [(4, 'x', 'speedup', 'speed', 'up_to')]
    """
    doc = Abstract(title, abstract)
    claims, numberish = [], -1
    for lo, hi in doc.spans:
        if numberish < lo:  # one search skips a run of sentences without a number
            numberish = doc.next_numberish(lo)
            if numberish is None:
                break
        if numberish < hi:
            claims += sentence_claims(doc, lo, hi)
    return claims


LIST_ITEM_START = regex.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)$")


def sentence_claims(doc, lo, hi):
    """The claims of one sentence: its numbers, list by list."""
    text = doc.text
    nums = numbers(text[lo:hi])
    if not nums:
        return []  # its digits were all inside names ("ResNet-50")
    for n in nums:
        n.start += lo
        n.end += lo
    mentions = metric_mentions(text, lo, hi)
    scored_sentence = scores_a_metric(mentions)
    datasets = None  # read when the sentence turns out to hold a claim
    claims = []
    for members in groups(text, nums):
        unit_source = next((n for n in reversed(members) if n.unit), None)
        for n in members:  # a bare member borrows the unit written after it: "0.66, 1.47 and 8.4 FLOP(G)"
            if n.unit is None and n.scale is None and unit_source is not None and unit_source.start > n.start:
                n.unit, n.scale = unit_source.unit, n.scale or unit_source.scale
        near = (any(metric_near(text, n, mentions, scored_sentence) for n in members)
                or (len(members) > 1 and (bool(OUTCOME_COUNT.match(text, members[-1].end))
                                          or counted_claim(text, members[-1]))))
        # a list shares the metric written nearest to any member: "25.2, 31.3 and 41 mAP"
        group_metric = (min(scored_metric(text, n, mentions, *clause(text, n, lo, hi)) for n in members)[1]
                        if len(members) > 1 else None)
        first = None
        group_claims = []
        for i, n in enumerate(members):
            if not is_claim(text, n, near):
                continue
            if n.unit is None and n.scale and text[n.start - 1:n.start] == "(":
                n.unit = "params"  # "ViT-B (86M)": a model's size in parentheses
            key = (n.value, n.value_max, n.unit)
            if key in doc.seen:
                continue
            doc.seen.add(key)
            claim, cue = describe(doc, n, mentions, lo, hi, group_metric, first)
            datasets = dataset_mentions(text, lo, hi) if datasets is None else datasets
            # "79.1%, 81.2% and 83.0% on A, B and C": one dataset each, in order
            respective = len(members) > 1 and len(datasets) == len(members)
            claim.dataset = datasets[i][2] if respective else pick_datasets(text, n, datasets)
            # a comparison stated once covers the sentence's later numbers, and a later
            # sentence's changes ("SE-MoE outperformed DeepSpeed ... It achieved 64% higher")
            if claim.baseline is None and claim.type not in ("score", "resource"):
                claim.baseline = claims[-1].baseline if claims else doc.last_baseline
            doc.last_baseline = claim.baseline or doc.last_baseline
            # "up to 12% on A, 9% on B, and 14% on C": a qualifier heading a list covers it
            if claims and claim.qualifier is None and LIST_ITEM_START.search(text, claims[-1].end, n.start) \
                    and n.start - claims[-1].end <= 80:
                claim.qualifier = claims[-1].qualifier
            first = first or (claim.qualifier, cue)
            claims.append(claim)
            group_claims.append(claim)
        # "outperforms AiM/VAR by 0.25/0.28": one baseline each, in order
        parts = (group_claims[0].baseline or "").split("/") if group_claims else []
        if len(members) > 1 and len(parts) == len(members) == len(group_claims):
            for claim, part in zip(group_claims, parts):
                claim.baseline = part
    return claims


def describe(doc, n, mentions, lo, hi, group_metric, first):
    """The claim a number makes, and the change word read for it. ``first`` holds the
    (qualifier, change word) of the first member of its list, which the others share."""
    text = doc.text
    c_lo, c_hi = clause(text, n, lo, hi)
    score, metric = scored_metric(text, n, mentions, c_lo, c_hi)
    if score == UNIT_DEFAULT:
        metric = doc.metric_of_unit.get(n.unit, metric)
    elif score > OWN_WORDS_WIN:
        metric = own_words_metric(text, n, c_hi) or metric
    metric = group_metric or metric
    cue = nearest_cue(text, n, c_lo, c_hi)
    written = qualifier_before(text, n, c_lo)
    qualifier = pick_qualifier(text, n, c_lo, c_hi, written)
    if first is not None:
        qualifier, cue = qualifier or first[0], cue or first[1]
    if metric is None:
        metric = (sentence_metric(mentions, lo, hi)
                  or (doc.quality_before(lo) if n.unit in ("%", "points", "pp", None) else None)
                  or default_metric(n, cue))
    if score < UNIT_DEFAULT:
        doc.metric_of_unit[n.unit] = metric
    kind = pick_type(n, metric, cue, text)
    unit = n.unit
    if kind == "score" and unit == "points":
        unit = None  # "22.5 BLEU points" is a score; points are for deltas
    elif kind == "improvement" and unit is None and n.scale is None:
        unit = "points"  # "by 0.8 mAP"
    start, end = phrase(text, n, mentions, c_lo, c_hi, written)
    claim = Claim(
        paper=doc.title, text=text[start:end], value=_num(n.value), value_max=_num(n.value_max),
        scale=n.scale, unit=unit, type=kind, metric=metric, method=claim_method(text, lo, n, doc.method),
        baseline=pick_baseline(text, n, c_lo, c_hi, hi), qualifier=qualifier,
        start=start, end=end, sentence=text[lo:hi])
    return claim, cue


def phrase(text, number, mentions, lo, hi, written):
    """The claim's words as the spec's `text`: its qualifier (``written``, the match of
    ``qualifier_before``), the number and unit, and the metric or change words written
    right after ("up to 4 times faster").

    >>> t = "It is up to 4 times faster, with 95.42% classification accuracy."
    >>> mentions = metric_mentions(t, 0, len(t))
    >>> [t[a:b] for n in numbers(t) for a, b in [phrase(t, n, mentions, 0, len(t), qualifier_before(t, n, 0))]]
    ['up to 4 times faster', '95.42% classification accuracy']
    """
    start, end = number.start, number.end
    if written and written.lastgroup != "average":
        start = written.start()
    for _ in range(2):  # "50% FID improvement": a metric name, then a change word
        if text[end:end + 1] != " ":
            break
        mention = next((m for m in mentions.window(end, end + 2) if m[0] == end + 1), None)
        cue = CUE.match(text, end + 1, hi)
        if mention:
            end = mention[1]
        elif cue:
            end = cue.end()
        else:
            break
    return start, min(end, hi)


DEFAULT_METRIC = {"params": "parameters", "GB": "memory", "MB": "memory", "KB": "memory", "TB": "memory",
                  "FLOPs": "flops", "GPUs": "gpus", "USD": "cost", "day": "training time", "h": "training time",
                  "min": "training time", "s": "inference time", "ms": "latency", "fps": "speed",
                  "tokens": "tokens", "J": "energy", "W": "energy", "dB": "psnr"}


def default_metric(number, cue):
    if number.unit in DEFAULT_METRIC:
        return DEFAULT_METRIC[number.unit]
    if cue == "faster":
        return "speed"
    return "performance"


def _num(value):
    if value is None or not math.isfinite(value):
        return None
    return int(value) if value == int(value) and abs(value) < 1e15 else value
