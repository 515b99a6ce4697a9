"""Step 6: the method a claim is about, and the baseline it is compared with.

    "ZeRO++: Extremely Efficient ..." (title)   -> ZeRO++, the paper's own system
    "GPT-4 reaches 86.4%"                       -> GPT-4, the subject of the sentence
    "outperforms the previous best MobileNetV3 by 2.1%", "4x faster than FlashAttention"
                                                -> baselines MobileNetV3, FlashAttention
"""
import functools

import regex

from .. import vocab
from .fast import NAME_START, CaseBlind, EndAnchored
from .rules import HEDGES, YEAR

INTRODUCES = CaseBlind(  # where an abstract names its own system
    r"\b(?:called|named|dubbed|termed|coined)\b|\b(?:we|this\s+(?:paper|work|study|article)|here\s+we)\s+"
    r"(?:\w+\s+)?(?:propose|introduce|present|develop|design|devise)s?\b")

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
        if COMPARED_WITH.search(abstract, max(0, m.start() - 30), m.start()):
            continue  # "approaching DenseNet", "than HiPPO": a rival, however often it is named
        counts[m[0]] = counts.get(m[0], 0) + 1
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
    owned = [m["name"] for m in OURS.finditer(abstract) if looks_like_name(m["name"])]
    if owned:  # "our S5-PTD model", "our IDM": the paper's own, whatever else it names more
        return max(owned, key=lambda word: counts.get(word, 0))
    introduced = introduced_name(abstract)
    if introduced and counts.get(introduced, 0) >= max(counts.values(), default=0):
        return introduced  # a component introduced on the way ("a ConvFormer block") is used less
    if counts:
        word, count = max(counts.items(), key=lambda kv: kv[1])
        if count >= 2:
            return word
    return head


# a result near another's: "approaching DenseNet", "on par with GPT-4" names a baseline, not the method
NEARS_WORDS = r"approach(?:es|ing)|match(?:es|ing)|comparable\s+(?:to|with)|on\s+par\s+with|close\s+to|rival(?:s|ing)"
# "our S5-PTD model", "our IDM": the paper names its own system
KIND = r"(?:model|method|framework|approach|network|system|architecture|algorithm|agent|pipeline)s?"
OURS = regex.compile(rf"(?<![\w-])[Oo]ur\s+(?P<name>[^\s,;:()]+?)[,;:)]?(?:\s+{KIND})?(?![\w-])")
# words before a rival's name
COMPARED_WITH = EndAnchored(rf"(?<![\w-])(?:than|over|vs\.?|versus|against|unlike|compared\s+(?:to|with)|{NEARS_WORDS}|"
                            r"outperform\w*|surpass\w*|beat\w*)\s+(?:the\s+)?$", regex.I)

SUBJECT = regex.compile(  # used with .match(text, pos): anchored at the sentence start
    r"(?:(?:Moreover|Furthermore|Notably|Specifically|In\s+particular|In\s+addition|Additionally|"
    r"For\s+example|For\s+instance|Besides|Finally|Overall|Meanwhile),\s+)?"
    r"(?:(?:the|our|a|an)\s+)?(?:(?:\w+\s+){0,2})?(?P<name>\S+)\s+" rf"(?:{KIND}\s+)?"
    r"(?:also\s+|only\s+|further\s+|still\s+|significantly\s+|impressively\s+)?"
    r"(?:achieves?|reach(?:es)?|obtains?|attains?|registers?|yields?|records?|scores?|gets?|"
    r"outperforms?|surpasses?|improves?|reduces?|runs?|requires?|uses?|averages?|is|was)\b", regex.I)


# A later clause's own subject: "our PDSG achieves 100% on ImageNet, and our SDA obtains 82% ..."
CLAUSE_SUBJECT = regex.compile(
    r"(?:,\s*|\s)(?:and|while|whereas|but)\s+(?:(?:our|the|its)\s+)?(?P<name>[^\s,;]+)\s+"
    r"(?:also\s+|further\s+|still\s+)?(?:achieves?|reach(?:es)?|obtains?|attains?|yields?|records?|scores?|gets?|"
    r"outperforms?|surpasses?)\b", regex.I)


def claim_method(text, lo, number, method, subject=True):
    """The system a sentence is about, when it is not the paper's own name: a named
    variant of it ("M-VAR-d32" for M-VAR) or (unless ``subject`` is False) the subject of
    the number's clause ("..., and GPT-4 reaches") or of the sentence ("GPT-4 reaches")."""
    if subject:
        clause_subject = None
        for clause_subject in CLAUSE_SUBJECT.finditer(text, max(lo, number.start - 200), number.start):
            pass  # the last clause opened before the number is the number's
        if clause_subject and looks_like_name(clause_subject["name"].strip(".:'")):
            return clause_subject["name"].strip(".:'")
    subject = subject and SUBJECT.match(text, lo, min(number.start, lo + 200))
    if subject and looks_like_name(subject["name"].strip(",.;:'")):
        return subject["name"].strip(",.;:'")
    window = max(lo, number.start - 200), number.start
    if method and text.find(method, *window) >= 0:  # a variant's name holds the method's
        for m in reversed(names(text, *window)):
            if m[0] != method and m[0].startswith(method):
                return m[0]
    return method

# --- the baseline: what a number is compared with ---------------------------------

# a word; "GPT-3.5" keeps its dot, and "state of the art" is one word
WORD = r"(?:state[\s-]of[\s-]the[\s-]art|(?:[^\s,;:()\[\].]|\.(?=[\w]))+)"
# Words that end a baseline's name: "existing methods such as X" stops before "such",
# "compared to the three hours" has no name (an article never is one).
NOT_IN_NAME = (r"(?:by|on|in|with|while|and|at|across|for|using|which|when|to|of|from|under|as|respectively|"
               r"the|a|an|such|like|including|half|twice|"
               r"only|during|without|is|are|was|were|that|its|it|who|whose|where|thereby|thus|but|or|"
               r"achiev\w*|reach\w*|execut\w*|run\w*|obtain\w*|w\.r\.t|e\.g|i\.e|\\?[gl]eq|\\\w+|"
               r"one|two|three|four|five|six|seven|eight|nine|ten|"
               r"(?-i:\d[\d.,]*(?!\p{L}*\d+\p{Lu})\S*))\b")  # a number, not a name such as 1F1B
# (only before a capital: "close to what we believe" names nothing)
NEARS = rf"(?:{NEARS_WORDS})(?=\s+(?:the\s+)?(?-i:\p{{Lu}}))"
BASELINE = regex.compile(
    r"(?<![\w-])(?:than|over|compared\s+(?:to|with)|comparing\s+to|against|vs\.?|v\.s\.|versus|relative\s+to|"
    rf"in\s+comparison\s+(?:to|with)|{NEARS})\s+(?:that\s+of\s+|those\s+of\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?:\([^()]{1,30}\)\s+)?"  # "than the (supervised) shared task winner"
    rf"(?!{NOT_IN_NAME})(?P<name>{WORD}(?:\s+(?!{NOT_IN_NAME}){WORD}){{0,5}})",
    regex.I,
)
BASELINE_BEFORE = regex.compile(
    r"(?<![\w-])(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|improv\w*\s+(?:up)?on|over|speed\s?up|"
    r"accelerat\w*|of(?=\s+\p{Lu}))\s+(?:the\s+)?"
    rf"(?P<name>(?!{NOT_IN_NAME}){WORD}(?:\s+(?!{NOT_IN_NAME}){WORD}){{0,5}}?)\s+(?:by|with)\s+"
    rf"(?:(?:{HEDGES})\s+)?[+~]?$",
    regex.I,
)
ARTICLE_OR_POSSESSIVE = regex.compile(r"^(?:the|a|an)\s+|['’]s$", regex.I)
STATE_OF_THE_ART = regex.compile(r"(?:the\s+)?(?:SOTA|SoTA|state[\s-]of[\s-]the[\s-]art)", regex.I)


# "existing methods such as MGLD-VSR": the first named example is the baseline
EXAMPLE_AFTER = regex.compile(rf"\s*,?\s+(?:such\s+as|like|including|e\.g\.,?)\s+(?:the\s+)?(?P<name>{WORD})", regex.I)
# "over popular benchmarks", "on three datasets": where it was measured, not a rival
PLACE = regex.compile(r"(?:benchmarks?|datasets?|tasks?|test\s+sets?)$", regex.I)


def pick_baseline(text, number, lo, hi, sentence_end):
    """What a number is compared with: the phrase after than/over/compared to/vs, or
    before "by N" after outperforms/surpasses."""
    m = BASELINE.search(text, number.end, min(sentence_end, number.end + 300))
    if not (m and m.start() < hi):
        m = BASELINE_BEFORE.search(text, max(lo, number.start - 80), number.start)
    return _named(text, m) if m else None


@functools.lru_cache(maxsize=16)  # asked again for each number of the sentence that has none of its own
def sentence_baseline(text, lo, hi):
    """The comparison a sentence states anywhere ("... and a 10% reduction in memory
    compared to 1F1B"): it beats one carried over from an earlier sentence."""
    m = BASELINE.search(text, lo, hi)
    return _named(text, m) if m else None


def _named(text, m):
    example = EXAMPLE_AFTER.match(text, m.end("name"))
    if example and looks_like_name(example["name"]):
        return example["name"]
    name = _trim(m["name"])
    return None if name and PLACE.search(name) else name


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

