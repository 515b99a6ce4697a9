"""What a person sees, in a real browser: Debian's chromium driven by Playwright against
a datasette server started here on 127.0.0.1 with the database built from the bundled dumps."""
import json
from pathlib import Path

import pytest
import yaml
from playwright import sync_api

from leaderboards.serve import METADATA
from tests.test_cli import serving, wait_for

CHROMIUM = Path("/usr/bin/chromium")  # Debian's: `playwright install` cannot download here
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="module")
def server(built_db):
    proc, base = serving(built_db)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.exists():  # a missing browser is a broken setup, not a reason to skip
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it (apt-get install chromium)")
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)  # a wait, not a limit: a busy 2-core machine draws slowly
        yield page
        browser.close()


def drawn_sizes(marks, what):
    """How many chart marks there are, once each is checked to have an area a person can see."""
    sizes = [(box["width"], box["height"]) for box in (mark.bounding_box() for mark in marks.all())]
    assert all(w > 0 and h > 0 for w, h in sizes), f"{what}: marks of zero size: {sizes}"
    return len(sizes)


def test_home_page(page, server):
    page.goto(server + "/")
    assert "claimboard" in page.title()
    assert page.get_by_role("link", name="All leaderboards").is_visible()
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)


def test_leaderboard_page_ranks_values_and_draws_the_chart(page, server):
    page.goto(server + "/claims/leaderboard_index")
    page.locator("td.col-leaderboard a").first.click()
    page.wait_for_selector("#leaderboard-chart[data-drawn=true] svg")
    direction = page.locator("#board-direction").inner_text()
    assert direction in ("higher is better", "lower is better")  # the most populated board is ranked
    assert page.locator("#board-setting").inner_text() and page.locator("#board-aliases").inner_text()
    values = [float(v) for v in page.locator("#leaderboard-table td.col-value").all_inner_texts()]
    assert len(values) >= 2
    assert values == sorted(values, reverse=direction == "higher is better")
    assert drawn_sizes(page.locator("#leaderboard-chart svg .role-mark path"), "leaderboard chart") == len(values)
    highlighted = page.locator("#leaderboard-table td.col-sentence mark.claim").first.inner_text()
    assert any(ch.isdigit() for ch in highlighted)
    # the board's best over ingestion order: a step line through its records, each marked ★
    page.wait_for_selector("#records-chart[data-drawn=true] svg .mark-symbol path", timeout=20000)
    marked = [t for t in page.locator("#leaderboard-table td.col-record").all_inner_texts() if t.startswith("★")]
    assert marked and page.locator("#records-chart svg .mark-symbol path").count() == len(marked)
    page.screenshot(path=str(SHOTS / "leaderboard.png"), full_page=True)


def test_paper_page_highlights_every_claim(page, server):
    paper = json.loads(wait_for(f"{server}/claims/papers.json?_shape=array&_size=1&title__startswith=ZeRO%2B%2B"))[0]
    page.goto(f"{server}/claims/papers/{paper['id']}")
    claims = json.loads(wait_for(f"{server}/claims/current_claims.json?_shape=array&_sort=start&paper_id={paper['id']}"))
    assert [c["value"] for c in claims] == [4, 2.16]
    assert page.locator("#abstract mark.claim").all_inner_texts() == [c["text"] for c in claims]
    assert page.locator("#paper-claims tbody tr").count() == paper["claim_count"]
    dumps = json.loads(wait_for(f"{server}/claims/appearances.json?_shape=array&paper_id={paper['id']}"))
    assert len(dumps) >= 1 and page.locator("#paper-dumps li").count() == len(dumps)
    page.screenshot(path=str(SHOTS / "paper.png"), full_page=True)


def test_search(page, server):
    page.goto(server + "/claims/search?q=throughput")
    kinds = set(page.locator("td.col-kind").all_inner_texts())
    assert {"paper", "claim"} <= kinds
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)


def test_overview_dashboard_draws_charts(page, server):
    page.goto(server + "/-/dashboards/overview")
    for chart in yaml.safe_load(METADATA.read_text())["plugins"]["datasette-dashboards"]["overview"]["charts"]:
        marks = page.locator(f"#chart-{chart} svg .role-mark path")  # the data marks, not axes
        marks.first.wait_for(state="attached")
        assert drawn_sizes(marks, chart) >= 1
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)


def test_a_board_with_one_record_draws_it_inside_an_axis_that_fits(page, server):
    """ImageNet 512x512 FID has one result (1.7 or so): the step chart's value axis spans
    it with ticks around it, not one rounded tick, and the dump's name is not cut off."""
    page.goto(server + "/claims/leaderboard?dataset=ImageNet&metric=fid&setting=512x512")
    page.wait_for_selector("#records-chart[data-drawn=true] svg .mark-symbol path")
    svg = page.locator("#records-chart svg").first.bounding_box()
    labels = page.locator("#records-chart svg .role-axis-label text").evaluate_all(
        "ts => ts.map(t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right, b.bottom]; })")
    ticks = [float(text) for text, *_ in labels if text.replace(".", "").isdigit()]
    assert len(ticks) >= 3, labels
    value = float(page.locator("#leaderboard-table td.col-value").first.inner_text())
    assert min(ticks) < value < max(ticks)
    names = [label for label in labels if label[0].endswith(".txt")]
    assert names
    for text, left, right, bottom in names:
        assert svg["x"] <= left and right <= svg["x"] + svg["width"] + 1, (text, left, right, svg)
        assert bottom <= svg["y"] + svg["height"] + 1, (text, bottom, svg)
