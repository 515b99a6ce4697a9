"""Where extraction time goes: the share of each stage of ``extract()``, profiled over
the bundled abstracts (the README's "what bounds extraction" comes from here).

    python benchmarks/stages.py [--rounds 3]

Shares are of cumulative time under cProfile, which slows Python calls more than the
pattern engines, so read them as proportions, not as timings.
"""
import argparse
import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import bundled_papers  # noqa: E402
from extract import claims  # noqa: E402

# (stage, the functions of extract/claims/ (module.function) whose cumulative time it is)
STAGES = [
    ("sentences and skipping wordy ones", ["sentence.sentences"]),
    ("numbers and their units", ["number.numbers"]),
    ("metric names in a sentence", ["metric.metric_mentions"]),
    ("dataset names in a sentence", ["dataset.dataset_mentions"]),
    ("is it a claim (the named rules)", ["rules.decide"]),
    ("the paper's own system (once per paper)", ["method.paper_method"]),
    ("metric of a claim", ["metric.scored_metric", "metric.own_words_metric"]),
    ("change word", ["kind.nearest_cue"]),
    ("qualifier and text span", ["kind.qualifier_before", "kind.pick_qualifier", "claim.phrase"]),
    ("baseline", ["method.pick_baseline"]),
    ("system a sentence is about", ["method.claim_method"]),
]
PACKAGE = Path(claims.__file__).parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [(p.title, p.abstract) for p in bundled_papers()]
    for title, abstract in texts:  # load vocabularies and compile patterns first
        claims.extract(title, abstract)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        for title, abstract in texts:
            claims.extract(title, abstract)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    cumulative = {}
    for (path, _, name), (_, _, _, cum, _) in stats.items():
        if Path(path).parent == PACKAGE:
            key = f"{Path(path).stem}.{name}"
            cumulative[key] = cumulative.get(key, 0.0) + cum
    total = cumulative["claim.extract"]
    print(f"# extract() on {len(texts)} abstracts x {args.rounds}: {total:.2f} s under the profiler")
    print("| stage | share |\n|---|---|")
    covered = 0.0
    for stage, functions in STAGES:
        share = sum(cumulative.get(f, 0.0) for f in functions) / total
        covered += share
        print(f"| {stage} | {share:.0%} |")
    print(f"| the rest (sentence loop, lists, claim objects) | {max(0.0, 1 - covered):.0%} |")


if __name__ == "__main__":
    main()
