"""The fleet page in a real browser: Debian's chromium driven by Playwright, against the app
under uvicorn on 127.0.0.1 with a clock the test moves."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Locator, Page, Playwright, expect, sync_playwright

from hq.app import build_app
from hq.config import load_config
from hq.store.writes import mint_token
from tests.hq import helpers as h
from tests.hq.servers import ThreadedServer

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium as root, headless, on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: run scripts/install-system-deps (Debian package chromium)",
            pytrace=False,
        )
    with sync_playwright() as driver:
        yield driver


class Fleet:
    """A served app, its clock, and the kiosks' tokens."""

    def __init__(self, tmp_path: Path, refresh_seconds: int) -> None:
        self.clock = h.FakeClock()
        config = load_config(
            h.write_config(tmp_path, f"[fleet]\nrefresh_seconds = {refresh_seconds}\n")
        )
        self.app = build_app(config, clock=self.clock, monotonic=self.clock.monotonic)
        self.db = self.app.state.hq.db
        self.tokens: dict[str, str] = {}
        self.base = ""  # set once the server runs

    def post(self, path: str, body: dict[str, Any]) -> None:
        store_id = str(body["store_id"])
        if store_id not in self.tokens:
            self.tokens[store_id] = mint_token(self.db, store_id, self.clock())
        answer = requests.post(
            self.base + path,
            data=h.encode(body),
            headers=h.headers(self.tokens[store_id], body),
            timeout=10,
        )
        assert answer.status_code == 200, answer.text

    def heartbeat(self, store_id: str, **fields: Any) -> None:
        self.post("/api/v1/heartbeat", h.heartbeat(store_id, **fields))

    def serve(self) -> ThreadedServer:
        server = ThreadedServer(self.app)
        self.base = server.base
        return server


@contextlib.contextmanager
def open_page(playwright: Playwright, tmp_path: Path) -> Iterator[Page]:
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),  # a fresh user-data dir each time
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        http_credentials={"username": h.ADMIN[0], "password": h.ADMIN[1]},
        viewport={"width": 1280, "height": 720},
    )
    try:
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()


def row(page: Page, store_id: str) -> Locator:
    return page.locator(f'tr[data-store="{store_id}"]')


def test_a_store_that_stops_heartbeating_turns_offline_on_the_open_page(
    playwright: Playwright, tmp_path: Path
) -> None:
    fleet = Fleet(tmp_path, refresh_seconds=1)
    with fleet.serve() as server:
        fleet.heartbeat("S001", store_name="Downtown", region="North")
        fleet.heartbeat("S002", store_name="Uptown", region="North")
        fleet.heartbeat("S003", store_name="Harbor", region="South")
        with open_page(playwright, tmp_path) as page:
            page.goto(server.base + "/")
            expect(page.locator("tr.row")).to_have_count(3)
            expect(page.locator("section.region h2")).to_have_text(
                [re.compile(r"^North"), re.compile(r"^South")]
            )
            expect(row(page, "S001").locator(".badge").first).to_have_text("ok")
            # Eleven minutes pass; S002 and S003 keep heartbeating, S001 has gone quiet.
            fleet.clock.advance(minutes=11)
            fleet.heartbeat("S002", store_name="Uptown", region="North")
            fleet.heartbeat("S003", store_name="Harbor", region="South")
            # No reload from the test: the page refreshes itself.
            expect(row(page, "S001").locator(".badge").first).to_have_text(
                "offline", timeout=10_000
            )
            expect(row(page, "S001").locator("td.problem")).to_have_text("no heartbeat for 11 min")
            expect(row(page, "S002").locator(".badge").first).to_have_text("ok")
            expect(page.locator("a.chip.s-offline b")).to_have_text("1")


def test_clicking_a_store_opens_its_page_and_store_text_stays_text(
    playwright: Playwright, tmp_path: Path
) -> None:
    fleet = Fleet(tmp_path, refresh_seconds=60)
    with fleet.serve() as server:
        fleet.heartbeat("S001", store_name="Downtown", region="North")
        fleet.heartbeat(
            "S666", store_name=HOSTILE, region=HOSTILE, feeds=[h.feed("metrics", "error", HOSTILE)]
        )
        fleet.post("/api/v1/uploads", h.shoutout("S666", text=HOSTILE[:200]))
        with open_page(playwright, tmp_path) as page:
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(server.base + "/")
            expect(row(page, "S666").locator(".name")).to_have_text(HOSTILE)
            expect(page.locator("section.region h2").first).to_contain_text("<script>")
            row(page, "S666").locator("a.store").click()
            expect(page).to_have_url(server.base + "/stores/S666")
            expect(page.locator("h1")).to_contain_text("S666")
            expect(page.locator("td.shout")).to_have_text(HOSTILE[:200])
            expect(page.locator("td.problem").first).to_have_text(HOSTILE)
            assert page.locator("img[src=x]").count() == 0
            assert page.evaluate("window.pwned") is None
            assert dialogs == []
            page.go_back()
            row(page, "S001").locator("a.store").click()
            expect(page).to_have_url(server.base + "/stores/S001")
            expect(page.locator("h1")).to_contain_text("Downtown")
