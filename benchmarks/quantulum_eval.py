"""quantulum3, the peer to beat, scored on the same gold as claimboard (numbers and units
only: it has no metric, type or qualifier).

    pip install -e '.[bench]'
    python benchmarks/quantulum_eval.py ../shared/gold/dev.jsonl              # bundled dumps
    python benchmarks/quantulum_eval.py ../shared/gold/scirex.jsonl ../shared/scirex/abstracts.jsonl
"""
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.evaluate import read_gold, score  # noqa: E402
from extract.papers import read_papers  # noqa: E402
from schema.build import bundled_dumps  # noqa: E402

# quantulum3's unit names -> the spec's units; anything else is kept as quantulum3 names it
UNITS = {"percentage": "%", "dimensionless": None, "decibel": "dB", "millisecond": "ms", "second": "s",
         "minute": "min", "hour": "h", "day": "day", "gigabyte": "GB", "megabyte": "MB", "kilobyte": "KB",
         "terabyte": "TB", "watt": "W", "joule": "J", "hertz": "Hz", "bit": "bits", "dollar": "USD",
         "united states dollar": "USD", "times": "x"}


def predictions(dumps):
    warnings.simplefilter("ignore")
    from quantulum3 import parser
    for path in dumps:
        for paper in read_papers(path):
            for q in parser.parse(paper.abstract):
                yield {"paper": paper.title, "text": q.surface, "value": q.value, "value_max": None,
                       "unit": UNITS.get(q.unit.name, q.unit.name), "start": q.span[0]}


def main():
    gold = read_gold(sys.argv[1])
    result = score(gold, list(predictions(sys.argv[2:] or bundled_dumps())))
    print(f"quantulum3 on {sys.argv[1]}: precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
          f"F1 {result['f1']:.3f}  unit {result['fields']['unit']:.3f}  scale {result['fields']['scale']:.3f}")


if __name__ == "__main__":
    main()
