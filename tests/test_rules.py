"""Which numbers are claims: each named rule of extract/claims/rules.py decides a real
abstract sentence, and `claimboard extract --explain` shows which rule decided."""
import json

import pytest

from extract.claims import explain
from extract.claims.rules import RULES
from extract.evaluate import deciding_rules
from extract.papers import Paper
from schema.build import bundled_dumps
from tests.test_cli import claimboard

# (rule, sentence, the number as written, kept)
TABLE = [
    ("placing", "With NAFSSR, we won 1st place in the NTIRE 2022 Stereo Image Super-resolution Challenge.",
     "1st place", True),
    ("year", "With NAFSSR, we won 1st place in the NTIRE 2022 Stereo Image Super-resolution Challenge.",
     "2022", False),
    ("setting word before", "While recent advancements have shown promising results in generating "
     "high-resolution 3D shapes, VDM still struggles with high-speed generation.", "3", False),
    ("bit width", "From this analysis, we developed a tuning-free 2bit KV cache quantization algorithm, "
     "named KIVI.", "2bit", False),
    ("setting noun after", "We extensively evaluate our method, and the result shows the state-of-the-art "
     "performance in 4x super-resolution.", "4x", False),
    ("counted list", "We present an analysis on CIFAR-10 with 100 and 1000 layers.", "100", False),
    ("share of the data", "We fine-tune on 10% of the data.", "10%", False),
    ("at a setting", "Collectively, ZeRO++ reduces communication volume of ZeRO by 4x, enabling up to 2.16x "
     "better throughput at 384 GPU scale.", "384 GPU", False),
    ("budget", "Our implementation on Hopper GPUs achieves a decoding throughput of up to 4,039 tokens per "
     "second per GPU under 50ms TPOT SLA (4K context, FP8, no MTP).", "50ms", False),
    ("memory of the hardware", "For example, with a single A100 80GB GPU, MeZO can train a 30-billion "
     "parameter model.", "80GB", False),
    ("background growth", "LLMs' size grows by 240times every two years, which outpaces the hardware progress.",
     "240times", False),
    ("scaled up to", "These experiments serve to demonstrate the capabilities of CO2 when deployed across "
     "configurations comprising up to 128 A100 GPUs.", "128 A100 GPUs", False),
    ("clock rate", "In this paper, we introduce FlashSR, a single-step diffusion model for versatile audio "
     "super-resolution aimed at producing 48kHz audio.", "48kHz", False),
    ("time as adjective", "We introduce PuYun, comprising PuYun-Short for 0-5 day forecasts and PuYun-Medium "
     "for 5-10 day predictions.", "0-5 day", False),
    ("resolution", "Our 1.0B model outperforms its VAR counterpart on the ImageNet 256times256 benchmark.",
     "256", False),
    ("time per step", "The input has an advance of 10ms per frame.", "10ms", False),
    # (the sentence needs a digit to be read at all: "five times" alone is skipped before any rule)
    ("repetition", "We pre-trained the machine five times, the unrolled net then got 103 errors.",
     "five times", False),
    ("hardware of a measurement", "Our GMNR model generates 3D-aware images of 1024 X 1024 pixels with 17.6 FPS "
     "on a single V100.", "a single V100", False),
    ("product name", "In particular, FastVAR can generate one 2K image with 15GB memory footprints in 1.5s on "
     "a single NVIDIA 3090 GPU.", "3090 GPU", False),
    ("model size", "Our training experiments include large, up to 175B parameter, language models.",
     "175B parameter", False),
    ("model size", "In particular, OFA achieves a new SOTA 80.0% ImageNet top-1 accuracy under the mobile "
     "setting (<600M MACs).", "600M", True),
    ("outcome count", "The best net makes 118 errors on the test set.", "118", True),
    ("counted thing", "Moreover, we show that sparse aggregation allows networks to scale more robustly to "
     "1000+ layers.", "1000+", True),
    ("glued to letters", "Both 1D and 2D undersampling patterns were evaluated.", "1", False),
    ("unit", "The search time was reduced to 0.52 GPU day.", "0.52 GPU day", True),
    ("metric near", "LeYOLO reaches 25.2, 31.3 and 41 mAP on COCO.", "25.2", True),
    ("no unit, no metric", "The method starts with an SNN trained with T timesteps (T>1).", "1", False),
]


@pytest.mark.parametrize("rule, sentence, number, kept", TABLE)
def test_rule_decides_a_real_sentence(rule, sentence, number, kept):
    decided = [(e["kept"], e["rule"]) for e in explain("T", sentence) if e["number"] == number]
    assert decided[:1] == [(kept, rule)]


def test_every_rule_has_a_row():
    assert {name for name, _ in RULES} == {row[0] for row in TABLE}


def test_a_number_claimed_twice_is_dropped_as_repeated():
    explained = explain("T", "It is 4x faster. Overall it is 4x faster.")
    assert [(e["kept"], e["rule"]) for e in explained] == [(True, "unit"), (False, "repeated")]


def test_explain_gives_the_words_each_field_was_read_from():
    [entry] = explain("T", "Our method is up to 4 times faster on the HumanML3D dataset.")
    fields = entry["fields"]
    assert (fields["unit"], fields["metric"], fields["dataset"]) == (
        {"value": "x", "words": "4 times"}, {"value": "speed", "words": "faster"},
        {"value": "HumanML3D", "words": "HumanML3D"})
    assert fields["qualifier"] == {"value": "up_to", "words": "up to 4 times faster"}


def test_eval_errors_name_the_deciding_rule():
    abstract = "We won in 2022. It is 4x faster."
    result = {"misses": [{"paper": "T", "value": 2022}, {"paper": "T", "value": 7}],
              "false_positives": [{"paper": "T", "value": 4}]}
    deciding_rules(result, [Paper("T", abstract)])
    assert [c["why"] for c in result["misses"] + result["false_positives"]] == [
        "dropped by year", "not read as a number", "kept by unit"]


def test_cli_explain_prints_each_number_with_its_rule():
    result = claimboard("extract", "--explain", bundled_dumps()[0])
    assert result.returncode == 0, result.stderr
    assert "'50%' kept    by 'unit'" in result.stdout
    assert "metric    = 'fid' from 'FID'" in result.stdout
    # which "3" is meant: its offset, and a few words around it
    assert "'3' dropped by 'glued to letters'  at 592: However, in [3]D medical image…" in result.stdout


def test_cli_explain_json_is_the_plain_data():
    result = claimboard("extract", "--explain", "--json", bundled_dumps()[0])
    assert result.returncode == 0, result.stderr
    papers = [json.loads(line) for line in result.stdout.splitlines()]
    first = papers[0]["numbers"][0]
    assert (first["number"], first["kept"], first["rule"], first["fields"]["metric"]["value"]) == \
           ("50%", True, "unit", "fid")
    assert (first["start"], first["end"], first["context"]) == (1149, 1152, "…achieves up to [50%] FID improvement…")
    rules = {n["rule"] for p in papers for n in p["numbers"]}
    assert {"unit", "glued to letters"} <= rules


def test_cli_explain_bad_input_is_one_line_and_exit_2(write):
    result = claimboard("extract", "--explain", write("bad.txt", b"\x00\xff\x00binary"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
