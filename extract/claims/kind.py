"""Step 7: the claim's type (the change it states) and its qualifier.

    "4x faster", "a 2.1-point gain", "reduces memory by 30%" -> speedup, improvement, reduction
    "the FID is 2.3", "with 8 GB"                          -> score, resource
    "up to 12%", "about 3x", "over 90%", "on average 2 dB"  -> up_to, approx, at_least, average
"""
import regex

from .. import vocab
from .fast import CaseBlind, EndAnchored
from .number import COUNTED
from .rules import BY_BEFORE, CUES, OUTCOME_COUNT, RESOURCE_UNITS
from .sentence import distance

# the change a sentence states, nearest cue word wins
CUE = CaseBlind(r"(?<![\w-])(?=[a-z+])(?:%s)" % "|".join(rf"(?P<{k}>(?:{v})(?![\w-]))" for k, v in CUES.items()))

# The words before a number that qualify it (vocab/qualifiers.yml): "up to", "about", "over"
QUALIFIERS = {qualifier: vocab.phrase_pattern(phrases) for qualifier, phrases in vocab.qualifier_words().items()}
QUALIFIER = EndAnchored(
    r"(?:%s)(?:\s+(?:by|of|a|an|to|the))*\s*[(*]*\s*$" % "|".join(f"(?P<{k}>(?<![\\w-])(?:{v}))" for k, v in QUALIFIERS.items()),
    regex.I,
)
AVERAGE_AROUND = regex.compile(r"(?<![\w-])(?:on\s+average|an?\s+average|average[sd]?|averaging)(?![\w-])", regex.I)

TRAINED_SHARE = regex.compile(r"\b(?:train|tun|updat|adapt)\w*\s+(?:only\s+|just\s+|merely\s+)?$", regex.I)
REDUCED_BY = regex.compile(r"\bby\s+(?:up\s+to\s+)?$|reduc\w*\s+(?:\w+\s+){0,3}$")


def pick_type(number, metric, cue, text):
    """The claim's type (spec `type`): score, improvement, speedup, reduction or resource."""
    known = vocab.metrics().get(metric)
    kind = known.kind if known else None
    counted = number.unit is None and COUNTED.match(text, number.end) and not OUTCOME_COUNT.match(text, number.end)
    scored_in_unit = kind == "quality" and known.unit == number.unit  # "1.169 bits-per-character" is a score
    if (number.unit in RESOURCE_UNITS or counted) and not scored_in_unit:
        # a count of the run is a resource, never a score: "1000+ layers", "in two epochs";
        # counted errors are the outcome ("160 errors")
        before = text[max(0, number.start - 30):number.start]
        if cue == "down" and REDUCED_BY.search(before):
            return "speedup" if kind == "speed" else "reduction"
        return "resource"
    if cue == "faster":
        return "speedup"
    if kind == "speed":
        return "speedup"
    if kind == "cost":
        if number.unit == "%" and TRAINED_SHARE.search(text, max(0, number.start - 30), number.start):
            return "resource"  # "training only 0.25% of parameters": the share of the model it trains
        return "reduction" if number.unit in ("%", "x", "pp") or cue else "resource"
    if kind is None and cue == "down":
        # a metric in the abstract's own words that falls is a cost, quality ones are known:
        # "reduces data transfer time by 47.1%", "the number of compute nodes by 24%"
        return "speedup" if metric.endswith(" time") else "reduction"
    if cue in ("up", "down"):
        return "improvement"
    if number.unit == "x":
        return "improvement"
    return "score"


LEVEL_BEFORE = regex.compile(  # "improves to 2.08 FID", "the error rate is 18.5%": a level
    r"(?<!\bup\s)\b(?:to|from|of|is|are|was|were|reach(?:es|ing)?|achiev(?:es|ing)|obtain(?:s|ing)?|"
    r"record|registers?|yields?)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?$|/$")
COMPARATIVE_AFTER = regex.compile(  # after a number, "N more than X" compares: "5.5 points more than"
    r"\s*(?:[\w-]+\s+){0,2}?(?:(?P<up>more|higher|better|larger|greater)|(?P<down>less|fewer|lower|smaller))\s+than\b")


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


NEXT_DIGIT = regex.compile(r"(?<![\w.])\d")
OVER_AFTER = regex.compile(  # "9% over prior differentiable gates", "2.1 points over ResNet-50"
    r"\s+(?:over|against|compared\s+(?:to|with)|relative\s+to)\s+(?:the\s+)?"
    r"(?:[A-Z]|prior|previous|existing|baseline|state)")
CUE_STOP = regex.compile(r",|\s(?:while|and|but|which|that|where|with|without)\s")  # "2.7x with negligible drop"
CONTRAST = regex.compile(r"\s(?:while|whereas|but)\s")  # a change word before these states another change


def nearest_cue(text, number, lo, hi):
    """The change the clause states around a number: faster, down, up or None. Words
    after the number count only up to the next comma ("41.6 mAP, surpassing X by 0.8")."""
    before = text[max(lo, number.start - 40):number.start]
    comparative = COMPARATIVE_AFTER.match(text, number.end, hi)
    if comparative:  # "which is 2.68% higher than X": a change, whatever stands before it
        return comparative.lastgroup
    level = not BY_BEFORE.search(before) and LEVEL_BEFORE.search(before)  # "by an average of 6" is a change
    # a change word after the next number is that number's: "to 32.124dB with 2.42times compression"
    after_end = min(hi, number.end + 25)
    next_number = NEXT_DIGIT.search(text, number.end, after_end)
    if level and not CUE.search(text, number.end, next_number.start() if next_number else after_end):
        head = before[:level.start()].rstrip()
        tail = head[-20:] + " "
        cue_before = CUE.search(tail)
        noun_of_change = (level[0].split()[0] in ("of", "is", "are", "was", "were") and cue_before
                          and head.endswith(tail[cue_before.start():cue_before.end()]))
        if not noun_of_change:
            return None  # "the FID is 2.3", "improves to 2.08"; but "a gain of 85%" is a change
    # "surpasses X by 2.5 COMET", "up to 9% over prior gates": a margin, whatever follows
    changed_by = BY_BEFORE.search(before) or OVER_AFTER.match(text, number.end, hi)
    if not changed_by and adjacent_score(text, number, lo, hi):
        return None
    stop = CUE_STOP.search(text, number.end, hi)
    hi = stop.start() if stop else hi
    for turn in CONTRAST.finditer(text, lo, number.start):  # "4x speedup ... while using 79% of the energy"
        lo = turn.end()
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

