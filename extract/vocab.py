"""The vocabularies the rules load: metrics, datasets, units (data files in vocab/).

Loaded once, on first use, into plain structures and compiled patterns.
"""
import functools
import math
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pint
import yaml

HERE = Path(__file__).parent / "vocab"
SCALES = {None: 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}

# Spec unit -> (its pint unit, the base unit stored beside it). Units absent here (%, x,
# pp, points, dB, None) are ratios, scores or logarithms, stored as written.
PINT_NAMES = {
    "ms": ("millisecond", "second"), "s": ("second", "second"), "min": ("minute", "second"),
    "h": ("hour", "second"), "day": ("day", "second"),
    "KB": ("kilobyte", "byte"), "MB": ("megabyte", "byte"), "GB": ("gigabyte", "byte"),
    "TB": ("terabyte", "byte"), "bits": ("bit", "bit"),
    "FLOPs": ("FLOP", "FLOP"), "params": ("param", "param"), "tokens": ("token", "token"),
    "GPUs": ("GPU", "GPU"), "USD": ("USD", "USD"), "W": ("watt", "watt"),
    "J": ("joule", "joule"), "Hz": ("hertz", "hertz"), "fps": ("frames_per_second", "frames_per_second"),
}


@functools.lru_cache(None)
def _load(name):
    """A data file of vocab/, read once however many tables are built from it."""
    return yaml.safe_load((HERE / name).read_text())


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool  # None: the direction is unknown, boards show it unranked
    unit: str
    kind: str  # quality, speed or cost
    aliases: tuple
    percent: bool = False  # a share, written either as a percent or as a 0-1 proportion


@functools.lru_cache(None)
def metrics():
    return {
        name: Metric(name, d["higher_is_better"], d.get("unit"), d["kind"],
                     tuple(d["aliases"]) + tuple(d.get("weak", ())),
                     # a quality measured in % is a share: abstracts write it either way
                     d.get("unit") == "%" and d["kind"] == "quality")
        for name, d in _load("metrics.yml").items()
    }


@functools.lru_cache(None)
def metric_aliases():
    """alias (lower-case) -> canonical metric name; the first metric listing it wins."""
    table = {}
    for metric in metrics().values():
        for alias in (metric.name,) + metric.aliases:
            table.setdefault(alias.lower(), metric.name)
    return table


@functools.lru_cache(None)
def weak_aliases():
    """Aliases that name a metric only when nothing more specific stands near."""
    return {alias.lower() for d in _load("metrics.yml").values() for alias in d.get("weak", ())}


def prefix_tree(words, escape=re.escape, ending=lambda word: ""):
    """A pattern matching any of ``words``, factored by common prefixes, so the engine
    reads each character once instead of trying every word in turn (with the standard
    `re`, about ten times faster than `regex` on a flat alternation). A longer word is
    tried before its own prefix, as in a longest-first alternation; ``ending(word)`` is
    a pattern that must hold where that word ends (a lookahead, say).

    >>> prefix_tree(["fid", "fps", "fidelity"])
    'f(?:id(?:elity)?|ps)'
    >>> prefix_tree(["x", "xs"], ending=lambda word: "(?!y)")
    'x(?:s(?!y)|(?!y))'
    """
    tree = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = ending(word)  # a word ends here

    def emit(node):
        branches = [escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" not in node:
            return branches[0] if len(branches) == 1 else "(?:%s)" % "|".join(branches)
        if not branches:
            return node[""]
        if not node[""]:
            return "(?:%s)?" % "|".join(branches)
        return "(?:%s)" % "|".join(branches + [node[""]])

    return emit(tree)


def whole_words(alternation):
    """``alternation`` (a pattern of words) matching whole words only: no letter, digit
    or dash on either side ("fid" not in "fidelity", "acc" not in "top-1-acc")."""
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(text):
    """Lower-case ASCII letters only, so offsets stay those of ``text``.

    >>> ascii_lower("Top-1 ACC İ")
    'top-1 acc İ'
    """
    return text.translate(_ASCII_LOWER)


@functools.lru_cache(None)
def datasets():
    """Every name and alias of the dataset registry, as the extractor matches them."""
    return [name for canonical, d in dataset_registry().items() for name in (canonical, *d["aliases"])]


@functools.lru_cache(None)
def dataset_registry():
    """canonical dataset name -> {aliases, task} (vocab/datasets.yml)."""
    return _load("datasets.yml")["datasets"]


@functools.lru_cache(None)
def task_metrics():
    """task -> {plain metric name: what it means on that task's benchmarks}."""
    return _load("datasets.yml")["tasks"]


@functools.lru_cache(None)
def board_vocabulary():
    """What boards read from sentences: settings, counts, cues (vocab/boards.yml)."""
    return _load("boards.yml")


def name_key(name):
    r"""A name as lookups compare it: lower-case letters and digits, × and "times" read as x.

    >>> name_key("ImageNet 256\\times256"), name_key("CIFAR10"), name_key("Top-1 Accuracy")
    ('imagenet256x256', 'cifar10', 'top1accuracy')
    """
    text = re.sub(r"(?<=\d)\s*(?:×|\\?times)\s*(?=\d)", "x", name.lower())
    return re.sub(r"[^0-9a-z]+", "", text)


@functools.lru_cache(None)
def dataset_pattern():
    """Every dataset name as a whole word."""
    return whole_words(prefix_tree(datasets()))


def _word_list(name):
    """The words of a vocab/ text file, one a line; lines starting with # are comments."""
    lines = (HERE / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@functools.lru_cache(None)
def generic_names():
    """Words that look like a system's name but never are one (vocab/generic_names.txt)."""
    words = set(_word_list("generic_names.txt"))
    return words | set(datasets()) | {a.upper() for a in metric_aliases()} | set(unit_forms())


@functools.lru_cache(None)
def unit_forms():
    """surface form -> (spec unit, scale)."""
    table = {}
    for entry in _load("units.yml"):
        for form in entry["forms"]:
            table.setdefault(form, (entry["unit"], entry.get("scale")))
    return table


@functools.lru_cache(None)
def unit_metrics():
    """surface form -> the metric the form itself names, where it names one."""
    return {form: entry["metric"] for entry in _load("units.yml") if "metric" in entry
            for form in entry["forms"]}


@functools.lru_cache(None)
def unit_kinds():
    """spec unit -> what it measures: kind, resource, size, metric, adjectival_forms
    (vocab/unit_kinds.yml)."""
    return _load("unit_kinds.yml")


def units_where(key, value=True):
    """The spec units whose entry in vocab/unit_kinds.yml sets ``key`` to ``value``.

    >>> sorted(units_where("size")), sorted(units_where("kind", "memory"))
    (['params', 'tokens'], ['GB', 'KB', 'MB', 'TB'])
    """
    return {unit for unit, d in unit_kinds().items() if d.get(key) == value}


@functools.lru_cache(None)
def qualifier_words():
    """qualifier -> the phrases that write it (vocab/qualifiers.yml)."""
    return _load("qualifiers.yml")["qualifiers"]


@functools.lru_cache(None)
def hedges():
    """The words that may stand between a change and its number ("by up to 4x")."""
    return _load("qualifiers.yml")["hedges"]


@functools.lru_cache(None)
def counted_nouns():
    """The things a run is counted in ("two epochs", "1000+ layers"), singular (vocab/counted_nouns.txt)."""
    return _word_list("counted_nouns.txt")


@functools.lru_cache(None)
def placings():
    """The words a placing is written with: ordinals, nouns, verbs, contests (vocab/placings.yml)."""
    return _load("placings.yml")


def phrase_pattern(phrases):
    r"""A pattern for any of ``phrases``, longest first, a space standing for any white space.

    >>> print(phrase_pattern(["up to", "~"]))
    up\s+to|\~
    """
    return "|".join(r"\s+".join(map(re.escape, p.split(" "))) for p in sorted(phrases, key=len, reverse=True))


@functools.lru_cache(None)
def units():
    """The pint registry with claimboard's own units (vocab/units.txt) added."""
    registry = pint.UnitRegistry()
    registry.load_definitions(str(HERE / "units.txt"))
    return registry


@functools.lru_cache(None)
def _base_factor(unit):
    """(factor, base unit name) to turn a value in ``unit`` into its pint base unit."""
    if unit not in PINT_NAMES:
        return 1.0, unit
    unit_name, base_name = PINT_NAMES[unit]
    return float(units().Quantity(1.0, unit_name).to(base_name).magnitude), base_name


def to_base(value, scale, unit):
    """A claim's value in its base unit, with the scale applied; factors are cached per unit.

    >>> to_base(8, None, "day")
    (691200.0, 'second')
    >>> to_base(4.5, "B", "FLOPs")
    (4500000000.0, 'FLOP')
    >>> to_base(95.4, None, "%")
    (95.4, '%')
    """
    factor, base = _base_factor(unit)
    result = value * SCALES[scale] * factor
    return (result if math.isfinite(result) else None), base
