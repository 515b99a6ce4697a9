"""Step 5: the dataset (the setting) a number is measured on.

    "2.46% on CIFAR-10 and 15.02% on CIFAR-100"   -> CIFAR-10, then CIFAR-100
    "on the HumanML3D and KIT-ML datasets"       -> "HumanML3D; KIT-ML"
    "on the Foo-2K benchmark"                    -> Foo-2K (a name shaped like a dataset)

Known dataset names are data: vocab/datasets.yml.
"""
import bisect

import regex

from .fast import dataset_pattern
from .metric import metric_mentions
from .sentence import RESPECTIVELY, distance

DATASET_SHAPE = regex.compile(
    r"(?<![\w-])(?:on|in)\s+(?:the\s+)?(?P<name>[A-Z][\w\-]*[A-Z0-9][\w\-]*(?:\s[A-Z0-9][\w\-]*)?)\s+"
    r"(?:dataset|benchmark|challenge|test set|validation set)s?\b"
)

# A contest named in capitals is a dataset, whatever the registry knows: "the NTIRE 2022 Stereo
# Image Super-resolution Challenge", "the Open LLM Leaderboard" (its scores are placings); but
# "the GLUE Benchmark" is the registry's GLUE.
CONTEST_NAME = regex.compile(
    r"(?<![\w-])(?:The\s+)?(?P<name>(?P<head>[\p{Lu}\d][\w\-]*(?:\s[\p{Lu}\d][\w\-]*){0,7})"
    r"\s(?:Challenge|Leaderboard|Track|Competition|Benchmark))(?![\w-])")

# A name after "on" that ends where a list or clause does: "95.3% on Oxford Pets", "40.1 on
# DiDeMo." Title-case words or a name-like word (MSR-VTT, FB15k-237); not hardware ("on A100
# GPUs" goes on) and not a sized model ("on LLaMA-7B").
NAME_AFTER_ON = regex.compile(
    r"(?<![\w-])on\s+(?:the\s+)?"
    r"(?P<name>\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+){0,2}"
    r"|(?=[\w-]*(?:\p{Lu}[\w-]*[\p{Lu}\d]|\d[\w-]*\p{Lu}))\p{Lu}[\w-]{1,30})"
    r"(?=\s*(?:[,;.)]|\s(?:and|or|dataset|benchmark|test|validation)\b|$))"
)
# The variable a metric is measured for, written as a code of a capital and digits: the
# weather and physics targets "the RMSE for Z500 is 720", "the RMSE for T2M to 2.60 K". Only
# right after a metric's name (``dataset_mentions`` checks), and with the verb or stop after
# it, so that models ("BLEU for T5 models") stay out.
VARIABLE_AFTER_METRIC = regex.compile(
    r"\s+for\s+(?P<name>\p{Lu}(?:\d{2,4}|\d\p{Lu})\p{Lu}?)(?![\w-])"
    r"(?=\s+(?:is|are|was|were|to|reaches|drops|falls|decreases)\b|\s*[,;.)])")
HARDWARE = regex.compile(r"(?:[AHVPT]\d{2,3}|RTX|GTX|NVIDIA|Intel|AMD|TPU|GPU|CPU)", regex.I)
# A model is what a method is applied to, not measured on: "1.71% higher accuracy on MobileNetV2"
MODEL_SHAPE = regex.compile(r"Net|[Ff]ormer|BERT|GPT|LLaMA|Llama|ViT|[-.]\d+(?:\.\d+)?[BMK]$")

SEMICOLON = "; "


def split_datasets(value):
    """>>> split_datasets("HumanML3D; KIT-ML")
    ['HumanML3D', 'KIT-ML']
    """
    return [d for d in (value or "").split(SEMICOLON) if d]


def dataset_mentions(text, lo, hi):
    """(start, end, name) of each dataset a sentence names, in order: a name named twice
    is kept at both places ("on A, B and C ..., with 2.46% for A")."""
    contests = [(m.start("name"), m.end("name"), m["name"]) for m in CONTEST_NAME.finditer(text, lo, hi)
                if not dataset_pattern().fullmatch(m["head"])]
    found = contests + [(m.start(), m.end(), m[0]) for m in dataset_pattern().finditer(text, lo, hi)
                        if not any(a <= m.start() < b for a, b, _ in contests)]  # not "COCO" of "COCO Challenge"
    for m in DATASET_SHAPE.finditer(text, lo, hi):
        if not any(m["name"] in name or name in m["name"] for _, _, name in found):
            found.append((m.start("name"), m.end("name"), m["name"]))
    for m in NAME_AFTER_ON.finditer(text, lo, hi):  # a name the registry does not know
        if not HARDWARE.match(m["name"]) and not MODEL_SHAPE.search(m["name"]) and not any(a < m.end("name") and m.start("name") < b for a, b, _ in found):
            found.append((m.start("name"), m.end("name"), m["name"]))
    variables = list(VARIABLE_AFTER_METRIC.finditer(text, lo, hi))
    if variables:
        metric_ends = {end for _, end, _, weak in metric_mentions(text, lo, hi) if not weak}
        found += [(m.start("name"), m.end("name"), m["name"]) for m in variables
                  if m.start() in metric_ends and not HARDWARE.match(m["name"])]
    found.sort()
    return DatasetMentions(text, found)


# A dataset named as training data: "pre-trained on Objects365", "with ImageNet-22K
# pre-training", "fine-tuned on X then evaluated on COCO".
PRETRAINED_ON = regex.compile(r"\bpre-?train(?:ed|ing)\s+(?:\w+\s+)?(?:on|with|using)\s+(?:the\s+)?$", regex.I)
PRETRAINING_AFTER = regex.compile(r"[\s-]+(?:pre-?train(?:ed|ing)|pretrain)\b", regex.I)
TRAINED_ON = regex.compile(r"\b(?:trained|fine-?tuned|finetuned)\s+(?:\w+\s+)?(?:on|with|using)\s+(?:the\s+)?$", regex.I)


def measured_on(text, mentions):
    """The mentions a score may be measured on. A pre-training dataset never is one (with
    no other dataset, the score has none: it goes on no board); a dataset the model was
    trained or fine-tuned on is one only when the sentence names no other.

    >>> t = "Pre-trained on Objects365 and fine-tuned on LVIS, it reaches 58.4 AP on COCO."
    >>> [m[2] for m in measured_on(t, dataset_mentions(t, 0, len(t)))]
    ['COCO']
    >>> t = "With ImageNet-22K pre-training, it reaches 87.3% accuracy."
    >>> measured_on(t, dataset_mentions(t, 0, len(t)))
    []
    """
    kept = [m for m in mentions if not (PRETRAINED_ON.search(text, max(0, m[0] - 40), m[0])
                                        or PRETRAINING_AFTER.match(text, m[1]))]
    evaluated = [m for m in kept if not TRAINED_ON.search(text, max(0, m[0] - 40), m[0])]
    return DatasetMentions(text, evaluated or kept)


DATASET_JOIN = regex.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|/|\s+or\s+)\s*$")


class DatasetMentions(list):
    """(start, end, name) of each dataset mention, with their starts (to find those near a
    number by bisection), the names, each once, and the runs of names joined by commas,
    "and" or "/" ("CIFAR-10, CIFAR-100 and ImageNet"), read once: a long sentence stays linear."""

    def __init__(self, text, items):
        super().__init__(items)
        self.starts = [item[0] for item in items]
        self.names = list(dict.fromkeys(item[2] for item in items))
        self.run_of = []  # mention index -> the names of its run, in order, each once
        for i, (start, _, name) in enumerate(items):
            if i and DATASET_JOIN.fullmatch(text[items[i - 1][1]:start]):
                run = self.run_of[-1]
                if name not in run:
                    run.append(name)
            else:
                run = [name]
            self.run_of.append(run)
        for i in reversed(range(len(items) - 1)):  # a run's members share its one list
            if DATASET_JOIN.fullmatch(text[items[i][1]:items[i + 1][0]]):
                self.run_of[i] = self.run_of[i + 1]


NEAREST_CANDIDATES = 3  # mentions on each side of a number that can be the nearest


def dataset_run(text, number, mentions):
    """The datasets a number is measured on, each once, in order: with one named in the
    sentence, that one; with several, the run nearest the number ("2.46% for CIFAR-10,
    15.02% for CIFAR-100": each its own; "on the HumanML3D and KIT-ML datasets": both).

    >>> from extract.claims.number import numbers
    >>> t = "We get 2.46% on CIFAR-10 and 15.02% on CIFAR-100."
    >>> [dataset_run(t, n, dataset_mentions(t, 0, len(t))) for n in numbers(t)]
    [['CIFAR-10'], ['CIFAR-100']]
    """
    if len(mentions.names) <= 1:
        return mentions.names[:]
    at = bisect.bisect_left(mentions.starts, number.start)
    nearest = min(range(max(0, at - NEAREST_CANDIDATES), min(len(mentions), at + NEAREST_CANDIDATES)),
                  key=lambda i: distance(text, number, mentions[i][0], mentions[i][1]))
    return mentions.run_of[nearest]


def respective_datasets(text, members, mentions, hi):
    """The dataset of each member of a list, in order, when the sentence pairs them: the
    run of datasets nearest the list has as many names ("1.30/0.97 on CIFAR-10/ImageNet-64",
    "93.05%, 70.15% on A and B"), or the sentence says "respectively" and names as many
    ("65% on A and 82% on B (160 and 80 epochs, respectively)"); else None."""
    if len(members) < 2:
        return None
    run = dataset_run(text, members[-1], mentions)
    if len(run) != len(members) and RESPECTIVELY.search(text, members[-1].end, hi):
        run = mentions.names
    return run if len(run) == len(members) else None
