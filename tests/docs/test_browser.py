"""The built site in a real browser: headless Chromium, driven over the DevTools pipe.

The site is served by `python -m http.server` on 127.0.0.1 (a free port) and opened in Debian's
Chromium. The tests check an event page's field table and example, that the flow reaches Mermaid,
that Material's in-browser search (`?q=`) finds an event page by a field name, and that a page
with a diagram still works offline. Mermaid normally comes from unpkg.com: the browser never
reaches it here (a small recording stand-in answers, or the request fails as it would offline),
so no network is needed. Skipped only where /usr/bin/chromium is absent.
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

# Stands in for mermaid.min.js: records every diagram Material hands to Mermaid.
MERMAID_STUB = """
window.__diagrams = [];
window.mermaid = {
  initialize: function () {},
  render: function (id, code) {
    window.__diagrams.push(code);
    return Promise.resolve({svg: '<svg id="' + id + '" width="10" height="10"></svg>'});
  }
};
"""

TABLE_ROWS = """
Array.from(document.querySelectorAll('article table')).map(t =>
  Array.from(t.querySelectorAll('tr')).map(r =>
    Array.from(r.querySelectorAll('th,td')).map(c => c.textContent.trim())))
"""
SEARCH_LINKS = """
(() => {
  const links = Array.from(document.querySelectorAll('.md-search-result__link'))
    .map(a => new URL(a.href).pathname);
  return links.length ? links : null;
})()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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


CDN = "https://unpkg.com/"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    profile = tmp_path / "profile"
    profile.mkdir()
    b = Browser(profile)
    try:
        yield b
    finally:
        b.close()


def test_event_page_shows_field_table_flow_and_example(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    browser.intercept([CDN], stubs={CDN: MERMAID_STUB})
    browser.navigate(f"{server}/events/codex_turn_event/")
    assert browser.evaluate("document.querySelector('h1 code').textContent") == "codex_turn_event"

    tables: list[list[list[str]]] = browser.evaluate(TABLE_ROWS)
    params = next(t for t in tables if any(row[1:2] == ["duration_ms"] for row in t))
    assert params[0] == [
        "#", "field", "type", "nullable", "allowed values", "bounds", "description", "since"
    ]
    names = [row[1] for row in params[1:]]
    assert names[:3] == ["thread_id", "turn_id", "submission_type"]  # wire order
    nested = next(row for row in params if row[0] == "4.1")  # app_server_client's first field
    assert nested[1].endswith("product_client_id")
    status = next(row for row in params if row[1] == "status")
    assert "completed" in status[4] and "failed" in status[4] and status[7] == "1-0-0"
    duration = next(row for row in params if row[1] == "duration_ms")
    assert duration[2] == "integer" and duration[3] == "yes" and duration[5] == "u64: 0 .. 2^64-1"

    # The example: tabs for the wire and backend views, rendered as highlighted JSON.
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

    # The flow went to Mermaid and was drawn in place of the source block.
    diagrams = browser.wait_for("window.__diagrams && window.__diagrams.length && __diagrams")
    assert any("turn_resolved_config" in d and "codex_turn_event" in d for d in diagrams)
    assert browser.wait_for("document.querySelectorAll('div.mermaid').length") >= 1

    browser.screenshot(tmp_path / "codex_turn_event.png")
    assert (tmp_path / "codex_turn_event.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("field", "page"),
    [
        ("duration_ms", "/events/codex_turn_event/"),
        ("rejection_reason", "/events/codex_turn_steer_event/"),
        ("active_context_tokens_before", "/events/codex_compaction_event/"),
    ],
)
def test_searching_a_field_name_finds_its_event_page(
    server: str, browser: Browser, tmp_path: Path, field: str, page: str
) -> None:
    browser.intercept([CDN])  # offline: Mermaid cannot load
    browser.navigate(f"{server}/events/codex_hook_run/?q={field}")
    links: list[str] = browser.wait_for(SEARCH_LINKS, timeout=30)
    assert page in links, links
    browser.screenshot(tmp_path / f"search-{field}.png")


def test_offline_diagram_falls_back_to_text(server: str, browser: Browser, tmp_path: Path) -> None:
    browser.intercept([CDN])
    browser.navigate(f"{server}/events/codex_compaction_event/")
    assert browser.wait_for("document.querySelectorAll('div.mermaid').length") == 1
    assert browser.evaluate("document.querySelectorAll('pre.mermaid').length") == 0
    text = browser.shadow_text()
    assert "flowchart LR" in text and "codex_compaction_event" in text
    browser.evaluate("document.querySelector('div.mermaid').scrollIntoView(), 1")
    browser.screenshot(tmp_path / "offline-flow.png")
