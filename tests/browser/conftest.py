"""Playwright driving Debian's Chromium against the live test server.

Playwright's own browser download does not work on the bureau's network: the tests launch
/usr/bin/chromium (`make browser` installs it). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import seed_loaded

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SERVER_NAME = "eco.lvliang.test"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"没有找到 Chromium（{CHROMIUM}）：请先运行 make browser")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (creating users) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                # The production test reaches gunicorn by a name, as users on the intranet do.
                f"--host-resolver-rules=MAP {SERVER_NAME} 127.0.0.1",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    seed_loaded()  # transactional tests flush the database after each test
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


PASSWORD = "browser-pass-123"


def log_in(page, username: str) -> None:
    """Log in through the login page (every browser test's user has PASSWORD)."""
    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
