"""End to end in a real browser: the province administrator creates the 2026 campaign, copies the 2024
targets into it, creates a commune-scoped officer, and that officer sees the 2026 dashboard per commune.

Runs Debian's Chromium (/usr/bin/chromium) headless through Playwright against pytest-django's live
server (see test_agent_flow.py). Set ANSINH_SCREENSHOTS=/some/dir to keep screenshots of the pages.
"""

import datetime
import os
import re

import pytest

from .test_agent_flow import CHROMIUM, browser, logout, screenshot  # noqa: F401 (browser is a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]

NEW_PASSWORD = "mat-khau-xa-2026"


@pytest.fixture
def setup(transactional_db):
    """The small province, its administrator (Cần Thơ, new map) and the 2024 campaign with district and
    province targets; everything the test reads is computed here, before Playwright starts."""
    from django.contrib.auth.models import User

    from ansinh.accounts.models import Role
    from ansinh.accounts.services import user_role_assign
    from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
    from ansinh.areas.selectors import new_unit_of
    from ansinh.campaigns.models import Campaign, GoalKind, Indicator, Target
    from ansinh.testing.province import PASSWORD, small_province_build

    sp = small_province_build()
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    admin = User.objects.create_user(username="quantri", password=PASSWORD)
    user_role_assign(user=admin, role=Role.PROVINCE_ADMIN, area=province)
    source = Campaign.objects.create(code="HG-2024", name="Chiến dịch 2024", province=sp.province,
                                     launch_day=datetime.date(2024, 5, 20), starts_on=datetime.date(2024, 5, 1),
                                     ends_on=datetime.date(2024, 12, 31))
    Target.objects.create(campaign=source, indicator=Indicator.VSI_NEW, area=sp.district,
                          period_start=source.launch_day, period_end=source.launch_day, goal=50,
                          goal_kind=GoalKind.COUNT)
    Target.objects.create(campaign=source, indicator=Indicator.LEADERS_VSI, area=sp.province,
                          period_start=source.starts_on, period_end=source.ends_on, goal=50,
                          goal_kind=GoalKind.PERCENT)
    commune = new_unit_of(old_commune=sp.commune)
    return {"source_pk": source.pk, "district": sp.district.name, "commune_pk": commune.pk,
            "commune_code": commune.code, "commune_name": commune.name, "password": PASSWORD}


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_the_administrator_sets_up_a_campaign_and_a_user(setup, browser, live_server):  # noqa: F811
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")

    login(page, base, "quantri", setup["password"])
    assert page.url == f"{base}/quan-tri/"
    page.click("#admin-sections a:has-text('Chiến dịch')")
    page.wait_for_url(f"{base}/quan-tri/chien-dich/")
    page.click("a:text-is('Tạo chiến dịch')")
    page.fill("#id_code", "CD-2026")
    page.fill("#id_name", "Chiến dịch 2026")
    page.fill("#id_launch_day", "15/05/2026")
    page.fill("#id_starts_on", "01/05/2026")
    page.fill("#id_ends_on", "31/12/2026")
    page.click("button:text-is('Tạo chiến dịch')")
    page.wait_for_url(re.compile(r"/quan-tri/chien-dich/\d+/$"))
    assert page.locator("h1").inner_text() == "Chiến dịch 2026"

    page.select_option("#id_source", str(setup["source_pk"]))
    page.click("button:text-is('Sao chép chỉ tiêu')")
    page.wait_for_load_state()
    result = page.locator("#ket-qua-sao-chep").inner_text()
    assert "Đã sao chép 1 chỉ tiêu." in result and setup["district"] in result
    assert "01/05/2026 – 31/12/2026" in page.locator("#bang-chi-tieu").inner_text()
    screenshot(page, "admin-campaign")

    page.goto(f"{base}/quan-tri/nguoi-dung/them/")
    page.fill("#id_username", "bhxh_xa")
    page.fill("#id_full_name", "Trần Thị Hoa")
    page.select_option("#id_role", "si_officer")
    page.select_option("#id_area", str(setup["commune_pk"]))
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password_again", NEW_PASSWORD)
    page.click("button:text-is('Tạo tài khoản')")
    page.wait_for_url(f"{base}/quan-tri/nguoi-dung/")
    assert setup["commune_name"] in page.locator('tr[data-username="bhxh_xa"]').inner_text()
    screenshot(page, "admin-users")
    logout(page)

    login(page, base, "bhxh_xa", NEW_PASSWORD)
    assert page.url == f"{base}/chien-dich/"
    assert page.locator("h1").inner_text() == "Chiến dịch 2026"
    rows = page.locator("#bang-huyen tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-commune") == setup["commune_code"]
    page.select_option("#id-chien-dich", "HG-2024")  # the choice is kept for every page (working context)
    page.locator("h1", has_text="Chiến dịch 2024").wait_for()
    assert page.locator("h1").inner_text() == "Chiến dịch 2024"
    screenshot(page, "officer-dashboard")
