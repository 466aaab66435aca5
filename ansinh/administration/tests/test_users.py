"""User pages: each role created through the page sees exactly its scope."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ansinh.accounts import errors
from ansinh.accounts.models import Role, UserRole
from ansinh.areas.models import SiOffice
from ansinh.areas.selectors import new_unit_of
from ansinh.testing.province import PASSWORD

NEW_PASSWORD = "mat-khau-moi-2026"


def _post_create(client, **fields):
    data = {"username": "nguoi_moi", "full_name": "Trần Thị Hoa", "phone": "", "role": Role.SI_OFFICER,
            "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    data.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in fields.items()})
    return client.post(reverse("admin_user_create"), data)


def _households_seen(client, username) -> list[str]:
    client.logout()
    assert client.login(username=username, password=NEW_PASSWORD)
    response = client.get("/ho/")
    assert response.status_code == 200
    return sorted(code for code in ("HG-0001", "HG-0002") if code in response.content.decode())


@pytest.mark.parametrize("role, scope, seen", [
    (Role.SI_OFFICER, "commune", ["HG-0001"]),
    (Role.ASSOCIATION_OFFICER, "province", ["HG-0001", "HG-0002"]),
    (Role.SI_OFFICER, "office", ["HG-0002"]),
    (Role.SI_OFFICER, "old_district", ["HG-0001"]),
    (Role.GROUP_LEADER, "branch", ["HG-0001"]),
    (Role.COLLECTION_AGENT, "agent", ["HG-0002"]),
    (Role.PROVINCE_ADMIN, "province", ["HG-0001", "HG-0002"]),
])
def test_user_of_each_role_sees_exactly_their_scope(small_province, admin, admin_client, role, scope, seen):
    sp = small_province
    province = admin.ansinh_role.area
    office = SiOffice.objects.create(code="CS01", name="BHXH cơ sở số 1", province=province)
    office.communes.add(new_unit_of(old_commune=sp.other_commune))
    UserRole.objects.filter(agent=sp.other_agent).delete()  # free the second agent for a new account
    fields = {"commune": {"area": new_unit_of(old_commune=sp.commune)}, "province": {"area": province},
              "office": {"si_office": office}, "old_district": {"area": sp.district},
              "branch": {"association_unit": sp.branch}, "agent": {"agent": sp.other_agent}}[scope]
    response = _post_create(admin_client, role=role, **fields)
    assert response.status_code == 302 and response["Location"] == reverse("admin_user_list")
    assert UserRole.objects.get(user__username="nguoi_moi").role == role
    assert _households_seen(admin_client, "nguoi_moi") == seen


def test_list_filters_by_role(small_province, admin_client):
    response = admin_client.get(reverse("admin_user_list"), {"vai_tro": Role.COLLECTION_AGENT})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-username="thu_1"' in body and 'data-username="thu_2"' in body
    assert 'data-username="bhxh_tinh"' not in body


def test_role_without_scope_refused_on_the_field(small_province, admin_client):
    response = _post_create(admin_client, role=Role.GROUP_LEADER)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "association_unit": ["Vai trò «Chi hội trưởng / Tổ trưởng TK&VV» cần chọn chi hội hoặc tổ TK&VV."]}
    assert not User.objects.filter(username="nguoi_moi").exists()


def test_duplicate_username_and_taken_agent(small_province, admin_client):
    response = _post_create(admin_client, username="thu_1", role=Role.COLLECTION_AGENT, agent=small_province.agent)
    assert response.context["form"].errors == {"username": [errors.USERNAME_TAKEN]}
    response = _post_create(admin_client, role=Role.COLLECTION_AGENT, agent=small_province.agent)
    assert response.context["form"].errors == {"agent": ["Nhân viên thu này đã gắn với tài khoản «thu_1»."]}


def test_edit_deactivate_reactivate_reset(small_province, admin, admin_client):
    target = small_province.users["bhxh_huyen"]
    commune = new_unit_of(old_commune=small_province.commune)
    response = admin_client.post(reverse("admin_user_edit", args=[target.pk]), {
        "full_name": "Võ Văn Huyện", "phone": "0901234567", "role": Role.SI_OFFICER, "area": commune.pk})
    assert response.status_code == 302
    role = UserRole.objects.get(user=target)
    assert (role.area, role.phone, User.objects.get(pk=target.pk).first_name) == (commune, "0901234567",
                                                                                  "Võ Văn Huyện")
    admin_client.post(reverse("admin_user_deactivate", args=[target.pk]))
    assert User.objects.get(pk=target.pk).is_active is False
    admin_client.post(reverse("admin_user_reactivate", args=[target.pk]))
    assert User.objects.get(pk=target.pk).is_active is True
    response = admin_client.post(reverse("admin_user_password", args=[target.pk]),
                                 {"password": "ngan", "password_again": "ngan"})
    assert response.context["form"].errors == {"password": ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]}
    response = admin_client.post(reverse("admin_user_password", args=[target.pk]),
                                 {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and User.objects.get(pk=target.pk).check_password(NEW_PASSWORD)


def test_admin_cannot_deactivate_themselves_through_the_page(admin, admin_client):
    response = admin_client.post(reverse("admin_user_deactivate", args=[admin.pk]), follow=True)
    assert errors.SELF_DEACTIVATE in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


def test_officer_is_refused(small_province, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    assert client.get(reverse("admin_user_list")).status_code == 403


def test_user_pages_of_another_province_answer_404_for_the_administrator(small_province, admin, admin_client, client):
    from ansinh.accounts.services import user_role_assign
    from ansinh.areas.models import AdministrativeUnit

    other = AdministrativeUnit.objects.create(map="new", level="province", code="96", name="Cà Mau")
    foreign = User.objects.create_user(username="quantri_cm", first_name="Lê Văn Cà", password=PASSWORD)
    user_role_assign(user=foreign, role=Role.PROVINCE_ADMIN, area=other)
    UserRole.objects.filter(user=foreign).update(phone="0912345678")
    target = small_province.users["bhxh_huyen"]
    for url in (reverse("admin_user_edit", args=[foreign.pk]), reverse("admin_user_password", args=[foreign.pk])):
        response = admin_client.get(url)
        body = response.content.decode()
        assert response.status_code == 404
        assert "Không tìm thấy trang hoặc hồ sơ" in body
        assert "quantri_cm" not in body and "0912345678" not in body and "Lê Văn Cà" not in body
    client.force_login(foreign)
    for url in (reverse("admin_user_edit", args=[target.pk]), reverse("admin_user_password", args=[target.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert "bhxh_huyen" not in response.content.decode()
    assert client.get(reverse("admin_user_edit", args=[999999])).status_code == 404
    client.force_login(admin)
    assert client.get(reverse("admin_user_edit", args=[target.pk])).status_code == 200
