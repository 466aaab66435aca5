"""The administrator's pages on collection organisations, agents, catchments, household assignments and
BHXH cơ sở offices: each service once through its page, errors on the field, nothing half-written."""

import datetime

import pytest
from django.utils import timezone

from ansinh.areas.models import SiOffice
from ansinh.collection.models import Agent, AgentCatchment, CollectionOrg, HouseholdAssignment
from ansinh.registry.models import Household
from ansinh.testing.admin import new_communes, province_admin_make
from ansinh.testing.province import PASSWORD

TODAY = timezone.localdate()


def d(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def admin(small_province, client):
    province_admin_make()
    client.login(username="quan_tri", password=PASSWORD)
    return client


@pytest.fixture
def communes(small_province):
    return new_communes()


@pytest.fixture
def org(admin):
    admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BDCT", "name": "Bưu điện thành phố Cần Thơ",
                                               "kind": "post_office", "valid_from": "01/07/2025"})
    return CollectionOrg.objects.get(code="BDCT")


@pytest.fixture
def agent(admin, org, communes):
    admin.post(f"/quan-tri/to-chuc-thu/{org.pk}/them-nhan-vien/", {"code": "CT001", "full_name": "Võ Thị Lan",
                                                                  "phone": "0912345678"})
    agent = Agent.objects.get(code="CT001")
    admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/dia-ban/", {"communes": [communes[0].pk],
                                                               f"hamlets_{communes[1].pk}": "Ấp 1; Ấp 2"})
    return agent


def test_index_links_to_organisations_and_offices(admin):
    page = admin.get("/quan-tri/").content.decode()
    assert 'href="/quan-tri/to-chuc-thu/"' in page
    assert 'href="/quan-tri/bhxh-co-so/"' in page


def test_org_list_and_create_through_the_page(admin, small_province):
    response = admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BDCT", "name": "Bưu điện thành phố Cần Thơ",
                                                          "kind": "post_office", "valid_from": "01/07/2025"})
    org = CollectionOrg.objects.get(code="BDCT")
    assert response.status_code == 302 and response["Location"] == f"/quan-tri/to-chuc-thu/{org.pk}/"
    assert (org.province.code, org.province.map, org.valid_from) == ("92", "new", datetime.date(2025, 7, 1))
    page = admin.get("/quan-tri/to-chuc-thu/").content.decode()
    assert "BDCT — Bưu điện thành phố Cần Thơ" in page
    assert "BD93 — Bưu điện tỉnh Hậu Giang" in page
    assert "(trước 01/07/2025)" in page


def test_duplicate_org_code_is_shown_on_the_code_field(admin, org):
    response = admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BDCT", "name": "Khác", "kind": "other"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"code": ["Mã «BDCT» đã được dùng; vui lòng chọn mã khác."]}
    assert CollectionOrg.objects.count() == 2


def test_org_edit_sets_the_successor_of_the_old_post_office(admin, org, small_province):
    old = small_province.org
    response = admin.post(f"/quan-tri/to-chuc-thu/{old.pk}/sua/", {"name": old.name, "kind": "post_office",
                                                                   "successor": org.pk})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.successor == org
    assert "Kế thừa bởi" in admin.get(f"/quan-tri/to-chuc-thu/{old.pk}/").content.decode()


def test_closing_an_org_with_agents_is_refused_on_the_page(admin, small_province):
    old = small_province.org
    response = admin.post(f"/quan-tri/to-chuc-thu/{old.pk}/dong/", {"closed_on": "30/06/2025"})
    assert response.status_code == 400
    assert response.context["form"].errors["closed_on"] == [
        "Tổ chức này còn 2 nhân viên thu đang làm việc; hãy cho các nhân viên nghỉ (hoặc chuyển sang tổ chức "
        "khác) trước khi đóng tổ chức."]
    old.refresh_from_db()
    assert old.closed_on is None


def test_agent_create_catchment_and_detail(admin, agent, communes):
    assert agent.org.code == "BDCT"
    assert sorted(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet")) == sorted([
        (communes[0].pk, ""), (communes[1].pk, "Ấp 1"), (communes[1].pk, "Ấp 2")])
    page = admin.get(f"/quan-tri/nhan-vien-thu/{agent.pk}/").content.decode()
    assert f"<strong>{communes[1].name}</strong>: Ấp 1; Ấp 2" in page
    assert f"<strong>{communes[0].name}</strong>: cả xã/phường" in page


def test_catchment_commune_outside_the_province_is_an_error_on_the_field(admin, agent, small_province):
    before = list(AgentCatchment.objects.values_list("pk", flat=True))
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/dia-ban/",
                          {"communes": [small_province.commune.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["communes"] == [
        "Xã/phường được chọn không thuộc tỉnh bạn quản trị (bản đồ từ 01/07/2025)."]
    assert list(AgentCatchment.objects.values_list("pk", flat=True)) == before


def test_assign_a_hamlet_then_closing_the_agent_is_refused(admin, agent, communes):
    for i in range(3):
        Household.objects.create(code=f"CT-{i}", commune=communes[1], hamlet="Ấp 2")
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/giao-ho/", {
        "mode": "area", "area-commune": communes[1].pk, "area-hamlet": "Ấp 2", "area-starts_on": d(TODAY)})
    assert response.status_code == 302
    assert Household.objects.filter(agent=agent).count() == 3
    assert HouseholdAssignment.objects.filter(agent=agent, starts_on=TODAY).count() == 3
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/nghi/", {"closed_on": d(TODAY)})
    assert response.status_code == 400
    assert response.context["form"].errors["closed_on"] == [
        "Còn 3 hộ đang giao cho nhân viên thu này; hãy giao các hộ đó cho nhân viên khác trước khi cho nghỉ."]
    agent.refresh_from_db()
    assert agent.closed_on is None


def test_assign_in_the_future_is_an_error_on_the_date(admin, agent, communes):
    Household.objects.create(code="CT-9", commune=communes[0])
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/giao-ho/", {
        "mode": "codes", "codes-codes": "CT-9", "codes-starts_on": d(TODAY + datetime.timedelta(days=1))})
    assert response.status_code == 400
    assert response.context["codes_form"].errors == {"starts_on": ["Ngày hiệu lực không được sau hôm nay."]}
    assert HouseholdAssignment.objects.count() == 0
    assert Household.objects.get(code="CT-9").agent is None


def test_assign_a_household_outside_the_catchment_is_an_error_on_the_codes(admin, agent, small_province):
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/giao-ho/", {
        "mode": "codes", "codes-codes": small_province.household.code, "codes-starts_on": d(TODAY)})
    assert response.status_code == 400
    assert response.context["codes_form"].errors["codes"] == [
        "1 hộ nằm ngoài địa bàn của nhân viên thu này (hộ đầu tiên: HG-0001); hãy thêm xã/ấp của họ vào địa bàn "
        "trước."]
    assert HouseholdAssignment.objects.count() == 0


def test_office_pages_create_list_and_overlap(admin, communes):
    response = admin.post("/quan-tri/bhxh-co-so/them/", {"code": "CS01", "name": "BHXH cơ sở Vị Thanh",
                                                         "communes": [communes[0].pk, communes[1].pk]})
    assert response.status_code == 302
    page = admin.get("/quan-tri/bhxh-co-so/").content.decode()
    assert "CS01 — BHXH cơ sở Vị Thanh" in page
    assert f"{communes[1].name} (thuộc CS01)" in admin.get("/quan-tri/bhxh-co-so/them/").content.decode()
    response = admin.post("/quan-tri/bhxh-co-so/them/", {"code": "CS02", "name": "BHXH cơ sở khác",
                                                         "communes": [communes[1].pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["communes"] == [
        f"Xã/phường «{communes[1].name}» đã thuộc văn phòng BHXH cơ sở «BHXH cơ sở Vị Thanh» (CS01) đang hoạt động."]
    assert SiOffice.objects.count() == 1
    office = SiOffice.objects.get()
    response = admin.post(f"/quan-tri/bhxh-co-so/{office.pk}/dong/", {"closed_on": d(TODAY)})
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.closed_on == TODAY


def test_other_roles_and_other_provinces_get_403(client, small_province, org):
    client.login(username="bhxh_tinh", password=PASSWORD)
    assert client.get("/quan-tri/to-chuc-thu/").status_code == 403
    assert client.get("/quan-tri/bhxh-co-so/").status_code == 403


def test_another_provinces_org_and_office_answer_like_missing_ones_for_the_administrator(admin):
    from ansinh.areas.models import AdministrativeUnit

    province = AdministrativeUnit.objects.create(map="new", level="province", code="96", name="Cà Mau")
    foreign = CollectionOrg.objects.create(code="BDCM", name="Bưu điện Cà Mau", province=province)
    office = SiOffice.objects.create(code="CM01", name="BHXH Cà Mau", province=province)
    response = admin.get(f"/quan-tri/to-chuc-thu/{foreign.pk}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc hồ sơ" in response.content.decode()
    assert admin.post(f"/quan-tri/bhxh-co-so/{office.pk}/dong/", {"closed_on": d(TODAY)}).status_code == 404
    office.refresh_from_db()
    assert office.closed_on is None
    assert "BDCM" not in admin.get("/quan-tri/to-chuc-thu/").content.decode()


def test_pages_render_for_the_administrator(admin, agent, org):
    for url in ["/quan-tri/to-chuc-thu/", f"/quan-tri/to-chuc-thu/{org.pk}/", f"/quan-tri/to-chuc-thu/{org.pk}/sua/",
                f"/quan-tri/to-chuc-thu/{org.pk}/dong/", f"/quan-tri/to-chuc-thu/{org.pk}/them-nhan-vien/",
                f"/quan-tri/nhan-vien-thu/{agent.pk}/", f"/quan-tri/nhan-vien-thu/{agent.pk}/sua/",
                f"/quan-tri/nhan-vien-thu/{agent.pk}/nghi/", f"/quan-tri/nhan-vien-thu/{agent.pk}/dia-ban/",
                f"/quan-tri/nhan-vien-thu/{agent.pk}/giao-ho/", "/quan-tri/bhxh-co-so/", "/quan-tri/bhxh-co-so/them/"]:
        assert admin.get(url).status_code == 200, url


def _history_view(request, kind, pk):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns_with_history = [
    __import__("django.urls", fromlist=["path"]).path("lich-su/<str:kind>/<int:pk>/", _history_view,
                                                      name="admin_history"),
]
urlpatterns = []  # without the history page


def test_history_link_only_when_the_history_page_is_mounted(settings):
    from django.urls import clear_url_caches

    from ansinh.administration.templatetags.admin_links import admin_history_url

    class WithHistory:
        urlpatterns = urlpatterns_with_history

    settings.ROOT_URLCONF = WithHistory
    clear_url_caches()
    assert admin_history_url("agent", 7) == "/lich-su/agent/7/"
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    assert admin_history_url("agent", 7) == ""


def test_posting_the_same_codes_twice_writes_one_row_and_says_already_assigned(admin, agent, communes):
    Household.objects.create(code="HO005", commune=communes[0], hamlet="Ấp 9")
    url = f"/quan-tri/nhan-vien-thu/{agent.pk}/giao-ho/"
    data = {"mode": "codes", "codes-codes": "ho005", "codes-starts_on": d(TODAY)}
    first = admin.post(url, data, follow=True)
    again = admin.post(url, data, follow=True)
    assert [str(m) for m in first.context["messages"]][-1:] == [
        f"Đã giao 1 hộ cho nhân viên thu CT001 từ ngày {d(TODAY)}."]
    assert [str(m) for m in again.context["messages"]][-1:] == [
        f"Đã giao 0 hộ cho nhân viên thu CT001 từ ngày {d(TODAY)}; 1 hộ đã giao từ trước."]
    assert HouseholdAssignment.objects.filter(household__code="HO005").count() == 1


def test_shrinking_the_catchment_under_assigned_households_is_an_error_on_the_communes(admin, agent, communes):
    Household.objects.create(code="HO005", commune=communes[0], hamlet="Ấp 9")
    admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/giao-ho/",
               {"mode": "codes", "codes-codes": "HO005", "codes-starts_on": d(TODAY)})
    before = sorted(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet"))
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/dia-ban/", {"communes": [communes[1].pk]})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "communes": ["Còn 1 hộ ngoài địa bàn mới (đầu tiên: HO005) — hãy giao lại trước."]}
    assert sorted(AgentCatchment.objects.filter(agent=agent).values_list("commune", "hamlet")) == before


def test_org_cash_hold_days_is_set_on_the_edit_form_and_checked(admin, small_province):
    old = small_province.org
    assert old.cash_hold_days == 2
    response = admin.post(f"/quan-tri/to-chuc-thu/{old.pk}/sua/", {"name": old.name, "kind": "post_office",
                                                                   "cash_hold_days": "31"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"cash_hold_days": ["Số ngày làm việc được giữ tiền: từ 0 đến 30."]}
    assert 'value="2"' in admin.get(f"/quan-tri/to-chuc-thu/{old.pk}/sua/").content.decode()
    response = admin.post(f"/quan-tri/to-chuc-thu/{old.pk}/sua/", {"name": old.name, "kind": "post_office",
                                                                   "cash_hold_days": "3"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.cash_hold_days == 3
    assert "3 ngày làm việc" in admin.get(f"/quan-tri/to-chuc-thu/{old.pk}/").content.decode()
