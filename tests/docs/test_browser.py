"""The built site in a real browser: headless Chromium, driven over the DevTools pipe.

The site is served by `python -m http.server` on 127.0.0.1 (a free port) and opened in Debian's
Chromium with the network cut off: only the local site loads, every other request fails and is
recorded. The tests check an event page's field table and example, that the flows are drawn by
the site's own copy of Mermaid (no CDN), that Material's in-browser search (`?q=`) finds an
event page by a field name and a variant by its value, and that at 1280 px every table fits its
column (nothing hides behind a horizontal scrollbar). Skipped only where /usr/bin/chromium is
absent.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs.cdp import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed (apt-get install -y chromium)",
)

TABLE_ROWS = """
Array.from(document.querySelectorAll('article table')).map(t =>
  Array.from(t.querySelectorAll('tr')).map(r =>
    Array.from(r.querySelectorAll('th,td')).map(c => c.innerText.trim())))
"""
SEARCH_LINKS = """
(() => {
  const links = Array.from(document.querySelectorAll('.md-search-result__link'))
    .map(a => new URL(a.href).pathname);
  return links.length ? links : null;
})()
"""
# Tables wider than the article column they sit in: [index, table px, column px, header].
TOO_WIDE = """
Array.from(document.querySelectorAll('article table')).map((t, i) => [
  i, Math.ceil(t.getBoundingClientRect().width),
  Math.floor(t.closest('article').getBoundingClientRect().width),
  t.querySelector('tr').innerText.replace(/\\s+/g, ' ').slice(0, 60)
]).filter(x => x[1] > x[2])
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser(tmp_path: Path, server: str) -> Iterator[Browser]:
    profile = tmp_path / "profile"
    profile.mkdir()
    b = Browser(profile)
    try:
        b.offline(server)
        b.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=1280,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        yield b
    finally:
        b.close()


def test_event_page_shows_field_table_and_example(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    browser.navigate(f"{server}/events/codex_turn_event/")
    assert browser.evaluate("document.querySelector('h1 code').textContent") == "codex_turn_event"

    tables: list[list[list[str]]] = browser.evaluate(TABLE_ROWS)
    params = next(t for t in tables if any(row[:1] == ["duration_ms"] for row in t))
    assert params[0] == ["field", "type", "description"]
    names = [row[0] for row in params[1:]]
    assert names[:3] == ["thread_id", "turn_id", "submission_type"]  # wire order
    client = names.index("app_server_client")
    assert names[client + 1].endswith("product_client_id")  # nested right below its object
    status = next(row for row in params if row[0] == "status")
    assert status[1].splitlines() == ["string or null", "one of completed, failed, interrupted"]
    duration = next(row for row in params if row[0] == "duration_ms")
    assert duration[1].splitlines() == ["integer or null", "u64: 0 .. 2^64-1"]
    # The union's variants, with their values, right below it; no internal class name.
    error = next(i for i, row in enumerate(params) if row[0] == "turn_error")
    assert params[error][1].startswith("string or object, or null")
    assert params[error + 1][0].endswith("variant: known unit variant")
    assert params[error + 1][1].startswith("string\none of contextWindowExceeded")

    labels = browser.evaluate(
        "Array.from(document.querySelectorAll('.tabbed-labels label')).map(l => l.textContent)"
    )
    assert labels[:2] == ["Wire view", "Backend view"]
    wire = browser.evaluate("document.querySelector('.tabbed-block code').textContent")
    assert '"event_type": "codex_turn_event"' in wire and '"product_surface"' not in wire
    backend = browser.evaluate(
        "document.querySelectorAll('.tabbed-block')[1].querySelector('code').textContent"
    )
    assert '"product_surface": "codex"' in backend and '"CODEX_CLI"' in backend
    browser.screenshot(tmp_path / "codex_turn_event.png")
    assert (tmp_path / "codex_turn_event.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("duration_ms", "/events/codex_turn_event/"),
        ("rejection_reason", "/events/codex_turn_steer_event/"),
        ("active_context_tokens_before", "/events/codex_compaction_event/"),
        ("contextWindowExceeded", "/events/codex_turn_event/"),
    ],
)
def test_search_finds_the_page(server: str, browser: Browser, query: str, page: str) -> None:
    browser.navigate(f"{server}/events/codex_hook_run/?q={query}")
    links: list[str] = browser.wait_for(SEARCH_LINKS, timeout=30)
    assert page in links, links


def test_diagram_is_drawn_offline_by_the_sites_mermaid(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    browser.navigate(f"{server}/events/codex_compaction_event/")
    assert browser.wait_for("document.querySelectorAll('div.mermaid').length") == 1
    deadline = time.monotonic() + 30
    while "svg" not in browser.shadow_tags():  # Material draws into a closed shadow root
        assert time.monotonic() < deadline, "no diagram was drawn"
        time.sleep(0.2)
    text = browser.shadow_text()
    assert "codex_compaction_event" in text and "reducer" in text
    assert "flowchart LR" not in text and "<br/>" not in text  # drawn, not shown as source
    assert browser.blocked == [], browser.blocked  # nothing was fetched from elsewhere
    browser.evaluate("document.querySelector('div.mermaid').scrollIntoView(), 1")
    browser.screenshot(tmp_path / "offline-flow.png")


def test_no_table_is_wider_than_its_column_at_1280px(
    server: str, browser: Browser, site: Path
) -> None:
    pages = sorted(
        "/" + p.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if p.parent.name not in ("search", "404")
    )
    pages = [p.replace("//", "/") for p in pages]
    assert len(pages) > 40
    too_wide = {}
    for page in pages:
        browser.navigate(f"{server}{page}")
        found = browser.evaluate(TOO_WIDE)
        if found:
            too_wide[page] = found
    assert not too_wide, too_wide
