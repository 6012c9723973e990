"""Browser tests: Playwright for Python drives Debian's Chromium against the live_server.

Playwright's own browser downloads are never used: `make browser` (a prerequisite of `make
test`) installs Debian's `chromium`, and CLAIMWATCH_CHROMIUM (default /usr/bin/chromium)
points at it. Screenshots go to test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_service

CHROMIUM = os.environ.get("CLAIMWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A laptop screen: the pages must read well at this size.
VIEWPORT = {"width": 1366, "height": 800}


def _chromium_path() -> str:
    path = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if not path:
        require_service("Chromium", f"{CHROMIUM} is missing (run `make browser`)")
    return path


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module (Playwright's sync API, Debian's binary).

    Module-scoped so that Playwright's event loop, and the permission below, end with the
    browser tests instead of leaking into the rest of the session.
    """
    executable = _chromium_path()
    playwright_sync = pytest.importorskip("playwright.sync_api")
    # The sync API keeps an event loop in this thread; Django refuses ORM calls from a thread
    # with a running loop unless told the calls are deliberate (the tests' own setup rows).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with playwright_sync.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def page(chromium, live_server, settings):
    """A fresh browser context (no cookies) on the live server; plain HTTP cookies."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    context = chromium.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name"): a full-page PNG in test-artifacts/, named after the test."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
