"""Leaderboards: which claims go on which board, and how boards are scored.

The claims here are written by hand, as the extractor should give them, so each row tests
the board rules alone: (title, sentence, claims as (text, value, metric, dataset, method),
the boards expected as (dataset, setting, metric, value), or the reason each is left off).
"""
import pytest

from extract.evaluate import read_boards, read_gold, score_boards
from schema.boards import board_entries
from tests.conftest import SHARED


def paper(title, sentence, claims, method=None):
    """A paper whose abstract is ``sentence``, with score claims (text, value, metric,
    dataset, method) and other claims (text, value, type) found by their text."""
    rows = []
    for text, value, *fields in claims:
        start = sentence.index(text)
        kind, metric, dataset, own = ("score", *fields) if len(fields) == 3 else (fields[0], None, None, None)
        rows.append({"id": f"c{len(rows)}", "text": text, "value": value, "unit": "%" if "%" in text else None,
                     "type": kind, "metric": metric, "dataset": dataset, "method": own, "baseline": None,
                     "qualifier": None, "start": start, "end": start + len(text), "sentence": sentence})
    return {"id": "p", "title": title, "abstract": sentence, "method": method, "claims": rows}


def boards_of(*args, **kwargs):
    entries, skipped = board_entries([paper(*args, **kwargs)])
    return sorted((e["dataset"], e["setting"], e["metric"], e["value"]) for e in entries), skipped


ON_BOARDS = [
    # the setting is part of the key, read pairwise where the sentence pairs them
    ("DiMR: Multi-Resolution Diffusion",
     "On the class-conditional ImageNet generation benchmark, DiMR-XL sets new FID scores of 1.70 on "
     "ImageNet 256 x 256 and 2.89 on ImageNet 512 x 512.",
     [("1.70", 1.7, "fid", "ImageNet", "DiMR-XL"), ("2.89", 2.89, "fid", "ImageNet", "DiMR-XL")],
     [("ImageNet", "256x256", "fid", 1.7), ("ImageNet", "512x512", "fid", 2.89)]),
    ("M-VAR: Decoupled Modeling", "M-VAR-d32 registers 1.78 FID on ImageNet 256times256.",
     [("1.78 FID", 1.78, "fid", "ImageNet", "M-VAR-d32")], [("ImageNet", "256x256", "fid", 1.78)]),
    ("PC-DARTS: Partial Channel Connections",
     "We achieve an error rate of 2.57% on CIFAR10 with merely 0.1 GPU-days for architecture search, and a "
     "top-1 error rate of 24.2% on ImageNet (under the mobile setting) using 3.8 GPU-days for search.",
     [("2.57%", 2.57, "error rate", "CIFAR10", "PC-DARTS"), ("24.2%", 24.2, "top-1 error rate", "ImageNet", "PC-DARTS")],
     [("CIFAR-10", "", "top-1 error rate", 2.57), ("ImageNet", "mobile", "top-1 error rate", 24.2)]),
    ("One Timestep is All You Need",
     "We achieve top-1 accuracy of 93.05%, 70.15% and 67.71% on CIFAR-10, CIFAR-100 and ImageNet, "
     "respectively using VGG16, with just 1 timestep.",
     [("93.05%", 93.05, "top-1 accuracy", "CIFAR-10", None), ("70.15%", 70.15, "top-1 accuracy", "CIFAR-100", None),
      ("67.71%", 67.71, "top-1 accuracy", "ImageNet", None)],
     [("CIFAR-10", "1-timestep", "top-1 accuracy", 93.05), ("CIFAR-100", "1-timestep", "top-1 accuracy", 70.15),
      ("ImageNet", "1-timestep", "top-1 accuracy", 67.71)]),
    ("MSD: Multi-student Diffusion Distillation",
     "MSD achieves FID scores for one-step image generation: 1.20 on ImageNet-64x64 and 8.20 on zero-shot COCO2014.",
     [("1.20", 1.2, "fid", "ImageNet-64x64", "MSD"), ("8.20", 8.2, "fid", "COCO2014", "MSD")],
     [("COCO", "0-shot, 1-step", "fid", 8.2), ("ImageNet 64x64", "1-step", "fid", 1.2)]),
    ("DDO: Direct Discriminative Optimization",
     "DDO reduces FID scores from 1.79/1.58 to new records of 1.30/0.97 on CIFAR-10/ImageNet-64 datasets, and "
     "improves guidance-free FIDs on ImageNet 256times256.",
     [("1.79", 1.79, "fid", "CIFAR-10", "DDO"), ("1.58", 1.58, "fid", "ImageNet-64", "DDO"),
      ("1.30", 1.3, "fid", "CIFAR-10", "DDO"), ("0.97", 0.97, "fid", "ImageNet-64", "DDO")],
     [("CIFAR-10", "", "fid", 1.3), ("ImageNet 64x64", "", "fid", 0.97)]),
    ("ViT: An Image is Worth 16x16 Words", "ViT with 16x16 patches reaches 88.5% top-1 accuracy on ImageNet.",
     [("88.5%", 88.5, "top-1 accuracy", "ImageNet", None)], [("ImageNet", "", "top-1 accuracy", 88.5)]),
    ("Score SDE: Generative Modeling", "We obtain an FID of 2.20 for unconditional generation on CIFAR-10.",
     [("2.20", 2.2, "fid", "CIFAR-10", None)], [("CIFAR-10", "unconditional", "fid", 2.2)]),
    ("MGVQ: Could VQ-VAE Beat VAE?", "We outperform them on ImageNet, with rFID 0.49 v.s. 0.91, and achieve superior "
     "PSNR on all zero-shot benchmarks.", [("0.49", 0.49, "rfid", "ImageNet", "MGVQ")], [("ImageNet", "", "rfid", 0.49)]),
    ("Towards Effective and Sparse Adversarial Attack on Spiking Neural Networks",
     "Our PDSG achieves 100% attack success rate on ImageNet, and our SDA obtains 82% attack success rate by "
     "modifying only 0.24% of the pixels on CIFAR10DVS.",
     [("100% attack success rate", 100, "attack success rate", "ImageNet", None),
      ("82% attack success rate", 82, "attack success rate", "CIFAR10DVS", None), ("0.24%", 0.24, "reduction")],
     [("ImageNet", "", "attack success rate", 100), ("CIFAR10-DVS", "", "attack success rate", 82)]),
    # (dev) "our SDA" is the paper's own as much as its title's method; a share between a
    # number and its dataset ("0.24% of the pixels") is no score that takes the dataset
    ("Towards Effective and Sparse Adversarial Attack on Spiking Neural Networks",
     "Our PDSG achieves 100% attack success rate on ImageNet, and our SDA obtains 82% attack success rate by "
     "modifying only 0.24% of the pixels on CIFAR10DVS.",
     [("100% attack success rate", 100, "attack success rate", "ImageNet", "PDSG"),
      ("82% attack success rate", 82, "attack success rate", "CIFAR10DVS", "SDA"),
      ("0.24%", 0.24, "attack success rate", "CIFAR10DVS", "SDA")],
     [("ImageNet", "", "attack success rate", 100), ("CIFAR10-DVS", "", "attack success rate", 82)]),
    # written for the test: pre-training data is a setting (extra data), never the board's dataset
    ("Swin: Hierarchical Vision Transformer", "With ImageNet-22K pre-training, Swin-L reaches 87.3% top-1 accuracy "
     "on ImageNet.", [("87.3%", 87.3, "top-1 accuracy", "ImageNet", None)],
     [("ImageNet", "pretrained on ImageNet-22K", "top-1 accuracy", 87.3)]),
    # names: registry aliases, and "accuracy" read as the task reads it
    ("SwiftFormer: Efficient Additive Attention", "Our small variant achieves 78.5% top-1 ImageNet-1K accuracy.",
     [("78.5%", 78.5, "top-1 accuracy", "ImageNet-1K", "SwiftFormer")], [("ImageNet", "", "top-1 accuracy", 78.5)]),
    ("Spikformer V2: Join the High Accuracy Club", "The SNN achieves 80+% accuracy on ImageNet.",
     [("80+%", 80, "accuracy", "ImageNet", None)], [("ImageNet", "", "top-1 accuracy", 80)]),
    ("S5-PTD: Robustifying State-space Models", "Our S5-PTD model averages 87.6% accuracy on the Long-Range Arena benchmark.",
     [("87.6% accuracy", 87.6, "accuracy", "Long-Range Arena", "S5-PTD")], [("Long Range Arena", "", "accuracy", 87.6)]),
    # a measured share of the evaluation data is the paper's own score (NAP, dev; the second written for the test)
    ("Towards Reliable Neural Specifications", "We show that by using NAP, we can verify a significant region of "
     "the input space, while still recalling 84% of the data on MNIST.",
     [("84%", 84, "recall", "MNIST", None)], [("MNIST", "", "recall", 84)]),
    ("ProofNet: Learning to Prove", "ProofNet solves 41.3% of the test problems on miniF2F.",
     [("41.3%", 41.3, "success rate", "miniF2F", "ProofNet")], [("miniF2F", "", "success rate", 41.3)]),
    # a named variant of the paper's method is its own
    ("PAMS: Quantized Super-Resolution", "8-bit PAMS-EDSR reaches 32.124dB PSNR on Set5.",
     [("32.124dB", 32.124, "psnr", "Set5", "PAMS-EDSR")], [("Set5", "", "psnr", 32.124)]),
]


@pytest.mark.parametrize("title,sentence,claims,expected", ON_BOARDS, ids=[r[0][:30] for r in ON_BOARDS])
def test_claims_go_on_their_board(title, sentence, claims, expected):
    assert boards_of(title, sentence, claims)[0] == sorted(expected)


OFF_BOARDS = [
    ("Divide-and-Conquer Meets Consensus", "StableCode-3b achieves 97.7% of GPT-4's performance on HumanEval.",
     ("97.7%", 97.7, "pass@1", "HumanEval", None), "share of another figure"),
    ("Distilling Small Students", "The student keeps 96.1% of the teacher accuracy on ImageNet.",
     ("96.1%", 96.1, "accuracy", "ImageNet", None), "share of another figure"),  # written for the test
    ("Asymmetric Conflict and Synergy", "It has just 0.85 COMET drop on Flores-200 testsets of 50 languages.",
     ("50", 50, "comet", "Flores-200", None), "count"),
    ("Deep Networks with Stochastic Depth", "Our analysis on CIFAR-10 with 100 and 1000 layers reaches high accuracy.",
     ("1000", 1000, "accuracy", "CIFAR-10", None), "count"),
    ("MGVQ: Could VQ-VAE Beat VAE?", "We outperform them on ImageNet, with rFID 0.49 v.s. 0.91.",
     ("0.91", 0.91, "rfid", "ImageNet", "MGVQ"), "quoted or changed figure"),
    ("Some Detector", "It reaches 52.1 mAP on COCO, above the previous state-of-the-art of 50.3 mAP.",
     ("50.3 mAP", 50.3, "map", "COCO", None), "quoted or changed figure"),
    ("PAMS: Quantized Super-Resolution", "PAMS-EDSR improves PSNR on Set5 benchmark from 32.095dB to 32.124dB.",
     ("32.095dB", 32.095, "psnr", "Set5", "PAMS-EDSR"), "quoted or changed figure"),
    ("PuYun: Medium-Range Weather Forecasting", "The RMSE for Z500 is 732 m^2/s^2 for GraphCast.",
     ("732", 732, "rmse", "Z500", "GraphCast"), "another system's figure"),
    # written for the test: "our" before a baseline does not make it the paper's own
    ("Efficient Pruning at Scale", "Our ResNet-50 baseline reaches 76.1% top-1 accuracy on ImageNet.",
     ("76.1%", 76.1, "top-1 accuracy", "ImageNet", "ResNet-50"), "another system's figure"),
    ("Unleashing Spiking Neural Networks", "If an SNN can terminate early, a ResNet-50 SNN can achieve an accuracy of "
     "82.47% on ImageNet.", ("82.47%", 82.47, "accuracy", "ImageNet", None), "hypothetical"),
    ("S4D: Diagonal State Spaces", "S4D averages 85% on the Long Range Arena benchmark.",
     ("85%", 85, "performance", "Long Range Arena", "S4D"), "metric not named"),
    ("EEEA-Net: Early Exit Search", "EEEA-Net reaches 2.46% on CIFAR-10, CIFAR-100 and ImageNet.",
     ("2.46%", 2.46, "error rate", "CIFAR-10; CIFAR-100; ImageNet", "EEEA-Net"), "several datasets"),
    ("EEEA-Net: Early Exit Search", "EEEA-Net reaches 2.46% and 15.02% on CIFAR-10 and CIFAR-100.",
     ("2.46%", 2.46, "error rate", "CIFAR-100", "EEEA-Net"), "dataset pairing uncertain"),
    ("Some Classifier", "It reaches 120% accuracy on MNIST.", ("120%", 120, "accuracy", "MNIST", None), "over 100%"),
    ("Some Generator", "It reaches FID 2.1 on ImageNet 256x256 or 512x512.", ("2.1", 2.1, "fid", "ImageNet", None),
     "setting uncertain"),
]


@pytest.mark.parametrize("title,sentence,claim,reason", OFF_BOARDS, ids=[r[3] for r in OFF_BOARDS])
def test_claims_left_off_the_boards(title, sentence, claim, reason):
    entries, skipped = boards_of(title, sentence, [claim])
    assert entries == [] and skipped == {reason: 1}


def test_ranking_follows_the_direction_and_proportions_count_in_percent():
    entries, _ = board_entries([paper("A Classifier", "It reaches an accuracy of 0.93 on CIFAR-10.",
                                      [("0.93", 0.93, "accuracy", "CIFAR-10", None)])])
    assert entries[0]["sort_key"] == pytest.approx(-93) and entries[0]["direction"] == "higher is better"
    entries, _ = board_entries([paper("A Circuit", "Its circuit size is 1200 on the ISCAS benchmark.",
                                      [("1200", 1200, "circuit size", "ISCAS", None)])])
    assert entries[0]["sort_key"] is None and entries[0]["direction"] == "direction unknown"


def test_a_challenge_board_ranks_lower_placings_first():  # NAFSSR, dev
    entries, _ = board_entries([paper("NAFSSR: Stereo Image Super-Resolution Using NAFNet",
                                      "With NAFSSR, we won 1st place in the NTIRE 2022 Stereo Image Super-resolution Challenge.",
                                      [("1st place", 1, "rank", "NTIRE 2022 Stereo Image Super-resolution Challenge", "NAFSSR")])])
    assert [(e["dataset"], e["metric"], e["value"]) for e in entries] == [
        ("NTIRE 2022 Stereo Image Super-resolution Challenge", "rank", 1)]
    assert entries[0]["sort_key"] == pytest.approx(1) and entries[0]["direction"] == "lower is better"


def test_unregistered_spellings_meet_on_one_board():
    papers = [paper("First", "It scores 71.2% accuracy on Long-Tail-Bench.", [("71.2%", 71.2, "accuracy", "Long-Tail-Bench", None)]),
              paper("Second", "It scores 73.5% accuracy on long tail bench.", [("73.5%", 73.5, "accuracy", "long tail bench", None)])]
    papers[1]["id"] = "q"
    entries, _ = board_entries(papers)
    assert {e["dataset"] for e in entries} == {"Long-Tail-Bench"}


# --- the scorer: (gold claims, entries, aliases) -> (precision, recall, splits) ----------

G = {"paper": "P", "type": "score", "value": 2.5, "metric": "fid", "dataset": "ImageNet"}
E = {"paper": "P", "value": 2.5, "dataset": "ImageNet", "setting": "", "metric": "fid"}
ALIASES = {("dataset", "ImageNet"): ["ImageNet-1K", "ILSVRC-2012"], ("dataset", "CIFAR-10"): ["CIFAR10"],
           ("metric", "fid"): ["frechet inception distance"]}

SCORER = [
    ("same paper, value, dataset, metric", [G], [E], (1.0, 1.0, 0)),
    ("title compared letters and digits only", [G], [{**E, "paper": "p."}], (1.0, 1.0, 0)),
    ("gold dataset is an alias", [{**G, "dataset": "ILSVRC-2012"}], [E], (1.0, 1.0, 0)),
    ("gold dataset is name + setting", [{**G, "dataset": "ImageNet 256 x 256"}], [{**E, "setting": "256x256"}], (1.0, 1.0, 0)),
    ("gold dataset is setting + name", [{**G, "dataset": "zero-shot ImageNet"}], [{**E, "setting": "zero-shot"}], (1.0, 1.0, 0)),
    ("other setting is wrong", [{**G, "dataset": "ImageNet 512 x 512"}], [{**E, "setting": "256x256"}], (0.0, 0.0, 0)),
    ("metric alias", [{**G, "metric": "Frechet Inception Distance"}], [E], (1.0, 1.0, 0)),
    ("one metric contains the other", [{**G, "metric": "accuracy"}], [{**E, "metric": "top-1 accuracy"}], (1.0, 1.0, 0)),
    ("other metric is wrong", [{**G, "metric": "inception score"}], [E], (0.0, 0.0, 0)),
    ("value_max counts", [{**G, "value": 2.0, "value_max": 2.5}], [E], (1.0, 1.0, 0)),
    ("other value is wrong", [G], [{**E, "value": 2.6}], (0.0, 0.0, 0)),
    ("other paper is wrong", [G], [{**E, "paper": "Q"}], (0.0, 0.0, 0)),
    ("not a score in the gold", [{**G, "type": "improvement"}], [E], (0.0, 0.0, 0)),
    ("part of a joined dataset counts, the group is not in recall", [{**G, "dataset": "CIFAR-10; ImageNet"}], [E], (1.0, 0.0, 0)),
    ("uncovered group", [G, {**G, "dataset": "CIFAR-10", "value": 3}], [E], (1.0, 0.5, 0)),
    ("one of two entries wrong", [G], [E, {**E, "dataset": "CIFAR-10"}], (0.5, 1.0, 0)),
    ("alias boards are a split", [G], [E, {**E, "dataset": "ILSVRC-2012"}], (0.5, 1.0, 1)),
    ("spellings are a split", [G], [E, {**E, "dataset": "imagenet"}], (1.0, 1.0, 1)),
    ("settings are not a split", [G], [E, {**E, "setting": "512x512"}], (1.0, 1.0, 0)),
]


@pytest.mark.parametrize("case,gold,entries,expected", SCORER, ids=[r[0] for r in SCORER])
def test_board_scorer(case, gold, entries, expected):
    result = score_boards(gold, entries, ALIASES)
    assert (result["precision"], result["recall"], len(result["splits"])) == expected


def test_dev_boards_meet_their_floors(built_db):
    """Floors are the figures measured on the bundled dumps, rounded down."""
    result = score_boards(read_gold(SHARED / "gold" / "dev.jsonl"), *read_boards(built_db))
    assert result["precision"] >= 1.0
    assert result["recall"] >= 0.81
    assert result["splits"] == []
