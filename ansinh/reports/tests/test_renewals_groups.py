"""The renewals page never looks empty when there is work: lapses over the window of the setting, rows
grouped by urgency, the phone as a call link for the assigned agent and officers (issue 16)."""

import datetime

from ansinh.campaigns.tests.factories import campaign_data
from ansinh.registry.models import Person
from ansinh.testing.province import PASSWORD

CARD_END = datetime.date(2025, 6, 18)  # the HI card of HG-0001 in campaign_data


def _page(client, username, **params):
    client.login(username=username, password=PASSWORD)
    return client.get("/tai-tuc/", params).content.decode()


def _head_phone(small_province, phone="0912345678"):
    head = small_province.household.members.get(relationship="head").person
    Person.objects.filter(pk=head.pk).update(phone=phone)


def test_lapsed_cards_are_listed_over_the_setting_window_by_default(small_province, client, settings):
    campaign_data(small_province)
    on = (CARD_END + datetime.timedelta(days=200)).isoformat()
    body = _page(client, "bhxh_tinh", which="hi_lapsed", on=on)
    assert '<th colspan="9" scope="colgroup">Đã hết hạn (3)</th>' in body
    assert 'name="days" value="365"' in body
    settings.ANSINH_LAPSED_WINDOW_DAYS = 90
    body = _page(client, "bhxh_tinh", which="hi_lapsed", on=on)
    assert "Không có ai trong danh sách này." in body and 'name="days" value="90"' in body


def test_rows_are_grouped_by_urgency_with_a_call_link_for_the_assigned_agent(small_province, client):
    campaign_data(small_province)
    _head_phone(small_province)
    body = _page(client, "thu_1", which="hi_expiring", on="2025-06-01", days="30")
    assert '<th colspan="9" scope="colgroup">Hết hạn trong 30 ngày (3)</th>' in body
    body = _page(client, "thu_1", which="hi_expiring", on="2025-06-12", days="30")
    assert '<th colspan="9" scope="colgroup">Hết hạn trong 7 ngày (3)</th>' in body
    # the wife and the son have no phone of their own: the head's is shown for them
    assert body.count('href="tel:0912345678">Gọi 0912345678</a>') == 3


def test_an_officer_gets_the_call_link(small_province, client):
    campaign_data(small_province)
    _head_phone(small_province)
    body = _page(client, "bhxh_tinh", which="hi_expiring", on="2025-06-12", days="30")
    assert body.count('href="tel:0912345678">Gọi 0912345678</a>') == 3


def test_an_agent_not_assigned_to_the_household_sees_the_phone_masked(small_province):
    from ansinh.accounts.services import role_of
    from ansinh.reports.views_lists import renewal_row_shown

    row = {"phone": "", "head_phone": "0912345678", "agent_code": "NVT002", "citizen_id": "093070000001",
           "days_left": -3}
    shown = renewal_row_shown(row, user_role=role_of(small_province.users["thu_1"]))
    assert (shown["phone"], shown["call"], shown["urgency"], shown["citizen_id"]) == (
        "091*****78", False, "Đã hết hạn", "********0001")
    shown = renewal_row_shown({**row, "agent_code": "NVT001", "days_left": 7},
                              user_role=role_of(small_province.users["thu_1"]))
    assert (shown["phone"], shown["call"], shown["urgency"]) == ("0912345678", True, "Hết hạn trong 7 ngày")
