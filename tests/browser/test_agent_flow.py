"""End to end in a real browser: an agent takes an HI payment at the door, the officer sees it on the
dashboard.

Runs Debian's Chromium (/usr/bin/chromium) headless through Playwright against pytest-django's live
server. Writes full-page screenshots of each step at 390 and 1366 px wide for a reviewer (``screenshot``).
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)"),
]


def vnd(amount: int) -> str:
    return f"{amount:,} đ".replace(",", ".")


@pytest.fixture
def province(transactional_db):
    from ansinh.testing.province import small_province_build

    return small_province_build()


@pytest.fixture
def campaign(province):
    """A campaign of the merged city whose launch day is today, the day the agent's payment is made, with
    launch-day goals for the two households' (new-map) communes."""
    from django.utils import timezone

    from ansinh.areas.models import AdministrativeUnit, Level
    from ansinh.campaigns.models import Campaign, GoalKind, Indicator, Target

    from ansinh.areas.models import MapVersion
    from ansinh.areas.selectors import new_unit_of

    today = timezone.localdate()
    city = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    campaign = Campaign.objects.create(
        code="RA-QUAN", name="Tháng vận động BHXH tự nguyện, BHYT hộ gia đình", province=city,
        launch_day=today, starts_on=today, ends_on=today + datetime.timedelta(days=30),
    )
    for commune in (new_unit_of(old_commune=province.commune), new_unit_of(old_commune=province.other_commune)):
        for indicator, goal in [(Indicator.VSI_NEW, 50), (Indicator.HI_NEW, 100)]:
            Target.objects.create(campaign=campaign, indicator=indicator, area=commune, period_start=today,
                                  period_end=today, goal=goal, goal_kind=GoalKind.COUNT)
    for indicator, goal in [(Indicator.LEADERS_VSI, 50), (Indicator.LEADERS_HI, 100)]:
        Target.objects.create(campaign=campaign, indicator=indicator, area=city, period_start=today,
                              period_end=campaign.ends_on, goal=goal, goal_kind=GoalKind.PERCENT)
    return campaign


@pytest.fixture
def due(province):
    """What HG-0001 pays today for 6 and 12 months of HI, priced by the service the page uses.

    Computed before Playwright starts: inside Playwright's sync API the ORM would open a second
    connection in the test thread that is never closed (PostgreSQL then cannot drop the test database).
    """
    pytest.importorskip("ansinh.rules.quote", reason="payments are priced through the rules module")
    from django.utils import timezone

    from ansinh.enrollment.services import hi_household_quote

    return {months: hi_household_quote(user=province.users["thu_1"], household=province.household, months=months,
                                       on=timezone.localdate())["payable"] for months in (6, 12)}


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def screenshot(page, step: str) -> None:
    """A full-page PNG of the page as it is, for a reviewer: ``<width>-<step>.png`` in the folder
    $ANSINH_SCREENSHOTS (default ``build/screenshots/``, ignored by git)."""
    folder = Path(os.environ.get("ANSINH_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{page.viewport_size['width']}-{step}.png"), full_page=True)


def screenshots(page, step: str) -> None:
    """``screenshot`` on a phone (390 × 844) and at a desk (1366 × 900), then back to the page's own size;
    at both widths the page itself does not scroll sideways (a wide table scrolls in its own box)."""
    size = page.viewport_size
    for viewport in (PHONE, DESK):
        page.set_viewport_size(viewport)
        try:  # a chart redraws for the new width a moment after the resize
            page.wait_for_function("document.scrollingElement.scrollWidth <= window.innerWidth", timeout=5000)
        except PlaywrightTimeout:  # the assertion below says what sticks out
            pass
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (step, viewport, page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"))
        screenshot(page, step)
    page.set_viewport_size(size)


def login(page, base: str, username: str) -> None:
    from ansinh.testing.province import PASSWORD

    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def logout(page) -> None:
    page.click("button.btn-logout")
    page.wait_for_url(re.compile(r"/dang-nhap/$"))


def commune_hi(page, code: str) -> str:
    """Launch-day HI sign-ups of a commune's row: a campaign starting today (after 01/07/2025) is shown on
    the new map, per commune."""
    return page.locator(f'tr[data-commune="{code}"] td.launch-hi strong').inner_text()


@pytest.fixture
def communes(province):
    """New-map codes of the two households' communes (read before Playwright starts)."""
    from ansinh.areas.selectors import new_unit_of

    return {"mine": new_unit_of(old_commune=province.commune).code,
            "other": new_unit_of(old_commune=province.other_commune).code}


def test_an_agent_takes_an_hi_payment_and_the_officer_sees_it_on_the_dashboard(
        province, campaign, due, communes, browser, live_server):
    # The test database is set up before the live server and torn down after it; the test body makes
    # no ORM call once Playwright runs (see ``due``).
    from django.utils import timezone

    from ansinh.core.words import amount_in_words

    base = live_server.url
    today = timezone.localdate()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    foreign = []
    page.on("request", lambda request: None if request.url.startswith(base) else foreign.append(request.url))

    # The SI officer sees the commune at 0 on launch day.
    login(page, base, "bhxh_tinh")
    assert page.url == f"{base}/chien-dich/"
    assert commune_hi(page, communes["mine"]) == "0"
    logout(page)

    # The agent lands on their households, finds HG-0001 by typing (htmx), opens it.
    login(page, base, "thu_1")
    assert page.url == f"{base}/ho/"
    page.fill("#id_q", "HG-0001")
    page.wait_for_url(re.compile(r"q=HG-0001"))
    screenshots(page, "agent-1-households")
    page.click("#ket-qua a:text-is('HG-0001')")
    page.wait_for_url(f"{base}/ho/{province.household.pk}/")
    assert page.locator("h1").inner_text().startswith("Hộ HG-0001")
    assert page.locator("#hi-pay-form #id_amount").input_value() == vnd(due[12]).removesuffix(" đ")

    # On a phone (390 × 844) who is covered until when and the action buttons are on the first screen,
    # and the member cards are not cut off at the right edge.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("#the").bounding_box()["y"] < 844
    assert page.locator("#household-actions a:text-is('Thu BHYT')").bounding_box()["y"] < 844
    assert page.evaluate("(() => { const c = document.querySelector('ul.coverage');"
                         " return c.scrollWidth <= c.clientWidth && c.getBoundingClientRect().right <= 390; })()")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    screenshot(page, "agent-2-household")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "agent-2-household")

    # Changing the months re-prices the form (htmx), then back to 12 months.
    page.check("#hi-pay-form input[name=months][value='6']")
    # a locator wait, not wait_for_function: the Content-Security-Policy forbids evaluating strings
    expect(page.locator("#hi-pay-form #id_amount")).to_have_value(vnd(due[6]).removesuffix(" đ"))
    page.check("#hi-pay-form input[name=months][value='12']")
    expect(page.locator("#hi-pay-form #id_amount")).to_have_value(vnd(due[12]).removesuffix(" đ"))
    assert page.locator("#id_paid_on").input_value() == today.strftime("%d/%m/%Y")

    page.click("#hi-pay-form button[type=submit]:not([formaction])")
    # The summary step: nothing is recorded until the agent confirms.
    page.wait_for_url(f"{base}/ho/{province.household.pk}/thu-bhyt/")
    assert page.locator("#confirm-amount").inner_text() == vnd(due[12])
    assert page.locator("#xac-nhan-thu").inner_text().startswith(
        f"Xác nhận thu {vnd(due[12])} của hộ HG-0001 cho 12 tháng, thẻ từ ")
    screenshot(page, "agent-3-confirm")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("#confirm-pay").bounding_box()["y"] < 844
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    screenshot(page, "agent-3-confirm")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("#confirm-pay")
    page.wait_for_url(re.compile(r"/bien-lai/\d+/\?ket-qua=moi$"))
    assert page.locator(".messages .msg-success").inner_text().startswith("Đã thu tiền và lập biên lai số ")
    assert page.locator("#receipt-amount").inner_text() == vnd(due[12])
    assert page.locator("#receipt-words").inner_text() == amount_in_words(due[12])
    assert "Nguyễn Văn An" in page.content()
    screenshots(page, "agent-4-receipt")
    logout(page)

    # The officer sees the commune's three new HI participants.
    login(page, base, "bhxh_tinh")
    assert commune_hi(page, communes["mine"]) == "3"
    assert commune_hi(page, communes["other"]) == "0"
    assert page.evaluate("typeof Chart !== 'undefined' && Chart.getChart('launch-chart') !== undefined")
    screenshots(page, "agent-5-officer-dashboard")

    assert foreign == []

