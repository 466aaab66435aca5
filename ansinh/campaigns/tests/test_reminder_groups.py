"""Reminders never look empty when there is work: a long lapse window (setting), urgency groups, phone and
call link (issue 16)."""

import datetime

from ansinh.campaigns.reminders import reminder_groups, reminders_for
from ansinh.registry.models import Person
from ansinh.testing.province import PASSWORD

CARD_END = datetime.date(2025, 6, 18)  # the HI card of HG-0001 (factories.campaign_data)


def _summary(user, on):
    return [(g["label"], [(r.name, r.kind, r.due) for r in g["items"]])
            for g in reminder_groups(reminders_for(user=user, on=on))]


AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Cường"


def test_reminders_are_grouped_by_urgency(data, small_province):
    agent = small_province.users["thu_1"]
    assert _summary(agent, datetime.date(2025, 6, 12)) == [
        ("Hết hạn trong 7 ngày", [(AN, "hi_expiring", CARD_END), (CUONG, "hi_expiring", CARD_END),
                                  (BINH, "hi_expiring", CARD_END)]),
        ("Đã hết hạn", [(AN, "vsi_lapsed", datetime.date(2025, 4, 30)), (BINH, "vsi_lapsed", datetime.date(2025, 5, 31))]),
    ]
    assert [g["label"] for g in reminder_groups(reminders_for(user=agent, on=datetime.date(2025, 6, 1)))] == [
        "Hết hạn trong 30 ngày", "Đã hết hạn"]


def test_a_leader_sees_not_enrolled_as_its_own_group(data, small_province):
    leader = small_province.users["chi_hoi"]
    assert _summary(leader, datetime.date(2024, 12, 31)) == [("Chưa tham gia", [(CUONG, "no_vsi", None)])]


def test_lapses_are_reminded_over_the_window_of_the_setting(data, small_province, settings):
    agent = small_province.users["thu_1"]
    on = CARD_END + datetime.timedelta(days=200)  # 04/01/2026: 200 days after the card ended
    lapsed = [(r.name, r.kind) for r in reminders_for(user=agent, on=on) if r.kind == "hi_lapsed"]
    assert lapsed == [(AN, "hi_lapsed"), (CUONG, "hi_lapsed"), (BINH, "hi_lapsed")]  # default 365 days
    settings.ANSINH_LAPSED_WINDOW_DAYS = 90  # the old cut
    assert reminders_for(user=agent, on=on) == []
    settings.ANSINH_LAPSED_WINDOW_DAYS = 200
    assert len([r for r in reminders_for(user=agent, on=on) if r.kind == "hi_lapsed"]) == 3


def test_each_reminder_carries_the_phone_of_the_person_or_the_head(data, small_province):
    members = {m.relationship: m.person for m in small_province.household.members.select_related("person")}
    Person.objects.filter(pk=members["head"].pk).update(phone="0912345678")
    Person.objects.filter(pk=members["spouse"].pk).update(phone="0987654321")
    items = reminders_for(user=small_province.users["thu_1"], on=datetime.date(2025, 6, 12))
    assert [(r.name, r.kind, r.phone) for r in items] == [
        (AN, "vsi_lapsed", "0912345678"), (BINH, "vsi_lapsed", "0987654321"),
        (AN, "hi_expiring", "0912345678"), (CUONG, "hi_expiring", "0912345678"), (BINH, "hi_expiring", "0987654321"),
    ]


def test_the_agent_gets_a_call_link_on_the_page(data, small_province, client):
    head = small_province.household.members.get(relationship="head").person
    Person.objects.filter(pk=head.pk).update(phone="0912345678")
    client.login(username="thu_1", password=PASSWORD)
    body = client.get("/viec-can-lam/", {"on": "2025-06-12"}).content.decode()
    assert '<h3 id="nhom-week">Hết hạn trong 7 ngày (3)</h3>' in body
    assert '<h3 id="nhom-lapsed">Đã hết hạn (2)</h3>' in body
    # An (VSI, HI), and Cường and Bình (HI: no phone of their own, the head's)
    assert body.count('href="tel:0912345678">Gọi 0912345678</a>') == 4


def test_a_leader_sees_phones_masked_without_a_call_link(data, small_province, client):
    Person.objects.filter(full_name=CUONG).update(phone="0912345678")
    client.login(username="chi_hoi", password=PASSWORD)
    body = client.get("/viec-can-lam/", {"on": "2024-12-31"}).content.decode()
    assert '<h3 id="nhom-not_enrolled">Chưa tham gia (1)</h3>' in body
    assert "tel:" not in body and "0912345678" not in body
