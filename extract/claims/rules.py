"""Step 3: which numbers are claims. An ordered list of small named rules; the first rule
with something to say decides, and its name tells why (``claimboard extract --explain``).

    "in 2014", "the 1990s"              -> dropped by "year"
    "4-bit quantization", "90% sparsity" -> dropped by "bit width", "setting noun after"
    "in just two epochs", "41.2 mAP"     -> kept by "counted thing", "metric near"

A number no rule drops is a claim when it has a unit or a metric names it (spec "Which
numbers are claims").
"""
from dataclasses import dataclass

import regex

from .. import vocab
from .number import COUNTED

OUTCOME_COUNT = regex.compile(r"\s(?:test\s)?errors\b", regex.I)  # "160 errors on the test set"
TOTAL_OR_AVERAGE = regex.compile(r"\s*total|.{0,20}on\s+average")

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
PRECISION_SCORE = regex.compile(r"\s*precision\b(?!\s+(?:training|format|weights?|arithmetic))", regex.I)
# "on 10% of the data" is a setting; "recalling 84% of the data", "only 5% of the data" are not
DATA_SHARE = regex.compile(r"\s*of\s+(?:the\s+)?(?:training\s+)?(?:data|labels|samples)\b", regex.I)
DATA_SHARE_SETTING = regex.compile(r"\b(?:on|with|using|use|uses|from|in|for)\s+$", regex.I)
AT_SETTING = regex.compile(r"\bat\s+(?:a\s+)?$", regex.I)  # "at 90% sparsity", "at 80GB"
SCALING_UP_TO = regex.compile(r"\b(?:up\s+to|scal\w+\s+to|with|of|such\s+as)\s+(?:more\s+than\s+)?$", regex.I)
BACKGROUND = regex.compile(r"\bgr[eo]wn?s?\b|\bgrowth\b|\bgrowing\b", regex.I)  # "models grew 1000x"
# A model size is a claim only when stated as an achievement: "with only 600M parameters".
ACHIEVED_SIZE = regex.compile(
    r"\b(?:only|merely|just|mere|fewer\s+than|less\s+than|under|at\s+most|as\s+few\s+as|compact|lightweight|tiny|"
    r"activat\w+)\b|<",
    regex.I)
SIZE_UNITS = vocab.units_where("size")  # params, tokens
SIZE_THEN_RESULT = regex.compile(
    r"[^.;]{0,25}?\b(?:match|rival|outperform|surpass|beat|exceed)(?:s|es|ing)?\b", regex.I)
NAMED_MODEL = regex.compile(r"\s?(?:[\w-]+\s)?(?:models?|LLMs?|LMs?|variants?|baselines?|counterparts?)\b")
ONLY_A = regex.compile(r"\b(?:only|just|merely)\s+(?:an?\s+)?$", regex.I)
WITH_END = regex.compile(r"\bwith\s+$", regex.I)
CLAUSE_BREAK = regex.compile(r"[.;(]")
RESOURCE_UNITS = vocab.units_where("resource")  # time, memory, compute ...
LIMIT_AFTER = regex.compile(  # "under 50ms TPOT SLA"; not "10 GPU hours of compute budget"
    r"\s?(?:(?!of\b)[\w-]+\s){0,2}(?:SLAs?|SLOs?|budgets?|constraints?|deadlines?|limits?|timeouts?)\b", regex.I)
RATE_ON = regex.compile(r"(?:\bfps|\bFPS|frames\s+per\s+second|/s|\bms|per\s+second|latency|throughput|flops)"
                        r"[^,.;]{0,25}\bon\s+(?:an?\s+)?$")
MEMORY_UNITS = vocab.units_where("kind", "memory")
HARDWARE_AFTER = regex.compile(r"\s?(?:[A-Z]\w*\s)?(?:GPUs?|cards?|accelerators?)\b")  # "80GB GPU", "48GB NVIDIA GPUs"
BY_END = regex.compile(r"\bby\s+$")
TIME_UNITS = vocab.units_where("kind", "time")
SINGULAR_TIME = {form for d in vocab.unit_kinds().values() for form in d.get("adjectival_forms", ())}  # "24 hour"
PER = regex.compile(r"\s*per\s")
TIME_SPENT = regex.compile(r"\b(?:takes?|took|taking|requires?|needs?|runs?\s+in|within)\b", regex.I)
REPEATED = regex.compile(r"\s*[,.;)]")
# The words that may stand between a change and its number ("by up to 4x", "by about 30%"):
# one list (vocab/qualifiers.yml) for every rule that looks past them.
HEDGES = vocab.phrase_pattern(vocab.hedges())
CUES = {  # the words that state a change, by its direction (kind.py, metric.py read them); lower case
    # ("Faster R-CNN" names a detector, not a change)
    "faster": r"faster(?![\s-]+r-?cnn)|speed-?ups?|speeds?[\s-]up|accelerat\w*|quicker|sooner",
    "down": r"fewer(?!\s+than)|less(?!\s+than)|smaller(?!\s+than)|reduc\w*|sav(?:e|es|ed|ing|ings)|"
            r"compress\w*|lower(?!\s+than)|cuts?|slash\w*|decreas\w*|shrink\w*|cheaper|halve[sd]?|"
            r"drops?|declines?|degradation|loss|los(?:e|es|ing)|only\s+(?:uses|requires|needs)|down(?=\s+\d)",
    "up": r"improv\w*|higher(?!\s+than)|better|gains?|boost\w*|increas\w*|outperform\w*|surpass\w*|"
          r"exceed\w*|margins?|larger|more(?!\s+than)|beats?|advances?|\+(?=\s?\d)|up(?=\s+\d)",
}
BY_BEFORE = regex.compile(rf"\bby\s+(?:(?:{HEDGES})\s+)*$")  # "outperforms X by 4.19%": a change
# The paper's own run: "trained on 2T tokens", "pre-train with 300B tokens", "trained with 1,024 H100s"
RUN_BEFORE = regex.compile(
    r"\b(?:train|pre-?train|fine-?tun|distill)\w*\s+(?:(?!on\b|with\b)[\w-]+\s+){0,3}?(?:on|with|using|for|over)\s+"
    rf"(?:(?:{HEDGES})\s+)*$", regex.I)
FACTOR_BEFORE = regex.compile(rf"\b(?:by|of|to|than|{HEDGES})\s+(?:(?:{HEDGES})\s+)*$", regex.I)
RESOLUTION = regex.compile(r"\s?(?:x|×|times|\\times)\s?\d")
RESOLUTION_BEFORE = regex.compile(r"\d\s?(?:x|×|times|\\times)\s?$")
ACHIEVED_COUNT = regex.compile(r"\b(?:only|just|merely|mere|as\s+few\s+as|within|in|up\s+to)\s+$", regex.I)


def counted_claim(text, number, first=None):
    """A count stated as an outcome: "in just two epochs", "80 total epochs", "1000+ layers".
    A list is read at its ``first`` member: "in only 160 and 80 epochs" is achieved, "with
    100 and 1000 layers" is a setting."""
    first = first or number
    before = text[max(0, first.start - 25):first.start]
    after = text[number.end:number.end + 40]
    return bool(COUNTED.match(text, number.end)) and bool(
        number.plus or ACHIEVED_COUNT.search(before) or TOTAL_OR_AVERAGE.match(after))


KEEP, DROP = True, False


@dataclass
class Around:
    """What the rules read: the number, the words around it, and whether a metric names it."""
    text: str
    number: object
    metric_near: bool
    last: object = None  # the last member of the number's list ("100 and 1000 layers"), if in one

    def __post_init__(self):
        self.before = self.text[max(0, self.number.start - 25):self.number.start]
        self.after = self.text[self.number.end:self.number.end + 40]


RULES = []  # (name, rule), in the order they are asked


def rule(name):
    def register(function):
        RULES.append((name, function))
        return function
    return register


@rule("placing")
def placing(a):  # "won 1st place", "ranked first": a rank in a contest (placing.py)
    if a.number.placing:
        return KEEP


@rule("year")
def year(a):  # "in 2014", "the 1990s"
    numeral = NUMERAL.match(a.text, a.number.start, a.number.end)
    form = a.number.bare_unit_form
    if numeral and YEAR.match(numeral[0]) and (not form or form == "s"):
        return DROP


@rule("setting word before")
def setting_word_before(a):  # "top-5", "batch size 256", "Table 3", "k = 10"
    if SETTING_BEFORE.search(a.before):
        return DROP


@rule("bit width")
def bit_width(a):  # a setting: "4-bit quantization", "2bit KV cache"
    if a.number.unit == "bits" and (a.number.bare_unit_form or "").lstrip("-") == "bit":
        return DROP


@rule("setting noun after")
def setting_noun_after(a):  # "90% sparsity", "8x super-resolution", "5-shot"; but "91.2% precision" is a score
    if a.number.unit in ("%", "bits", "x", "GB", "GPUs", "Hz") and SETTING_AFTER.match(a.after) \
            and not (a.number.unit == "%" and PRECISION_SCORE.match(a.after)):
        return DROP


@rule("counted list")
def counted_list(a):  # "with 100 and 1000 layers", "for 4, 8 and 16 GPUs": the noun after the last counts every member
    last = a.last
    if last is not None and (last.unit == "GPUs" or (last.unit is None and SETTING_AFTER.match(a.text, last.end))):
        return DROP  # a sweep over the setup, as "with 4 GPUs" used as a setting


@rule("share of the data")
def share_of_the_data(a):  # "trained on 10% of the data"
    if a.number.unit == "%" and DATA_SHARE.match(a.after) and DATA_SHARE_SETTING.search(a.before):
        return DROP


@rule("at a setting")
def at_a_setting(a):  # "at 90% sparsity", "at 80GB"; a rate is a speed: "runs at 30 fps", "at 25 tokens/s"
    if a.number.unit not in ("fps", None) and AT_SETTING.search(a.before) and not _rate(a.number):
        return DROP


def _rate(number):
    return vocab.unit_metrics().get(number.bare_unit_form) == "throughput"


@rule("budget")
def budget(a):  # a limit the run is held to: "under 50ms TPOT SLA", "a 10 GPU-hour budget"
    if a.number.unit in RESOURCE_UNITS and LIMIT_AFTER.match(a.after):
        return DROP


@rule("memory of the hardware")
def memory_of_the_hardware(a):  # "an 80GB GPU", "A100 80GB GPUs": the card, not the run; "a mere 18GB GPU" is
    n = a.number
    if n.unit in MEMORY_UNITS and HARDWARE_AFTER.match(a.after) and not ACHIEVED_SIZE.search(_clause_before(a)):
        return DROP


@rule("background growth")
def background_growth(a):  # "models grew 1000x": the field's history, not the paper's result
    if a.number.unit in ("x", "%") and BACKGROUND.search(a.text, max(0, a.number.start - 30), a.number.start):
        return DROP


@rule("scaled up to")
def scaled_up_to(a):  # "scales to 1024 GPUs"; but "trained with 1,024 H100s" is the run's own figure
    if a.number.unit in ("GPUs", "Hz") and SCALING_UP_TO.search(a.before) and not RUN_BEFORE.search(a.before):
        return DROP


@rule("clock rate")
def clock_rate(a):  # sampling rates and clocks are settings; "raises it by 2 GHz" is not
    if a.number.unit == "Hz" and not BY_END.search(a.before):
        return DROP


@rule("time as adjective")
def time_as_adjective(a):  # "0-5 day forecasts", "a 24 hour window"
    n = a.number
    if n.unit in TIME_UNITS and n.value == int(n.value) and n.value != 1 and n.bare_unit_form in SINGULAR_TIME:
        return DROP


@rule("resolution")
def resolution(a):  # "256 x 256", "5 times 5"
    if a.number.unit is None and (RESOLUTION.match(a.after) or RESOLUTION_BEFORE.search(a.before)):
        return DROP


@rule("time per step")
def time_per_step(a):  # a rate set for the run: "an advance of 10ms per frame"; "takes 50 ms per image" is measured
    if a.number.unit in TIME_UNITS and PER.match(a.after) and not TIME_SPENT.search(_clause_before(a)):
        return DROP


@rule("repetition")
def repetition(a):  # "pre-trained five times, the ...": a repetition, not a factor
    if a.number.bare_unit_form == "times" and REPEATED.match(a.after) and not FACTOR_BEFORE.search(a.before):
        return DROP


@rule("hardware of a measurement")
def hardware_of_a_measurement(a):  # "17.6 FPS on a single V100": where a speed was measured, not what it cost
    if a.number.unit == "GPUs" and RATE_ON.search(a.text, max(0, a.number.start - 60), a.number.start):
        return DROP


@rule("product name")
def product_name(a):  # "RTX 4090 GPU"
    if a.number.unit == "GPUs" and a.number.value >= 1000 and a.number.bare_unit_form == "GPU":
        return DROP


@rule("model size")
def model_size(a):  # a claim only as an achievement: "with only 600M parameters", "ViT-B (86M)"
    n = a.number
    if (n.unit in SIZE_UNITS and not _rate(n)) or (n.unit is None and n.scale):
        alone_in_parens = a.text[n.start - 1:n.start] == "(" and a.after.startswith(")")
        if n.unit != "tokens" and NAMED_MODEL.match(a.after) and not ONLY_A.search(a.before):
            return DROP  # "our 7B model", "outperforms 7B models": a name; "can train only a 2.7B LM" is not
        # the tokens of the paper's own run: "trained on 2T tokens", "1.4T training tokens"
        run_tokens = n.unit == "tokens" and (vocab.unit_metrics().get(n.bare_unit_form) or RUN_BEFORE.search(a.before))
        # a size the result is had with: "with 1.3B parameters, it matches a 7B baseline"
        size_of_result = n.unit == "params" and WITH_END.search(a.before) and SIZE_THEN_RESULT.match(a.after)
        return bool(ACHIEVED_SIZE.search(_clause_before(a)) or alone_in_parens or a.after.startswith(" per token")
                    or run_tokens or size_of_result)


def _clause_before(a):
    """The words before the number back to the clause's start, at most 40 characters."""
    return CLAUSE_BREAK.split(a.text[max(0, a.number.start - 40):a.number.start])[-1]


@rule("outcome count")
def outcome_count(a):  # "160 errors on the test set"
    if a.number.unit is None and OUTCOME_COUNT.match(a.text, a.number.end):
        return KEEP


@rule("counted thing")
def counted_thing(a):  # "in just two epochs", "80 total epochs", "1000+ layers"
    if a.number.unit is None and counted_claim(a.text, a.number):
        return KEEP


@rule("glued to letters")
def glued_to_letters(a):  # 3D, 2nd, v2
    if GLUED.match(a.after) and a.number.unit is None and a.number.scale is None:
        return DROP


@rule("unit")
def has_unit(a):  # "4.2x", "95.4%", "8 GB"
    if a.number.unit:
        return KEEP


@rule("metric near")
def named_by_a_metric(a):  # "FID of 2.3", "41 mAP", "by 0.4" in a sentence about BLEU
    if a.metric_near:
        return KEEP


@rule("no unit, no metric")
def no_unit_no_metric(a):  # "with just 1 timestep", "160 different sub-models"
    return DROP


def decide(text, number, metric_near, last=None):
    """(kept, the name of the rule that decided); ``last`` is the last member of the
    number's list, when it stands in one.

    >>> from extract.claims.number import numbers
    >>> [decide(t, numbers(t)[0], False) for t in ["Since 2014 it grew.", "It is 4x faster."]]
    [(False, 'year'), (True, 'unit')]
    """
    around = Around(text, number, metric_near, last)
    for name, check in RULES:
        decision = check(around)
        if decision is not None:
            return decision, name
    raise AssertionError("the last rule always decides")
