"""Score predicted claims against a gold file, exactly as the spec's scoring section says.

A prediction matches a gold claim when both name the same paper (titles compared
lower-cased, letters and digits only) and the same value and value_max (relative
tolerance 1e-6); each gold claim matches at most one prediction. A paper seen in several
dumps is scored once. On matched pairs each field is scored for exact agreement
(strings lower-cased and trimmed).

Boards are scored from a built database (``read_boards``, then ``score_boards``), as the
spec's section "How leaderboards are scored" says.
"""
import json
import math
import sqlite3
from collections import defaultdict

from .claims import explain, split_datasets
from .papers import DumpError, norm_title
from .vocab import name_key

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


# --- boards ------------------------------------------------------------------------------

def read_boards(db_path):
    """The boards of a built database as plain data: entries (leaderboard_entries joined
    to papers) and the aliases of each dataset and metric name."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        entries = [dict(zip(("dataset", "setting", "metric", "value", "method", "text", "paper"), r))
                   for r in conn.execute("""select e.dataset, e.setting, e.metric, e.value, e.method, e.text, p.title
                                            from leaderboard_entries e join papers p on p.id = e.paper_id""")]
        aliases = {(kind, name): json.loads(names or "[]") for kind, table in (("dataset", "datasets"), ("metric", "metrics"))
                   for name, names in conn.execute(f"select name, aliases from {table}")}
    finally:
        conn.close()
    return entries, aliases


def _key(name):
    return name_key(name or "")


def _names(kind, name, aliases):
    return {_key(n) for n in (name, *aliases.get((kind, name), ()))} - {""}


def _dataset_fits(gold_dataset, entry, aliases):
    names = _names("dataset", entry["dataset"], aliases)
    setting = _key(entry["setting"])
    with_setting = {n + setting for n in names} | {setting + n for n in names} if setting else set()
    return any(_key(part) in names | with_setting for part in split_datasets(gold_dataset))


def _metric_fits(gold_metric, entry, aliases):
    gold = _key(gold_metric)
    return bool(gold) and any(gold == n or gold in n or n in gold for n in _names("metric", entry["metric"], aliases))


def score_boards(gold, entries, aliases):
    """Board precision, recall and splits, as the spec's "How leaderboards are scored" says.

    >>> gold = [{"paper": "P", "value": 2.5, "type": "score", "metric": "fid", "dataset": "ImageNet 256 x 256"}]
    >>> entry = {"paper": "p", "value": 2.5, "dataset": "ImageNet", "setting": "256x256", "metric": "fid"}
    >>> r = score_boards(gold, [entry], {("dataset", "ImageNet"): ["ImageNet-1K"]})
    >>> r["precision"], r["recall"], r["splits"]
    (1.0, 1.0, [])
    """
    scores = defaultdict(list)
    for g in gold:
        if g.get("type") == "score" and g.get("dataset") and g.get("metric"):
            scores[norm_title(g["paper"])].append(g)
    groups = {_group(g) for claims in scores.values() for g in claims if "; " not in g["dataset"]}
    covered, wrong = set(), []  # the gold groups a correct entry fits, the entries none fits
    for entry in entries:
        fits = [g for g in scores.get(norm_title(entry["paper"]), [])
                if (_same(g["value"], entry["value"]) or _same(g.get("value_max"), entry["value"]))
                and _dataset_fits(g["dataset"], entry, aliases) and _metric_fits(g["metric"], entry, aliases)]
        if not fits:
            wrong.append(entry)
        covered |= {_group(g) for g in fits} & groups
    boards = sorted({(e["dataset"], e["setting"] or "", e["metric"]) for e in entries})
    splits = [(a, b) for i, a in enumerate(boards) for b in boards[i + 1:]
              if _key(a[1]) == _key(b[1]) and _names("dataset", a[0], aliases) & _names("dataset", b[0], aliases)
              and _names("metric", a[2], aliases) & _names("metric", b[2], aliases)]
    uncovered = [{"paper": p, "dataset": d, "metric": m,
                  "claims": [g for g in scores[norm_title(p)] if _group(g) == (p, d, m)]}
                 for p, d, m in sorted(groups - covered)]
    correct = len(entries) - len(wrong)
    return {"entries": len(entries), "correct": correct, "boards": len(boards),
            "precision": correct / len(entries) if entries else 0.0,
            "gold_groups": len(groups), "covered": len(covered),
            "recall": len(covered) / len(groups) if groups else 0.0,
            "splits": splits, "wrong": wrong, "uncovered": uncovered}


def _group(g):
    return (g["paper"], g["dataset"], g["metric"])


def boards_text(result, errors=False):
    """The board figures as a small text report; with ``errors`` the wrong entries and
    the gold groups no correct entry covers."""
    lines = [f"boards {result['boards']}  entries {result['entries']}  correct {result['correct']}  "
             f"gold groups {result['gold_groups']}  covered {result['covered']}"]
    lines += [f"  split: {a} / {b}" for a, b in result["splits"]]
    if errors:
        lines += ["", f"wrong entries ({len(result['wrong'])}):"]
        lines += [f"  - {e['paper'][:50]!r}: {e['value']} on {e['dataset']}"
                  f"{' (' + e['setting'] + ')' if e['setting'] else ''} {e['metric']}: {e['text']!r}"
                  for e in result["wrong"]]
        lines += ["", f"uncovered gold groups ({len(result['uncovered'])}):"]
        lines += [f"  ? {u['paper'][:50]!r}: {u['metric']} on {u['dataset']}: "
                  + ", ".join(repr(c.get("text")) for c in u["claims"]) for u in result["uncovered"]]
    lines.append(f"board precision {result['precision']:.3f}  board recall {result['recall']:.3f}  "
                 f"splits {len(result['splits'])}")
    return "\n".join(lines)
