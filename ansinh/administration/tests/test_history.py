"""The history page: who changed what and when, with Vietnamese labels and masked phones."""

from django.contrib.auth.models import User
from django.urls import reverse

from ansinh.accounts.models import Role
from ansinh.administration.selectors import record_history
from ansinh.areas.selectors import new_unit_of
from ansinh.campaigns.models import Campaign
from ansinh.collection.models import Agent
from ansinh.testing.province import PASSWORD

NEW_PASSWORD = "mat-khau-moi-2026"


def test_user_history_through_the_pages(small_province, admin, admin_client):
    commune = new_unit_of(old_commune=small_province.commune)
    admin_client.post(reverse("admin_user_create"), {
        "username": "can_bo", "full_name": "Trần Thị Hoa", "phone": "0912345678", "role": Role.SI_OFFICER,
        "area": commune.pk, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    user = User.objects.get(username="can_bo")
    admin_client.post(reverse("admin_user_deactivate", args=[user.pk]))
    response = admin_client.get(reverse("admin_history", args=["user", user.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["who"], r["what"], r["part"]) for r in rows][0] == ("quantri", "Sửa", None)
    assert rows[0]["changes"] == [{"label": "Kích hoạt", "old": "Có", "new": "Không"}]
    phone_rows = [c for r in rows for c in r["changes"] if c["label"] == "Số điện thoại"]
    assert phone_rows and all(c["new"] in ("—", "091*****78") for c in phone_rows)
    assert "0912345678" not in response.content.decode()
    assert any(c == {"label": "Vai trò", "old": "—", "new": "Cán bộ BHXH"} for r in rows for c in r["changes"])
    assert all(len(r["when"]) == 16 for r in rows)


def test_agent_history_by_system_and_masked_phone(small_province, admin):
    agent = Agent.objects.get(pk=small_province.agent.pk)
    agent.phone = "0987654321"
    agent.save()
    history = record_history(user=admin, kind="agent", pk=agent.pk)
    latest = history["rows"][0]
    assert (latest["who"], latest["what"]) == ("hệ thống", "Sửa")
    assert latest["changes"] == [{"label": "Số điện thoại", "old": "—", "new": "098*****21"}]


def test_campaign_history_names_the_field(small_province, admin_client):
    admin_client.post(reverse("admin_campaign_create"), {
        "code": "CD-2026", "name": "Chiến dịch 2026", "launch_day": "15/05/2026", "starts_on": "01/05/2026",
        "ends_on": "31/12/2026"})
    campaign = Campaign.objects.get(code="CD-2026")
    admin_client.post(reverse("admin_campaign_edit", args=[campaign.pk]), {
        "name": "Chiến dịch 2026", "launch_day": "20/05/2026", "starts_on": "01/05/2026", "ends_on": "31/12/2026"})
    rows = admin_client.get(reverse("admin_history", args=["campaign", campaign.pk])).context["rows"]
    assert rows[0]["changes"] == [{"label": "Ngày ra quân", "old": "15/05/2026", "new": "20/05/2026"}]
    assert rows[0]["who"] == "quantri" and rows[-1]["what"] == "Tạo"


def test_only_the_administrator(small_province, client, admin):
    client.login(username="bhxh_tinh", password=PASSWORD)
    assert client.get(reverse("admin_history", args=["agent", small_province.agent.pk])).status_code == 403
    client.force_login(admin)
    assert client.get(reverse("admin_history", args=["nothing", 1])).status_code == 404
    assert client.get(reverse("admin_history", args=["agent", 999999])).status_code == 404


def test_office_history_lists_communes_by_name(small_province, admin):
    from ansinh.areas.models import SiOffice

    office = SiOffice.objects.create(code="CS01", name="BHXH cơ sở số 1", province=admin.ansinh_role.area)
    commune = new_unit_of(old_commune=small_province.commune)
    office.communes.add(commune)
    office.name = "BHXH cơ sở Vị Thanh"
    office.save()
    rows = record_history(user=admin, kind="office", pk=office.pk)["rows"]
    assert [r["what"] for r in rows] == ["Sửa", "Sửa", "Tạo"]
    assert [c for c in rows[0]["changes"] if c["label"] == "Tên"] == [
        {"label": "Tên", "old": "BHXH cơ sở số 1", "new": "BHXH cơ sở Vị Thanh"}]
    assert rows[1]["changes"] == [{"label": "Các xã, phường phụ trách", "old": "—", "new": commune.name}]
