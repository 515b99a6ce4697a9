"""What changed between two dumps: new records, revised numbers, papers added or removed,
claims added, removed or changed.

``compare()`` returns plain data and ``report()`` adds what a reader wants first (new
records: NEW's entries beating OLD's best on a board both have, counted apart from the
first results on a board only NEW has; revised numbers: claims of
re-listed papers whose value changed); ``human_text()`` and ``csv_rows()`` render them; the
CLI only wires options. Papers are matched by arXiv id when both sides have one, else by
normalized title. Claims within a paper are matched by a key that survives reordering and
reformatting: (metric, dataset, type, unit, qualifier, position among claims with those
same five fields), so a revised value shows as changed, not as a removal plus an addition.
"""
import contextlib
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from extract import vocab
from extract.claims import extract_or_skip
from extract.papers import Dump, DumpError, norm_title, open_dump
from schema import boards, records

KEY_FIELDS = ("metric", "dataset", "type", "unit", "qualifier")


@dataclass
class Side:
    """One side of a diff: papers (id, title, arxiv id, abstract) and, lazily, their claims."""
    name: str
    papers: dict = field(default_factory=dict)  # paper id -> dict(title, arxiv_id, abstract)
    claims: dict = None  # paper id -> list of claim dicts, None until known


def side_from_dump(dump, fmt=None):
    """A dump's papers (a path, or a ``Dump`` already open); claims are extracted when needed."""
    if not isinstance(dump, Dump):
        with open_dump(dump) as opened:
            return side_from_dump(opened, fmt)
    side = Side(dump.name)
    for paper in dump.papers(fmt):
        side.papers[paper.id] = {"id": paper.id, "title": paper.title, "arxiv_id": paper.arxiv_id,
                                 "abstract": paper.abstract}
    return side


def side_from_db(db, dump_id):
    """A dump already in a database: its papers and their stored claims."""
    side = Side(db.execute("select file_name from dumps where id = ?", [dump_id]).fetchone()[0])
    rows = db.execute("""select p.id, coalesce(a.title, p.title), p.arxiv_id, a.abstract_hash,
                         case when p.abstract_hash = a.abstract_hash then p.abstract end
                         from appearances a join papers p on p.id = a.paper_id where a.dump_id = ?
                         order by a.position""", [dump_id]).fetchall()
    side.claims = defaultdict(list)
    for pid, title, arxiv_id, version, text in rows:  # the abstract's hash stands in for its text
        # (only the latest text is stored: an older version's is None, and boards skip it)
        side.papers[pid] = {"id": pid, "title": title, "arxiv_id": arxiv_id, "abstract": version,
                            "abstract_text": text}
    columns = ("id", "value", "value_max", "scale", "text", "start", "end", "sentence", "method",
               "baseline") + KEY_FIELDS
    claim_rows = db.execute(f"""select c.paper_id, {', '.join('c.' + f for f in columns)} from claims c
                                join appearances a on a.paper_id = c.paper_id
                                and a.abstract_hash = c.abstract_hash and a.dump_id = ?
                                order by c.paper_id, c.start""", [dump_id]).fetchall()
    for pid, *values in claim_rows:
        side.claims[pid].append(dict(zip(columns, values)))
    return side


def _claims_of(side, paper):
    if side.claims is not None:
        return side.claims.get(paper["id"], [])
    if "extracted" not in paper:  # kept: the diff reads a paper's claims again for its boards
        paper["extracted"] = [c.as_dict(sentence=True) for c in extract_or_skip(paper["title"], paper["abstract"])[0]]
    return paper["extracted"]


def _match_papers(old, new):
    """Pairs (old paper, new paper); unmatched papers on either side are returned apart."""
    by_arxiv = {p["arxiv_id"]: p for p in new.papers.values() if p["arxiv_id"]}
    by_title = {norm_title(p["title"]): p for p in new.papers.values()}
    pairs, removed, taken = [], [], set()
    for paper in old.papers.values():
        match = by_arxiv.get(paper["arxiv_id"]) if paper["arxiv_id"] else None
        if match is None:
            candidate = by_title.get(norm_title(paper["title"]))
            both_ids = candidate and candidate["arxiv_id"] and paper["arxiv_id"]
            match = candidate if candidate and not both_ids else None
        if match is None or match["id"] in taken:
            removed.append(paper)
        else:
            taken.add(match["id"])
            pairs.append((paper, match))
    added = [p for p in new.papers.values() if p["id"] not in taken]
    return pairs, removed, added


def keyed(claims):
    """Claims by their diff key: the five fields plus the position among equals.

    >>> sorted(keyed([{"metric": "fid", "dataset": None, "type": "score", "unit": None,
    ...                "qualifier": None, "value": 2.0}]))
    [('fid', None, 'score', None, None, 0)]
    """
    seen = defaultdict(int)
    out = {}
    for claim in claims:
        base = tuple(claim.get(f) for f in KEY_FIELDS)
        out[base + (seen[base],)] = claim
        seen[base] += 1
    return out


def _same_claim(a, b):
    """Same number, and read as the same system's (the method comes from the title too)."""
    return all(a.get(f) == b.get(f) for f in ("value", "value_max", "scale", "method"))


def compare(old, new):
    """The differences between two sides, as plain data (the --json shape)."""
    pairs, removed, added = _match_papers(old, new)
    result = {"old": old.name, "new": new.name,
              "papers_added": [_paper_ref(p) for p in added],
              "papers_removed": [_paper_ref(p) for p in removed],
              "titles_changed": [{**_paper_ref(after), "old_title": before["title"]}
                                 for before, after in pairs if before["title"] != after["title"]],
              "claims_added": [], "claims_removed": [], "claims_changed": []}
    for paper in removed:
        result["claims_removed"] += [_claim_ref(paper, c) for c in _claims_of(old, paper)]
    for paper in added:
        result["claims_added"] += [_claim_ref(paper, c) for c in _claims_of(new, paper)]
    for before, after in pairs:
        if (before["abstract"], before["title"]) == (after["abstract"], after["title"]):
            continue  # the extractor is deterministic: the same paper gives the same claims
        old_claims, new_claims = keyed(_claims_of(old, before)), keyed(_claims_of(new, after))
        for key, claim in old_claims.items():
            if key not in new_claims:
                result["claims_removed"].append(_claim_ref(after, claim))
            elif not _same_claim(claim, new_claims[key]):
                change = _claim_ref(after, new_claims[key])
                change.update(old_value=claim["value"], old_value_max=claim.get("value_max"),
                              old_scale=claim.get("scale"), old_text=claim["text"], old_method=claim.get("method"))
                result["claims_changed"].append(change)
        result["claims_added"] += [_claim_ref(after, c) for k, c in new_claims.items() if k not in old_claims]
    return result


def _paper_ref(paper):
    return {"paper_id": paper["id"], "title": paper["title"]}


def _claim_ref(paper, claim):
    ref = _paper_ref(paper)
    ref.update({f: claim.get(f) for f in KEY_FIELDS})
    ref.update(value=claim["value"], value_max=claim.get("value_max"), scale=claim.get("scale"),
               text=claim["text"], method=claim.get("method"))
    return ref


def is_empty(result):
    return not any(result[k] for k in ("papers_added", "papers_removed", "titles_changed", "claims_added",
                                       "claims_removed", "claims_changed"))


def number_text(value, value_max, scale, unit):
    """A claimed number as written, with its scale.

    >>> number_text(38, None, "B", "params"), number_text(5, 2500, None, "x"), number_text(4.2, None, None, "%")
    ('38B params', '5-2500x', '4.2%')
    """
    if value is None:
        return None
    number = f"{value:g}" + (f"-{value_max:g}" if value_max is not None else "") + (scale or "")
    return number + ("" if unit in (None, "points") else unit if unit in ("%", "x") else f" {unit}")


def human_text(result):
    """What a reader wants first: new records, then the revised numbers of re-listed papers,
    each grouped by paper, then title changes and how many papers were added and removed."""
    lines = [f"--- {result['old']}", f"+++ {result['new']}",
             f"New records: {len(result['new_records'])} new best (beat the old dump's best on its board), "
             f"{len(result['first_on_board'])} first result(s) on a board the old dump does not have"]
    for title, found in _by_title(result["new_records"]):
        lines.append(f"  {title}")
        lines += [f"    {record_text(r)}" for r in found]
    changed = sum(len(p["claims_changed"]) for p in result["revised"])
    lines.append(f"Revised numbers: {changed} claim(s) changed in {len(result['revised'])} re-listed paper(s)")
    for paper in result["revised"]:
        lines.append(f"  {paper['title']}")
        for sign, kind in (("~", "claims_changed"), ("+", "claims_added"), ("-", "claims_removed")):
            for c in paper[kind]:
                what = " ".join(x for x in (c["metric"], c["dataset"]) if x)
                shown = number_text(c["value"], c["value_max"], c["scale"], c["unit"])
                if sign == "~":
                    shown = f"{number_text(c['old_value'], c['old_value_max'], c['old_scale'], c['unit'])} → {shown}"
                    if c["old_method"] != c["method"]:
                        shown += f" (method {c['old_method']} → {c['method']})"
                lines.append(f"    {sign} {what}: {shown}")
    lines += [f"~ title {p['old_title']} → {p['title']}" for p in result["titles_changed"]]
    lines.append(f"Papers: {len(result['papers_added'])} added, {len(result['papers_removed'])} removed")
    return "\n".join(lines)


def _by_title(items):
    groups = defaultdict(list)
    for item in items:
        groups[item["title"]].append(item)
    return groups.items()


def record_text(record):
    """A new record in one line.

    >>> record_text({"metric": "fid", "dataset": "ImageNet", "setting": "256x256", "value": 1.2, "unit": None,
    ...              "direction": "lower is better", "previous_value": 1.7, "previous_unit": None,
    ...              "previous_method": "DiMR", "gain": 0.5})
    'fid on ImageNet (256x256): 1.2, previous best 1.7 (DiMR), 0.5 lower fid'
    """
    board = f"{record['metric']} on {record['dataset']}" + (f" ({record['setting']})" if record["setting"] else "")
    return (f"{board}: {number_text(record['value'], None, None, record['unit'])}, previous best "
            f"{number_text(record['previous_value'], None, None, record['previous_unit'])} "
            f"({record['previous_method'] or record['previous_title']}), "
            f"{gain_text(record['gain'], record['unit'], record.get('direction'), record['metric'])}")


def gain_text(gain, unit, direction, metric):
    """How much better a record is, with its unit: a percent gains points, other metrics
    say which way they moved.

    >>> gain_text(10.1, "%", "higher is better", "top-1 accuracy"), gain_text(0.49, None, "lower is better", "fid")
    ('10.1 points better', '0.49 lower fid')
    >>> gain_text(0.3, "dB", "higher is better", "psnr"), gain_text(None, None, None, "fid")
    ('0.3 dB higher psnr', None)
    """
    if gain is None:
        return None
    if unit == "%":
        return f"{gain:g} points better"
    way = "lower" if direction == "lower is better" else "higher"
    return f"{gain:g}{'' if unit is None else ' ' + unit} {way} {metric}"


RECORD_FIELDS = ("kind", "dataset", "setting", "metric", "direction", "paper_id", "title", "method", "value", "unit",
                 "text", "previous_paper_id", "previous_title", "previous_method", "previous_value",
                 "previous_unit", "gain")


def _board_papers(side, papers):
    """Papers of a side as boards read them (schema/boards.py). A database keeps only the
    latest text of an abstract: a paper listed there in an older version is left off."""
    for paper in papers:
        abstract = paper.get("abstract_text", paper["abstract"])
        claims = _claims_of(side, paper)
        if abstract and any(c["type"] == "score" for c in claims):
            yield {"id": paper["id"], "title": paper["title"], "abstract": abstract,
                   "method": claims[0]["method"], "claims": [{"id": None, **c} for c in claims]}


def new_records(old, new):
    """NEW's best entry on each board where it beats OLD's best on the same board (kind
    "new best"), or where OLD has no entry on that board (kind "first on the board", as
    the records table says of a board's first result: daily listings hardly overlap, so
    report() keeps the two apart).

    A paper listed in both with the same title and abstract is on both sides' boards alike, so it
    cannot beat OLD's best: NEW's candidates are its other papers. It still counts in
    OLD's best, so it is read last and only where it may matter: for the candidates that
    beat OLD's other papers, when it names their board's dataset and metric (extraction
    is what a diff costs, and most papers of two large dumps are unchanged)."""
    pairs, _, _ = _match_papers(old, new)
    same = {(before["id"], after["id"]) for before, after in pairs
            if (before["abstract"], before["title"]) == (after["abstract"], after["title"])}
    unchanged_old, unchanged_new = {a for a, _ in same}, {b for _, b in same}
    candidates = _entries(new, [p for p in new.papers.values() if p["id"] not in unchanged_new])
    before = records.best_per_board(_entries(old, [p for p in old.papers.values() if p["id"] not in unchanged_old]))
    standing = records.new_records(candidates, before)
    words = [(_name_heads(r["dataset"]), _metric_names(r["metric"])) for r in standing]
    rivals = [p for p in old.papers.values() if p["id"] in unchanged_old
              and (old.claims is not None or _may_name(p["abstract"], words))]  # a database's claims are read already
    before = records.best_per_board([*before.values(), *_entries(old, rivals)])
    return [{f: r[f] for f in RECORD_FIELDS} for r in records.new_records(candidates, before)]


def _entries(side, papers):
    return boards.board_entries(_board_papers(side, papers))[0]


def _may_name(abstract, boards_words):
    """Whether ``abstract`` names some board's dataset and metric, given each board's
    (dataset heads, metric names as sets of words)."""
    text = _ascii(abstract)
    if not any(head in text for heads, _ in boards_words for head in heads):
        return False  # most abstracts: a substring test is all they cost
    words = frozenset(text.translate(LETTERS_ONLY).split())
    return any(heads & words and any(name <= words for name in metric) for heads, metric in boards_words)


LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))  # a-z kept, all else a space


def _words(text):
    """The runs of ASCII letters of ``text``, lower-cased (a byte table: a regex over every
    abstract of a large dump costs more than the rest of the diff).

    >>> sorted(_words("Top-1 accuracy on ImageNet-1K, Fréchet"))
    [b'accuracy', b'chet', b'fr', b'imagenet', b'k', b'on', b'top']
    """
    return frozenset(_ascii(text).translate(LETTERS_ONLY).split())


def _ascii(text):
    return text.lower().encode("ascii", "replace")


def _metric_names(metric):
    """A metric's names, and the plain names that mean it on a task, each as its words.

    >>> _words("fid") in _metric_names("fid"), _words("accuracy") in _metric_names("top-1 accuracy")
    (True, True)
    """
    known = vocab.metrics().get(metric)
    plain = [name for meanings in vocab.task_metrics().values() for name, means in meanings.items() if means == metric]
    return {_words(name) for name in (metric, *(known.aliases if known else ()), *plain)}


def _name_heads(dataset):
    """The first word of each name of a dataset, lower-cased: a paper whose abstract has
    none of them cannot have an entry on its board.

    >>> sorted(_name_heads("CIFAR-10")), _name_heads("ImageNet 64x64") >= {b"imagenet"}
    ([b'cifar'], True)
    """
    registry = vocab.dataset_registry()
    canonical = {boards.canonical_dataset(name) for name in (dataset, re.match(r"[A-Za-z]*", dataset)[0])} - {None}
    names = [dataset, *canonical, *(alias for name in canonical for alias in registry[name]["aliases"])]
    return {_ascii(m[0]) for m in (re.match(r"[A-Za-z]+", n) for n in names) if m}


def revised(result):
    """The claims of re-listed papers (in both sides, abstract changed), grouped by paper,
    most changed values first."""
    listed_once = {p["paper_id"] for kind in ("papers_added", "papers_removed") for p in result[kind]}
    papers = {}
    for kind in ("claims_changed", "claims_added", "claims_removed"):
        for claim in result[kind]:
            if claim["paper_id"] not in listed_once:
                paper = papers.setdefault(claim["paper_id"], {
                    **_paper_ref({"id": claim["paper_id"], "title": claim["title"]}),
                    "claims_changed": [], "claims_added": [], "claims_removed": []})
                paper[kind].append(claim)
    return sorted(papers.values(), key=lambda p: (-len(p["claims_changed"]), p["title"].lower()))


def report(old, new):
    """compare() led by what a reader wants first: new records and revised numbers (the
    --json shape)."""
    result = compare(old, new)
    found = new_records(old, new)
    kinds = {kind: [r for r in found if r["kind"] == kind] for kind in (records.NEW_BEST, records.FIRST)}
    return {"old": result["old"], "new": result["new"], "new_records": kinds[records.NEW_BEST],
            "revised": revised(result), "first_on_board": kinds[records.FIRST],
            "record_counts": {kind: len(found) for kind, found in kinds.items()}, **result}


CSV_FIELDS = ("change", "paper_id", "title") + KEY_FIELDS + (
    "old_value", "old_value_max", "old_scale", "value", "value_max", "scale", "old_text", "text", "old_method", "method")


def csv_rows(result):
    """One row per change, for --csv; a title change has the old title as old_text."""
    for item in result["titles_changed"]:
        yield {f: item.get(f) for f in CSV_FIELDS} | {"change": "title_changed", "old_text": item["old_title"],
                                                      "text": item["title"]}
    for change, kind in (("paper_added", "papers_added"), ("paper_removed", "papers_removed"),
                         ("claim_added", "claims_added"), ("claim_removed", "claims_removed"),
                         ("claim_changed", "claims_changed")):
        for item in result[kind]:
            yield {f: item.get(f) for f in CSV_FIELDS} | {"change": change}


def record_changes(db):
    """Fill the changes table: for each dump, what it changed against the dump before it."""
    dumps = [row[0] for row in db.execute("select id from dumps order by seq")]
    db.execute("delete from changes")
    # each dump's side read once: it is the new side of one comparison and the old of the next
    for (previous, old), (current, new) in itertools.pairwise((d, side_from_db(db, d)) for d in dumps):
        result = compare(old, new)
        db["changes"].insert_all(({
            "dump_id": current, "previous_dump_id": previous, "change": row["change"],
            "paper_id": row["paper_id"], "title": row["title"], "metric": row["metric"],
            "dataset": row["dataset"], "unit": row["unit"], "old_value": row["old_value"],
            "new_value": row["value"], "old_text": row["old_text"], "new_text": row["text"],
            "old_value_max": row["old_value_max"], "new_value_max": row["value_max"],
            "old_scale": row["old_scale"], "new_scale": row["scale"],
            "claim_key": "|".join(str(row[f]) for f in KEY_FIELDS) if row["metric"] else None,
        } for row in csv_rows(result)))


def _dump_ids(db, path, names):
    """Dump ids picked by file name or id, or the most recent ones, oldest first."""
    rows = db.execute("select id, file_name from dumps order by seq").fetchall()
    if not names:
        return [r[0] for r in rows]
    ids = []
    for name in names:
        match = [r[0] for r in rows if name in (r[0], r[1])]
        if not match:
            raise DumpError(f"{path}: no dump named {name!r} (have: {', '.join(r[1] for r in rows) or 'none'})")
        ids.append(match[0])
    return ids


def sides(old, new, dump_names, fmt=None):
    """The two sides a user named: dump files, databases, or one database and its dumps."""
    paths = [old] if new is None else [old, new]
    with contextlib.ExitStack() as stack:
        # each side opened once, as a pipe cannot be read twice; a database is then reopened by name
        inputs = [stack.enter_context(open_dump(path)) for path in paths]
        return _sides(paths, inputs, dump_names, fmt)


def _sides(paths, inputs, dump_names, fmt):
    old = paths[0]
    if len(paths) == 1:
        if not inputs[0].is_database:
            raise DumpError(f"{old}: give two dumps, or a database with at least two dumps")
        db = sqlite_utils.Database(old)
        ids = _dump_ids(db, old, dump_names)
        if len(ids) < 2:
            raise DumpError(f"{old}: needs two dumps to compare, has {len(ids)}")
        return side_from_db(db, ids[-2]), side_from_db(db, ids[-1])
    result = []
    for index, (path, dump) in enumerate(zip(paths, inputs)):
        if dump.is_database:
            db = sqlite_utils.Database(path)
            names = dump_names[index:index + 1] or dump_names[:1]
            ids = _dump_ids(db, path, names)
            if not ids:
                raise DumpError(f"{path}: has no dumps")
            result.append(side_from_db(db, ids[-1]))
        else:
            result.append(side_from_dump(dump, fmt))
    return result
