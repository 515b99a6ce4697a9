"""Step 6b: the systems a sentence compares, where the baseline of a number is not
written next to it.

    "advancing EDM, reducing FID from 1.79 to 1.30"                  -> 1.79 is EDM's number
    "Compared to existing works, memory is reduced by 243.7 MB"      -> baseline: existing works
    "surpasses DPS and PSLD, achieving 4X and 8X ..., respectively"  -> DPS, then PSLD
    "retains 96.3% of LLaMA-2's accuracy"                            -> baseline: LLaMA-2

The baseline written next to a number is read by method.py (``pick_baseline``).
"""
import regex

from .. import vocab
from .fast import EndAnchored, dataset_pattern
from .method import NOT_IN_NAME, STATE_OF_THE_ART, WORD, _trim, looks_like_name, names

TO_AFTER = regex.compile(r"[^.;]{0,40}?\sto\s")
FOR_SYSTEM = regex.compile(r"\S+\s+for\s+(?:the\s+)?(?P<name>[\w.+-]*\w)")  # "to 80.5% for CaffeNet"
COMPARED_BEFORE = regex.compile(  # a comparison the sentence states before its numbers
    r"(?<![\w-])(?:compared\s+(?:to|with)|relative\s+to|in\s+comparison\s+(?:to|with)|"
    r"(?:comparable|similar|competitive)\s+(?:[\w-]+\s+){0,2}?(?:to|with|as)|"
    r"outperform\w*|surpass\w*|beat\w*)\s+(?:the\s+|a\s+|an\s+)?(?:(?:performance|results?)\s+of\s+)?"
    rf"(?!{NOT_IN_NAME}|(?:the|a|an|them|performance|results?)\b)(?P<name>{WORD}(?:\s+(?!{NOT_IN_NAME}){WORD}){{0,5}})",
    regex.I,
)
NAME_LIST = regex.compile(r"(?<![\w-])[\w.+-]*\w(?:,\s*[\w.+-]*\w)*,?\s+and\s+[\w.+-]*\w(?![\w-])")
NAME_LIST_PART = regex.compile(r",?\s+and\s+|,\s*")
COMPARED_LIST = EndAnchored(  # what introduces a list of compared systems: "surpasses SoTA solvers"
    r"(?<![\w-])(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|match\w*|than|over|vs\.?|versus|"
    r"compared\s+(?:to|with))\s+(?:[\w-]+\s+){0,3}$", regex.I)
SHARE_OF_SYSTEM = regex.compile(r"\s+of\s+(?:the\s+)?(?P<name>[\w.+-]*\w)['’]s\b")  # "97.7% of GPT-4's performance"


def share_of_system(text, number):
    """The system whose result a percentage is a share of ("97.7% of GPT-4's
    performance"), else None: the spec keeps the value and compares with that system."""
    share = number.unit == "%" and SHARE_OF_SYSTEM.match(text, number.end)
    return share["name"] if share and looks_like_name(share["name"]) else None


def previous_system(text, lo, number, to_end, ours, baseline):
    """Whose number the X of "from X to Y" is (spec: the baseline, or None when unnamed):
    the system named right after Y ("from 55.3% to 80.5% for CaffeNet"), the baseline the
    sentence names, else the nearest name before X that is not ours (``ours``: the
    paper's method and the sentence's subject), a dataset or a metric ("advancing EDM,
    reducing FID from 1.79").

    >>> t = "Advancing the previous SOTA model EDM, it reduces FID from 1.79 to 1.30."
    >>> from extract.claims.number import numbers
    >>> previous_system(t, 0, numbers(t)[0], t.index(" to ") + 4, {"Ours"}, None)
    'EDM'
    """
    named_after = FOR_SYSTEM.match(text, to_end)
    if named_after and looks_like_name(named_after["name"]):
        return named_after["name"]
    if baseline:
        return baseline
    for m in reversed(names(text, lo, number.start)):
        name = m[0]
        if any(method and (name.startswith(method) or method.startswith(name)) for method in ours):
            continue
        if vocab.ascii_lower(name) in vocab.metric_aliases() or dataset_pattern().fullmatch(name) \
                or STATE_OF_THE_ART.fullmatch(name):
            continue
        return name
    return None


def compared_before(text, lo, start):
    """The system a sentence compares with before a number: "Compared to existing works,
    memory is reduced by 243.7 MB", "comparable quality to the state-of-the-art while
    reducing inference time by 45x", "outperforms existing FL methods, achieving 0.82 dB
    higher PSNR"; the last one stated wins."""
    found = None
    for found in COMPARED_BEFORE.finditer(text, lo, start):
        pass
    return _trim(found["name"]) if found else None


def respective_names(text, lo, start, count):
    """The last list of ``count`` compared system names before ``start`` in its sentence
    ("surpasses SoTA solvers PSLD and P2L, achieving 4X and 8X ..., respectively"), else [];
    not the models a method is applied to ("for OPT-33B and OPT-66B respectively")."""
    for m in reversed(list(NAME_LIST.finditer(text, lo, start, overlapped=True))):
        parts = NAME_LIST_PART.split(m[0])
        if len(parts) == count and all(looks_like_name(part) for part in parts) \
                and COMPARED_LIST.search(text, max(lo, m.start() - 60), m.start()):
            return parts
    return []
