"""A small Chrome DevTools Protocol client over --remote-debugging-pipe (stdlib only).

Chromium reads NUL-terminated JSON commands on fd 3 and writes answers and events on fd 4: no
websocket, no port, no library to install, and no browser download (Debian's chromium).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import threading
import time
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--font-render-hinting=none",
]


class CdpError(Exception):
    """A command answered with an error, or no answer in time."""


class Browser:
    """One headless Chromium; `page()` opens a tab and attaches to it."""

    def __init__(self, binary: str, profile: str) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        command = [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        script = f'exec "$@" 3<&{to_child} 4>&{from_child}'
        self._proc = subprocess.Popen(
            ["bash", "-c", script, "bash", *command],
            pass_fds=(to_child, from_child),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._next = 0
        self._answers: dict[int, dict] = {}
        self.events: list[dict] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        buffer = b""
        while chunk := os.read(self._read, 65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._cond:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._answers[message["id"]] = message
                    else:
                        self.events.append(message)
                self._cond.notify_all()

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 15.0,
    ) -> dict:
        with self._cond:
            self._next += 1
            ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while ident not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CdpError(f"{method}: no answer in {timeout} s")
                self._cond.wait(left)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def wait_event(self, method: str, timeout: float = 15.0, start: int = 0, **match: Any) -> dict:
        """The first event `method` from events[start:] whose params contain `match`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events[start:]:
                    params = event.get("params", {})
                    if event["method"] == method and all(
                        params.get(k) == v for k, v in match.items()
                    ):
                        return params
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CdpError(f"no {method} {match} in {timeout} s")
                self._cond.wait(left)

    def page(self, width: int, height: int) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        return Page(self, session["sessionId"], width, height)

    def close(self) -> None:
        with contextlib.suppress(CdpError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)
        os.close(self._write)
        os.close(self._read)


class Page:
    """One tab: navigate, evaluate, wait for a condition, click, type, screenshot."""

    def __init__(self, browser: Browser, session: str, width: int, height: int) -> None:
        self.browser, self.session = browser, session
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.cmd(f"{domain}.enable")
        self.resize(width, height)

    def cmd(self, method: str, params: dict | None = None, timeout: float = 15.0) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def resize(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def goto(self, url: str) -> None:
        self.cmd("Page.navigate", {"url": url})

    def js(self, expression: str, timeout: float = 15.0) -> Any:
        answer = self.cmd(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout,
        )
        if "exceptionDetails" in answer:
            raise CdpError(f"{expression[:80]}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait(self, expression: str, timeout: float = 10.0) -> Any:
        """Poll `expression` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.js(expression)
            except CdpError:
                value = None  # e.g. during a navigation
            if value:
                return value
            if time.monotonic() > deadline:
                raise CdpError(f"still false after {timeout} s: {expression}")
            time.sleep(0.05)

    def fill(self, selector: str, value: str) -> None:
        self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            f" el.focus(); el.value = {json.dumps(value)};"
            " el.dispatchEvent(new Event('input', {bubbles: true}));"
            " el.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )

    def click(self, selector: str, attempts: int = 3) -> None:
        """A real mouse click at the element's centre (after scrolling it into view).

        The element must be the topmost thing at that point and keep its place for two frames
        (a chart redrawn after a resize moves what is below it); the click must reach it (a
        one-shot listener on the element says so), or it is made again at the new place. A
        click that leaves the page (a full navigation) counts as landed."""
        sel = json.dumps(selector)
        for _ in range(attempts):
            box = self.wait(
                f"new Promise(done => {{ const el = document.querySelector({sel});"
                " if (!el || el.disabled) return done(null); el.scrollIntoView({block: 'center'});"
                " const place = () => { const r = el.getClientRects()[0];"
                "   return r && [r.x + r.width / 2, r.y + r.height / 2]; };"
                " const first = place();"
                " requestAnimationFrame(() => requestAnimationFrame(() => {"
                "   const p = place(); if (!p || !first || p[0] !== first[0] || p[1] !== first[1])"
                "     return done(null);"
                "   const hit = document.elementFromPoint(p[0], p[1]);"
                "   if (!hit || !(el.contains(hit) || hit.control === el)) return done(null);"
                "   window.__cdpClicked = false;"
                "   el.addEventListener('click', () => { window.__cdpClicked = true; },"
                "                       {once: true, capture: true});"
                "   done(p); })); })"
            )
            for kind in ("mousePressed", "mouseReleased"):
                self.cmd(
                    "Input.dispatchMouseEvent",
                    {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
                )
            try:
                self.wait("window.__cdpClicked !== false", timeout=2.0)
                return
            except CdpError:
                print(f"click on {selector} did not reach it: aiming again")  # the page moved
        raise CdpError(f"{attempts} clicks on {selector} never reached it")

    def key(self, key: str, code: str, keycode: int, text: str = "") -> None:
        """Press and release one key (`text`: what it types, e.g. "\\r" for Enter)."""
        down = {"key": key, "code": code, "windowsVirtualKeyCode": keycode}
        self.cmd("Input.dispatchKeyEvent", {"type": "keyDown", **down, "text": text})
        self.cmd("Input.dispatchKeyEvent", {"type": "keyUp", **down})

    def type_text(self, text: str) -> None:
        """Text typed into the focused element, as a keyboard would."""
        self.cmd("Input.insertText", {"text": text})

    def tab(self) -> str:
        """Press Tab; the name, or else the text, of the element that has the focus now."""
        self.key("Tab", "Tab", 9)
        return self.js("(e => e.name || e.textContent.trim())(document.activeElement)")

    def screenshot(self, path) -> None:
        """The whole page (not only the viewport) as PNG."""
        width, height = self.width, self.height
        full = int(self.js("document.documentElement.scrollHeight"))
        self.resize(width, max(height, min(full, 6000)))
        data = self.cmd("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        self.resize(width, height)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and CSP violations seen by this tab so far."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                found.append(f"console.error: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                found.append(
                    f"log[{entry.get('source')}]: {entry.get('text')} {entry.get('url', '')}"
                )
        return found
