"""The administrator's association-unit pages: list and filters, create, edit, close, merge, change leader;
refusals shown on their field with nothing written."""

import datetime

import pytest
from django.urls import reverse

from ansinh.registry.models import AssociationUnit, Leadership, Membership, UnitKind
from ansinh.registry.tests.unit_fixtures import PASSWORD, foreign_commune, new_commune_of, province_admin_make

D = datetime.date


@pytest.fixture
def admin(small_province):
    return province_admin_make()


@pytest.fixture
def client_admin(client, admin):
    client.login(username=admin.username, password=PASSWORD)
    return client


@pytest.fixture
def new_commune(small_province):
    return new_commune_of(small_province.commune)


def counts():
    return (AssociationUnit.objects.count(), Membership.objects.count(), Leadership.objects.count(),
            list(AssociationUnit.objects.values_list("pk", "name", "closed_on", "merged_into_id").order_by("pk")),
            list(Membership.objects.values_list("unit_id", "person_id", "role").order_by("pk")))


def person(sp, relationship):
    return sp.household.members.get(relationship=relationship).person


def test_the_list_filters_by_kind_commune_and_search_and_shows_todays_leader(client_admin, small_province,
                                                                             new_commune):
    AssociationUnit.objects.create(kind=UnitKind.SAVINGS_GROUP, code="TK-0001", name="Tổ TK&VV Mỹ Phú",
                                   commune=new_commune, branch=small_province.branch)
    url = reverse("admin_unit_list")
    page = client_admin.get(url)
    assert page.status_code == 200
    assert [u.code for u in page.context["page"].object_list] == ["CH-0001", "TK-0001"]
    assert page.context["page"].object_list[0].leader_today.full_name == "Nguyễn Văn An"
    assert "Nguyễn Văn An" in page.content.decode()
    assert [u.code for u in client_admin.get(url, {"kind": "savings_group"}).context["page"].object_list] == ["TK-0001"]
    assert [u.code for u in client_admin.get(url, {"commune": small_province.commune.pk}).context["page"].object_list
            ] == ["CH-0001"]
    assert [u.code for u in client_admin.get(url, {"q": "mỹ phú"}).context["page"].object_list] == ["TK-0001"]
    assert [u.code for u in client_admin.get(url, {"status": "closed"}).context["page"].object_list] == []


def test_the_index_links_the_unit_pages(client_admin):
    assert reverse("admin_unit_list") in client_admin.get(reverse("admin_index")).content.decode()


def test_an_officer_without_the_permission_gets_403(client, small_province):
    client.login(username="bhxh_tinh", password=PASSWORD)
    assert client.get(reverse("admin_unit_list")).status_code == 403
    assert client.get(reverse("admin_unit_leader", args=[small_province.branch.pk])).status_code == 403


def test_create_a_branch_through_the_page(client_admin, new_commune):
    form = client_admin.get(reverse("admin_unit_create"))
    assert form.status_code == 200 and new_commune.name in form.content.decode()
    response = client_admin.post(reverse("admin_unit_create"), {
        "kind": "branch", "code": "CH-0200", "name": "Chi hội ấp Tân Phú", "commune": new_commune.pk})
    unit = AssociationUnit.objects.get(code="CH-0200")
    assert response.status_code == 302 and response["Location"] == reverse("admin_unit_detail", args=[unit.pk])
    assert (unit.kind, unit.name, unit.commune) == ("branch", "Chi hội ấp Tân Phú", new_commune)


def test_a_duplicate_code_is_shown_on_the_code_field_and_nothing_is_written(client_admin, new_commune):
    before = counts()
    response = client_admin.post(reverse("admin_unit_create"), {
        "kind": "branch", "code": "CH-0001", "name": "Chi hội trùng", "commune": new_commune.pk})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "code": ["Mã đơn vị «CH-0001» đã được dùng cho một chi hội hoặc tổ khác."]}
    assert counts() == before


def test_a_commune_of_another_province_is_shown_on_the_commune_field(client_admin):
    commune = foreign_commune()
    before = counts()
    response = client_admin.post(reverse("admin_unit_create"), {
        "kind": "branch", "code": "CH-HN", "name": "Chi hội Hà Nội", "commune": commune.pk})
    assert response.status_code == 400
    assert response.context["form"].errors == {"commune": ["Xã, phường này nằm ngoài tỉnh bạn phụ trách."]}
    assert counts() == before


def test_a_unit_of_another_province_is_not_shown(client_admin):
    unit = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-HN", name="Chi hội Hà Nội",
                                          commune=foreign_commune())
    assert client_admin.get(reverse("admin_unit_detail", args=[unit.pk])).status_code == 404
    assert "CH-HN" not in client_admin.get(reverse("admin_unit_list")).content.decode()


def test_edit_through_the_page(client_admin, small_province, new_commune):
    url = reverse("admin_unit_edit", args=[small_province.branch.pk])
    assert client_admin.get(url).status_code == 200
    response = client_admin.post(url, {"name": "Chi hội ấp Một", "commune": new_commune.pk})
    assert response.status_code == 302
    small_province.branch.refresh_from_db()
    assert (small_province.branch.name, small_province.branch.commune) == ("Chi hội ấp Một", new_commune)


def test_closing_a_unit_with_members_is_shown_on_the_date_field(client_admin, small_province):
    before = counts()
    response = client_admin.post(reverse("admin_unit_close", args=[small_province.branch.pk]),
                                 {"closed_on": "30/06/2026"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"closed_on": [
        "Đơn vị còn 2 hội viên, thành viên nên không đóng được: hãy sáp nhập vào một đơn vị khác (hội viên được "
        "chuyển sang đơn vị nhận)."]}
    assert counts() == before


def test_close_an_empty_unit_through_the_page(client_admin, new_commune):
    unit = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-9", name="Chi hội 9", commune=new_commune)
    response = client_admin.post(reverse("admin_unit_close", args=[unit.pk]), {"closed_on": "30/06/2026"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.closed_on == D(2026, 6, 30)
    assert "Đã đóng ngày 30/06/2026" in client_admin.get(reverse("admin_unit_detail", args=[unit.pk])).content.decode()


def test_merge_through_the_page_and_refusals_on_the_target_field(client_admin, small_province, new_commune):
    target = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-2", name="Chi hội 2", commune=new_commune)
    closed = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code="CH-3", name="Chi hội 3", commune=new_commune,
                                            closed_on=D(2026, 1, 31))
    url = reverse("admin_unit_merge", args=[small_province.branch.pk])
    page = client_admin.get(url)
    assert page.status_code == 200 and "CH-2 · Chi hội 2" in page.content.decode()
    assert "CH-3 · Chi hội 3" not in page.content.decode()
    before = counts()
    response = client_admin.post(url, {"target": small_province.branch.pk, "merged_on": "01/07/2026"})
    assert response.context["form"].errors == {"target": ["Không thể sáp nhập một đơn vị vào chính nó."]}
    response = client_admin.post(url, {"target": closed.pk, "merged_on": "01/07/2026"})
    assert response.context["form"].errors == {"target": [
        "Đơn vị nhận đã đóng ngày 31/01/2026: hãy chọn một đơn vị đang hoạt động."]}
    response = client_admin.post(url, {"target": target.pk, "merged_on": "01/07/2026"})
    assert response.context["form"].errors == {"merged_on": [
        "Còn 1 tài khoản đang dùng đơn vị này — hãy khóa hoặc đổi phạm vi các tài khoản đó trước."]}
    assert counts() == before
    small_province.users["chi_hoi"].__class__.objects.filter(username="chi_hoi").update(is_active=False)
    response = client_admin.post(url, {"target": target.pk, "merged_on": "01/07/2026"})
    assert response.status_code == 302
    assert Membership.objects.filter(unit=target).count() == 2
    small_province.branch.refresh_from_db()
    assert (small_province.branch.closed_on, small_province.branch.merged_into) == (D(2026, 7, 1), target)
    html = client_admin.get(reverse("admin_unit_detail", args=[small_province.branch.pk])).content.decode()
    assert "Đã đóng ngày 01/07/2026" in html and "sáp nhập vào" in html and "Đổi người đứng đầu" not in html


def test_change_the_leader_by_citizen_id_and_see_the_periods(client_admin, small_province):
    url = reverse("admin_unit_leader", args=[small_province.branch.pk])
    response = client_admin.post(url, {"citizen_id": "093200000003", "starts_on": "01/03/2026"})
    assert response.status_code == 302
    son = person(small_province, "child")
    assert Membership.objects.get(unit=small_province.branch, role="leader").person == son
    html = client_admin.get(reverse("admin_unit_detail", args=[small_province.branch.pk])).content.decode()
    assert "01/03/2026" in html and "28/02/2026" in html and "trước khi ghi theo ngày" in html


def test_change_the_leader_to_a_member_picked_from_the_list(client_admin, small_province):
    wife = person(small_province, "spouse")
    response = client_admin.post(reverse("admin_unit_leader", args=[small_province.branch.pk]),
                                 {"member": wife.pk, "starts_on": "15/01/2026"})
    assert response.status_code == 302
    assert Leadership.objects.get(unit=small_province.branch, ends_on__isnull=True).person == wife


def test_leader_refusals_are_shown_on_their_field_and_nothing_is_written(client_admin, small_province):
    url = reverse("admin_unit_leader", args=[small_province.branch.pk])
    wife = person(small_province, "spouse")
    client_admin.post(url, {"member": wife.pk, "starts_on": "01/03/2026"})
    before = counts()
    response = client_admin.post(url, {"citizen_id": "093200000003", "starts_on": "01/03/2026"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"starts_on": [
        "Ngày 01/03/2026 đơn vị đã có người đứng đầu khác (Trần Thị Bình): mỗi ngày một đơn vị chỉ có một người "
        "đứng đầu."]}
    response = client_admin.post(url, {"citizen_id": "093200000003", "starts_on": "01/01/2025"})
    assert response.context["form"].errors == {"starts_on": [
        "Ngày bắt đầu phải sau ngày người đứng đầu hiện tại bắt đầu (01/03/2026); những gì đã ghi không được sửa "
        "lại."]}
    response = client_admin.post(url, {"citizen_id": "099999999999", "starts_on": "01/04/2026"})
    assert response.context["form"].errors == {"citizen_id": [
        "Không tìm thấy người có số căn cước này trong tỉnh bạn phụ trách."]}
    response = client_admin.post(url, {"starts_on": "01/04/2026"})
    assert response.context["form"].errors == {"citizen_id": [
        "Vui lòng nhập số căn cước hoặc chọn một hội viên của đơn vị."]}
    assert counts() == before


def test_the_history_link_renders_nothing_while_the_history_page_is_missing(client_admin, small_province):
    from django.urls import NoReverseMatch

    html = client_admin.get(reverse("admin_unit_detail", args=[small_province.branch.pk])).content.decode()
    try:
        history = reverse("admin_history", args=["unit", small_province.branch.pk])
    except NoReverseMatch:
        assert "Lịch sử thay đổi" not in html
    else:
        assert history in html


def test_an_old_map_commune_is_refused_on_the_commune_field(client_admin, small_province):
    before = counts()
    response = client_admin.post(reverse("admin_unit_create"), {
        "kind": "branch", "code": "CH-OLD", "name": "Chi hội cũ", "commune": small_province.commune.pk})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "commune": ["Đơn vị mới phải ở một xã, phường theo bản đồ hành chính từ 01/07/2025."]}
    assert counts() == before
