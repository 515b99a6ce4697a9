"""New records, their Atom feed and the diff people read, end to end: a real build, an
edited dump added to it, the served feed and board page, and `claimboard diff`.

The ImageNet 256×256 FID board starts in the bundled 002 dump (000 has no generation
papers), so the database is built from 000 and 002 before the edited copy of 001 arrives.
"""
import asyncio
import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest
import sqlite_utils
from click.testing import CliRunner
from claimboard.cli import cli
from leaderboards import serve
from schema.build import build, bundled_dumps
from schema.records import create as create_records

ZERO, ONE, TWO = bundled_dumps()
BOARD = ("ImageNet", "256x256", "fid")
NEW_PAPER = ("FlashDiT: Diffusion Transformers in a Few Steps\n\n"
             "We present FlashDiT, a diffusion transformer for class-conditional image generation. "
             "FlashDiT achieves an FID of 1.21 on ImageNet 256x256, while sampling in only 8 steps.\n\n")
RELISTED = "Geo2SigMap: High-Fidelity RF Signal Mapping Using Geographic Databases"
ATOM = "{http://www.w3.org/2005/Atom}"


def edited_copy(folder):
    """001 with one extra paper that beats the board's best, and Geo2SigMap (listed in 000
    and 002) re-listed with its RMSE changed from 6.04 dB to 6.54 dB."""
    zero = open(ZERO, encoding="utf-8").read()
    start = zero.index(RELISTED)
    end = zero.index("\n\n", zero.index("\n\n", start) + 2)
    relisted = zero[start:end].replace("6.04 dB", "6.54 dB")
    assert relisted != zero[start:end]
    path = folder / "001_edited.txt"
    path.write_text(open(ONE, encoding="utf-8").read().rstrip() + "\n\n" + NEW_PAPER + relisted + "\n",
                    encoding="utf-8")
    return path


def board_records(db):
    return sqlite3.connect(db).execute(
        """select d.file_name, r.title, r.value, r.previous_title, r.previous_value, r.gain from records r
           join dumps d on d.id = r.dump_id where r.dataset = ? and r.setting = ? and r.metric = ?
           order by d.seq""", BOARD).fetchall()


def count(db, table):
    return sqlite3.connect(db).execute(f"select count(*) from {table}").fetchone()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("records")
    db = folder / "claims.db"
    build(db, [ZERO, TWO], log=lambda m: None)
    before = board_records(db)
    edited = edited_copy(folder)
    build(db, [edited], log=lambda m: None)
    return db, edited, before


def test_the_edited_dump_adds_exactly_one_record_on_the_board(built):
    db, _, before = built
    after = board_records(db)
    assert [r[0] for r in before] == ["002_54eef4c03f0d8f4f.txt"]  # the board's first result
    assert after[:len(before)] == before  # append-only
    (new,) = after[len(before):]
    best = before[-1]
    assert new[:3] == ("001_edited.txt", "FlashDiT: Diffusion Transformers in a Few Steps", 1.21)
    assert new[3:5] == (best[1], best[2]) == ("Alleviating Distortion in Image Generation via Multi-Resolution Diffusion Models", 1.7)
    assert new[5] == pytest.approx(1.7 - 1.21)


def test_ingesting_the_same_edited_dump_again_adds_nothing(built, tmp_path):
    db, edited, _ = built
    copy = tmp_path / "claims.db"
    copy.write_bytes(db.read_bytes())
    records, dumps = count(copy, "records"), count(copy, "dumps")
    renamed = tmp_path / "same_content.txt"
    renamed.write_bytes(edited.read_bytes())
    summaries = build(copy, [edited, renamed], log=lambda m: None)
    assert all(s["skipped"] for s in summaries)
    assert (count(copy, "records"), count(copy, "dumps")) == (records, dumps)


@pytest.fixture(scope="module")
def app(built):
    return serve.app(built[0])


def get(app, path):
    response = asyncio.run(app.client.get(path))
    assert response.status_code == 200, response.text[:300]
    return response


def test_the_atom_feed_of_the_board_holds_the_record(app):
    feed = ET.fromstring(get(app, "/claims/new_records.atom?dataset=imagenet&metric=FID&setting=256x256").text)
    assert feed.find(ATOM + "title").text == "New records"
    entry, first = feed.findall(ATOM + "entry")  # newest first
    assert entry.find(ATOM + "title").text == "fid on ImageNet (256x256): 1.21 by FlashDiT (new best)"
    assert first.find(ATOM + "title").text.endswith("(first on the board)")
    assert entry.find(ATOM + "link").get("href").startswith("/claims/claims/")
    assert "New best. Previous best: 1.7" in entry.find(ATOM + "content").text
    assert "0.49 lower fid." in entry.find(ATOM + "content").text  # the gain with its direction and metric
    assert "No previous best" in first.find(ATOM + "content").text.replace("no previous", "No previous")
    everything = ET.fromstring(get(app, "/claims/new_records.atom").text)
    assert entry.find(ATOM + "id").text in {e.find(ATOM + "id").text for e in everything.findall(ATOM + "entry")}
    contents = [e.find(ATOM + "content").text for e in everything.findall(ATOM + "entry")]
    assert any("%" in c for c in contents) and not any("\\%" in c for c in contents)  # 80.0\% reads 80.0%


def test_a_board_with_no_records_has_an_empty_feed(app):
    feed = ET.fromstring(get(app, "/claims/new_records.atom?dataset=NoSuchBench&metric=fid").text)
    assert feed.find(ATOM + "title").text == "New records" and feed.findall(ATOM + "entry") == []


def test_new_records_lists_newest_dump_first(app):
    rows = get(app, "/claims/new_records.json?_shape=array").json()
    assert rows and rows[0]["dump"] == "001_edited.txt"
    assert all(r["gain"] > 0 if r["previous_value"] is not None else r["gain"] is None for r in rows)
    assert {r["kind"] for r in rows} == {"new best", "first on the board"}
    assert all((r["kind"] == "new best") == (r["previous_value"] is not None) for r in rows)
    first = get(app, "/claims/new_records.json?_shape=array&dataset=COCO&metric=map").json()
    assert [r["previous_value"] for r in first] == [None]  # LeYOLO's mAP, the board's first result


def test_the_board_page_marks_records_and_charts_the_best_over_time(app):
    rows = get(app, "/claims/leaderboard.json?_shape=array&dataset=ImageNet&metric=fid&setting=256x256").json()
    marks = {r["title"]: r["record"] for r in rows}
    assert marks["FlashDiT: Diffusion Transformers in a Few Steps"] == (
        "★ new best in 001_edited.txt, 0.49 lower fid than DiMR-XL")
    assert marks["Alleviating Distortion in Image Generation via Multi-Resolution Diffusion Models"].startswith(
        "★ first on the board")
    html = get(app, "/claims/leaderboard?dataset=ImageNet&metric=fid&setting=256x256").text
    assert 'id="records-chart"' in html and "new_records.atom?dataset=ImageNet" in html
    steps = get(app, "/claims/board_records.json?_shape=array&dataset=ImageNet&metric=fid&setting=256x256").json()
    assert [s["value"] for s in steps] == [1.7, 1.21]


def test_what_changed_shows_the_record_then_the_revised_paper(app):
    rows = get(app, "/claims/what_changed.json?_shape=array&dump=001_edited.txt").json()
    assert [(r["change"], r["title"], r["claimed"]) for r in rows[:2]] == [
        ("new best", "FlashDiT: Diffusion Transformers in a Few Steps", "fid on ImageNet (256x256): 1.21, previous best 1.7"),
        ("claims changed", RELISTED, "rmse: 6.04 dB → 6.54 dB")]  # "root-mean-square-error (RMSE) of 6.04 dB"
    assert {r["change"] for r in rows[2:]} == {"paper added", "paper removed"}


def test_diff_shows_the_record_first_and_the_revised_number_second(built):
    db = built[0]
    result = CliRunner().invoke(cli, ["diff", str(db)])
    assert result.exit_code == 1, result.output
    text = result.output
    record = text.index("fid on ImageNet (256x256): 1.21, previous best 1.7")
    revised = text.index(": 6.04 dB → 6.54 dB")
    assert text.index("New records: 1") < record < text.index("Revised numbers: 1 claim(s) changed") < revised
    assert revised < text.index("Papers: ")
    data = json.loads(CliRunner().invoke(cli, ["diff", str(db), "--json"]).output)
    assert list(data)[2:4] == ["new_records", "revised"]
    assert [(r["title"], r["value"], r["previous_value"]) for r in data["new_records"]] == [
        ("FlashDiT: Diffusion Transformers in a Few Steps", 1.21, 1.7)]
    (paper,) = data["revised"]
    assert paper["title"] == RELISTED
    assert [(c["old_value"], c["value"]) for c in paper["claims_changed"]] == [(6.04, 6.54)]


def test_diff_of_dump_files_gives_the_same_groups(built):
    data = json.loads(CliRunner().invoke(cli, ["diff", TWO, str(built[1]), "--json"]).output)
    assert [(r["value"], r["previous_value"]) for r in data["new_records"]] == [(1.21, 1.7)]
    assert [p["title"] for p in data["revised"]] == [RELISTED]


def paper(title, fid):
    return {"title": title, "abstract": f"We propose {title.split(':')[0]}. It achieves an FID of {fid} on ImageNet 256x256."}


@pytest.mark.parametrize("fid,records", [(1.5, [(1.5, 1.7, "HoldNet")]), (1.8, []), (1.7, [])])
def test_a_paper_listed_unchanged_in_both_still_holds_the_best(write, fid, records):
    holder = paper("HoldNet: Holding the Best", 1.7)
    old = write("old.jsonl", "".join(json.dumps(p) + "\n" for p in [holder, paper("OldNet: Older", 2.5)]))
    new = write("new.jsonl", "".join(json.dumps(p) + "\n" for p in [holder, paper("NewNet: Newer", fid)]))
    data = json.loads(CliRunner().invoke(cli, ["diff", str(old), str(new), "--json"]).output)
    assert [(r["value"], r["previous_value"], r["previous_method"]) for r in data["new_records"]] == records


def test_a_database_built_before_records_gets_them_on_its_next_build(tmp_path):
    db = tmp_path / "claims.db"
    build(db, [ZERO, TWO], log=lambda m: None)
    old = sqlite_utils.Database(db)
    old["records"].drop()
    old["dumps"].transform(drop={"record_count"})
    old.close()
    build(db, [edited_copy(tmp_path)], log=lambda m: None)
    assert [r[2] for r in board_records(db)] == [1.7, 1.21]


@pytest.mark.parametrize("query,shown,not_shown", [
    ("dataset=imagenet", [("ImageNet", "fid", "256x256"), ("ImageNet", "top-1 accuracy", "")], []),  # any metric
    ("dataset=imagenet&metric=FID", [("ImageNet", "fid", "")], [("ImageNet", "fid", "256x256")]),  # one board
    ("metric=Fid&setting=256%20x%20256", [("ImageNet", "fid", "256x256")], [("ImageNet", "fid", "")]),
    ("dataset=IMAGENET&metric=Fid&setting=512×512", [("ImageNet", "fid", "512x512")], [("ImageNet", "fid", "256x256")])])
def test_new_records_filters_are_any_when_empty_and_any_case(app, query, shown, not_shown):
    rows = get(app, "/claims/new_records.json?_shape=array&" + query).json()
    boards = {(r["dataset"], r["metric"], r["setting"]) for r in rows}
    assert set(shown) <= boards and not boards & set(not_shown)
    assert all(r["dataset"] == "ImageNet" for r in rows if "dataset" in query)


def test_a_database_built_before_records_had_kinds_gets_them(built, tmp_path):
    copy = tmp_path / "claims.db"
    copy.write_bytes(built[0].read_bytes())
    db = sqlite_utils.Database(copy)
    db["records"].transform(drop={"kind"})
    create_records(db)
    kinds = db.execute("select kind, previous_value is null from records").fetchall()
    assert {tuple(k) for k in kinds} == {("new best", 0), ("first on the board", 1)}


def test_build_says_how_many_records_are_new_bests_and_first_results(tmp_path):
    db = tmp_path / "claims.db"
    build(db, [ZERO, TWO], log=lambda m: None)
    result = CliRunner().invoke(cli, ["build", str(db), str(edited_copy(tmp_path))])
    assert result.exit_code == 0, result.output
    firsts = sqlite3.connect(db).execute("select count(*) from records r join dumps d on d.id = r.dump_id "
                                         "where d.file_name = '001_edited.txt' and r.kind = 'first on the board'")
    assert f"board records: 1 new best, {firsts.fetchone()[0]} first on a board" in result.output
