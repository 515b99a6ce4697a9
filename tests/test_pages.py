"""A newcomer's first hour, in a real browser: every page the home page links to, every
canned query with and without its parameters, the overview charts, search on everyday ML
terms, and a bad filter value. Each asserts what a person would see, not only a 200."""
import re
from urllib.parse import quote, urlencode

import pytest
import yaml

from leaderboards.serve import METADATA
from tests.test_browser import page, server  # noqa: F401 - fixtures: a served build and chromium

QUERIES = yaml.safe_load(METADATA.read_text())["databases"]["claims"]["queries"]
# Parameters a reader would give each canned query; every query that takes any is listed.
PARAMETERS = {
    "leaderboard": {"dataset": "ImageNet", "metric": "fid"},
    "biggest_speedups": {"metric": "throughput"},
    "biggest_reductions": {"metric": "memory"},
    "paper_claims": {"paper_id": "t7bc350703885df7"},  # ZeRO++ (id: hash of its title)
    "search": {"q": "GPT-4"},
    "what_changed": {"dump": "002_54eef4c03f0d8f4f.txt", "page": "2"},
    "new_records": {"dataset": "ImageNet", "metric": "fid", "setting": "256x256"},
    "board_records": {"dataset": "ImageNet", "metric": "fid", "setting": "256x256"},
    "board_settings": {"dataset": "imagenet", "metric": "FID"},
}
# Queries that have nothing to show until given a parameter: they say what to type instead.
NEED_PARAMETERS = {"leaderboard", "paper_claims", "search", "board_records", "board_settings"}


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    assert page.locator(".message-error").count() == 0, page.locator(".message-error").first.inner_text()
    assert "select" not in page.title().lower(), f"{url}: SQL as the tab title"
    return response


def rows(page):
    return page.locator("table.rows-and-columns tbody tr, #leaderboard-table tbody tr").count()


def test_every_query_with_parameters_is_listed():
    takes = {name for name, query in QUERIES.items() if ":" in query["sql"]}
    assert takes == set(PARAMETERS)


def test_every_page_linked_from_the_home_page(page, server):  # noqa: F811
    visit(page, server + "/")
    links = {a.get_attribute("href") for a in page.locator(".metadata-description a, section.content a").all()}
    internal = sorted(h for h in links if h and h.startswith("/") and not h.startswith("/-/static"))
    assert len(internal) >= 6
    for href in internal:
        visit(page, server + href)
        assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip(), href
        assert rows(page) > 0 or page.locator(".claimboard-empty, svg").count() > 0, f"{href}: nothing shown"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_without_parameters(page, server, name):  # noqa: F811
    visit(page, f"{server}/claims/{name}")
    assert page.locator("h1").inner_text().strip() != f"claims: {name}"  # its own title
    assert page.locator("pre#sql-query").count() == 0  # no raw SQL above the results
    assert not page.get_by_text("Custom SQL query").is_visible()  # nor a heading about it
    assert page.locator("form.sql input[type=submit]").is_visible() == (name in PARAMETERS)
    if name in NEED_PARAMETERS:
        assert rows(page) == 0
        hint = page.locator(".claimboard-empty, .zero-results, p:has-text('Pick a dataset')").first
        assert hint.is_visible() and "0 results" not in hint.inner_text()
    else:
        assert rows(page) > 0


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_canned_query_with_parameters(page, server, name):  # noqa: F811
    visit(page, f"{server}/claims/{name}?{urlencode(PARAMETERS[name])}")
    assert rows(page) > 0
    headers = page.locator("thead th").all_inner_texts()
    if name == "paper_claims":  # the paper and the sentence of each claim
        assert "title" in headers and "sentence" in headers
        assert "ZeRO++" in page.locator("td.col-title").first.inner_text()
    if name == "what_changed":  # a page of 50 changes, grouped, with links to the pages around it
        assert rows(page) == QUERIES[name]["page_size"]
        assert page.get_by_role("link", name="previous page").is_visible()
        assert page.get_by_role("link", name="next page").is_visible()


def test_what_changed_groups_by_paper_and_kind(page, server):  # noqa: F811
    visit(page, f"{server}/claims/what_changed?dump=002_54eef4c03f0d8f4f.txt")
    keys = list(zip(page.locator("td.col-paper_id").all_inner_texts(), page.locator("td.col-change").all_inner_texts()))
    assert len(keys) == len(set(keys))
    assert set(page.locator("td.col-change").all_inner_texts()) <= {
        "paper added", "paper removed", "claims added", "claims removed", "claims changed"}


def test_biggest_speedups_rank_a_range_by_its_low_end_and_show_it(page, server):  # noqa: F811
    visit(page, f"{server}/claims/biggest_speedups")
    factors = [float(v) for v in page.locator("td.col-factor").all_inner_texts()]
    assert factors == sorted(factors, reverse=True)
    shown = page.locator("td.col-speedup").all_inner_texts()
    assert any("-" in s for s in shown)  # a range is shown whole, e.g. 2.97-25.22x


def test_overview_charts_draw_bars_of_non_zero_size(page, server):  # noqa: F811
    visit(page, server + "/-/dashboards/overview")
    for chart in ("by-type", "by-metric", "speedups"):
        page.wait_for_selector(f"#chart-{chart} svg .mark-rect path", timeout=20000)
        sizes = page.eval_on_selector_all(f"#chart-{chart} svg .mark-rect path",
                                          "marks => marks.map(m => [m.getBBox().width, m.getBBox().height])")
        assert len(sizes) >= 3 and all(w > 1 and h > 1 for w, h in sizes), (chart, sizes)


@pytest.mark.parametrize("term", ["top-1", "ImageNet-1K", "GPT-4", "ZeRO++", "3.2x"])
def test_search_finds_everyday_ml_terms(page, server, term):  # noqa: F811
    visit(page, f"{server}/claims/search?q={quote(term)}")
    assert rows(page) > 0
    assert page.locator("td.col-match").first.inner_text().count("[") >= 1


def test_search_without_a_term_says_what_to_do(page, server):  # noqa: F811
    visit(page, f"{server}/claims/search")
    assert page.locator(".claimboard-empty").is_visible()
    assert not page.locator(".zero-results").is_visible()


def test_claim_text_is_shown_without_latex_debris(page, server):  # noqa: F811
    visit(page, f"{server}/claims/biggest_speedups")
    shown = page.locator("td.col-text, td.col-sentence").all_inner_texts()
    assert any("×" in s for s in shown)  # 4.5times speedup reads 4.5× speedup
    assert not any(re.search(r"\dtimes|\\%|\*\*", s) for s in shown)


@pytest.mark.parametrize("value", ["banana", "10GB"])
def test_a_bad_filter_value_is_a_400_with_a_readable_message(page, server, value):  # noqa: F811
    response = page.goto(f"{server}/claims/claims?seconds__gt={value}")
    assert response.status == 400
    message = page.locator("section.content").inner_text()
    assert "Cannot filter seconds by that value" in message and "?seconds__gt=1h" in message
    assert "Traceback" not in message


def test_wide_tables_scroll_in_view(page, server):  # noqa: F811
    visit(page, f"{server}/claims/claims")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    wrapper = page.locator(".table-wrapper").first
    assert wrapper.bounding_box()["height"] <= page.viewport_size["height"]  # scrolled to, its scrollbar shows
    wrapper.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    last = page.locator("thead th").last.bounding_box()
    assert last["x"] >= 0 and last["x"] + last["width"] <= page.viewport_size["width"] + 1


def test_claims_table_facets_once_and_dumps_in_ingestion_order(page, server):  # noqa: F811
    visit(page, f"{server}/claims/claims")
    facets = page.locator(".facet-info").evaluate_all("fs => fs.map(f => f.getAttribute('data-column'))")
    assert len(facets) == len(set(facets)) and {"type", "metric", "unit"} <= set(facets)
    visit(page, f"{server}/claims/dumps")
    assert page.locator("td.col-seq").all_inner_texts() == ["1", "2", "3"]
