"""Accessibility of the pages each role uses, checked with axe-core (the kept checker, vendored in
``tests/browser/vendor/axe-core``, version 4.14.1, MPL-2.0) in Debian's Chromium at a desk (1366 × 900)
and on a phone (390 × 844): no serious or critical violation of WCAG 2.1 A/AA rules (labels, contrast,
names of links and buttons, document language, landmarks)."""

import json
from pathlib import Path

import pytest

from tests.browser.test_agent_flow import CHROMIUM_ARGS, CHROMIUM, login, pytestmark  # noqa: F401

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
VIEWPORTS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def province(transactional_db):
    from ansinh.testing.province import small_province_build

    return small_province_build()


@pytest.fixture
def pages(province):
    """The pages of each role (read before Playwright starts: ids of the test province)."""
    from ansinh.registry.models import HouseholdMember

    household = province.household.pk
    person = HouseholdMember.objects.filter(household=province.household).values_list("person_id", flat=True).first()
    return {
        None: ["/dang-nhap/", "/tinh-muc-dong/", "/tinh-luong-huu/", "/tham-so/", "/tham-so/common.base_salary/"],
        "thu_1": ["/ho/", f"/ho/{household}/", f"/nguoi/{person}/", "/viec-can-lam/", "/so-thu/", "/tai-tuc/"],
        "bhxh_tinh": ["/chien-dich/", "/tien-do/", "/tien-do/can-bo/", "/danh-sach/", "/doi-soat/",
                      "/chi-tieu/", "/nhap/", f"/ho/{household}/lich-su/"],
        "chi_hoi": ["/tien-do/"],
    }


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations.map(v => ({"
        "id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        RULES)
    return [v for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_serious_accessibility_violation_on_the_pages_of_each_role(province, pages, browser, live_server,
                                                                     viewport):
    problems = {}
    for username, paths in pages.items():
        # bypass_csp: the checker is injected into the page; the site itself allows no inline script
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN", bypass_csp=True)
        page = context.new_page()
        if username:
            login(page, live_server.url, username)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{username} {path}: {response.status}"
            found = violations(page)
            if found:
                problems[f"{username or 'khách'} {path}"] = found
        context.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
