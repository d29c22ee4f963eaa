"""The screenshots in docs/maps.md, made from the shipped graph in headless Chromium.

    .venv/bin/python docs/screenshots.py            # writes docs/img/*.png

Needs Debian's chromium (/usr/bin/chromium, or COCAGRAPH_CHROMIUM) and Playwright (the test
extra). Every request but the page's own is refused, as in the browser tests.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "img"
CHROMIUM = os.environ.get("COCAGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

#: name -> (map request, viewport, what to do before the picture, the page's hash)
SHOTS = {
    "map-whole": ({}, (1400, 900), None, ""),
    "map-theme-shining-path": ({"theme": "shining-path"}, (1400, 900), None, ""),
    "tour-step-10": ({"tour": True}, (1400, 900), None, "#step-10"),
    "phone": ({}, (390, 844), None, ""),
    "phone-panel": ({}, (390, 844), "#panel-toggle", ""),
    "tour-phone": ({"tour": True}, (390, 844), None, "#step-2"),
}


def _only(own: str):
    def handle(route) -> None:
        if route.request.url == own:
            route.continue_()
        else:
            route.abort()

    return handle


def main() -> int:
    from playwright.sync_api import sync_playwright

    from cocagraph.loading import load
    from cocagraph.render import render_page
    from cocagraph.render.request import MapRequest, map_of

    if not Path(CHROMIUM).exists():
        print(f"no chromium at {CHROMIUM}: apt-get install chromium, or set COCAGRAPH_CHROMIUM", file=sys.stderr)
        return 2
    corpus = load()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, (request, (width, height), click, fragment) in SHOTS.items():
            page_path = Path(tmp) / f"{name}.html"
            page_path.write_text(render_page(map_of(corpus, MapRequest(**request))), encoding="utf-8")
            own = page_path.as_uri()
            page = browser.new_page(viewport={"width": width, "height": height}, is_mobile=width < 500)
            page.route("**/*", _only(own))
            page.goto(own + fragment)
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
            if click:
                page.click(click)
            page.wait_for_timeout(300)
            page.screenshot(path=str(OUT / f"{name}.png"))
            page.close()
            print(OUT / f"{name}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
