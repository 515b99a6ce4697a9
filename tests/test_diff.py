"""claimboard diff: dumps and databases, edited copies, exit codes."""
import json

import pytest
import sqlite_utils
from click.testing import CliRunner

from claimboard.cli import cli
from extract.papers import read_papers
from schema.build import build, bundled_dumps
from schema.diff import compare, side_from_dump

ZERO, LATEST = bundled_dumps()[0], bundled_dumps()[-1]


def run(*args):
    return CliRunner().invoke(cli, ["diff", *map(str, args)])


def jsonl(papers):
    return "".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in papers)


@pytest.fixture
def papers():
    return list(read_papers(LATEST))


def diff_of(write, papers, edited):
    return compare(side_from_dump(write("old.jsonl", jsonl(papers))), side_from_dump(write("new.jsonl", jsonl(edited))))


def test_identical_dumps_differ_in_nothing():
    result = run(LATEST, LATEST)
    assert result.exit_code == 0, result.output
    assert "New records: 0 new best (beat the old dump's best on its board), 0 first result(s) on a board the old dump does not have\nRevised numbers: 0 claim(s) changed in 0 re-listed paper(s)\nPapers: 0 added, 0 removed" in result.output


def test_same_papers_in_other_layout_and_order_differ_in_nothing(write, papers):
    reordered = list(reversed(papers))
    as_text = "Subscribe\n\n" + "".join(f"{p.title}\n\n  {p.abstract}  \n\n" for p in reordered)
    result = compare(side_from_dump(LATEST), side_from_dump(write("new.txt", as_text)))
    assert not any(result[k] for k in result if k not in ("old", "new"))


@pytest.mark.parametrize("old,new", [(0, 1), (0, 2), (1, 2)])
def test_papers_shared_by_bundled_dumps_show_no_changed_claims(old, new):
    old_side, new_side = side_from_dump(bundled_dumps()[old]), side_from_dump(bundled_dumps()[new])
    shared = set(old_side.papers) & set(new_side.papers)
    result = compare(old_side, new_side)
    assert result["claims_changed"] == []
    assert len(result["papers_added"]) == len(new_side.papers) - len(shared)
    assert len(result["papers_removed"]) == len(old_side.papers) - len(shared)
    touched = {c["paper_id"] for kind in ("claims_added", "claims_removed") for c in result[kind]}
    assert not touched & shared


def test_bundled_dumps_share_fourteen_papers():
    sides = [set(side_from_dump(path).papers) for path in bundled_dumps()]
    assert len((sides[0] & sides[1]) | (sides[0] & sides[2]) | (sides[1] & sides[2])) == 14


def test_a_revised_value_is_a_change_not_a_removal_and_an_addition(write, papers):
    target = next(p for p in papers if "reduces communication volume of ZeRO by 4x" in p.abstract)
    target.abstract = target.abstract.replace("by 4x", "by 5x")
    original = list(read_papers(LATEST))
    result = diff_of(write, original, papers)
    assert [(c["metric"], c["old_value"], c["value"]) for c in result["claims_changed"]] == [
        ("communication volume", 4, 5)]
    assert result["claims_added"] == [] and result["claims_removed"] == []


def test_a_removed_claim_sentence(write, papers):
    target = next(p for p in papers if "up to 2.16x better throughput" in p.abstract)
    original = list(read_papers(LATEST))
    target.abstract = target.abstract.split(" Collectively,")[0]
    result = diff_of(write, original, papers)
    assert sorted(c["value"] for c in result["claims_removed"]) == [2.16, 4]
    assert result["claims_changed"] == [] and result["claims_added"] == []


def test_a_paper_removed_and_a_paper_added(write, papers):
    original = list(read_papers(LATEST))
    gone = papers.pop(0)
    papers.append(type(gone)(title="NewNet: A New Net", abstract="NewNet is 3x faster than OldNet."))
    result = diff_of(write, original, papers)
    assert [p["title"] for p in result["papers_removed"]] == [gone.title]
    assert [p["title"] for p in result["papers_added"]] == ["NewNet: A New Net"]
    assert [(c["title"], c["value"], c["unit"], c["type"], c["text"]) for c in result["claims_added"]] == [
        ("NewNet: A New Net", 3, "x", "speedup", "3x faster")]
    assert [(c["title"], c["value"]) for c in result["claims_removed"]] == [(gone.title, 4), (gone.title, 2.16)]


def test_json_csv_and_exit_status(write, papers):
    original = write("old.jsonl", jsonl(papers))
    papers[0].abstract += " It is 9x faster."
    new = write("new.jsonl", jsonl(papers))
    as_json = run(original, new, "--json")
    assert as_json.exit_code == 1
    data = json.loads(as_json.output)
    assert set(data) >= {"papers_added", "papers_removed", "claims_added", "claims_removed", "claims_changed"}
    assert [c["value"] for c in data["claims_added"]] == [9]
    as_csv = run(original, new, "--csv")
    assert as_csv.exit_code == 1 and as_csv.output.splitlines()[0].startswith("change,paper_id,title")
    text = run(original, new)
    assert "+ speed: 9x" in text.output


def test_database_side_and_dump_names(tmp_path):
    db = tmp_path / "claims.db"
    build(db, bundled_dumps(), log=lambda m: None)
    latest_two = run(db)
    assert latest_two.exit_code == 1 and "001_eaa1cd8e17f6e22e.txt" in latest_two.output
    picked = run(db, "--dump", "000_88d7014220eadba9.txt", "--dump", "001_eaa1cd8e17f6e22e.txt", "--json")
    assert json.loads(picked.output)["old"] == "000_88d7014220eadba9.txt"
    same = run(db, LATEST)
    assert same.exit_code == 0, same.output


@pytest.mark.parametrize("args,message", [
    (["missing.txt", "missing2.txt"], "no such file"),
    ([ZERO], "give two dumps, or a database"),
])
def test_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.output


def test_unknown_dump_name_in_database(tmp_path):
    db = tmp_path / "claims.db"
    build(db, bundled_dumps()[:2], log=lambda m: None)
    result = run(db, "--dump", "nope.txt", "--dump", "x")
    assert result.exit_code == 2 and "no dump named 'nope.txt'" in result.output


def test_scale_and_range_are_carried_in_text_json_and_csv(write):
    def dump(name, abstract):
        return write(name, json.dumps({"title": "A Big Model", "abstract": abstract}) + "\n")
    old = dump("old.jsonl", "Our model with only 38B parameters outperforms GPT-3.")
    new = dump("new.jsonl", "Our model with only 38M parameters outperforms GPT-3 and gives a 5-10x speedup.")
    text = run(old, new).output
    assert "38B params → 38M params" in text
    assert "5-10x" in text
    changed = json.loads(CliRunner().invoke(cli, ["diff", str(old), str(new), "--json"]).output)["claims_changed"]
    assert [(c["old_scale"], c["scale"]) for c in changed] == [("B", "M")]
    csv_text = CliRunner().invoke(cli, ["diff", str(old), str(new), "--csv"]).output
    assert "old_scale" in csv_text.splitlines()[0] and ",B," in csv_text


def test_a_title_change_under_the_same_id_is_reported(write, tmp_path):
    """The id (arXiv) matches the papers; the new title is reported, and so is each claim
    whose method, read from the title, changed with it. A database keeps each dump's
    title, and its claims as last read, so it reports the title change alone."""
    abstract = "Our model is 3x faster than the baseline on ImageNet."
    old = write("old.jsonl", json.dumps({"id": "2401.12345", "title": "FooNet: Fast Nets", "abstract": abstract}) + "\n")
    new = write("new.jsonl", json.dumps({"id": "2401.12345", "title": "BarNet: Fast Nets", "abstract": abstract}) + "\n")
    retitled = [{"paper_id": "2401.12345", "title": "BarNet: Fast Nets", "old_title": "FooNet: Fast Nets"}]
    result = run(old, new, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["titles_changed"] == retitled
    assert [(c["old_method"], c["method"], c["old_value"], c["value"]) for c in data["claims_changed"]] == [
        ("FooNet", "BarNet", 3, 3)]
    text = run(old, new).output
    assert "~ title FooNet: Fast Nets → BarNet: Fast Nets" in text and "(method FooNet → BarNet)" in text
    assert "title_changed" in run(old, new, "--csv").output
    db = tmp_path / "claims.db"
    build(db, [old, new], log=lambda m: None)
    result = run(db, "--json")
    assert result.exit_code == 1 and json.loads(result.output)["titles_changed"] == retitled
    changes = sqlite_utils.Database(db).execute("select change, old_text, new_text from changes").fetchall()
    assert changes == [("title_changed", "FooNet: Fast Nets", "BarNet: Fast Nets")]


def test_new_bests_and_first_results_on_a_board_are_counted_apart():
    """002 puts results on boards 001 does not have: the records table calls them "first
    on the board", and so does the diff, apart from the new bests it has none of."""
    result = run(bundled_dumps()[1], LATEST, "--json")
    data = json.loads(result.output)
    assert data["record_counts"] == {"new best": 0, "first on the board": len(data["first_on_board"])}
    assert data["new_records"] == [] and data["first_on_board"]
    assert {r["kind"] for r in data["first_on_board"]} == {"first on the board"}
    assert all(r["previous_value"] is None for r in data["first_on_board"])
    text = run(bundled_dumps()[1], LATEST).output
    assert f"New records: 0 new best (beat the old dump's best on its board), {len(data['first_on_board'])} first" in text
