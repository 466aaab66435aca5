"""In a real browser at a desk (1366 × 900) and on a phone (390 × 844): the provincial SI officer drills the
campaign's progress down from the province to a commune, then to its association branches and its
collection agents; the branch leader opens their list of people to visit.

Every figure of the progress tables is the selector's (``progress_for_user``), formatted as the page
formats it. On a phone the tables scroll inside their own box with the unit column fixed; at a desk they
fit; no page is wider than the screen. Each step is kept as ``<width>-<step>.png`` (see
``test_agent_flow.screenshot``).
"""

import datetime

import pytest

from .test_agent_flow import DESK, PHONE, browser, login, pytestmark, screenshot  # noqa: F401 (fixture, marks)

YEAR_END = datetime.date(2024, 12, 31)
VIEWPORTS = {"phone": PHONE, "desk": DESK}


def figures(report) -> dict:
    """``{unit code: [the bold figure of each cell, in column order]}`` and ``"total"``, as the page shows
    them (a rate as a percentage, a count or an amount as a number)."""
    from ansinh.core.formatting import format_number, format_percent

    def shown(cell):
        return format_percent(cell.achieved) if cell.series.is_percent else format_number(cell.achieved)

    out = {group.code: [shown(c) for c in cells] for group, cells in report.table()}
    out["total"] = [shown(c) for c in report.total_cells()]
    return out


@pytest.fixture
def drill(transactional_db):
    """The small province with the 2024 campaign's paid participations (``campaigns.tests.factories``) and
    what the officer's progress pages must show on 31/12/2024 on today's map, read before Playwright
    starts (see test_agent_flow)."""
    from ansinh.areas.selectors import new_unit_of
    from ansinh.campaigns.progress import progress_for_user
    from ansinh.campaigns.tests.factories import campaign_data
    from ansinh.testing.province import small_province_build

    sp = small_province_build()
    data = campaign_data(sp)
    officer = sp.users["bhxh_tinh"]
    commune = new_unit_of(old_commune=sp.commune)

    def report(by, within=None):
        return figures(progress_for_user(user=officer, campaign=data.campaign, by=by, on=YEAR_END,
                                         map_version="new", within=within))

    return {"campaign": data.campaign.code, "commune": commune.code, "commune_name": commune.name,
            "branch": sp.branch.code, "agent": sp.agent.code, "communes": report("commune"),
            "branches": report("branch", commune), "agents": report("agent", commune)}


@pytest.fixture
def leader_list(transactional_db):
    """The small province and the branch leader's list of people to visit today, by group, as
    ``[(group label, [(name, what to do), …]), …]`` (read before Playwright starts)."""
    from django.utils import timezone

    from ansinh.campaigns.reminders import reminder_groups, reminders_for
    from ansinh.testing.province import small_province_build

    sp = small_province_build()
    items = reminders_for(user=sp.users["chi_hoi"], on=timezone.localdate())
    return [(f"{g['label']} ({len(g['items'])})", [(r.name, r.label) for r in g["items"]])
            for g in reminder_groups(items)]


def page_fits_the_screen(page) -> bool:
    """The page itself never scrolls sideways (a wide table scrolls in its own box)."""
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def shown_figures(page) -> dict:
    """The progress table as the page shows it: ``{data-unit: [bold figure of each cell]}`` and ``total``."""
    return page.evaluate("""() => {
        const table = document.querySelector('#bang-tien-do-don-vi');
        const bold = (row) => [...row.querySelectorAll('td:not(:first-child)')].map(
            td => td.querySelector('.figures strong').innerText);
        const out = {};
        for (const row of table.querySelectorAll('tbody tr[data-unit]')) out[row.dataset.unit] = bold(row);
        out.total = bold(table.querySelector('tfoot tr'));
        return out;
    }""")


def check_table_layout(page, viewport: str, unit: str) -> None:
    """At a desk the progress table fits its card and unit names are not squeezed a word per line; on a
    phone it scrolls in its own box, and scrolled to its last column the unit's name stays in view, on top
    (opaque), and the last figures are not cut off."""
    row = f'#bang-tien-do-don-vi tr[data-unit="{unit}"]'
    first = page.locator(f"{row} td:first-child")
    if viewport == "desk":
        assert page.evaluate("(() => { const w = document.querySelector('#bang-tien-do-don-vi').parentElement;"
                             " return w.scrollWidth <= w.clientWidth; })()")
        assert first.bounding_box()["width"] >= 140  # room for a unit's name, not one word per line
        return
    wrap = page.locator("#bang-tien-do-don-vi").locator("xpath=..")
    first.scroll_into_view_if_needed()
    scrolled = page.evaluate("""() => { const w = document.querySelector('#bang-tien-do-don-vi').parentElement;
        w.scrollLeft = w.scrollWidth; return w.scrollLeft; }""")
    assert scrolled > 0  # the table is wider than the phone: it scrolls in its box
    box, frame = first.bounding_box(), wrap.bounding_box()
    assert box["x"] >= 0 and abs(box["x"] - frame["x"]) < 2  # the unit column stays at the box's left edge
    on_top = page.evaluate(f"""() => {{ const td = document.querySelector('{row} td:first-child');
        const r = td.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).closest('td') === td; }}""")
    assert on_top  # nothing scrolling under the fixed column shows through it
    last = page.locator(f"{row} td:last-child").bounding_box()
    assert last["x"] + last["width"] <= frame["x"] + frame["width"] + 1 <= PHONE["width"]
    page.evaluate("document.querySelector('#bang-tien-do-don-vi').parentElement.scrollLeft = 0")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_officer_drills_progress_down_from_the_province_to_branches_and_agents(drill, browser, live_server,
                                                                                   viewport):
    base = live_server.url
    page = browser.new_page(viewport=VIEWPORTS[viewport], locale="vi-VN")
    login(page, base, "bhxh_tinh")

    # The province: one row per commune of today's map, each figure the selector's.
    page.goto(f"{base}/tien-do/?campaign={drill['campaign']}&on={YEAR_END.isoformat()}&map=new")
    assert page.locator("#bang-tien-do").inner_text() == "Xã, phường, thị trấn — Thành phố Cần Thơ"
    assert shown_figures(page) == drill["communes"]
    # the commune's amount collected: the head's and his wife's VSI (3.564.000 đ each), the household's HI
    assert "9.363.600" in drill["communes"][drill["commune"]]
    # the filters stay usable on a phone: each one as wide as the card, not squeezed to a few pixels
    card = page.locator("form[aria-label='Bộ lọc']").bounding_box()["width"]
    for field in ("#id_by", "#id_on", "#id_map"):
        width = page.locator(field).bounding_box()["width"]
        assert width >= (card - 40 if viewport == "phone" else 150), (field, width, card)
    check_table_layout(page, viewport, drill["commune"])
    assert page_fits_the_screen(page)
    screenshot(page, "officer-1-progress-province")

    # The commune: its association branches (and the people in no branch).
    row = f'#bang-tien-do-don-vi tr[data-unit="{drill["commune"]}"]'
    page.click(f'{row} td:first-child a:text-is("{drill["commune_name"]}")')
    page.wait_for_url(lambda url: "by=branch" in url)
    assert page.locator("#bang-tien-do").inner_text() == f"Chi hội, tổ TK&VV — {drill['commune_name']}"
    crumbs = page.locator("nav.breadcrumb[aria-label='Cấp đơn vị']").inner_text()
    assert crumbs == f"Toàn tỉnh › {drill['commune_name']}"
    assert shown_figures(page) == drill["branches"]
    assert drill["branch"] in drill["branches"]
    check_table_layout(page, viewport, drill["branch"])
    assert page_fits_the_screen(page)
    screenshot(page, "officer-2-progress-branches")

    # Back to the province, then the commune's collection agents.
    page.go_back()
    page.click(f'{row} a:text-is("theo nhân viên thu")')
    page.wait_for_url(lambda url: "by=agent" in url)
    assert page.locator("#bang-tien-do").inner_text() == f"Nhân viên thu — {drill['commune_name']}"
    assert shown_figures(page) == drill["agents"]
    check_table_layout(page, viewport, drill["agent"])
    assert page.locator(f'#bang-tham-ho tr[data-agent="{drill["agent"]}"]').count() == 1
    assert page_fits_the_screen(page)
    screenshot(page, "officer-3-progress-agents")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_branch_leader_opens_their_list_of_people_to_visit(leader_list, browser, live_server, viewport):
    base = live_server.url
    page = browser.new_page(viewport=VIEWPORTS[viewport], locale="vi-VN")
    login(page, base, "chi_hoi")
    if viewport == "phone":
        page.click("label.nav-toggle-label")  # the menu folds behind its button on a phone
    page.click("nav.nav a:text-is('Việc cần làm')")
    page.wait_for_url(f"{base}/viec-can-lam/")
    assert leader_list, "the leader has people to visit"
    shown = page.evaluate("""() => [...document.querySelectorAll('#viec-can-lam ~ h3')].map(h => [h.innerText,
        [...document.querySelectorAll(`table[aria-labelledby="${h.id}"] tbody tr`)].map(
            tr => [tr.querySelector('td.primary').innerText, tr.querySelector('.badge').innerText])])""")
    assert [(label, [tuple(r) for r in rows]) for label, rows in shown] == leader_list
    assert page_fits_the_screen(page)
    # every row's name and task are on the screen's width (cards on a phone, a table at a desk)
    for cell in page.locator(".bang-viec-can-lam td.primary, .bang-viec-can-lam .badge").all():
        box = cell.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
    screenshot(page, "leader-1-people-to-visit")
