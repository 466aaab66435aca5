"""The province administrator's page for the cancellation policy: shows the defaults, saves through the
service, refuses bad days on the field, and the policy it saves is the one cancellations use."""

import pytest

from ansinh.collection.models import CollectionPolicy
from ansinh.collection.selectors_cancellation import DEFAULT_POLICY, collection_policy_for
from ansinh.registry.models import Household
from ansinh.testing.admin import province_admin_make
from ansinh.testing.province import PASSWORD

URL = "/quan-tri/quy-dinh-huy-thu/"


@pytest.fixture
def admin(small_province, client):
    province_admin_make()
    client.login(username="quan_tri", password=PASSWORD)
    return client


def test_the_page_shows_the_defaults_and_saves_the_province_policy(admin):
    page = admin.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "Quy định hủy thu — Thành phố Cần Thơ" in html
    assert 'name="officer_cancel_needs_second_officer" checked' in html.replace(' id="id_officer_cancel_needs_second_officer"', "")
    assert f'value="{DEFAULT_POLICY.change_of_mind_days}"' in html
    assert "/quan-tri/quy-dinh-huy-thu/" in admin.get("/quan-tri/").content.decode()

    saved = admin.post(URL, {"change_of_mind_days": "3"}, follow=True)
    assert "Đã lưu quy định hủy thu của Thành phố Cần Thơ." in saved.content.decode()
    policy = CollectionPolicy.objects.get()
    assert (policy.province.code, policy.officer_cancel_needs_second_officer, policy.change_of_mind_days) == (
        "92", False, 3)
    # A household recorded on the old map (Hậu Giang, 93) follows the new province's policy.
    commune_id = Household.objects.order_by("pk").values_list("commune_id", flat=True).first()
    used = collection_policy_for(commune_id=commune_id)
    assert (used.officer_cancel_needs_second_officer, used.change_of_mind_days) == (False, 3)


@pytest.mark.parametrize("days, message", [
    ("91", "Số ngày được đổi ý phải từ 0 đến 90."),
    ("-1", "Số ngày được đổi ý phải từ 0 đến 90."),
    ("ba", "Số ngày phải là số nguyên."),
    ("", "Vui lòng nhập số ngày."),
])
def test_bad_days_are_refused_on_their_field_and_nothing_is_saved(admin, days, message):
    page = admin.post(URL, {"officer_cancel_needs_second_officer": "on", "change_of_mind_days": days})
    assert page.status_code == 400
    assert page.context["form"].errors == {"change_of_mind_days": [message]}
    assert CollectionPolicy.objects.count() == 0


def test_other_roles_cannot_open_the_page(small_province, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"change_of_mind_days": "30"}).status_code == 403
    assert CollectionPolicy.objects.count() == 0
