"""A tiny Chrome DevTools Protocol client over `--remote-debugging-pipe` (no websocket, no deps).

Chromium reads commands from its file descriptor 3 and writes replies and events to descriptor 4,
each message one JSON document terminated by a NUL byte. A `sh` wrapper maps the child's stdin
and stdout onto 3 and 4, so plain `subprocess` pipes are enough.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page, driven over the DevTools pipe."""

    def __init__(self, user_data_dir: Path, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._allowed = "\0"  # URL prefix that may load once `offline` is on
        self.blocked: list[str] = []  # URLs refused by `offline`
        script = 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'
        self.proc = subprocess.Popen(
            [
                "sh",
                "-c",
                script,
                str(CHROMIUM),
                *FLAGS,
                f"--user-data-dir={user_data_dir}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.session = ""
        try:
            targets = self.call("Target.getTargets")["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
            self.session = str(attached["sessionId"])
            self.call("Page.enable", session=True)
            self.call("Runtime.enable", session=True)
        except BaseException:
            self.proc.kill()
            self.proc.wait()
            raise

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\0")
        self.proc.stdin.flush()

    def _read(self, deadline: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("timed out waiting for Chromium")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise CDPError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        if message.get("method") == "Fetch.requestPaused":
            self._answer_paused(message)
        return message

    def offline(self, allowed: str) -> None:
        """Only URLs under `allowed` (the local site) load; every other request fails as it
        would without a network, and is recorded in `self.blocked`."""
        self._allowed = allowed
        self.call("Fetch.enable", session=True, patterns=[{"urlPattern": "*"}])

    def shadow_tags(self) -> list[str]:
        """Every element name of the page, including inside closed shadow roots."""
        root = self.call("DOM.getDocument", session=True, depth=-1, pierce=True)["root"]
        names: list[str] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("nodeType") == 1:
                names.append(str(node.get("localName", "")))
            for child in (*node.get("children", ()), *node.get("shadowRoots", ())):
                walk(child)

        walk(root)
        return names

    def shadow_text(self) -> str:
        """All text of the page, including inside closed shadow roots (DevTools sees them)."""
        root = self.call("DOM.getDocument", session=True, depth=-1, pierce=True)["root"]
        parts: list[str] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("nodeType") == 3:
                parts.append(str(node.get("nodeValue", "")))
            for child in (*node.get("children", ()), *node.get("shadowRoots", ())):
                walk(child)

        walk(root)
        return "".join(parts)

    def _answer_paused(self, event: dict[str, Any]) -> None:
        params = event["params"]
        url = params["request"]["url"]
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "sessionId": self.session}
        if url.startswith(self._allowed):
            message["method"] = "Fetch.continueRequest"
            message["params"] = {"requestId": params["requestId"]}
        else:
            self.blocked.append(url)
            message["method"] = "Fetch.failRequest"
            message["params"] = {"requestId": params["requestId"], "errorReason": "BlockedByClient"}
        self._send(message)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        call_id = self._next_id
        message: dict[str, Any] = {"id": call_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self._send(message)
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") != call_id:
                continue  # an event, or a reply to something else
            if "error" in reply:
                raise CDPError(f"{method}: {reply['error']}")
            result: dict[str, Any] = reply.get("result", {})
            return result

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("document.readyState === 'complete'")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise CDPError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float | None = None) -> Any:
        """Poll a JavaScript expression until it is truthy; returns its value."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise CDPError(f"timed out waiting for: {expression}")
            time.sleep(0.1)

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
