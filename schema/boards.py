"""Which claims go on which leaderboard, under which names.

A board is a canonical dataset, a setting and a canonical metric (vocab/datasets.yml,
vocab/metrics.yml, vocab/boards.yml). Only the paper's own scores are ranked, each on
exactly one dataset; numbers it quotes for other systems, shares, counts, changes and
hypotheticals stay in ``claims`` only. Where a claim's board is uncertain (its sentence
pairs numbers and datasets in a way it cannot read, or names two settings), the claim
goes on no board: a wrong entry costs more than a missing one.

``board_entries(papers)`` takes plain data and returns plain rows; schema/build.py writes them.
"""
import functools
import re
from collections import Counter, defaultdict

from extract import vocab
from extract.claims.method import looks_like_name
from extract.vocab import name_key

UNNAMED_METRIC = "performance"  # the spec's word for a metric the abstract does not name


# --- names -------------------------------------------------------------------------------

@functools.lru_cache(None)
def _dataset_keys():
    """name key of every registered name and alias -> canonical dataset."""
    table = {}
    for canonical, entry in vocab.dataset_registry().items():
        for name in (canonical, *entry["aliases"]):
            table.setdefault(name_key(name), canonical)
    return table


@functools.lru_cache(None)
def _metric_keys():
    """name key of every metric name and (non-weak) alias -> canonical metric."""
    weak = vocab.weak_aliases()
    table = {}
    for metric in vocab.metrics().values():
        for name in (metric.name, *metric.aliases):
            if name.lower() not in weak or name == metric.name:
                table.setdefault(name_key(name), metric.name)
    return table


def canonical_dataset(name):
    """The registry's name for ``name``, else None.

    >>> canonical_dataset("ILSVRC-2012"), canonical_dataset("cifar10"), canonical_dataset("MyData")
    ('ImageNet', 'CIFAR-10', None)
    """
    return _dataset_keys().get(name_key(name))


def canonical_metric(metric, dataset=None):
    """The registry's name for ``metric``, read as the dataset's task reads a plain name;
    an unregistered metric keeps its own words, lower-cased and spaced one way.

    >>> canonical_metric("Accuracy", "ImageNet"), canonical_metric("FID score"), canonical_metric("Circuit-Size ")
    ('top-1 accuracy', 'fid', 'circuit size')
    """
    name = _metric_keys().get(name_key(metric)) or " ".join(re.split(r"[\s_-]+", metric.lower().strip()))
    task = vocab.dataset_registry().get(dataset, {}).get("task")
    return vocab.task_metrics().get(task, {}).get(name, name)


def direction(metric):
    """True when higher is better, False when lower is, None when unknown."""
    known = vocab.metrics().get(metric)
    return known.higher_is_better if known else None


# --- the sentence around a claim ---------------------------------------------------------

@functools.lru_cache(None)
def _rules():
    data = vocab.board_vocabulary()
    settings = [(category, re.compile(p["pattern"], re.I), p["setting"])
                for category, patterns in data["settings"].items() for p in patterns]
    joiner = r"[\s,()-]*(?:(?:%s)\b[\s,()-]*)*" % "|".join(map(re.escape, data["joiners"]))
    return {
        "settings": settings,
        "any_setting": re.compile("|".join(f"(?:{p.pattern})" for _, p, _ in settings), re.I),
        "joiner": re.compile(joiner + r"\Z", re.I),
        "counts": re.compile(r"\s*(?:%s)\b" % "|".join(map(re.escape, data["counts"])), re.I),
        "quoted_before": re.compile(data["quoted_before"], re.I),
        "share_after": re.compile(data["share_after"], re.I),
        "hypothetical": re.compile(data["hypothetical"], re.I),
        "clause_break": re.compile(data["clause_break"]),
    }


@functools.lru_cache(maxsize=256)
def _mentions(sentence, dataset):
    """(start, end, canonical or normalized name) of each dataset named in the sentence,
    including the claim's own dataset when the registry does not know it."""
    found = [(m.start(), m.end(), _dataset_name(m[0])) for m in vocab.dataset_pattern().finditer(sentence)]
    at = sentence.find(dataset) if canonical_dataset(dataset) is None else -1
    while at >= 0:
        found.append((at, at + len(dataset), _dataset_name(dataset)))
        at = sentence.find(dataset, at + 1)
    return tuple(sorted(set(found)))


@functools.lru_cache(maxsize=4096)
def _dataset_name(name):
    """A dataset as mentions compare: the canonical name, else the normalized spelling."""
    return canonical_dataset(name) or canonical_dataset(split_name(name)[0]) or name_key(name)


def _joined(text):
    """Whether ``text`` between a setting and a dataset name keeps them one phrase."""
    return len(text) < 40 and _rules()["joiner"].match(text) is not None


def claim_setting(sentence, at, segment_end, dataset, mentions, head, tail):
    """The setting of the claim whose number spans sentence[at:end]: "" when none is
    stated, None when the sentence states two that could both be the claim's.

    A setting is the claim's when it is joined to a mention of the claim's dataset
    ("ImageNet 256×256", "zero-shot COCO"), or stands in the claim's own stretch of the
    sentence (from its number to the next claim's), before the first claim (``head``) or
    after the last claim's number (``tail``), without being joined to another dataset.

    >>> s = "FID of 1.70 on ImageNet 256 x 256 and 2.89 on ImageNet 512 x 512."
    >>> m = _mentions(s, "ImageNet")
    >>> claim_setting(s, 7, 38, "ImageNet", m, 7, 38), claim_setting(s, 38, len(s), "ImageNet", m, 7, 38)
    ('256x256', '512x512')
    """
    own = _dataset_name(dataset)
    chosen = {}
    for category, m, template in _setting_mentions(sentence):
        if any(a <= m.start() and m.end() <= b and name != _dataset_name(sentence[a:m.start()] + sentence[m.end():b])
               for a, b, name in mentions):
            continue  # part of another dataset's name ("ImageNet-64x64" is not ImageNet at 64x64)
        joined = [name for a, b, name in mentions  # the setting right after or right before a name
                  if (b <= m.start() and _joined(sentence[b:m.start()])) or (m.end() <= a and _joined(sentence[m.end():a]))]
        if joined and own not in joined:
            continue  # another dataset's setting
        near = at <= m.start() < segment_end and _one_clause(sentence[at:m.start()])
        if joined or near or m.start() < head or m.start() >= tail and _one_clause(sentence[tail:m.start()]):
            value = template.format(*m.groups())
            chosen.setdefault(category, {})[value] = near or chosen.get(category, {}).get(value, False)
    out = []
    for category, values in chosen.items():
        if len(values) > 1:
            values = [v for v, near in values.items() if near]  # its own stretch decides
        if len(values) != 1:
            return None
        out.append(next(iter(values)))
    return ", ".join(out)


@functools.lru_cache(maxsize=256)
def _setting_mentions(sentence):
    """(category, match, template) of each setting the sentence writes; one scan first
    rules out the many sentences that write none."""
    rules = _rules()
    if not rules["any_setting"].search(sentence):
        return ()
    return tuple((category, m, template) for category, pattern, template in rules["settings"]
                 for m in pattern.finditer(sentence))


def _one_clause(text):
    return not _rules()["clause_break"].search(text)


def split_name(name):
    """(dataset, setting) of a dataset name that writes its setting in it.

    >>> split_name("ImageNet 256 x 256"), split_name("ImageNet-64x64"), split_name("NewBench")
    (('ImageNet', '256x256'), ('ImageNet 64x64', ''), ('NewBench', ''))
    """
    if canonical_dataset(name):
        return canonical_dataset(name), ""
    for _, pattern, template in _rules()["settings"]:
        m = pattern.search(name)
        rest = canonical_dataset((name[:m.start()] + name[m.end():]).strip(" -,")) if m else None
        if rest:
            return rest, template.format(*m.groups())
    return name, ""


def setting_key(setting):
    """A setting as boards compare it, however it is written: each comma-separated part
    read through the setting patterns of vocab/boards.yml, lower-cased, parts sorted.

    >>> setting_key("one-step"), setting_key("zero-shot, one-step"), setting_key("1-step, 0-shot")
    ('1-step', '0-shot, 1-step', '0-shot, 1-step')
    >>> setting_key("256 × 256"), setting_key(" No extra data "), setting_key(None)
    ('256x256', 'no extra data', '')
    """
    parts = []
    for part in filter(None, (p.strip() for p in (setting or "").split(","))):
        for _, pattern, template in _rules()["settings"]:
            if m := pattern.fullmatch(part):
                part = template.format(*m.groups())
                break
        parts.append(" ".join(part.split()).lower())
    return ", ".join(sorted(parts))


# --- whose number, and is it a score -----------------------------------------------------

# "our SDA obtains 82%": a second method of the paper's own, not "our ResNet-50 baseline"
OUR_NAME = re.compile(r"\b[Oo]ur\s+([\w.+-]*\w)(?![\w.+-]|\s+(?:baselines?|teachers?|(?:re)?implementations?)\b)")


def own_names(paper):
    """Names of the paper's own method: its method, the head of a "Name: subtitle" title
    and each name the abstract writes after "our"."""
    names = {paper.get("method") or ""}
    head, colon, _ = (paper.get("title") or "").partition(":")
    if colon and len(head.split()) <= 3:
        names.add(head)
    names.update(m[1] for m in OUR_NAME.finditer(paper.get("abstract") or "") if looks_like_name(m[1]))
    return {name_key(n) for n in names if name_key(n)}


def is_own(method, paper):
    """Whether ``method`` is the paper's own method or a named variant of it.

    >>> paper = {"title": "M-VAR: Decoupled Scale-wise Autoregressive Modeling", "method": "M-VAR"}
    >>> is_own("M-VAR-d32", paper), is_own("LlamaGen", paper), is_own(None, paper)
    (True, False, True)
    """
    if not method:
        return True  # unnamed: the abstract's own "we", "our model"
    key = name_key(method)
    return any(key.startswith(own) or own.startswith(key) for own in own_names(paper))


def why_not_a_score(claim, before, after):
    """Why a score claim's number is not the paper's own score, or None when it is.

    >>> why_not_a_score({"value": 97.7, "unit": "%", "metric": "performance"}, "achieves ", "% of GPT-4's performance")
    'share of another figure'
    >>> why_not_a_score({"value": 50, "unit": None, "metric": "comet"}, "testsets of ", " languages.")
    'count'
    >>> why_not_a_score({"value": 0.91, "unit": None, "metric": "rfid"}, "rFID 0.49 v.s. ", ", and")
    'quoted or changed figure'
    """
    rules = _rules()
    if rules["share_after"].match(after):
        return "share of another figure"
    if rules["counts"].match(after):
        return "count"
    if rules["quoted_before"].search(before):
        return "quoted or changed figure"
    metric = vocab.metrics().get(canonical_metric(claim["metric"]))
    if metric and metric.percent and claim["value"] > 100:
        return "over 100%"
    return None


# --- boards ------------------------------------------------------------------------------

def board_entries(papers):
    """Leaderboard rows from ``papers``: dicts with title, method, abstract and its
    ``claims`` (dicts of the claims table: spec fields, start, end, sentence, id).

    Returns (entries, skipped): the best score per board, paper and method, each a dict
    with dataset, setting, metric, direction and the claim's fields; and a Counter of why
    score claims were left off.
    """
    best, skipped = {}, Counter()
    spellings = defaultdict(Counter)  # name key of an unregistered dataset -> spellings seen
    for paper in papers:
        for claim, reason, key in _paper_boards(paper):
            if reason:
                skipped[reason] += 1
                continue
            dataset, setting, metric = key
            if canonical_dataset(dataset) is None:
                spellings[name_key(dataset)][dataset] += 1
            entry = _entry(paper, claim, dataset, setting, metric)
            slot = (name_key(dataset), setting, metric, paper["id"], name_key(entry["method"] or ""))
            if slot not in best or _better(entry, best[slot]):
                best[slot] = entry
    entries = list(best.values())
    for entry in entries:  # one spelling per unregistered dataset: its most frequent
        if canonical_dataset(entry["dataset"]) is None:
            counts = spellings[name_key(entry["dataset"])]
            entry["dataset"] = min(counts, key=lambda s: (-counts[s], s))
        else:
            entry["dataset"] = canonical_dataset(entry["dataset"])
    return entries, skipped


def _better(new, old):
    if new["sort_key"] is None or old["sort_key"] is None:
        return new["start"] < old["start"]  # unranked: the first stated
    return new["sort_key"] < old["sort_key"]


def _entry(paper, claim, dataset, setting, metric):
    higher = direction(metric)
    value = claim["value"]
    known = vocab.metrics().get(metric)
    if known and known.percent and claim["unit"] != "%" and value <= 1:
        value *= 100  # a 0-1 proportion, ranked on the percent scale
    sort_key = None if higher is None else (-value if higher else value)
    return {"dataset": dataset, "setting": setting, "metric": metric,
            "direction": {True: "higher is better", False: "lower is better", None: "direction unknown"}[higher],
            "sort_key": sort_key, "paper_id": paper["id"], "title": paper["title"],
            "method": claim["method"] or paper.get("method"), **{k: claim[k] for k in (
                "value", "unit", "qualifier", "text", "sentence", "start")}, "claim_id": claim["id"]}


def _paper_boards(paper):
    """(claim, reason it is off the boards or None, (dataset, setting, metric)) for each
    score claim of a paper."""
    by_sentence = defaultdict(list)
    for claim in paper["claims"]:
        by_sentence[claim["sentence"]].append(claim)
    for sentence, claims in by_sentence.items():
        offset = paper["abstract"].find(sentence)
        claims.sort(key=lambda c: c["start"])
        for i, claim in enumerate(claims):
            if claim["type"] != "score":
                continue
            if offset < 0:  # offsets that do not fit the abstract: nothing to read them by
                yield claim, "sentence not in the abstract", None
                continue
            segment_end = claims[i + 1]["start"] - offset if i + 1 < len(claims) else len(sentence)
            # a share between ("82% by modifying only 0.24% of the pixels on X") is no score of its own
            next_score = next((c["start"] - offset for c in claims[i + 1:]
                               if c["type"] == "score" and not _share(sentence, c, offset)), len(sentence))
            span = (claim["start"] - offset, claim["end"] - offset, segment_end, next_score,
                    claims[0]["start"] - offset, claims[-1]["end"] - offset)
            reason, key = _board(paper, claim, sentence, span, claims)
            yield claim, reason, key


def _share(sentence, claim, offset):
    at = claim["start"] - offset
    return _rules()["share_after"].match(sentence[_number_end(sentence, at, claim["end"] - offset):]) is not None


def _board(paper, claim, sentence, span, claims):
    """(why the claim is off the boards, None) or (None, its board's key). ``span``: where
    in the sentence its number starts and ends, the next claim and the next score start,
    the first claim starts and the last claim ends."""
    at, end, segment_end, next_score, head, tail = span
    if not claim["metric"] or claim["metric"] == UNNAMED_METRIC:
        return "metric not named", None
    if not claim["dataset"]:
        return "no dataset", None
    if "; " in claim["dataset"]:
        return "several datasets", None
    if not is_own(claim["method"], paper):
        return "another system's figure", None
    if _rules()["hypothetical"].search(sentence):
        return "hypothetical", None
    reason = why_not_a_score(claim, sentence[max(0, at - 60):at] + _number_head(claim["text"]),
                             sentence[_number_end(sentence, at, end):][:60])
    if reason:
        return reason, None
    mentions = _mentions(sentence, claim["dataset"])
    if not _paired(claim, sentence, (at, end, next_score), mentions, claims):
        return "dataset pairing uncertain", None
    if segment_end < len(sentence) and any(at <= a < segment_end for a, _, _ in mentions):
        tail = len(sentence)  # its dataset is named in its own stretch: what ends the sentence is another claim's
    setting = claim_setting(sentence, at, segment_end, claim["dataset"], mentions, head, tail)
    if setting is None:
        return "setting uncertain", None
    dataset, in_name = split_name(claim["dataset"])
    if in_name and in_name not in setting.split(", "):
        setting = ", ".join(filter(None, [in_name, setting]))
    return None, (dataset, setting, canonical_metric(claim["metric"], dataset))


def _number_head(text):
    """The claim's text before its number ("up to 4.2%" -> "up to ")."""
    m = re.search(r"\d", text)
    return text[:m.start()] if m else ""


NUMBER = re.compile(r"\d[\d.,]*")


def _number_end(sentence, at, end):
    """Where the claim's number ends in the sentence (its text may go on: "82% attack
    success rate")."""
    m = NUMBER.search(sentence, at, end)
    return m.end() if m else end


def _paired(claim, sentence, span, mentions, claims):
    """Whether the sentence surely pairs the number with its dataset: it names one
    dataset, or the claim's dataset is the first named after the number and before the
    next score (other figures may come between: "82% by modifying only 0.24% of the
    pixels on CIFAR10-DVS"), or "X/Y on A/B" or "respectively" pair numbers and datasets
    in order."""
    at, end, next_score = span
    names = list(dict.fromkeys(name for _, _, name in mentions))
    own = _dataset_name(claim["dataset"])
    if len(names) <= 1:
        return True
    after = [name for a, _, name in mentions if end <= a < next_score]
    if after and after[0] == own or _slashed_pair(sentence, at, mentions, own):
        return True
    if "respectively" not in sentence:
        return False
    scored = [_dataset_name(c["dataset"]) for c in claims
              if c["type"] == "score" and c["dataset"] and "; " not in c["dataset"]]
    return len(set(scored)) == len(scored) and scored == [n for n in names if n in scored]


SLASHED = re.compile(r"\d[\d.]*\s*(?:\\?%)?(?:\s*/\s*\d[\d.]*\s*(?:\\?%)?)+")  # 1.30/0.97


def _slashed_pair(sentence, at, mentions, own):
    """Whether the number at ``at`` is the k-th of "X/Y" and ``own`` the k-th of the
    "A/B" right after it.

    >>> s = "FIDs of 1.30/0.97 on CIFAR-10/ImageNet-64."
    >>> m = _mentions(s, "ImageNet-64")
    >>> _slashed_pair(s, 13, m, "ImageNet 64x64"), _slashed_pair(s, 8, m, "ImageNet 64x64")
    (True, False)
    """
    for run in SLASHED.finditer(sentence):
        if run.start() <= at < run.end():
            after = [m for m in mentions if m[0] >= run.end()]
            chain = after[:1]
            for mention in after[1:]:
                if sentence[chain[-1][1]:mention[0]].strip() != "/":
                    break
                chain.append(mention)
            k = sentence.count("/", run.start(), at)
            return (len(chain) == run[0].count("/") + 1 and chain[k][2] == own
                    and len(sentence[run.end():chain[0][0]]) < 20)
    return False
