"""The database: keys hold, rebuilds are idempotent, appearances are recorded."""
import json
import os
import shutil
import sqlite3

import pytest
import sqlite_utils

from extract.papers import DumpError
from schema.build import _finish, build, bundled_dumps, create, insert, row


def dump_rows(db):
    return {t: sorted(map(tuple, db.execute(f"select * from [{t}]").fetchall()))
            for t in ("papers", "claims", "appearances", "claim_datasets", "changes")}


def test_tables_and_counts(built_db):
    db = sqlite_utils.Database(built_db)
    assert {"dumps", "papers", "appearances", "claims", "claim_datasets", "metrics", "datasets",
            "changes", "papers_fts", "claims_fts"} <= set(db.table_names())
    assert db["dumps"].count == 3
    assert db["papers"].count == 333
    assert db["appearances"].count == 347
    assert db["claims"].count > 350


def test_foreign_keys_hold(built_db):
    conn = sqlite3.connect(built_db)
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    fks = {(fk.table, fk.column, fk.other_table) for fk in sqlite_utils.Database(conn)["claims"].foreign_keys}
    assert ("claims", "paper_id", "papers") in fks and ("claims", "metric", "metrics") in fks


def test_a_paper_in_two_dumps_is_one_paper_with_two_appearances(built_db):
    db = sqlite_utils.Database(built_db)
    rows = db.execute("select paper_id, count(*) from appearances group by paper_id having count(*) > 1").fetchall()
    assert len(rows) == 14  # each of them in exactly two of the three dumps
    assert sum(n - 1 for _, n in rows) == 347 - 333


def test_claims_keep_their_offsets_and_base_units(built_db):
    db = sqlite_utils.Database(built_db)
    for text, start, end, abstract in db.execute(
            "select c.text, c.start, c.end, p.abstract from claims c join papers p on p.id = c.paper_id"):
        assert abstract[start:end] == text
    days = db.execute("select base_value, base_unit, seconds from claims where unit = 'day' and value = 8").fetchone()
    assert days == (691200.0, "second", 691200.0)


def test_rebuild_is_idempotent(built_db, tmp_path):
    copy = tmp_path / "claims.db"
    shutil.copy(built_db, copy)
    before = dump_rows(sqlite_utils.Database(copy))
    summaries = build(copy, bundled_dumps(), log=lambda m: None)
    assert all(s["skipped"] for s in summaries)
    assert dump_rows(sqlite_utils.Database(copy)) == before
    fresh = tmp_path / "fresh.db"
    build(fresh, bundled_dumps(), fresh=True, log=lambda m: None)
    assert dump_rows(sqlite_utils.Database(fresh)) == before


def test_same_content_under_another_name_is_recorded_once(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(bundled_dumps()[0], first)
    shutil.copy(bundled_dumps()[0], second)
    messages = []
    build(tmp_path / "claims.db", [first, second], log=messages.append)
    assert sqlite_utils.Database(tmp_path / "claims.db")["dumps"].count == 1
    assert any("same content as a.txt" in m for m in messages)


def test_jobs_do_not_change_the_output(built_db, tmp_path):
    parallel = tmp_path / "claims.db"
    build(parallel, bundled_dumps(), jobs=2, log=lambda m: None)
    assert dump_rows(sqlite_utils.Database(parallel)) == dump_rows(sqlite_utils.Database(built_db))


def test_a_failed_build_leaves_the_database_untouched(built_db, tmp_path, write):
    copy = tmp_path / "claims.db"
    shutil.copy(built_db, copy)
    before = copy.read_bytes()
    with pytest.raises(DumpError):
        build(copy, [bundled_dumps()[0], write("bad.jsonl", '{"title": "A"}\n')], log=lambda m: None)
    assert copy.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".claims.db.lock"]


def test_refuses_to_overwrite_a_file_that_is_not_a_claimboard_database(tmp_path):
    other = tmp_path / "notes.db"
    other.write_text("precious notes")
    with pytest.raises(DumpError, match="not an SQLite database"):
        build(other, bundled_dumps(), log=lambda m: None)
    assert other.read_text() == "precious notes"


def test_boards_can_be_checked_from_the_database(built_db):
    db = sqlite_utils.Database(built_db)
    aliases = json.loads(db["datasets"].get("ImageNet")["aliases"])
    assert {"ImageNet-1K", "ILSVRC-2012"} <= set(aliases)
    assert db["datasets"].get("CIFAR10")["canonical"] == "CIFAR-10"  # a name claims use
    assert "fid score" in json.loads(db["metrics"].get("fid")["aliases"])
    assert {"dataset", "setting", "metric", "paper_id", "method", "value"} <= set(db["leaderboard_entries"].columns_dict)
    assert {"setting", "direction", "papers", "aliases"} <= set(db["leaderboards"].columns_dict)
    boards = {(r["dataset"], r["setting"], r["metric"]) for r in db["leaderboards"].rows}
    assert {d for d, _, _ in boards} <= {r["name"] for r in db["datasets"].rows_where("aliases is not null")}
    assert not any(m == "performance" for _, _, m in boards)
    unnamed = db.execute("select count(*) from metrics where higher_is_better is null").fetchone()[0]
    assert unnamed > 0  # metrics named only by abstracts have no known direction


def test_a_board_outside_the_registry_is_found_by_its_spellings(tmp_path):
    db = sqlite_utils.Database(tmp_path / "claims.db")
    create(db)
    sentence = "CircuitNet reaches a circuit-size of 120 on ISCAS-85 and a Circuit Size of 95 on iscas 85."
    insert(db, "papers", [row("papers", id="p", title="CircuitNet: Small Circuits", abstract=sentence,
                              method="CircuitNet", abstract_hash="h")])
    claims = [("120", "circuit-size", "ISCAS-85"), ("95", "Circuit Size", "iscas 85")]
    insert(db, "claims", [row("claims", id=f"c{i}", paper_id="p", abstract_hash="h", text=text, value=float(text),
                              type="score", metric=metric, dataset=dataset, method="CircuitNet",
                              start=sentence.index(text), end=sentence.index(text) + len(text), sentence=sentence)
                          for i, (text, metric, dataset) in enumerate(claims)])
    insert(db, "claim_datasets", [("c0", "ISCAS-85"), ("c1", "iscas 85")])
    _finish(db)
    boards = list(db["leaderboards"].rows)
    assert [(b["dataset"], b["metric"], b["direction"]) for b in boards] == [
        ("ISCAS-85", "circuit size", "direction unknown")]  # one board, unranked
    names = {(r["kind"], r["key"]): r["name"] for r in db["board_names"].rows}
    assert names[("metric", "circuitsize")] == "circuit size" and names[("dataset", "iscas85")] == "ISCAS-85"
    assert json.loads(db["datasets"].get("ISCAS-85")["aliases"]) == ["iscas 85"]
    entries = list(db["leaderboard_entries"].rows)  # one per paper and method: unranked, the first stated
    assert [(e["value"], e["sort_key"]) for e in entries] == [(120.0, None)]


@pytest.mark.parametrize("fresh", [False, True])
def test_never_overwrites_a_dump_even_with_fresh(tmp_path, fresh):
    dump = tmp_path / "today.txt"  # `claimboard build --fresh today.txt`: the database argument forgotten
    shutil.copy(bundled_dumps()[0], dump)
    before = dump.read_bytes()
    with pytest.raises(DumpError, match="not an SQLite database"):
        build(dump, bundled_dumps()[1:2], fresh=fresh, log=lambda m: None)
    assert dump.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["today.txt"]  # no lock file left beside it


def test_stale_work_files_are_removed_and_never_reopened(built_db, tmp_path):
    """A killed build left a full copy named after its PID (always 1 in a container); the
    next build, with the same PID and --fresh, must start empty and ingest every dump."""
    stale = tmp_path / f".claims.db.building-{os.getpid()}"
    shutil.copy(built_db, stale)
    sqlite_utils.Database(stale).execute("delete from papers")
    sqlite_utils.Database(stale).conn.commit()
    other = tmp_path / ".claims.db.building-abc123"
    other.write_text("half written")
    summaries = build(tmp_path / "claims.db", bundled_dumps(), fresh=True, log=lambda m: None)
    assert [s["papers"] for s in summaries] == [66, 89, 192]
    assert sqlite_utils.Database(tmp_path / "claims.db")["papers"].count == 333
    assert sorted(p.name for p in tmp_path.iterdir()) == [".claims.db.lock", "claims.db"]


def test_rebuild_through_a_symlink_keeps_the_link_and_the_mode(built_db, tmp_path):
    real = tmp_path / "data" / "claims.db"
    real.parent.mkdir()
    shutil.copy(built_db, real)
    os.chmod(real, 0o600)
    link = tmp_path / "claims.db"
    link.symlink_to(real)
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "2401.66666", "title": "A New Paper", "abstract": "We reach 91.2% top-1 accuracy on ImageNet."}\n')
    build(link, [extra], log=lambda m: None)
    assert link.is_symlink() and link.resolve() == real
    assert os.stat(real).st_mode & 0o777 == 0o600
    assert sqlite_utils.Database(real)["dumps"].count == 4


def test_a_new_database_gets_the_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        build(tmp_path / "claims.db", bundled_dumps()[:1], log=lambda m: None)
    finally:
        os.umask(umask)
    assert os.stat(tmp_path / "claims.db").st_mode & 0o777 == 0o644


def test_a_database_of_an_earlier_version_gains_the_new_columns(built_db, tmp_path):
    """Appearances had no title before; a build into such a database adds the column."""
    copy = tmp_path / "claims.db"
    shutil.copy(built_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("alter table appearances drop column title")
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "2401.66666", "title": "A New Paper", "abstract": "We are 3x faster."}\n')
    build(copy, [extra], log=lambda m: None)
    titles = sqlite_utils.Database(copy).execute("select title from appearances where paper_id = '2401.66666'")
    assert titles.fetchall() == [("A New Paper",)]
