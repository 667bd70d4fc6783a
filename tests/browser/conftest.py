"""Real-browser tests: headless Chromium (Debian package) driven by Playwright against the app on a local port.

Each journey runs at 360 px (a cheap phone) and 1280 px, fails on any console error, and saves screenshots under
the folder printed at the start of the run (TEST_ARTIFACTS, default: the system temp folder).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    import tempfile

    path = Path(os.environ.get("TEST_ARTIFACTS", tempfile.gettempdir())) / "browser-screenshots"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    print(f"\nbrowser screenshots: {path}")
    return path


@pytest.fixture(scope="session")
def live_server(_app_and_schema):
    """The test app served over HTTP in a background thread (its own connections, like a real server)."""
    app = _app_and_schema
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian packages chromium and chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=sorted(WIDTHS))
def page(request, browser, live_server, app, csrf_on, screenshots_dir):
    """A fresh browser page at phone or desktop size; the test fails on any console error or page error."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server,
                                  locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.set_default_timeout(15_000)
    page.screenshot_name = lambda name: str(screenshots_dir / f"{request.node.name}-{name}.png")
    #: console messages a test expects (the browser logs every 4xx answer, e.g. a declined card's 402)
    page.expected_console = []
    yield page
    context.close()
    errors = [e for e in errors if not any(expected in e for expected in page.expected_console)]
    assert not errors, errors


def pytest_terminal_summary(terminalreporter):
    """Say where the journeys' screenshots are, at the end of every run that took some."""
    import tempfile

    path = Path(os.environ.get("TEST_ARTIFACTS", tempfile.gettempdir())) / "browser-screenshots"
    shots = sorted(path.glob("*.png")) if path.exists() else []
    if shots:
        terminalreporter.write_line(f"browser screenshots ({len(shots)}): {path}")
