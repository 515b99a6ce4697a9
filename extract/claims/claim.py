"""Step 8: the ``Abstract`` being read and the ``Claim``s it makes; ``extract()`` runs
the steps over each sentence in order.

    "X is up to 4 times faster."   -> Claim(value=4, unit="x", type="speedup", metric="speed", qualifier="up_to")
    "0.66, 1.47 and 8.4 FLOP(G)"   -> three claims, the bare members borrowing the unit written last
    "outperforms AiM/VAR by 0.25/0.28" -> one baseline each, in order
"""
import functools
import math
from dataclasses import dataclass

import regex

from .. import vocab
from .compare import TO_AFTER, compared_before, previous_system, respective_names, share_of_system
from .dataset import SEMICOLON, dataset_mentions, dataset_run, measured_on, respective_datasets, split_datasets
from .fast import first_numberish, folded, present
from .kind import CUE, nearest_cue, pick_qualifier, pick_type, qualifier_before
from .method import claim_method, paper_method, pick_baseline, sentence_baseline
from .metric import (OWN_WORDS_WIN, UNIT_DEFAULT, default_metric, measure_before, metric_mentions, metric_near,
                     own_words_metric, respective_metrics, scored_metric, scores_a_metric, sentence_metric)
from .number import FROM, TIMEOUT, numbers
from .placing import names_a_contest, with_placings
from .rules import OUTCOME_COUNT, counted_claim, decide
from .sentence import RESPECTIVELY, clause, groups, sentences

REPEATED = "repeated"  # the deciding "rule" of a number already claimed earlier in the abstract
FIELDS = ("paper", "text", "value", "value_max", "scale", "unit", "type", "metric",
          "dataset", "method", "baseline", "qualifier")


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

def extract_or_skip(title, abstract):
    """(claims, None), or ([], reason) when the regex guard stopped an abstract: a
    pathological text is reported as skipped, never a crash or a hang."""
    try:
        return extract(title, abstract), None
    except TimeoutError:
        return [], f"skipped: a pattern ran longer than {TIMEOUT:g}s on this abstract"


# A sentence worth reading holds a digit or one of these words (in lower case)
NUMBER_WORDS = ("twice", "half", "halve", "order of magnitude", "tenth", "thousand", "hundred", "single",
                *vocab.placings()["ordinals"])  # "won first place"


class Abstract:
    """One abstract being read, with what its sentences share, computed on first use."""

    def __init__(self, title, text):
        self.title, self.text = title, text
        self.folded = folded(text)
        self.spans = sentences(text)
        self.number_words = present(self.folded, NUMBER_WORDS)
        self.contest = names_a_contest(text)  # else no sentence has a placing to look for
        self.seen = set()  # (value, value_max, unit): the same number twice is one claim
        self.last_baseline = None  # the comparison an earlier sentence stated
        self.metric_of_unit = {}  # "search time ... 0.52 GPU day. ... NAS of 4 GPU days": the same metric
        self.trace = None  # a list, when asked: (number, kept, deciding rule, claim) of each number

    @functools.cached_property
    def method(self):
        return paper_method(self.title, self.text)

    def next_numberish(self, lo):
        """Where the first digit or number word at or after ``lo`` stands, else None."""
        return first_numberish(self.folded, lo, self.number_words)

    def note(self, number, kept, rule, claim=None):
        """What was decided for a number, kept for ``explain()`` when it asks."""
        if self.trace is not None:
            self.trace.append((number, kept, rule, claim))

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
    return extract_from(Abstract(title, abstract))


def extract_from(doc):
    """The claims of an ``Abstract``, sentence by sentence."""
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
    nums = with_placings(text[lo:hi], nums) if doc.contest else nums
    if not nums:
        return []  # its digits were all inside names ("ResNet-50")
    for n in nums:
        n.start += lo
        n.end += lo
    mentions = metric_mentions(text, lo, hi)
    scored_sentence = scores_a_metric(mentions)
    datasets = None  # read when the sentence turns out to hold a claim
    compared = None  # (where Y may start, system) after the X of "from X to Y"
    claims = []
    for members in groups(text, nums):
        unit_source = next((n for n in reversed(members) if n.unit), None)
        for n in members:  # a bare member borrows the unit written after it: "0.66, 1.47 and 8.4 FLOP(G)"
            if n.unit is None and n.scale is None and unit_source is not None and unit_source.start > n.start \
                    and not n.placing:
                n.unit, n.scale = unit_source.unit, n.scale or unit_source.scale
        near = (any(metric_near(text, n, mentions, scored_sentence) for n in members)
                or (len(members) > 1 and (bool(OUTCOME_COUNT.match(text, members[-1].end))
                                          or counted_claim(text, members[-1], members[0]))))
        # a list shares the metric written nearest to any member: "25.2, 31.3 and 41 mAP"; not
        # members of different units ("20B pretraining tokens and 17B parameters")
        group_metric = (min(scored_metric(text, n, mentions, *clause(text, n, lo, hi)) for n in members)[1]
                        if len(members) > 1 and len({n.unit for n in members}) == 1 else None)
        each_metric = respective_metrics(text, members, mentions, lo, hi) if len(members) > 1 else None
        first = None
        group_claims = []
        paired = False  # the datasets of the list's members, in order
        for i, n in enumerate(members):
            kept, rule = decide(text, n, near, members[-1] if len(members) > 1 else None)
            if not kept:
                doc.note(n, False, rule)
                continue
            if n.unit is None and n.scale and text[n.start - 1:n.start] == "(":
                n.unit = "params"  # "ViT-B (86M)": a model's size in parentheses
            key = (n.value, n.value_max, n.unit)
            if key in doc.seen:
                doc.note(n, False, REPEATED)
                continue
            doc.seen.add(key)
            claim, cue = describe(doc, n, mentions, lo, hi, each_metric[i] if each_metric else group_metric, first,
                                  next((m.start for m in nums if m.start >= members[-1].end), hi))
            datasets = measured_on(text, dataset_mentions(text, lo, hi)) if datasets is None else datasets
            # "79.1%, 81.2% and 83.0% on A, B and C": one dataset each, in order
            if paired is False:  # read once per list
                paired = respective_datasets(text, members, datasets, hi)
            claim.dataset = paired[i] if paired else SEMICOLON.join(dataset_run(text, n, datasets)) or None
            if claim.method and claim.method in split_datasets(claim.dataset):
                # "the RMSE for T2M is reduced to 2.60 K": the sentence's subject is what was measured
                claim.method = claim_method(text, lo, n, doc.method, subject=False)
            # a comparison stated once covers the sentence's later numbers, and a later
            # sentence's changes ("SE-MoE outperformed DeepSpeed ... It achieved 64% higher")
            if claim.baseline is None and claim.type not in ("score", "resource"):
                claim.baseline = (compared_before(text, lo, n.start) or (claims[-1].baseline if claims else None)
                                  or sentence_baseline(text, lo, hi) or doc.last_baseline)
            doc.last_baseline = claim.baseline or doc.last_baseline
            # "up to 12% on A, 9% on B, and 14% on C": a qualifier heading a list covers it
            if claims and claim.qualifier is None and LIST_ITEM_START.search(text, claims[-1].end, n.start) \
                    and n.start - claims[-1].end <= 80:
                claim.qualifier = claims[-1].qualifier
            first = first or (claim.qualifier, cue)
            doc.note(n, True, rule, claim)
            claims.append(claim)
            group_claims.append(claim)
        if compared and group_claims and members[0].start >= compared[0]:
            for claim in group_claims:  # Y of "from X to Y" is compared with X's system
                claim.baseline = claim.baseline or compared[1]
            compared = None
        to = group_claims and FROM.search(text, max(lo, members[0].start - 40), members[0].start) \
            and TO_AFTER.match(text, members[-1].end, hi)
        if to:  # "advancing EDM, reducing FID from 1.79 to 1.30": the first number is EDM's
            system = previous_system(text, lo, members[0], to.end(), {doc.method, group_claims[0].method},
                                     group_claims[0].baseline)
            for claim in group_claims:
                claim.method = system
            compared = (to.end(), system) if system else None
        # "outperforms AiM/VAR by 0.25/0.28", "outperforms WSRGlow and Nu-wave by 8% and 37%
        # respectively": one baseline each, in order
        parts = (group_claims[0].baseline or "").split("/") if group_claims else []
        if len(parts) != len(members) and len(members) > 1 and RESPECTIVELY.search(text, members[-1].end, hi):
            parts = respective_names(text, lo, members[0].start, len(members))
        if len(members) > 1 and len(parts) == len(members) == len(group_claims):
            for claim, part in zip(group_claims, parts):
                claim.baseline = part
    return claims


def describe(doc, n, mentions, lo, hi, group_metric, first, next_number):
    """The claim a number makes, and the change word read for it. ``first`` holds the
    (qualifier, change word) of the first member of its list, which the others share;
    ``next_number`` is where the sentence's next number after the list starts."""
    text = doc.text
    c_lo, c_hi = clause(text, n, lo, hi)
    score, metric = scored_metric(text, n, mentions, c_lo, c_hi)
    if score == UNIT_DEFAULT:  # "the recovery time is within 50 minutes": its own name, else the unit's
        metric = measure_before(text, n) or doc.metric_of_unit.get(n.unit, metric)
    elif score > OWN_WORDS_WIN:
        metric = own_words_metric(text, n, c_hi) or metric
    metric = "rank" if n.placing else group_metric or metric  # "1st place" is a rank, whatever else is near
    cue = nearest_cue(text, n, c_lo, c_hi)
    written = qualifier_before(text, n, c_lo)
    qualifier = pick_qualifier(text, n, c_lo, c_hi, written)
    if first is not None:
        qualifier, cue = qualifier or first[0], cue or first[1]
    if metric is None and cue == "faster":
        metric = default_metric(n, cue)  # "by 3.1x with negligible accuracy drop": a speed, not the accuracy
    if metric is None:
        metric = (sentence_metric(mentions, lo, hi)
                  or (doc.quality_before(lo) if n.unit in ("%", "points", "pp", None) else None)
                  or default_metric(n, cue))
    if score < UNIT_DEFAULT:
        doc.metric_of_unit[n.unit] = metric
    kind = "score" if n.placing else pick_type(n, metric, cue, text)
    # "reaches 91.2% top-1 ..., 2.5x faster than ResNet-50": a comparison written after a
    # later number is that number's; a score or resource is compared only by its own
    baseline = pick_baseline(text, n, c_lo, min(c_hi, next_number) if kind in ("score", "resource") else c_hi, hi)
    share = share_of_system(text, n)
    if share:  # "97.7% of GPT-4's performance" compares with GPT-4; no score on a dataset
        kind, baseline = "improvement", share
    unit = n.unit
    if kind == "score" and unit == "points":
        unit = None  # "22.5 BLEU points" is a score; points are for deltas
    elif kind == "improvement" and unit is None and n.scale is None:
        unit = "points"  # "by 0.8 mAP"
    start, end = phrase(text, n, mentions, c_lo, c_hi, written)
    method = claim_method(text, lo, n, doc.method)
    if method == baseline:
        method = None  # "our model ..., approaching DenseNet": a system is not its own rival
    claim = Claim(
        paper=doc.title, text=text[start:end], value=_num(n.value), value_max=_num(n.value_max),
        scale=n.scale, unit=unit, type=kind, metric=metric, method=method,
        baseline=baseline, qualifier=qualifier,
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

def _num(value):
    if value is None or not math.isfinite(value):
        return None
    return int(value) if value == int(value) and abs(value) < 1e15 else value

