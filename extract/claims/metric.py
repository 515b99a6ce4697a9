"""Step 4: the metric a number measures.

    "95.4% top-1 accuracy", "FID of 2.3"     -> the nearest metric name: accuracy, fid
    "trains in 8 GPU days"                   -> from the unit alone: training time
    "a 3x increase in batch size"            -> in the abstract's own words: batch size

Metric names, aliases and kinds are data: vocab/metrics.yml.
"""
import bisect
import functools

import regex

from .. import vocab
from .fast import EndAnchored, lowered, metric_pattern
from .rules import BY_BEFORE, CUES, HEDGES, RESOURCE_UNITS
from .sentence import RESPECTIVELY, distance


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


# A sentence's mentions are read again for later sentences (Abstract.quality_before) and
# for its datasets: made once. Callers only read them.
@functools.lru_cache(maxsize=64)
def metric_mentions(text, lo, hi):
    weak = vocab.weak_aliases()
    aliases = vocab.metric_aliases()
    return Mentions([(m.start(), m.end(), aliases[m[0]], m[0] in weak)
                     for m in metric_pattern().finditer(lowered(text), lo, hi)])


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
            # a weak name right after a change: "surpasses RetinaNet by 3.7 AP"
            if 0 <= start - number.end <= 1 and BY_BEFORE.search(text, max(0, number.start - 40), number.start):
                return True
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

# between a metric's name and its number: "RMSE of 6.04 dB", "RMSE (dB) improvement of 3.59 dB"
NAMES_IT = regex.compile(r"\s*(?:\([^)]{1,12}\)\s*)?(?:(?:improvements?|gains?|reductions?|drops?)\s+)?"
                         r"(?:of|is|was|=|:|by)?\s*"
                         r"(?:(?:less|more)\s+than\s+|under\s+|only\s+|just\s+|about\s+|within\s+)?")
UNIT_DEFAULT = 1000  # the "distance" of a metric taken from the unit alone ("8 days": training time)
WEAK_PENALTY = 40  # characters: a weak name ("faster", "data") loses to a strong one this much nearer


def scored_metric(text, number, mentions, lo, hi):
    """(how far, metric): the metric a number measures and how far its name stands. A
    resource unit brings its own metric; otherwise the nearest name in the clause wins
    (weak names count farther), and "N times faster" stays `speed` unless a named kind of
    speed stands close by. Lists keep the nearest of their members'."""
    ranked = []  # (distance, name, follows the number directly, a weak name's span)
    for start, end, name, weak in mentions.window(lo, hi):
        if start < number.end and end > number.start:
            continue  # the number's own unit ("4.5 GFLOPs") is no separate mention
        d = distance(text, number, start, end)
        right_after = (0 <= start - number.end <= 3 or text[number.end:start] == " of "  # "10 minutes of training data"
                       or (not weak and end <= number.start and NAMES_IT.fullmatch(text, end, number.start)))
        ranked.append((d + (WEAK_PENALTY if weak and d > 3 else 0), name, right_after, (start, end) if weak else None))
    ranked.sort()
    if number.unit in DEFAULT_METRIC and (number.unit in RESOURCE_UNITS or number.unit == "dB"):
        # "0.1 GPU-days of search cost", "0.29dB": a name measured in the same kind of unit
        # wins, or one written right after the number ("8 GB memory"); not "12B parameters in 8 days"
        same_kind = [name for d, name, right_after, _ in ranked
                     if right_after or unit_kind(vocab.metrics()[name].unit) == unit_kind(number.unit)]
        own = vocab.unit_metrics().get(number.bare_unit_form)
        if own:  # "156 TFLOPS" names its metric unless another name stands right after it
            return 0, ([name for d, name, right_after, _ in ranked if right_after] or [own])[0]
        if same_kind:
            return 0, same_kind[0]
        return UNIT_DEFAULT, DEFAULT_METRIC[number.unit]
    if not ranked:
        return float("inf"), None
    score, best, _, weak_span = ranked[0]
    if weak_span and vocab.metrics()[best].kind != "speed":
        # a weak name leading a noun phrase is only a part of it: "data transfer time" and
        # "84% of the data accesses" are metrics in the abstract's own words, not dataset size
        longer = NOUNS_AFTER.match(text, weak_span[1], hi)
        if longer:
            return score, vocab.ascii_lower(text[weak_span[0]:longer.end()])
    if best == "speed":  # "4.8x speedup in inference latency": the named kind of speed
        best = next((name for d, name, *_ in ranked if name != "speed" and vocab.metrics()[name].kind == "speed"
                     and d <= 30 + WEAK_PENALTY), best)
    return score, best


_NOT_NP = r"(?:than|that|this|these|those|both|same|its|their|on|in|with|within|without|just|for|compared|and|or|at|by|over|while|from|to|as)\b"
_WORD = rf"\p{{Ll}}{{3,}}(?:-(?!{_NOT_NP})\p{{Ll}}{{3,}})*"
_NP = (rf"(?:(?:average|mean|overall)\s+)?(?P<np>(?:number|amount)\s+of\s+\p{{Ll}}+|(?!{_NOT_NP}){_WORD}"
       rf"(?:\s(?!{_NOT_NP}|of\b){_WORD}){{0,2}})(?![\w])")
# one or two nouns (no verb forms, no change words) closing a phrase before a preposition or a stop
_CHANGE_WORD = rf"(?:{'|'.join(CUES.values())})(?![\w-])"
NOUNS_AFTER = regex.compile(rf"(?:\s(?!{_NOT_NP}|of\b|{_CHANGE_WORD})(?!\w+(?:ing|ed)\b){_WORD}){{1,2}}"
                            r"(?=\s+(?:by|of|on|in|for|to|from|with|at|is|are|was|were|than)\b|\s*[,.;:)]|$)")
OWN_WORDS_AFTER = regex.compile(
    r"\s*(?:(?:more|fewer|less|higher|lower|larger|bigger|smaller|better|greater|deeper|wider)\s+(?:the\s+)?"
    r"|(?:improvements?|reductions?|gains?|increases?|decreases?|drops?|declines?)\s+(?:in|of|on)\s+(?:the\s+)?"
    r"|in\s+terms\s+of\s+(?:the\s+)?|the\s+"
    # a phrase naming a measure right after the number: "a 98% evasion rate", "95% GPU utilization"
    r"|\s(?=(?:[\w-]+\s){0,2}(?:rate|ratio|score|efficiency|utilization|coverage|agreement)\b))" + _NP)
OWN_WORDS_BEFORE = EndAnchored(
    _NP + r"\s+(?:improvements?|gains?|reductions?|increases?|decreases?|drops?|declines?)\s+(?:of|is|by)\s+$"
    r"|(?:improv|reduc|increas|decreas|boost|enhanc|lower|rais|cut|push|shorten|extend)\w*\s+"
    r"(?:the\s+|their\s+|its\s+|our\s+)?"  # "push the verifiable bound to 10 times larger"
    + _NP + rf"(?:\s+\([\w-]+\))?\s+(?:by|to)\s+(?:(?:{HEDGES})\s+)*$")


OWN_WORDS_WIN = 12  # characters: a vocabulary name farther than this loses to the abstract's own words


# a measure named just before its value: "the recovery time is within 50 minutes", "a transmission efficiency of 85%"
MEASURE_BEFORE = EndAnchored(
    r"(?<![\w-])(?P<np>(?:\p{Ll}{3,}\s){0,2}(?:time|latency|cost|budget|footprint|overhead|efficiency|rate|ratio|"
    r"utilization|distance|length))\s+(?:is|was|of|reaches|reached)\s+"
    rf"(?:(?:{HEDGES}|less\s+than|within|under)\s+)*$")


def measure_before(text, number):
    """The abstract's own name of the measure written just before a number, else None."""
    m = MEASURE_BEFORE.search(text, max(0, number.start - 60), number.start)
    return m["np"] if m and not metric_pattern().search(vocab.ascii_lower(m["np"])) else None


# "models up to 3x larger": the noun the size word follows names what grew (a scale, not a speed)
SIZE_AFTER = regex.compile(r"\s*(?:larger|bigger|deeper|wider)\b(?!\s+than\b)")
GROWN_BEFORE = EndAnchored(rf"(?<![\w-])(?P<np>{_WORD})\s+(?:(?:{HEDGES})\s+)*$")


def own_words_metric(text, number, hi):
    """A metric outside the vocabulary, in the abstract's own words: "25% more depth",
    "a 3x increase in batch size", "an average reward gain of 85%", "models up to 3x larger"."""
    m = (OWN_WORDS_AFTER.match(text, number.end, hi) or OWN_WORDS_BEFORE.search(text, max(0, number.start - 50), number.start)
         or (SIZE_AFTER.match(text, number.end, hi) and GROWN_BEFORE.search(text, max(0, number.start - 40), number.start)))
    if not m:
        return measure_before(text, number)
    words = m["np"].split()
    if metric_pattern().search(m["np"]) or not words or len(words[0]) < 3:
        return None  # the vocabulary knows it, or it is no noun phrase
    return " ".join(words)


def unit_kind(unit):
    """What a unit measures: "time" for ms and day, "memory" for MB and GB; else the unit itself."""
    return vocab.unit_kinds().get(unit, {}).get("kind", unit)


def sentence_metric(mentions, lo, hi):
    """The first strong quality metric a sentence names, for numbers whose clause names none."""
    for start, _, name, weak in mentions:
        if lo <= start < hi and not weak and vocab.metrics()[name].kind == "quality":
            return name
    return None

NAMES_THEN_NUMBERS = regex.compile(  # "precision, F1 and specificity of 91%, 88% and 95%"
    r"\s+(?:of|are|were|is|at|reach(?:es|ing)?|achiev(?:es|ing)|)\s*(?:(?:up\s+to|about|around|over|nearly)\s+)?$|\s*[:=]\s*$")
NAME_GLUE_BEFORE = regex.compile(r"(?:,\s*(?:and\s+)?|,?\s+and\s+|/)$")
NAME_GLUE_AFTER = regex.compile(r",\s*(?:and\s+)?|,?\s+and\s+|/")
NAMES_LEAD = regex.compile(r" (?:(?P<prep>in\s+terms\s+of|in|for)\s+(?:the\s+)?)?")  # "0.79 in PSNR and SSIM, respectively"
LIST_WORD_BEFORE = regex.compile(r"[\w@.+-]*\w$")
LIST_WORD_AFTER = regex.compile(r"\w[\w@.+-]*?(?=[\s,/]|$)")


def _list_name(mentions, text, at, backward):
    """(start, end, name, known) of the metric name ending (or starting) at ``at``: a
    vocabulary name (known unless weak), else one word in the abstract's own words."""
    for start, end, name, weak in mentions.window(at - MAX_ALIAS, at + MAX_ALIAS):
        if (end if backward else start) == at:
            return start, end, name, not weak
    m = LIST_WORD_BEFORE.search(text, max(0, at - 40), at) if backward else LIST_WORD_AFTER.match(text, at)
    return (m.start(), m.end(), vocab.ascii_lower(m[0]), False) if m else None


def respective_metrics(text, members, mentions, lo, hi):
    """The metric of each member of a list read pairwise, in order: "precision, F1 and
    specificity of 91%, 88% and 95%, respectively", "91%, 88% and 95% precision, F1 and
    specificity, respectively", "PSNR/SSIM of 31.2/0.89"; else None.

    >>> from extract.claims.number import numbers
    >>> t = "It has precision, F1 and specificity of 91%, 88% and 95%, respectively."
    >>> respective_metrics(t, numbers(t), metric_mentions(t, 0, len(t)), 0, len(t))
    ['precision', 'f1', 'specificity']
    """
    slashed = all(text[a.end:b.start] == "/" for a, b in zip(members, members[1:]))
    names = []
    link = NAMES_THEN_NUMBERS.search(text, max(lo, members[0].start - 30), members[0].start)
    if link and (slashed or RESPECTIVELY.match(text, members[-1].end)):
        at = link.start()
        while len(names) <= len(members):
            name = _list_name(mentions, text, at, backward=True)
            if not name:
                break
            names.insert(0, name)
            glue = NAME_GLUE_BEFORE.search(text, max(lo, name[0] - 6), name[0])
            if not glue:
                break
            at = glue.start()
    else:
        lead = NAMES_LEAD.match(text, members[-1].end)
        at = lead.end() if lead else None
        while at and len(names) <= len(members):
            name = _list_name(mentions, text, at, backward=False)
            if not name:
                break
            names.append(name)
            glue = NAME_GLUE_AFTER.match(text, name[1])
            if not glue or RESPECTIVELY.match(text, name[1]):
                break
            at = glue.end()
        if not names or not RESPECTIVELY.match(text, names[-1][1]):
            return None
        if lead["prep"] and not all(known for *_, known in names):
            return None  # after "in", "for": datasets or settings ("for training and inference")
    return [name for _, _, name, _ in names] if len(names) == len(members) else None


# The metric a unit measures when no name stands near ("8 GPU days": training time)
DEFAULT_METRIC = {unit: d["metric"] for unit, d in vocab.unit_kinds().items() if "metric" in d}


def default_metric(number, cue):
    if number.unit in DEFAULT_METRIC:
        return DEFAULT_METRIC[number.unit]
    if cue == "faster":
        return "speed"
    return "performance"

