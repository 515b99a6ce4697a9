"""Score predicted claims against a gold file, exactly as the spec's scoring section says.

A prediction matches a gold claim when both name the same paper (titles compared
lower-cased, letters and digits only) and the same value and value_max (relative
tolerance 1e-6); each gold claim matches at most one prediction. A paper seen in several
dumps is scored once. On matched pairs each field is scored for exact agreement
(strings lower-cased and trimmed).
"""
import json
import math
from collections import defaultdict

from .claims import explain
from .papers import DumpError, norm_title

FIELDS = ("unit", "type", "metric", "dataset", "qualifier", "scale", "method", "baseline")


def read_gold(path):
    """The gold claims of a JSON Lines file; DumpError on a missing file or a bad line."""
    gold = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    claim = json.loads(line)
                    claim["paper"], claim["value"]  # noqa: B018 - both fields are required
                except (ValueError, KeyError, TypeError, RecursionError):
                    raise DumpError(f"{path}: line {number}: not a gold claim (JSON with paper and value)") from None
                gold.append(claim)
    except (OSError, UnicodeDecodeError) as e:
        raise DumpError(f"{path}: cannot read gold file ({getattr(e, 'strerror', None) or e})") from None
    if not gold:
        raise DumpError(f"{path}: no gold claims")
    return gold


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6)


def _norm(value):
    return str(value).strip().lower() if value is not None else None


def score(gold, predicted):
    """Precision, recall, F1, per-field agreement, per-type figures and the errors.

    >>> g = [{"paper": "A", "value": 4, "value_max": None, "unit": "x", "type": "speedup"}]
    >>> p = [{"paper": "a", "value": 4.0, "value_max": None, "unit": "x", "type": "reduction"}]
    >>> r = score(g, p)
    >>> r["f1"], r["fields"]["unit"], r["fields"]["type"]
    (1.0, 1.0, 0.0)
    """
    by_paper = defaultdict(list)
    for claim in _unique_predictions(predicted):
        by_paper[norm_title(claim["paper"])].append(claim)
    matched, misses = [], []
    for g in gold:
        candidates = by_paper.get(norm_title(g["paper"]), [])
        hit = next((p for p in candidates if _same(p["value"], g["value"])
                    and _same(p.get("value_max"), g.get("value_max"))), None)
        if hit is None:
            misses.append(g)
        else:
            candidates.remove(hit)
            matched.append((g, hit))
    false_positives = [p for claims in by_paper.values() for p in claims]
    tp = len(matched)
    precision = tp / (tp + len(false_positives)) if tp + len(false_positives) else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fields = {f: (sum(_norm(g.get(f)) == _norm(p.get(f)) for g, p in matched) / tp if tp else 0.0)
              for f in FIELDS}
    by_type = {}
    for kind in sorted({g.get("type") for g in gold} - {None}):
        g_n = sum(g.get("type") == kind for g in gold)
        hit = sum(g.get("type") == kind for g, _ in matched)
        p_n = hit + sum(p.get("type") == kind for p in false_positives)
        by_type[kind] = {"gold": g_n, "matched": hit, "recall": hit / g_n if g_n else 0.0,
                         "false_positives": p_n - hit}
    disagreements = [{"field": f, "gold": g.get(f), "predicted": p.get(f), "text": g.get("text"),
                      "paper": g["paper"]}
                     for g, p in matched for f in FIELDS if _norm(g.get(f)) != _norm(p.get(f))]
    return {
        "gold": len(gold), "predicted": tp + len(false_positives), "matched": tp,
        "precision": precision, "recall": recall, "f1": f1, "fields": fields, "by_type": by_type,
        "misses": misses, "false_positives": false_positives, "disagreements": disagreements,
    }


def _unique_predictions(predicted):
    """A paper read from several dumps is scored once: identical predictions count once."""
    seen, out = set(), []
    for claim in predicted:
        key = json.dumps({k: claim.get(k) for k in ("paper", "text", "value", "value_max", "start")},
                         sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out


def deciding_rules(result, papers):
    """Add to each miss and false positive of ``result`` the rule that decided its number
    (``why``): "dropped by year", "kept by unit", or "not read as a number"."""
    by_title = {norm_title(p.title): p for p in papers}
    explained = {}

    def why(claim, kept):
        paper = by_title.get(norm_title(claim["paper"]))
        if paper is None:
            return "paper not in the dumps"
        if paper.title not in explained:
            explained[paper.title] = explain(paper.title, paper.abstract)
        same = [e for e in explained[paper.title]
                if _same(e["value"], claim["value"]) and _same(e["value_max"], claim.get("value_max"))]
        same.sort(key=lambda e: e["kept"] != kept)  # a miss was most likely dropped, a false positive kept
        if not same:
            return "not read as a number"
        return f"{'kept' if same[0]['kept'] else 'dropped'} by {same[0]['rule']}"

    for claim in result["misses"]:
        claim["why"] = why(claim, kept=False)
    for claim in result["false_positives"]:
        claim["why"] = why(claim, kept=True)
    return result


def human_text(result, errors=False):
    """The figures as a small text report; with ``errors`` the misses and false positives."""
    lines = [
        f"gold {result['gold']}  predicted {result['predicted']}  matched {result['matched']}",
        "field agreement on matched claims: " + "  ".join(f"{f} {v:.3f}" for f, v in result["fields"].items()),
        "by type: " + "  ".join(f"{k} {v['matched']}/{v['gold']} (+{v['false_positives']} fp)"
                                for k, v in result["by_type"].items()),
    ]
    if errors:
        lines += ["", f"misses ({len(result['misses'])}):"]
        lines += [f"  - {g['paper'][:50]!r}: {g.get('text')!r} = {g['value']}{_why(g)}" for g in result["misses"]]
        lines += ["", f"false positives ({len(result['false_positives'])}):"]
        lines += [f"  + {p['paper'][:50]!r}: {p.get('text')!r} = {p['value']}{_why(p)}"
                  for p in result["false_positives"]]
        lines += ["", f"field disagreements ({len(result['disagreements'])}):"]
        lines += [f"  ~ {d['field']}: gold {d['gold']!r} predicted {d['predicted']!r} in {d['text']!r}"
                  for d in result["disagreements"]]
    lines.append(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}")
    return "\n".join(lines)


def _why(claim):
    return f"  [{claim['why']}]" if claim.get("why") else ""
