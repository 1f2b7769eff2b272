"""axe-core (bundled by axe-playwright-python) finds no violations on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from counties.roles import Role
from counties.services import user_create
from tests.conftest import demo_loaded

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser
PAGES = [
    "/?year=2024",
    "/counties/?year=2024",
    "/counties/141122/?year=2024",
    "/indicators/",
    "/indicators/7/",
    "/investment/",
    "/quality/",
    "/plan/",
    "/submissions/",
    "/submissions/141122/2024/",
]


def test_the_main_pages_have_no_accessibility_violations(page):
    demo_loaded()
    user_create(username="bureau", password=PASSWORD, role=Role.BUREAU, full_name="李科长")
    log_in(page, "bureau")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    axe = Axe()
    found = {}
    for url in ["/login/", *PAGES]:
        page.goto(url)
        results = axe.run(page)
        if results.violations_count:
            found[url] = results.generate_report()
    assert found == {}, "\n\n".join(f"{url}\n{report}" for url, report in found.items())
