"""Papers and their claims into a normalized SQLite database.

Tables (see ``create()``): dumps, papers, appearances (a paper seen in a dump), claims,
claim_datasets (a claim measured on several datasets), metrics, datasets, changes (what
each dump changed against the one before it), records (schema/records.py: results that
took the top of their board when their dump arrived). Full-text search covers paper titles and
abstracts and claim text and sentences.

A build never edits the target in place: it works on a copy beside it and moves the copy
over the target only when complete, so an interrupted build leaves the old database whole.
Builds into one target take turns (a lock file beside it), and each removes the work
files that killed builds left behind.
"""
import collections
import contextlib
import ctypes
import fcntl
import glob
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import stat
import sys
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from extract import vocab
from extract.claims import extract_or_skip, split_datasets
from extract.papers import DumpError, open_dump
from schema import boards, records
from schema.diff import record_changes

EXAMPLES = Path(__file__).resolve().parent.parent / "extract" / "examples"
BATCH = 500  # papers per extraction task and per write


def bundled_dumps():
    """The example dumps shipped with claimboard, oldest first."""
    return sorted(str(p) for p in EXAMPLES.glob("*.txt"))


def abstract_hash(abstract):
    return hashlib.sha1(abstract.encode()).hexdigest()[:12]


def claim_id(paper_id, version, claim):
    key = f"{paper_id}|{version}|{claim['start']}|{claim['end']}|{claim['value']}|{claim['value_max']}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


# Each table: its columns (in the order rows are written), primary key, foreign keys.
TABLES = {
    "dumps": ({"id": str, "seq": int, "file_name": str, "content_hash": str, "format": str,
               "ingested_at": str, "paper_count": int, "claim_count": int}, "id", []),
    "papers": ({"id": str, "title": str, "abstract": str, "arxiv_id": str, "published": str,
                "authors": str, "categories": str, "method": str, "claim_count": int, "abstract_hash": str},
               "id", []),
    "appearances": ({"dump_id": str, "paper_id": str, "position": int, "abstract_hash": str, "title": str},
                    ("dump_id", "paper_id"), [("dump_id", "dumps", "id"), ("paper_id", "papers", "id")]),
    "metrics": ({"name": str, "higher_is_better": int, "kind": str, "usual_unit": str, "aliases": str},
                "name", []),
    # A registry dataset has its task and aliases (JSON list); a name claims use for it
    # ("CIFAR10") has a row too, whose `canonical` is the registry's name.
    "datasets": ({"name": str, "in_vocabulary": int, "canonical": str, "task": str, "aliases": str},
                 "name", []),
    "claims": ({"id": str, "paper_id": str, "abstract_hash": str, "text": str, "value": float,
                "value_max": float, "scale": str, "unit": str, "type": str, "metric": str, "dataset": str,
                "method": str, "baseline": str, "qualifier": str, "start": int, "end": int, "sentence": str,
                "base_value": float, "base_unit": str, "seconds": float, "bytes": float, "display_text": str},
               "id", [("paper_id", "papers", "id"), ("metric", "metrics", "name")]),
    "claim_datasets": ({"claim_id": str, "dataset": str}, ("claim_id", "dataset"),
                       [("claim_id", "claims", "id"), ("dataset", "datasets", "name")]),
    "changes": ({"dump_id": str, "previous_dump_id": str, "change": str, "paper_id": str, "title": str,
                 "claim_key": str, "metric": str, "dataset": str, "old_value": float, "new_value": float,
                 "old_text": str, "new_text": str, "unit": str, "old_value_max": float, "new_value_max": float,
                 "old_scale": str, "new_scale": str},
                None, [("dump_id", "dumps", "id"), ("previous_dump_id", "dumps", "id")]),
}
INDEXES = [("claims", ["paper_id", "abstract_hash"]), ("claims", ["metric", "type"]),
           ("claims", ["type", "unit", "value"]), ("claim_datasets", ["dataset"]),
           ("appearances", ["paper_id"]), ("changes", ["dump_id"])]


def create(db):
    """Create the tables, keys and columns where missing (``index()`` adds the indexes):
    a database built by an earlier version gains the columns added since."""
    for name, (columns, pk, fks) in TABLES.items():
        db[name].create(columns, pk=pk, foreign_keys=fks, if_not_exists=True)
        for column, kind in columns.items():  # a database built by an older claimboard
            if column not in db[name].columns_dict:
                db[name].add_column(column, kind)
    _load_vocabularies(db)
    records.create(db)


def index(db):
    """Create the indexes where missing: on a fresh build, after the rows are in, as one
    sort per index costs less than keeping each index ordered through millions of inserts."""
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)


def insert(db, table, rows, conflict="REPLACE"):
    """Write rows (tuples in TABLES order) with one executemany: sqlite-utils' per-row
    upserts cost more than the extraction on large dumps."""
    columns = list(TABLES[table][0])
    db.conn.executemany(
        f"INSERT OR {conflict} INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})", rows)


def row(table, **values):
    return tuple(values.get(c) for c in TABLES[table][0])


def _load_vocabularies(db):
    db["metrics"].upsert_all(({
        "name": m.name, "higher_is_better": None if m.higher_is_better is None else int(m.higher_is_better),
        "kind": m.kind, "usual_unit": m.unit, "aliases": json.dumps(list(m.aliases)),
    } for m in vocab.metrics().values()), pk="name")
    db["datasets"].upsert_all(({"name": n, "in_vocabulary": 1, "canonical": n, "task": d["task"],
                                "aliases": json.dumps(d["aliases"])}
                               for n, d in vocab.dataset_registry().items()), pk="name")


def _extract_batch(papers):
    """Worker side: papers in, ready rows out (paper, claims, claim datasets, skip
    reason), so the writing process only writes. Module level so processes can pickle it."""
    out = []
    for paper in papers:
        claims, skipped = extract_or_skip(paper.title, paper.abstract)
        version = abstract_hash(paper.abstract)
        claim_rows, link_rows = [], []
        for claim in claims:
            claim_rows.append(claim_row(paper.id, version, claim.as_dict(sentence=True)))
            link_rows += [(claim_rows[-1][0], d) for d in split_datasets(claim.dataset)]
        paper_row = row("papers", id=paper.id, title=paper.title, abstract=paper.abstract,
                        arxiv_id=paper.arxiv_id, published=paper.published, authors=paper.authors,
                        categories=paper.categories, method=claims[0].method if claims else None,
                        claim_count=len(claims), abstract_hash=version)
        out.append((paper_row, claim_rows, link_rows, skipped))
    return out


def _batches(papers, size=BATCH):
    batch = []
    for paper in papers:
        batch.append(paper)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bounded_imap(pool, batches, limit):
    """Pool.imap keeping at most ``limit`` batches in flight: Pool.imap itself reads its
    whole input ahead, and memory would grow with the dump."""
    pending = collections.deque()
    for batch in batches:
        pending.append(pool.apply_async(_extract_batch, (batch,)))
        if len(pending) >= limit:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def build(db_path, dumps, fmt=None, jobs=1, fresh=False, skip_bad=False, log=print, progress=None):
    """Ingest ``dumps`` into the database at ``db_path`` (created if missing) atomically.

    Returns a list of per-dump summaries. A dump whose content is already in the
    database (under any name) is recorded once and skipped. Builds into one target run
    one at a time (the second waits); SIGTERM, SIGHUP or SIGINT end a build with
    BuildInterrupted and the target as it was.
    """
    target = Path(os.path.realpath(db_path))  # through a symlink: replace the real file, keep the link
    if target.exists():  # before the lock file is made beside it; checked again under the lock
        check_database(target)
    # Workers are forked before the lock is taken, so that none inherits it.
    pool = multiprocessing.get_context("fork").Pool(jobs, _worker_start, (os.getpid(),)) if jobs > 1 else None
    try:
        # each dump opened once (a pipe cannot be read twice), all before any work, so
        # one that cannot be read stops the build early
        with contextlib.ExitStack() as inputs:
            dumps = [inputs.enter_context(open_dump(path)) for path in dumps]
            with _lock(target, log), _signals_raise():
                summaries = _build_locked(target, dumps, fmt, pool, jobs, fresh, skip_bad, log, progress)
    finally:
        if pool:
            pool.terminate()
    return summaries


def _build_locked(target, dumps, fmt, pool, jobs, fresh, skip_bad, log, progress):
    """The build proper, under the lock: a fresh work file, moved over the target when complete."""
    _remove_work_files(target)
    if target.exists():  # --fresh or not: never replace a file that is not ours
        check_database(target)
    fd, work = tempfile.mkstemp(prefix=f".{target.name}.building-", dir=target.parent)
    os.close(fd)
    work = Path(work)
    try:
        if target.exists() and not fresh:
            shutil.copyfile(target, work)
        summaries = _build_into(work, dumps, fmt, pool, jobs, skip_bad, log, progress)
        os.chmod(work, stat.S_IMODE(target.stat().st_mode) if target.exists() else _default_mode())
        os.replace(work, target)
    finally:
        if work.exists():
            work.unlink()
    return summaries


def _build_into(work, dumps, fmt, pool, jobs, skip_bad, log, progress):
    db = sqlite_utils.Database(work)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    create(db)
    summaries = [_ingest(db, path, fmt, pool, jobs, skip_bad, log, progress) for path in dumps]
    index(db)
    record_changes(db)
    _finish(db)
    db.close()
    return summaries


class BuildInterrupted(DumpError):
    """A signal ended the build; the target was left as it was."""


@contextlib.contextmanager
def _lock(target, log):
    """Hold ``.NAME.lock`` beside the target for the whole build, so a second build into
    the same file waits instead of replacing the first one's work with its own. The
    kernel drops the lock when the process dies, even by SIGKILL."""
    with open(target.with_name(f".{target.name}.lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"{target}: another build is writing it; waiting for it to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _remove_work_files(target):
    """Work files of builds that were killed (SIGKILL, power loss): under the lock no
    other build is running on this target, so every one of them is stale."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.building-*"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def _signals_raise(signals=(signal.SIGTERM, signal.SIGHUP, signal.SIGINT)):
    """Turn the signals `timeout`, `docker stop`, a closed terminal and Ctrl-C send into
    BuildInterrupted, so the work file is removed on the way out. Only the main thread
    can set handlers; forked extraction workers keep the default action."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    builder = os.getpid()

    def interrupt(signum, frame):
        if os.getpid() != builder:
            os._exit(128 + signum)
        raise BuildInterrupted(f"build interrupted by {signal.Signals(signum).name}; the database was left as it was")

    previous = {s: signal.signal(s, interrupt) for s in signals}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _worker_start(parent):
    """Pool worker start: leave Ctrl-C to the build (which ends the workers, without a
    traceback from each), and end with the build even when it is killed by SIGKILL
    (Linux: prctl PR_SET_PDEATHSIG)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _default_mode():
    """The mode a new file gets under the process umask (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def check_database(path):
    """Raise DumpError unless ``path`` is a claimboard database."""
    if not os.path.exists(path):
        raise DumpError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
            if not conn.execute("select 1 from sqlite_master where name = 'claims'").fetchone():
                raise DumpError(f"{path}: exists but is not a claimboard database (no claims table); "
                                "choose another name or remove it")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise DumpError(f"{path}: exists but is not an SQLite database; choose another name") from None


def _ingest(db, dump, fmt, pool, jobs, skip_bad, log, progress):
    path, digest = dump.name, dump.digest
    dump_id = digest[:16]
    existing = db.execute("select file_name from dumps where id = ?", [dump_id]).fetchone()
    if existing:
        log(f"{path}: same content as {existing[0]}, already ingested; skipped")
        return {"file": path, "dump_id": dump_id, "skipped": True}
    fmt = fmt or dump.sniff()
    warn = lambda msg: log(f"warning: {msg}")  # noqa: E731
    papers = dump.papers(fmt, skip_bad=skip_bad, warn=warn)
    batches = _batches(papers)
    results = _bounded_imap(pool, batches, 4 * jobs) if pool else map(_extract_batch, batches)
    seq = (db.execute("select max(seq) from dumps").fetchone()[0] or 0) + 1
    db["dumps"].insert({"id": dump_id, "seq": seq, "file_name": os.path.basename(path),
                        "content_hash": digest, "format": fmt,
                        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        "paper_count": 0, "claim_count": 0})
    paper_count = claim_count = 0
    for batch in results:
        appearances = []
        for paper_row, claim_rows, link_rows, skipped in batch:
            if skipped:
                log(f"warning: {path}: {paper_row[1][:60]!r}: {skipped}")
            paper_count += 1
            claim_count += len(claim_rows)
            appearances.append(row("appearances", dump_id=dump_id, paper_id=paper_row[0],
                                   position=paper_count, abstract_hash=paper_row[-1], title=paper_row[1]))
        insert(db, "appearances", appearances)
        insert(db, "papers", [b[0] for b in batch])
        insert(db, "claims", [r for b in batch for r in b[1]])
        links = [r for b in batch for r in b[2]]
        insert(db, "datasets", [row("datasets", name=d, in_vocabulary=int(bool(boards.canonical_dataset(d))),
                                    canonical=boards.canonical_dataset(d)) for _, d in links], conflict="IGNORE")
        insert(db, "claim_datasets", links)
        if progress:
            progress(len(batch))
    db["dumps"].update(dump_id, {"paper_count": paper_count, "claim_count": claim_count})
    log(f"{path}: {paper_count} papers, {claim_count} claims ({fmt})")
    return {"file": path, "dump_id": dump_id, "papers": paper_count, "claims": claim_count,
            "records": records.append(db)}  # now, while the papers table holds this dump's abstracts


# LaTeX and Markdown the listing site leaves in abstracts, as (pattern, replacement):
# ``text`` keeps them (its offsets point into the abstract); pages show the cleaned form.
DEBRIS = [(re.compile(pattern), replacement) for pattern, replacement in [
    (r"\\([%$&#_])", r"\1"),           # escaped specials: 4.23\% -> 4.23%
    (r"(?<=\d)times(?![a-z])", "×"),    # \times without its backslash: 256times256, 4.5times
    (r"(?<=\d)\s?sim\s?(?=\d)", "~"),   # \sim the same way: 10sim100times
    (r"\*\*", ""),                       # Markdown bold: up to a **28times
    # \leq, \le, or leq without its backslash, before a number (or at the end of a piece the
    # paper page cuts before a highlighted number): leq 1/200
    (r"\\?\bleq?(?=\s?(?:[\d$]|\Z))", "≤"),
    (r"\\?\bgeq?(?=\s?(?:[\d$]|\Z))", "≥"),     # \geq the same way: \geq 100,000
    (r"\\sim\b\s?", "~"),                 # \sim before a word or a space: \sim 3B
    (r"\\approx\b\s?", "≈"),              # \approx 2x
    (r"\\(?=\d)", "$"),                     # \$ whose $ was lost: \500 (dollars)
]]


def display_text(text):
    r"""``text`` without the site's LaTeX and Markdown debris.

    >>> [display_text(t) for t in ["256times256", "10sim100times", "4.23\\%", "up to a **28times", "60 times"]]
    ['256×256', '10~100×', '4.23%', 'up to a 28×', '60 times']
    >>> [display_text(t) for t in ["leq 1/200", "\\leq 5%", "\\geq 100,000", "\\$500", "\\500", "\\sim 3B", "\\approx 2x"]]
    ['≤ 1/200', '≤ 5%', '≥ 100,000', '$500', '$500', '~3B', '≈2x']
    >>> [display_text(t) for t in ["a sleeq 5 design", "legacy 5", "geometry 3", "a budget leq "]]
    ['a sleeq 5 design', 'legacy 5', 'geometry 3', 'a budget ≤ ']
    """
    for pattern, replacement in DEBRIS:
        text = pattern.sub(replacement, text)
    return text


def claim_row(paper_id, version, claim):
    """A claims row: the spec fields, ids, the value in its pint base unit, the text to show."""
    base_value, base_unit = vocab.to_base(claim["value"], claim["scale"], claim["unit"])
    return row("claims", **claim, id=claim_id(paper_id, version, claim), paper_id=paper_id,
               abstract_hash=version, base_value=base_value, base_unit=base_unit,
               display_text=display_text(claim["text"]),
               seconds=base_value if base_unit == "second" else None,
               bytes=base_value if base_unit == "byte" else None)


ENTRY_COLUMNS = {"dataset": str, "setting": str, "metric": str, "direction": str, "sort_key": float,
                 "paper_id": str, "method": str, "title": str, "value": float, "unit": str,
                 "qualifier": str, "text": str, "sentence": str, "claim_id": str}
LEADERBOARDS = """
create table leaderboards as
select e.dataset, e.setting, e.metric, e.direction, count(distinct e.paper_id) as papers,
  coalesce(json_array_length(d.aliases), 0) as aliases
from leaderboard_entries e left join datasets d on d.name = e.dataset
group by e.dataset, e.setting, e.metric
"""


def _materialize_leaderboards(db):
    """Each board's rows (the paper's own best score per paper and method, with the key
    that ranks them by the metric's direction) and the list of boards, computed once per
    build, so the served queries are index range scans however large the database; then
    the names a board can be asked for (board_names: kind "dataset", "metric", or
    "metric on DATASET" for a plain name read as the dataset's task reads it)."""
    entries, _ = boards.board_entries(records.papers_with_scores(db))
    for table in ("leaderboard_entries", "leaderboards", "board_names"):
        db.execute(f"drop table if exists {table}")
    db["leaderboard_entries"].create(ENTRY_COLUMNS)
    db["leaderboard_entries"].insert_all(({c: e[c] for c in ENTRY_COLUMNS} for e in entries))
    db["leaderboard_entries"].create_index(["dataset", "metric", "setting", "sort_key"])
    _add_unregistered(db, entries)
    db.execute(LEADERBOARDS)
    db["leaderboards"].create_index(["papers"])
    db["board_names"].create({"kind": str, "key": str, "name": str}, pk=("kind", "key"))
    # a board's own name first, so a key its spellings share leads to the board
    names = [("dataset", *r) for r in db.execute("""select name, aliases from datasets where aliases is not null
                                                   order by name not in (select dataset from leaderboard_entries)""")]
    names += [("metric", *r) for r in db.execute("""select name, aliases from metrics
                                                  order by name not in (select metric from leaderboard_entries)""")]
    db["board_names"].insert_all(({"kind": kind, "key": vocab.name_key(alias), "name": name}
                                  for kind, name, aliases in names for alias in (name, *json.loads(aliases))
                                  if vocab.name_key(alias)), ignore=True)
    # what a plain metric name means on a dataset ("accuracy" on ImageNet is top-1 accuracy)
    db["board_names"].insert_all(({"kind": f"metric on {dataset}", "key": vocab.name_key(plain), "name": metric}
                                  for dataset, entry in vocab.dataset_registry().items()
                                  for plain, metric in vocab.task_metrics().get(entry["task"], {}).items()),
                                 ignore=True)


def _add_unregistered(db, entries):
    """A board's dataset or metric outside the registry gets a row whose aliases are the
    other spellings claims used, so every board's names can be checked in the database."""
    for table, column, used, registered in (
            ("datasets", "dataset", "select distinct dataset from claim_datasets", vocab.dataset_registry()),
            ("metrics", "metric", "select distinct metric from claims", vocab.metrics())):
        spellings = collections.defaultdict(set)
        for name, in db.execute(used):
            spellings[vocab.name_key(name or "")].add(name)
        for name in {e[column] for e in entries} - set(registered):
            aliases = sorted(spellings[vocab.name_key(name)] - {name})
            db[table].upsert({"name": name, "aliases": json.dumps(aliases)}, pk="name")


def _finish(db):
    """Rows for metrics named in claims but missing from the vocabulary (the abstract's own
    words, direction unknown), the view of current claims, the leaderboard tables,
    then search indexes."""
    db.execute("""insert or ignore into metrics (name, higher_is_better, kind, usual_unit, aliases)
                  select distinct metric, null, 'quality', null, '[]' from claims
                  where metric not in (select name from metrics)""")
    db.execute("drop view if exists current_claims")
    db.execute("""create view current_claims as
                  select c.* from claims c join papers p
                  on p.id = c.paper_id and p.abstract_hash = c.abstract_hash""")
    db.register_function(display_text, deterministic=True)  # rows of older builds have none
    db.execute("update claims set display_text = display_text(text) where display_text is null")
    _materialize_leaderboards(db)
    for table, columns in [("papers", ["title", "abstract"]), ("claims", ["text", "sentence"])]:
        if not db[table].detect_fts():
            db[table].enable_fts(columns, create_triggers=False, tokenize="porter")
        else:
            db[table].rebuild_fts()
    db.conn.commit()
