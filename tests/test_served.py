"""The served app, through Datasette's own test client."""
import asyncio
import csv
import io
import json
import shutil
from urllib.parse import urlencode

import pytest
import sqlite_utils

from leaderboards import serve
from schema.build import build


@pytest.fixture(scope="module")
def app(built_db):
    return serve.app(built_db)


def get(app, path):
    return asyncio.run(app.client.get(path))


def get_json(app, path):
    response = get(app, path)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_leaderboard_index_lists_boards_most_papers_first(app):
    rows = get_json(app, "/claims/leaderboard_index.json?_shape=array")
    boards = {(r["dataset"], r["setting"], r["metric"]) for r in rows}
    assert ("ImageNet", "", "top-1 accuracy") in boards and ("ImageNet", "256x256", "fid") in boards
    assert ("ImageNet", "", "accuracy") not in boards  # plain accuracy on ImageNet is top-1
    assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)
    assert all(r["leaderboard"].startswith("/claims/leaderboard?dataset=") for r in rows)
    imagenet = next(r for r in rows if r["dataset"] == "ImageNet")
    assert imagenet["aliases"] >= 4  # ImageNet-1K, ILSVRC-2012, ...
    assert not any(r["metric"] == "performance" for r in rows)


@pytest.mark.parametrize("metric,setting,higher_is_better", [("fid", "256x256", False), ("top-1 accuracy", "", True)])
def test_leaderboard_is_ranked_by_the_metric_direction(app, metric, setting, higher_is_better):
    rows = get_json(app, f"/claims/leaderboard.json?_shape=array&dataset=ImageNet&metric={metric}&setting={setting}")
    values = [r["value"] for r in rows]
    assert len(values) >= 2
    assert values == sorted(values, reverse=higher_is_better)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows) and rows[0]["rank"] == 1
    assert len({(r["paper_id"], r["method"]) for r in rows}) == len(rows)  # best claim per paper/method
    assert {r["setting"] for r in rows} == {setting}  # other settings are other boards


@pytest.mark.parametrize("query", [
    "dataset=ImageNet&metric=fid&setting=256x256",
    "dataset=imagenet-1k&metric=FID&setting=256%C3%97256",  # alias, any case, × for x
    "dataset=ILSVRC2012&metric=Frechet%20Inception%20Distance&setting=256%20x%20256",
])
def test_a_board_is_found_by_any_alias_in_any_case(app, query):
    rows = get_json(app, "/claims/leaderboard.json?_shape=array&" + query)
    assert rows and {(r["dataset"], r["metric"], r["setting"]) for r in rows} == {("ImageNet", "fid", "256x256")}


@pytest.mark.parametrize("setting", ["0-shot, 1-step", "zero-shot, one-step", "1-step, 0-shot", "One-Step,zero shot"])
def test_a_setting_is_found_however_it_is_written(app, setting):
    rows = get_json(app, "/claims/leaderboard.json?_shape=array&dataset=coco&metric=FID&" + urlencode({"setting": setting}))
    assert rows and {r["setting"] for r in rows} == {"0-shot, 1-step"}


def test_a_dataset_named_with_its_setting_is_found_by_name_and_setting(app):
    rows = get_json(app, "/claims/leaderboard.json?_shape=array&dataset=ImageNet&metric=fid&setting=64x64")
    assert rows and {(r["dataset"], r["setting"]) for r in rows} == {("ImageNet 64x64", "")}


def test_a_board_page_links_the_other_settings_of_its_dataset_and_metric(app):
    html = get(app, "/claims/leaderboard?dataset=ImageNet&metric=fid").text
    others = html[html.index('id="board-other-settings"'):].split("</p>")[0]
    assert ">256x256</a>" in others and ">512x512</a>" in others and ">none stated</a>" not in others
    html = get(app, "/claims/leaderboard?dataset=ImageNet&metric=fid&setting=1024x1024").text  # no such board
    assert 'class="zero-results"' in html and ">256x256</a>" in html and ">none stated</a>" in html


def test_board_text_and_sentences_are_shown_without_latex_debris(app):
    for board in get_json(app, "/claims/leaderboard_index.json?_shape=array"):
        rows = get_json(app, board["leaderboard"].replace("/leaderboard?", "/leaderboard.json?_shape=array&"))
        assert not [r["text"] for r in rows if "\\" in r["text"] or "times" in r["text"]]
        assert not [r["sentence"] for r in rows if "\\%" in r["sentence"]]


def test_the_paper_page_shows_claims_without_latex_debris(app):
    (claim,) = get_json(app, "/claims/claims.json?_shape=array&text__exact=leq%201/200")
    html = get(app, f"/claims/papers/{claim['paper_id']}").text
    assert '<mark class="claim" title="reduction: cost">≤ 1/200</mark>' in html  # highlighted in the abstract
    assert f'<a href="/claims/claims/{claim["id"]}">≤ 1/200</a>' in html  # and in the claims table
    assert "leq" not in html.split('id="abstract"')[1].split("Appeared in")[0]


@pytest.mark.parametrize("query", ["biggest_speedups", "biggest_reductions"])
def test_metric_filters_take_any_case(app, query):
    metric = {"biggest_speedups": "throughput", "biggest_reductions": "memory"}[query]
    lower = get_json(app, f"/claims/{query}.json?_shape=array&metric={metric}")
    assert lower and get_json(app, f"/claims/{query}.json?_shape=array&metric={metric.title()}") == lower
    assert get_json(app, f"/claims/{query}.json?_shape=array&metric={metric.upper()}") == lower


def test_plain_metric_name_finds_the_task_board(app):
    rows = get_json(app, "/claims/leaderboard.json?_shape=array&dataset=imagenet&metric=accuracy")
    assert rows and {r["metric"] for r in rows} == {"top-1 accuracy"}


def test_board_page_shows_setting_direction_and_aliases(app):
    html = get(app, "/claims/leaderboard?dataset=cifar10&metric=error%20rate").text
    assert "top-1 error rate on CIFAR-10" in html
    assert 'id="board-direction">lower is better' in html and 'id="board-aliases">CIFAR10' in html
    html = get(app, "/claims/leaderboard?dataset=ImageNet&metric=fid&setting=512x512").text
    assert 'id="board-setting">512x512' in html


def test_biggest_speedups_and_reductions_are_sorted(app):
    speedups = get_json(app, "/claims/biggest_speedups.json?_shape=array&metric=")
    assert speedups and [r["factor"] for r in speedups] == sorted((r["factor"] for r in speedups), reverse=True)
    reductions = get_json(app, "/claims/biggest_reductions.json?_shape=array&metric=")
    assert reductions and [r["factor"] for r in reductions] == sorted((r["factor"] for r in reductions), reverse=True)


def test_every_claim_links_to_its_paper_and_dumps(app):
    claim = get_json(app, "/claims/claims.json?_shape=array&_size=1&_labels=on")[0]
    assert claim["paper_id"]["value"] and claim["paper_id"]["label"]
    dumps = get_json(app, "/claims/appearances.json?_shape=array&paper_id=" + claim["paper_id"]["value"])
    assert dumps and all(d["dump_id"] for d in dumps)


def test_paper_page_highlights_claims_in_the_abstract(app):
    paper = get_json(app, "/claims/papers.json?_shape=array&claim_count__gt=2&_size=1")[0]
    html = get(app, f"/claims/papers/{paper['id']}").text
    assert paper["title"] in html
    assert html.count('<mark class="claim"') == paper["claim_count"]
    assert "Appeared in" in html


def test_search_finds_papers_and_claims(app):
    rows = get_json(app, "/claims/search.json?_shape=array&q=throughput")
    assert {"paper", "claim"} <= {r["kind"] for r in rows}


def test_facets_and_units(app):
    data = get_json(app, "/claims/claims.json?_facet=type&_facet=metric&_size=0")
    assert {f["value"] for f in data["facet_results"]["type"]["results"]} == {
        "score", "improvement", "speedup", "reduction", "resource"}
    long_runs = get_json(app, "/claims/claims.json?_shape=array&seconds__gt=1day")
    assert long_runs and all(r["seconds"] > 86400 for r in long_runs)


def test_what_changed_answers_through_the_api(app):
    rows = get_json(app, "/claims/what_changed.json?_shape=array&dump=001_eaa1cd8e17f6e22e.txt")
    assert rows and {r["previous_dump"] for r in rows} == {"000_88d7014220eadba9.txt"}


def test_new_records_shows_its_own_columns_first_and_the_feed_columns_last(app):
    columns = get_json(app, "/claims/new_records.json?dataset=&metric=&setting=")["columns"]
    assert columns[0] == "dump"
    feed = [c for c in columns if c.startswith("atom_")]
    assert len(feed) == 5 and columns[-len(feed):] == feed


INJECTIONS = ["' or 1=1 --", "x'; drop table claims; --", '" union select * from sqlite_master --',
              "%' or '%'='", "1); delete from papers; --"]
CANNED = {"leaderboard": ["dataset", "metric", "setting"], "biggest_speedups": ["metric"],
          "biggest_reductions": ["metric"], "paper_claims": ["paper_id"], "what_changed": ["dump"],
          "new_records": ["dataset", "metric", "setting"], "board_records": ["dataset", "metric", "setting"],
          "board_settings": ["dataset", "metric"]}


@pytest.mark.parametrize("query,params", CANNED.items())
@pytest.mark.parametrize("attack", INJECTIONS)
def test_canned_query_parameters_are_data(app, query, params, attack):
    from urllib.parse import urlencode
    rows = get_json(app, f"/claims/{query}.json?_shape=array&" + urlencode({p: attack for p in params}))
    assert rows == []
    assert get_json(app, "/claims/papers.json?_size=0")["filtered_table_rows_count"] == 333


@pytest.mark.parametrize("q", ["top-1", "ImageNet-1K", "GPT-4", "ZeRO++", "3.2x", '"speedup', "NOT OR"])
def test_search_takes_words_as_written(app, q):
    from urllib.parse import quote
    rows = get_json(app, f"/claims/search.json?_shape=array&q={quote(q)}")
    assert rows and all("[" in r["match"] for r in rows)  # each hit shows its matched words


@pytest.mark.parametrize("q", ['"', '""', " ", "+"])
def test_a_search_with_no_words_finds_nothing_without_an_error(app, q):
    from urllib.parse import quote
    assert get_json(app, f"/claims/search.json?_shape=array&q={quote(q)}") == []
    assert 'class="claimboard-empty"' in get(app, f"/claims/search?q={quote(q)}").text


def test_search_shows_hits_holding_the_search_as_typed_first(app):
    rows = get_json(app, "/claims/search.json?_shape=array&q=zero%2B%2B")  # the words alone find every "zero"
    assert len(rows) > 10 and rows[0]["kind"] == "paper" and rows[0]["title"].startswith("ZeRO++")
    assert all("ZeRO++" in r["title"] for r in rows[:3])


@pytest.mark.parametrize("value", ["banana", "1h)", "1/0", "10GB", ""])
def test_a_bad_unit_filter_value_is_a_400_with_a_readable_message(app, value):
    response = get(app, f"/claims/claims.json?seconds__gt={value}")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Cannot filter seconds by that value")
    assert get(app, "/claims/claims?bytes__lt=banana").status_code == 400


def test_home_page_explains_and_links_the_leaderboards(app):
    html = get(app, "/").text
    assert "claimboard" in html and "/claims/leaderboard_index" in html and "Biggest speedups" in html


@pytest.fixture(scope="module")
def many_ties(tmp_path_factory):
    """A database where most claims share their value with others: 2,000 papers that each
    claim 2x, 3x and 91.5%, so that every page boundary falls inside a run of equal values."""
    folder = tmp_path_factory.mktemp("ties")
    dump = folder / "ties.jsonl"
    dump.write_text("".join(json.dumps({
        "id": f"2402.{i:05d}", "title": f"Method {i}",
        "abstract": f"Method {i} is 2x faster and needs 3x less memory, and reaches 91.5% top-1 accuracy on ImageNet."
    }) + "\n" for i in range(2000)))
    db = folder / "claims.db"
    build(db, [dump], log=lambda m: None)
    return db


def test_paging_the_claims_table_shows_every_claim_once(many_ties):
    """JSON pages followed by next_url, and the same pages as CSV: every id exactly once."""
    app = serve.app(many_ties)
    expected = sorted(r[0] for r in sqlite_utils.Database(many_ties).execute("select id from claims"))
    json_ids, csv_ids, url = [], [], "/claims/claims.json?_size=1000"
    while url:
        page = get_json(app, url)
        json_ids += [r[0] for r in page["rows"]]
        csv_page = get(app, url.replace("claims.json", "claims.csv")).text
        csv_ids += [r["id"] for r in csv.DictReader(io.StringIO(csv_page))]
        url = page["next_url"] and page["next_url"].replace("http://localhost", "")
    assert sorted(json_ids) == expected and sorted(csv_ids) == expected


def test_paper_pages_with_arxiv_ids(many_ties):
    """Ids with dots (2402.00007) are tilde-encoded in links, and the page behind the
    link is the paper page with its abstract highlighted."""
    app = serve.app(many_ties)
    html = get(app, "/claims/claims?paper_id=2402.00007").text
    assert '/claims/papers/2402~2E00007"' in html
    page = get(app, "/claims/papers/2402~2E00007")
    assert page.status_code == 200
    assert "Method 7 is" in page.text and page.text.count('<mark class="claim"') == 3


def test_a_rebuild_is_served_at_once_by_every_thread(built_db, tmp_path):
    """Each SQL thread keeps its own connection: before the fix, a rebuild was seen by the
    threads that opened the file later and not by the others."""
    import httpx
    db = tmp_path / "claims.db"
    shutil.copy(built_db, db)
    server = serve.following_rebuilds(serve.app(db))

    async def dump_counts(n):  # concurrent requests, so every SQL thread answers some
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server), base_url="http://test") as client:
            responses = await asyncio.gather(*[client.get("/claims/dumps.json?_size=0") for _ in range(n)])
        return {r.json()["filtered_table_rows_count"] for r in responses}

    async def scenario():
        assert await dump_counts(30) == {3}
        extra = tmp_path / "extra.jsonl"
        extra.write_text('{"id": "2401.66666", "title": "A New Paper", "abstract": "We are 3x faster."}\n')
        build(db, [extra], log=lambda m: None)
        return await dump_counts(60)

    assert asyncio.run(scenario()) == {4}


def test_arbitrary_sql_is_off_unless_allowed(built_db):
    refused = get(serve.app(built_db), "/claims.json?sql=select+1")
    assert refused.status_code == 403 and refused.json()["error"].startswith("This server does not run visitors' own SQL")
    page = get(serve.app(built_db), "/claims?sql=select+1")  # a browser gets a page saying the same
    assert page.status_code == 403 and "<html" in page.text and "--allow-sql turns it on" in page.text
    assert get_json(serve.app(built_db, allow_sql=True), "/claims.json?sql=select+1+as+one&_shape=array") == [{"one": 1}]


@pytest.mark.parametrize("sql", ["select printf('%.*c', 400000000, 'x')", "select hex(zeroblob(100000000))",
                                 "select randomblob(1000000000)"])
def test_allowed_sql_cannot_make_huge_values(built_db, sql):
    response = get(serve.app(built_db, allow_sql=True), "/claims.json?_shape=array&sql=" + sql)
    assert response.status_code == 400 and len(response.content) < 10_000


WIDE_ROWS = ("select hex(randomblob(49000)) as a, hex(randomblob(49000)) as b, hex(randomblob(49000)) as c, "
             "hex(randomblob(49000)) as d from claims a, claims b limit 1000")  # 392 MB unbounded


def test_allowed_sql_cannot_return_a_huge_result(built_db):
    response = get(serve.app(built_db, allow_sql=True), "/claims.json?_shape=array&sql=" + WIDE_ROWS)
    assert response.status_code == 400 and len(response.content) < 10_000
    assert "result too large" in response.json()["error"]


def test_csv_streaming_is_off(app):
    assert get(app, "/claims/claims.csv?_stream=1").status_code == 400
