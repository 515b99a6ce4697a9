"""The served app, through Datasette's own test client."""
import asyncio

import pytest
import yaml
from datasette.app import Datasette

from leaderboards.serve import METADATA, SETTINGS, served_path


@pytest.fixture(scope="module")
def app(built_db):
    return Datasette(immutables=[str(served_path(built_db))],
                     metadata=yaml.safe_load(METADATA.read_text()), settings=SETTINGS)


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


INJECTIONS = ["' or 1=1 --", "x'; drop table claims; --", '" union select * from sqlite_master --',
              "%' or '%'='", "1); delete from papers; --"]
CANNED = {"leaderboard": ["dataset", "metric", "setting"], "biggest_speedups": ["metric"],
          "biggest_reductions": ["metric"], "paper_claims": ["paper_id"], "what_changed": ["dump"]}


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


@pytest.mark.parametrize("value", ["banana", "1h)", "1/0", "10GB", ""])
def test_a_bad_unit_filter_value_is_a_400_with_a_readable_message(app, value):
    response = get(app, f"/claims/claims.json?seconds__gt={value}")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Cannot filter seconds by that value")
    assert get(app, "/claims/claims?bytes__lt=banana").status_code == 400


def test_home_page_explains_and_links_the_leaderboards(app):
    html = get(app, "/").text
    assert "claimboard" in html and "/claims/leaderboard_index" in html and "Biggest speedups" in html
