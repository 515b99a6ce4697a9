"""Regenerate the screenshots in docs/ from the current code: build the bundled dumps into
a temporary claims.db, serve it with a real `claimboard serve` on a free port of
127.0.0.1, and photograph the pages with Debian's chromium driven by Playwright.

    .venv/bin/python docs/screenshots.py
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # run as a script: the checkout's tests/ is not installed
from tests.test_cli import BIN as CLAIMBOARD, serving  # noqa: E402 - the tests' own server helper

CHROMIUM = "/usr/bin/chromium"
# file name -> (path, what must be drawn before the picture is taken)
PAGES = {
    "home.png": ("/", "h1"),
    "leaderboard.png": ("/claims/leaderboard?dataset=ImageNet&metric=fid&setting=256x256", "#leaderboard-chart[data-drawn=true] svg"),
    "paper.png": ("/claims/papers/t7bc350703885df7", "#abstract mark.claim"),  # ZeRO++
    "speedups.png": ("/claims/biggest_speedups", "table.rows-and-columns"),
    "search.png": ("/claims/search?q=ImageNet-1K", "table.rows-and-columns"),
    "overview.png": ("/-/dashboards/overview", "#chart-speedups svg .mark-rect path"),
}


def main():
    with tempfile.TemporaryDirectory(prefix="claimboard-shots-") as tmp:
        db = Path(tmp) / "claims.db"
        subprocess.run([str(CLAIMBOARD), "build", str(db), "--quiet"], check=True)
        server, base = serving(db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, (path, ready) in PAGES.items():
                    page.goto(base + path)
                    page.wait_for_selector(ready, timeout=30000)
                    page.screenshot(path=str(DOCS / name))
                    print(DOCS / name)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
