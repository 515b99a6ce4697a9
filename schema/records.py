"""New records: results that took the top of their board when their dump arrived.

Boards (schema/boards.py) are rebuilt from all claims with every build; records are not.
They are an append-only log, written once per dump in ingestion order: the dump's best
entry on each board, when it beats the best of every dump ingested before it. A dump
ingested again is skipped by the build, so it adds nothing.

The first result on an empty board is logged too, with no previous best (previous_* and
gain empty): it was the state of the art when it arrived, and with it the log is complete,
so a board's best before a dump is its latest record and its best over ingestion order
(the board page's step chart) starts where the board does; the ``new_records`` query and
its feeds list it as "first on the board". A board whose metric has no known direction has
no best, hence no records. The diff, which compares two dumps, counts only results that
beat a best on a board both dumps have: daily listings hardly overlap.

``new_records(entries, previous)`` is plain data in, plain data out; the diff uses it too.
"""
import hashlib
import itertools

from extract.vocab import name_key
from schema import boards

COLUMNS = {"id": str, "dump_id": str, "dataset": str, "setting": str, "metric": str, "direction": str,
           "paper_id": str, "title": str, "method": str, "value": float, "unit": str, "text": str,
           "claim_id": str, "sort_key": float, "previous_paper_id": str, "previous_title": str,
           "previous_method": str, "previous_value": float, "previous_unit": str,
           "previous_dump_id": str, "gain": float, "kind": str}
NEW_BEST, FIRST = "new best", "first on the board"  # the kinds of record: beat a previous best, or none to beat


def board_key(entry):
    """A board as records match it across dumps: an unregistered dataset's spelling may
    differ from one dump to the next ("MyBench", "mybench")."""
    return name_key(entry["dataset"]), entry["setting"], entry["metric"]


def best_per_board(entries):
    """The best ranked entry of each board (ties: the first title, then paper id)."""
    ranked = sorted((e for e in entries if e["sort_key"] is not None),
                    key=lambda e: (board_key(e), e["sort_key"], e["title"], e["paper_id"]))
    return {key: next(group) for key, group in itertools.groupby(ranked, key=board_key)}


def new_records(entries, previous):
    """The entries that beat ``previous`` (board key -> best entry so far), one per board:
    its best, with the previous best and the gain (how much better, on the board's scale:
    a 0-1 proportion counted in percent). A board with no previous best gets a record with
    none.

    >>> old = {"dataset": "ImageNet", "setting": "", "metric": "fid", "sort_key": 2.0, "value": 2.0,
    ...        "unit": None, "paper_id": "a", "title": "A", "method": "A", "dump_id": "d0"}
    >>> new = dict(old, sort_key=1.5, value=1.5, paper_id="b", title="B", method="B")
    >>> [(r["paper_id"], r["previous_paper_id"], r["gain"], r["kind"]) for r in new_records([new, old], {})]
    [('b', None, None, 'first on the board')]
    >>> [(r["paper_id"], r["previous_value"], r["gain"], r["kind"]) for r in new_records([new], {board_key(old): old})]
    [('b', 2.0, 0.5, 'new best')]
    >>> new_records([old], {board_key(new): new})
    []
    """
    out = []
    for key, entry in best_per_board(entries).items():
        before = previous.get(key)
        if before is not None and entry["sort_key"] >= before["sort_key"]:
            continue
        record = dict({column: entry.get(column) for column in COLUMNS}, kind=FIRST if before is None else NEW_BEST)
        if before is not None:
            record.update({f"previous_{c}": before.get(c) for c in ("paper_id", "title", "method", "value",
                                                                     "unit", "dump_id")},
                          gain=round(before["sort_key"] - entry["sort_key"], 10))
        out.append(record)
    return out


# --- the records table -------------------------------------------------------------------

def create(db):
    """The records table, and ``dumps.record_count`` (empty until the dump's records are
    computed). A database built before records existed gets its dumps' records here,
    before a new dump replaces the abstracts they listed."""
    db["records"].create(COLUMNS, pk="id", foreign_keys=[("dump_id", "dumps", "id")], if_not_exists=True)
    if "record_count" not in db["dumps"].columns_dict:
        db["dumps"].add_column("record_count", int)
    if "kind" not in db["records"].columns_dict:  # a database built before records had kinds
        db["records"].add_column("kind", str)
        db.execute("update records set kind = case when previous_value is null then ? else ? end", [FIRST, NEW_BEST])
    append(db)


def papers_with_scores(db, dump_id=None):
    """Each paper with a score claim, with all its claims (boards read the other numbers of
    a sentence to tell which dataset and setting are a claim's): every paper as its latest
    abstract reads, or with ``dump_id`` the papers of that dump as it listed them."""
    version = ("(select abstract_hash from appearances where dump_id = :dump and paper_id = p.id)"
               if dump_id else "p.abstract_hash")
    rows = db.execute(f"""
        select p.id, p.title, p.abstract, p.method, c.id, c.text, c.value, c.unit, c.type, c.metric,
               c.dataset, c.method, c.baseline, c.qualifier, c.start, c.end, c.sentence
        from papers p join claims c on c.paper_id = p.id and c.abstract_hash = {version}
        where p.id in (select paper_id from claims where type = 'score')
          {'and p.id in (select paper_id from appearances where dump_id = :dump)' if dump_id else ''}
        order by p.id, c.start""", {"dump": dump_id})
    keys = ("id", "text", "value", "unit", "type", "metric", "dataset", "method", "baseline",
            "qualifier", "start", "end", "sentence")
    for paper_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        group = list(group)
        yield {"id": paper_id, "title": group[0][1], "abstract": group[0][2], "method": group[0][3],
               "claims": [dict(zip(keys, r[4:])) for r in group]}


def _latest_records(db):
    """Board key -> its latest record, the board's best so far."""
    rows = db.execute("""select r.* from records r join dumps d on d.id = r.dump_id
                         order by d.seq""")
    columns = [c[0] for c in rows.description]
    return {board_key(record): record for record in (dict(zip(columns, r)) for r in rows)}


def append(db):
    """Append the records of every dump whose records are not computed yet, in ingestion
    order. Call it right after a dump is ingested: the papers table then holds the
    abstracts that dump listed, which the boards read. Returns how many rows it added."""
    added = 0
    for dump_id, in db.execute("select id from dumps where record_count is null order by seq").fetchall():
        entries, _ = boards.board_entries(papers_with_scores(db, dump_id))
        for entry in entries:
            entry["dump_id"] = dump_id
        rows = new_records(entries, _latest_records(db))
        for record in rows:
            key = "|".join(map(str, (dump_id, *board_key(record))))
            record["id"] = hashlib.sha1(key.encode()).hexdigest()[:16]
        db["records"].insert_all(rows, ignore=True)  # append-only: a row once written stays
        db["dumps"].update(dump_id, {"record_count": len(rows)})
        added += len(rows)
    return added
