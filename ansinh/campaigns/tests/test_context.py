"""The working context (``ansinh.campaigns.context``): which campaign and which date every page opens on,
the bar at the top of each page that changes it, and the pages that follow it."""

import datetime

import pytest
from django.utils import timezone

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.campaigns.context import (
    SESSION_KEY, campaign_default, working_context, working_context_choose,
)
from ansinh.campaigns.forms_context import CAMPAIGN_NOT_OFFERED
from ansinh.campaigns.models import Campaign, Indicator
from ansinh.core.errors import OutOfScope
from ansinh.testing.province import PASSWORD

from .factories import END, LAUNCH, START, campaign_data, campaign_make

pytest.importorskip("ansinh.rules.quote", reason="payments are priced through the rules module")

D = datetime.date


@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    """The campaign's payments are made in 2024: lift the back-dating window."""
    settings.ANSINH_MAX_BACKDATE_DAYS = None


def city_campaign(code="CT-2025", start=D(2025, 4, 1), end=D(2025, 12, 31)) -> Campaign:
    """A campaign of the new-map city (province 92), the successor of the small province."""
    city = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    return Campaign.objects.create(code=code, name=f"Chiến dịch {code}", province=city, launch_day=start,
                                   starts_on=start, ends_on=end)


def other_province_campaign() -> Campaign:
    """A campaign of a province outside every user of the small province."""
    other = AdministrativeUnit.objects.create(map=MapVersion.OLD, level=Level.PROVINCE, code="94",
                                              name="Tỉnh Sóc Trăng")
    return Campaign.objects.create(code="ST-2025", name="Chiến dịch Sóc Trăng", province=other,
                                   launch_day=D(2025, 5, 1), starts_on=D(2025, 5, 1), ends_on=D(2026, 12, 31))


# --- the rule -------------------------------------------------------------------------------------

def test_a_running_campaign_opens_on_today(small_province):
    campaign = campaign_make(small_province.province)
    context = working_context(user=small_province.users["bhxh_tinh"], today=D(2024, 6, 15))
    assert (context.campaign, context.on, context.chosen, context.campaign_over) == (
        campaign, D(2024, 6, 15), False, False)


def test_a_finished_campaign_opens_on_its_end(small_province):
    campaign = campaign_make(small_province.province)
    context = working_context(user=small_province.users["bhxh_tinh"], today=D(2026, 12, 4))
    assert (context.campaign, context.on, context.campaign_over) == (campaign, END, True)


def test_a_chosen_date_outside_the_campaign_is_kept_inside_it(small_province):
    campaign_make(small_province.province)
    user = small_province.users["bhxh_tinh"]
    after = working_context(user=user, on=D(2025, 3, 1), today=D(2026, 12, 4))
    before = working_context(user=user, on=D(2024, 1, 1), today=D(2026, 12, 4))
    inside = working_context(user=user, on=D(2024, 7, 1), today=D(2026, 12, 4))
    assert (after.on, before.on, inside.on) == (END, START, D(2024, 7, 1))
    assert after.chosen is True
    # pages that count no campaign (renewals, reminders) take the chosen date as it is
    assert working_context(user=user, on=D(2025, 3, 1), today=D(2026, 12, 4), in_campaign=False).on == D(2025, 3, 1)


def test_the_running_campaign_wins_over_a_later_one_and_a_chosen_one_over_both(small_province):
    old = campaign_make(small_province.province)
    running = city_campaign("CT-2025", D(2025, 4, 1), D(2025, 12, 31))
    later = city_campaign("CT-2026", D(2026, 3, 1), D(2026, 12, 31))
    user = small_province.users["bhxh_tinh"]
    assert [c.code for c in working_context(user=user, today=D(2025, 6, 1)).campaigns] == [
        "CT-2026", "CT-2025", "HG-TEST"]
    assert working_context(user=user, today=D(2025, 6, 1)).campaign == running
    # between two campaigns: the one that started last, on its end
    between = working_context(user=user, today=D(2026, 1, 20))
    assert (between.campaign, between.on) == (running, D(2025, 12, 31))
    # before any campaign: the first to come, on its start
    first = working_context(user=user, today=D(2024, 1, 2))
    assert (first.campaign, first.on) == (old, START)
    # a chosen date picks the campaign running on it
    assert working_context(user=user, on=D(2026, 5, 5), today=D(2025, 6, 1)).campaign == later
    chosen = working_context(user=user, campaign_code="HG-TEST", today=D(2025, 6, 1))
    assert (chosen.campaign, chosen.on, chosen.chosen) == (old, END, True)
    assert campaign_default([], day=D(2025, 1, 1)) is None


def test_a_campaign_outside_the_scope_is_refused(small_province):
    campaign_make(small_province.province)
    other_province_campaign()
    user = small_province.users["bhxh_tinh"]
    assert [c.code for c in working_context(user=user, today=D(2025, 6, 1)).campaigns] == ["HG-TEST"]
    with pytest.raises(OutOfScope) as exc:
        working_context(user=user, campaign_code="ST-2025", today=D(2025, 6, 1))
    assert exc.value.message == "Hồ sơ này nằm ngoài địa bàn bạn phụ trách."
    # a choice kept in the session that is no longer in scope is ignored
    kept = working_context(user=user, campaign_code="ST-2025", today=D(2025, 6, 1), strict=False)
    assert (kept.campaign.code, kept.on, kept.chosen) == ("HG-TEST", END, False)
    with pytest.raises(OutOfScope):
        working_context_choose(user=user, session={}, campaign_code="ST-2025", on=None)


def test_a_user_who_may_not_view_campaigns_gets_today_or_the_chosen_date(small_province):
    campaign_make(small_province.province)
    agent = small_province.users["thu_1"]
    context = working_context(user=agent, today=D(2026, 12, 4))
    assert (context.campaign, context.on, context.campaigns) == (None, D(2026, 12, 4), ())
    assert working_context(user=agent, on=D(2026, 11, 20), today=D(2026, 12, 4)).on == D(2026, 11, 20)


def test_the_choice_is_kept_in_the_session_and_a_reset_forgets_it(small_province):
    campaign_make(small_province.province)
    session = {}
    user = small_province.users["bhxh_tinh"]
    context = working_context_choose(user=user, session=session, campaign_code="HG-TEST", on=D(2024, 6, 1))
    assert session[SESSION_KEY] == {"campaign": "HG-TEST", "on": "2024-06-01"}
    assert context.on == D(2024, 6, 1)
    working_context_choose(user=user, session=session, campaign_code=None, on=None)
    assert SESSION_KEY not in session


# --- through the pages ----------------------------------------------------------------------------

@pytest.fixture
def officer(small_province, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    return client


def _progress_cell(report, indicator):
    """The province total of the launch-day series of ``indicator``."""
    return next(c for c in report.total_cells() if c.series.indicator == indicator
                and c.series.start == c.series.end == LAUNCH)


def test_dashboard_and_progress_open_on_the_same_campaign_date_and_totals(small_province, officer):
    data = campaign_data(small_province)
    city_campaign("CT-2025", D(2025, 4, 1), D(2025, 12, 31))
    # the city campaign is the latest and over (today is after 2025): both pages open on it, on its end
    page = officer.get("/chien-dich/")
    dash = page.context
    progress = officer.get("/tien-do/").context
    # the dashboard's own picker keeps the choice for every page too
    assert '<form method="post" action="/chien-dich/chon/" class="picker" id="chon-chien-dich">' in page.content.decode()
    assert timezone.localdate() > D(2025, 12, 31)
    assert (dash["dash"]["campaign"].code, dash["dash"]["on"]) == ("CT-2025", D(2025, 12, 31))
    assert (progress["campaign"].code, progress["on"]) == ("CT-2025", D(2025, 12, 31))
    # choose the province's 2024 campaign once: both pages follow, with the same launch-day totals
    response = officer.post("/chien-dich/chon/", {"campaign": data.campaign.code, "on": "", "next": "/tien-do/"})
    assert (response.status_code, response["Location"]) == (302, "/tien-do/")
    dash = officer.get("/chien-dich/").context
    progress = officer.get("/tien-do/").context
    assert (dash["dash"]["campaign"], dash["dash"]["on"]) == (data.campaign, END)
    assert (progress["campaign"], progress["on"]) == (data.campaign, END)
    totals = dash["dash"]["total"]
    report = progress["report"]
    assert (totals["launch_vsi"], totals["launch_hi"]) == (2, 3)
    assert (_progress_cell(report, Indicator.VSI_NEW).count, _progress_cell(report, Indicator.HI_NEW).count) == (2, 3)
    assert (totals["goal_vsi"], totals["goal_hi"]) == (100, 200)


def test_the_chosen_date_is_kept_across_pages_and_shown_in_the_bar(small_province, officer):
    data = campaign_data(small_province)
    response = officer.post("/chien-dich/chon/", {"campaign": "", "on": "15/06/2024", "next": "/chien-dich/"})
    assert response["Location"] == "/chien-dich/"
    assert officer.session[SESSION_KEY] == {"campaign": "", "on": "2024-06-15"}
    dash = officer.get("/chien-dich/")
    leaders = officer.get("/tien-do/can-bo/")
    assert (dash.context["dash"]["campaign"], dash.context["dash"]["on"]) == (data.campaign, D(2024, 6, 15))
    assert (leaders.context["campaign"], leaders.context["on"]) == (data.campaign, D(2024, 6, 15))
    for response in (dash, leaders, officer.get("/ho/")):
        body = response.content.decode()
        assert '<strong id="boi-canh-ngay">15/06/2024</strong>' in body
        assert '<strong id="boi-canh-chien-dich">Chiến dịch thử</strong>' in body
        assert 'value="15/06/2024"' in body  # the bar's form shows the kept date
    # the renewals page and the reminders open on the same date
    assert officer.get("/tai-tuc/").context["form"].cleaned_data["on"] == D(2024, 6, 15)
    # a page's own ?on= overrides the choice for that page only, kept inside the campaign
    assert officer.get("/tien-do/", {"on": "2025-02-01"}).context["on"] == END
    assert officer.get("/tien-do/theo-ngay/").context["on"] == D(2024, 6, 15)
    # back to the rule
    officer.post("/chien-dich/chon/", {"reset": "1", "campaign": "", "on": "", "next": "/chien-dich/"})
    assert SESSION_KEY not in officer.session
    assert officer.get("/chien-dich/").context["dash"]["on"] == END


def test_an_out_of_scope_campaign_in_the_address_or_the_form_is_refused(small_province, officer):
    campaign_data(small_province)
    other_province_campaign()
    assert officer.get("/tien-do/", {"campaign": "ST-2025"}).status_code == 404
    assert officer.get("/chien-dich/", {"chien-dich": "ST-2025"}).status_code == 404
    assert officer.get("/tien-do/", {"campaign": "KHONG-CO"}).status_code == 404
    response = officer.post("/chien-dich/chon/", {"campaign": "ST-2025", "on": "", "next": "/chien-dich/"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"campaign": [CAMPAIGN_NOT_OFFERED]}
    assert CAMPAIGN_NOT_OFFERED == "Chiến dịch này không có hoặc nằm ngoài địa bàn bạn phụ trách."
    assert SESSION_KEY not in officer.session


def test_the_change_form_says_which_date_is_wrong_and_never_leaves_the_site(small_province, officer):
    campaign_data(small_province)
    officer.post("/chien-dich/chon/", {"campaign": "HG-TEST", "on": "01/06/2024", "next": "/chien-dich/"})
    page = officer.get("/chien-dich/chon/", {"next": "/tien-do/"}).content.decode()
    assert '<input type="hidden" name="next" value="/tien-do/" id="id_next">' in page
    assert '<option value="HG-TEST" selected>' in page
    assert 'value="01/06/2024"' in page and '<label for="id_on">Ngày xem số liệu</label>' in page
    response = officer.post("/chien-dich/chon/", {"campaign": "", "on": "31/02/2024", "next": "/chien-dich/"})
    assert response.context["form"].errors == {"on": ["Ngày phải theo dạng dd/mm/yyyy, ví dụ 03/12/2026."]}
    assert "Ngày phải theo dạng dd/mm/yyyy, ví dụ 03/12/2026." in response.content.decode()
    response = officer.post("/chien-dich/chon/", {"campaign": "", "on": "01/06/2024",
                                                   "next": "https://example.com/"})
    assert response["Location"] == "/"
    response = officer.post("/chien-dich/chon/", {"campaign": "", "on": "01/06/2024", "next": "//example.com/"})
    assert response["Location"] == "/"


def test_the_bar_drops_the_page_date_and_campaign_from_the_way_back(small_province, officer):
    campaign_data(small_province)
    body = officer.get("/tien-do/", {"campaign": "HG-TEST", "on": "2024-06-01", "by": "commune"}).content.decode()
    assert '<input type="hidden" name="next" value="/tien-do/?by=commune" id="ctx-next">' in body
    assert '<strong id="boi-canh-ngay">01/06/2024</strong>' in body


def test_an_agent_sees_the_date_only(small_province, client):
    campaign_data(small_province)
    client.login(username="thu_1", password=PASSWORD)
    body = client.get("/viec-can-lam/").content.decode()
    assert f'<strong id="boi-canh-ngay">{timezone.localdate():%d/%m/%Y}</strong>' in body
    assert 'id="boi-canh-chien-dich"' not in body and 'name="campaign"' not in body


@pytest.mark.parametrize("on", ["9999-12-31", "31/12/9999", "0001-01-01", "01/01/0001"])
def test_a_date_outside_the_site_range_in_the_address_is_ignored_not_a_server_error(small_province, client, on):
    campaign_data(small_province)
    client.login(username="thu_1", password=PASSWORD)
    response = client.get("/viec-can-lam/", {"on": on})
    assert response.status_code == 200
    assert f'<strong id="boi-canh-ngay">{timezone.localdate():%d/%m/%Y}</strong>' in response.content.decode()
