"""Step 5: the dataset (the setting) a number is measured on.

    "2.46% on CIFAR-10 and 15.02% on CIFAR-100"   -> CIFAR-10, then CIFAR-100
    "on the HumanML3D and KIT-ML datasets"       -> "HumanML3D; KIT-ML"
    "on the Foo-2K benchmark"                    -> Foo-2K (a name shaped like a dataset)

Known dataset names are data: vocab/datasets.yml.
"""
import regex

from .fast import dataset_pattern
from .sentence import distance

DATASET_SHAPE = regex.compile(
    r"(?<![\w-])(?:on|in)\s+(?:the\s+)?(?P<name>[A-Z][\w\-]*[A-Z0-9][\w\-]*(?:\s[A-Z0-9][\w\-]*)?)\s+"
    r"(?:dataset|benchmark|challenge|test set|validation set)s?\b"
)

# A name after "on" that ends where a list or clause does: "95.3% on Oxford Pets", "40.1 on
# DiDeMo." Title-case words or a name-like word (MSR-VTT, FB15k-237); not hardware ("on A100
# GPUs" goes on) and not a sized model ("on LLaMA-7B").
NAME_AFTER_ON = regex.compile(
    r"(?<![\w-])on\s+(?:the\s+)?"
    r"(?P<name>\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+){0,2}"
    r"|(?=[\w-]*(?:\p{Lu}[\w-]*[\p{Lu}\d]|\d[\w-]*\p{Lu}))\p{Lu}[\w-]{1,30})"
    r"(?=\s*(?:[,;.)]|\s(?:and|or|dataset|benchmark|test|validation)\b|$))"
)
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
    """(start, end, name) of each dataset a sentence names, in order, each name once."""
    found = [(m.start(), m.end(), m[0]) for m in dataset_pattern().finditer(text, lo, hi)]
    for m in DATASET_SHAPE.finditer(text, lo, hi):
        if not any(m["name"] in name or name in m["name"] for _, _, name in found):
            found.append((m.start("name"), m.end("name"), m["name"]))
    for m in NAME_AFTER_ON.finditer(text, lo, hi):  # a name the registry does not know
        if not HARDWARE.match(m["name"]) and not MODEL_SHAPE.search(m["name"]) and not any(a < m.end("name") and m.start("name") < b for a, b, _ in found):
            found.append((m.start("name"), m.end("name"), m["name"]))
    found.sort()
    unique, seen = [], set()
    for mention in found:
        if mention[2] not in seen:
            seen.add(mention[2])
            unique.append(mention)
    return unique


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
    return evaluated or kept


DATASET_JOIN = regex.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|/|\s+or\s+)\s*$")


def pick_datasets(text, number, mentions):
    """The datasets a number is measured on: with one named in the sentence, that one;
    with several, the run nearest the number ("2.46% for CIFAR-10, 15.02% for CIFAR-100":
    each its own; "on the HumanML3D and KIT-ML datasets": both).

    >>> from extract.claims.number import numbers
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

