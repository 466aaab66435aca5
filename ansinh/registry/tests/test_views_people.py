"""The registry edit pages: each service once through its page, errors on the field they name, and the
"Lịch sử" tab with scope rules on personal data."""

import datetime

import pytest

from ansinh.enrollment.services import hi_enroll
from ansinh.registry.models import Household, HouseholdMember, Person, Relationship
from ansinh.testing.province import PASSWORD


@pytest.fixture
def p(small_province):
    return small_province


def login(client, username):
    client.login(username=username, password=PASSWORD)
    return client


def person(name) -> Person:
    return Person.objects.get(full_name=name)


def field_errors(response, name) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def test_the_household_page_shows_the_actions_and_links_members_to_their_page(p, client):
    body = login(client, "bhxh_tinh").get(f"/ho/{p.household.pk}/").content.decode()
    for text in ("Thêm người", "Đổi chủ hộ", "Đổi diện hộ", "Lịch sử", f'href="/nguoi/{person("Trần Thị Bình").pk}/"'):
        assert text in body
    agent_body = login(client, "thu_1").get(f"/ho/{p.household.pk}/").content.decode()
    assert "Thêm người" in agent_body and "Đổi diện hộ" not in agent_body


def test_an_agent_adds_a_person_through_the_page_and_is_told_what_it_does_to_money(p, client):
    hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=datetime.date(2024, 7, 1))
    response = login(client, "thu_1").post(f"/ho/{p.household.pk}/them-nguoi/", {
        "full_name": "Nguyễn Thị Em", "date_of_birth": "01/11/2026", "sex": "female", "relationship": "grandchild",
        "hamlet": "", "citizen_id": "", "si_number": "", "phone": "", "other_coverage": ""}, follow=True)
    assert response.redirect_chain[-1][0] == f"/ho/{p.household.pk}/"
    body = response.content.decode()
    assert "Đã lưu. Đã hủy 1 báo giá chờ thu không còn đúng" in body
    assert HouseholdMember.objects.get(person__full_name="Nguyễn Thị Em").household == p.household


def test_a_citizen_id_of_another_person_is_shown_on_its_field(p, client):
    response = login(client, "bhxh_tinh").post(f"/ho/{p.household.pk}/them-nguoi/", {
        "full_name": "Lê Văn Giả", "date_of_birth": "01/01/1990", "sex": "male", "relationship": "other",
        "citizen_id": "093065000004"})
    assert response.status_code == 422
    assert field_errors(response, "citizen_id") == [
        "Số CCCD: đã thuộc về một người khác trong sổ: P*** V** D*** (hộ HG-0002)."]
    assert not Person.objects.filter(full_name="Lê Văn Giả").exists()


def test_an_officer_creates_a_household_with_its_head(p, client):
    response = login(client, "bhxh_huyen").post("/ho/moi/", {
        "code": "HG-0200", "commune": p.commune.pk, "hamlet": "Ấp 3", "address": "", "full_name": "Võ Văn Tám",
        "date_of_birth": "05/05/1980", "sex": "male"})
    household = Household.objects.get(code="HG-0200")
    assert response.status_code == 302 and response.url == f"/ho/{household.pk}/"
    assert household.members.get().relationship == Relationship.HEAD


def test_a_household_in_a_commune_outside_the_scope_cannot_be_chosen(p, client):
    response = login(client, "bhxh_huyen").post("/ho/moi/", {
        "code": "HG-0201", "commune": p.other_commune.pk, "full_name": "Võ Văn Tám", "date_of_birth": "05/05/1980",
        "sex": "male"})
    assert field_errors(response, "commune") == ["Xã/phường: nằm ngoài địa bàn bạn phụ trách."]


def test_the_head_dies_without_a_new_head_through_the_page(p, client):
    head = person("Nguyễn Văn An")
    response = login(client, "bhxh_tinh").post(f"/nguoi/{head.pk}/da-mat/", {"on": "01/03/2026", "new_head": ""})
    assert response.status_code == 422
    assert field_errors(response, "new_head") == [
        "Chủ hộ mới: người này đang là chủ hộ; phải chọn chủ hộ mới trong cùng thao tác."]
    wife = person("Trần Thị Bình")
    response = client.post(f"/nguoi/{head.pk}/da-mat/", {"on": "01/03/2026", "new_head": wife.pk})
    assert response.status_code == 302
    assert p.household.members.get(relationship="head").person == wife


def test_a_death_before_birth_is_shown_on_the_date(p, client):
    son = person("Nguyễn Văn Cường")
    response = login(client, "bhxh_tinh").post(f"/nguoi/{son.pk}/da-mat/", {"on": "31/12/1999"})
    assert field_errors(response, "on") == ["Ngày mất: không được trước ngày sinh."]


def test_a_move_into_the_same_household_through_the_page(p, client):
    son = person("Nguyễn Văn Cường")
    response = login(client, "bhxh_tinh").post(f"/nguoi/{son.pk}/chuyen-ho/", {
        "to_household": "hg-0001", "on": "01/01/2026", "relationship": "child"})
    assert field_errors(response, "to_household") == ["Hộ chuyển đến: người này đã ở trong hộ này."]
    response = client.post(f"/nguoi/{son.pk}/chuyen-ho/", {
        "to_household": "HG-0002", "on": "01/01/2026", "relationship": "child"})
    assert response.status_code == 302
    assert HouseholdMember.objects.get(person=son).household == p.other_household


def test_a_move_out_through_the_page(p, client):
    son = person("Nguyễn Văn Cường")
    response = login(client, "thu_1").post(f"/nguoi/{son.pk}/chuyen-di/", {"on": "01/02/2026"})
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.moved_out_on == datetime.date(2026, 2, 1)


def test_a_poverty_status_without_its_decision_through_the_page(p, client):
    url = f"/ho/{p.household.pk}/dien-ho/"
    response = login(client, "bhxh_tinh").post(url, {"status": "near_poor", "from_date": "01/01/2026",
                                                     "decision_number": "", "decision_date": "20/12/2025"})
    assert field_errors(response, "decision_number") == [
        "Số quyết định: đổi diện hộ nghèo/cận nghèo phải ghi số và ngày của quyết định."]
    response = client.post(url, {"status": "near_poor", "from_date": "01/01/2026", "decision_number": "12/QĐ-UBND",
                                 "decision_date": "20/12/2025"})
    assert response.status_code == 302
    assert Household.objects.get(pk=p.household.pk).poverty_status == "near_poor"
    assert login(client, "thu_1").get(url).status_code == 403


def test_the_head_changes_through_the_page(p, client):
    wife = person("Trần Thị Bình")
    response = login(client, "bhxh_tinh").post(f"/ho/{p.household.pk}/chu-ho/", {
        "new_head": wife.pk, "old_head_relationship": "spouse"})
    assert response.status_code == 302
    assert p.household.members.get(relationship="head").person == wife


def test_an_identity_edit_without_a_reason_is_refused_then_shown_in_the_history(p, client):
    wife = person("Trần Thị Bình")
    data = {"full_name": "Trần Thị Bính", "date_of_birth": "01/08/1972", "sex": "female",
            "citizen_id": "093172000002", "reason": ""}
    response = login(client, "bhxh_tinh").post(f"/nguoi/{wife.pk}/sua/", data)
    assert field_errors(response, "reason") == [
        "Lý do sửa: sửa họ tên, ngày sinh, giới tính, số CCCD hoặc mã số BHXH phải ghi lý do."]
    response = client.post(f"/nguoi/{wife.pk}/sua/", {**data, "reason": "Theo CCCD"})
    assert response.status_code == 302
    body = client.get(f"/nguoi/{wife.pk}/?tab=lich-su").content.decode()
    assert "Họ tên: Trần Thị Bình → Trần Thị Bính" in body
    assert "Theo CCCD" in body and "bhxh_tinh" in body


def test_the_history_masks_personal_data_for_agents_and_is_closed_to_leaders(p, client):
    wife = person("Trần Thị Bình")
    login(client, "bhxh_tinh").post(f"/nguoi/{wife.pk}/sua/", {
        "full_name": "Trần Thị Bình", "date_of_birth": "01/08/1972", "sex": "female", "citizen_id": "093172000022",
        "reason": "Sai số"})
    officer_body = client.get(f"/nguoi/{wife.pk}/?tab=lich-su").content.decode()
    assert "Số CCCD: 093172000002 → 093172000022" in officer_body
    agent_body = login(client, "thu_1").get(f"/nguoi/{wife.pk}/?tab=lich-su").content.decode()
    assert "Số CCCD: ********0002 → ********0022" in agent_body and "093172000022" not in agent_body
    assert login(client, "chi_hoi").get(f"/ho/{p.household.pk}/lich-su/").status_code == 403


def test_the_household_history_shows_a_member_who_moved_away(p, client):
    son = person("Nguyễn Văn Cường")
    login(client, "bhxh_tinh").post(f"/nguoi/{son.pk}/chuyen-ho/", {
        "to_household": "HG-0002", "on": "01/01/2026", "relationship": "child"})
    body = client.get(f"/ho/{p.household.pk}/lich-su/").content.decode()
    assert "Thành viên: Nguyễn Văn Cường" in body
    assert "Hộ: HG-0001 → HG-0002" in body
    assert "Chuyển từ hộ HG-0001 sang hộ HG-0002 từ 01/01/2026" in body


# --- người vận động (referred_by) at enrolment --------------------------------------------------------

def test_the_payment_form_offers_leaders_and_members_defaulting_to_the_branch_leader(p, client):
    head = person("Nguyễn Văn An")  # leader of branch CH-0001; his wife is a member
    form = login(client, "thu_1").get(f"/ho/{p.household.pk}/").context["hi_form"]
    assert form.initial["referred_by"] == head.pk
    assert [label for _, label in form.fields["referred_by"].choices] == [
        "— Không có —", "Nguyễn Văn An", "Trần Thị Bình"]


def test_an_hi_payment_records_who_persuaded_the_household(p, client, settings):
    from ansinh.collection.tests.test_views import HI_2024, HI_DUE
    from ansinh.enrollment.models import HiParticipation

    settings.ANSINH_MAX_BACKDATE_DAYS = None
    wife = person("Trần Thị Bình")
    response = login(client, "thu_1").post(f"/ho/{p.household.pk}/thu-bhyt/", {"xac_nhan": "1",
        "months": "12", "amount": str(HI_DUE), "method": "cash", "paid_on": HI_2024["request"]["on"],
        "idempotency_key": "k-ref", "referred_by": wife.pk})
    assert response.status_code == 302
    assert HiParticipation.objects.get().referred_by == wife


def test_a_referrer_outside_the_list_is_refused_on_its_field(p, client):
    other = p.other_household.members.get().person
    response = login(client, "thu_1").post(f"/ho/{p.household.pk}/thu-bhyt/", {"xac_nhan": "1",
        "months": "12", "amount": "1000", "method": "cash", "paid_on": "01/07/2024", "idempotency_key": "k",
        "referred_by": other.pk})
    assert response.status_code == 422
    assert response.context["form"].errors["referred_by"] == [
        "Người vận động: phải là chi hội trưởng, tổ trưởng hoặc hội viên trong danh sách."]


def test_a_saved_vsi_quote_keeps_who_persuaded_the_person(p, client):
    from ansinh.enrollment.models import VsiParticipation

    head, wife = person("Nguyễn Văn An"), person("Trần Thị Bình")
    response = login(client, "thu_1").post(f"/ho/{p.household.pk}/bao-gia-bhxh/", {
        "person": wife.pk, "income": "2000000", "payment_mode": "12_months", "referred_by": head.pk})
    assert response.status_code == 302
    assert VsiParticipation.objects.get().referred_by == head


def test_every_edit_page_opens_for_an_officer(p, client):
    son = person("Nguyễn Văn Cường")
    login(client, "bhxh_tinh")
    pages = {
        "/ho/moi/": "Thêm hộ", f"/ho/{p.household.pk}/them-nguoi/": "Thêm người vào hộ HG-0001",
        f"/ho/{p.household.pk}/chu-ho/": "Đổi chủ hộ — hộ HG-0001",
        f"/ho/{p.household.pk}/dien-ho/": "Đổi diện hộ — hộ HG-0001",
        f"/ho/{p.household.pk}/lich-su/": "Lịch sử hộ HG-0001",
        f"/nguoi/{son.pk}/": "Nguyễn Văn Cường", f"/nguoi/{son.pk}/sua/": "Sửa thông tin — Nguyễn Văn Cường",
        f"/nguoi/{son.pk}/chuyen-ho/": "Chuyển hộ — Nguyễn Văn Cường",
        f"/nguoi/{son.pk}/da-mat/": "Ghi nhận đã mất — Nguyễn Văn Cường",
        f"/nguoi/{son.pk}/chuyen-di/": "Chuyển đi ngoại tỉnh — Nguyễn Văn Cường",
    }
    for url, title in pages.items():
        response = client.get(url)
        assert (url, response.status_code) == (url, 200)
        assert f"<h1>{title}</h1>" in response.content.decode()


def test_a_person_outside_the_agents_households_is_closed(p, client):
    other = p.other_household.members.get().person
    assert login(client, "thu_1").get(f"/nguoi/{other.pk}/").status_code == 404


def test_a_leader_suggests_a_death_through_the_page_and_an_officer_confirms_it_in_the_list(p, client):
    son_in_unit = person("Trần Thị Bình")  # a member of the leader's branch
    response = login(client, "chi_hoi").post(f"/nguoi/{son_in_unit.pk}/de-xuat/", {
        "kind": "death", "on": "01/02/2026", "reason": "Gia đình báo"})
    assert response.status_code == 302
    body = login(client, "bhxh_tinh").get("/de-xuat/").content.decode()
    assert "Trần Thị Bình</a> — Đã mất" in body and "Ngày: 01/02/2026" in body
    from ansinh.registry.models import RegistrySuggestion

    suggestion = RegistrySuggestion.objects.get()
    response = client.post("/de-xuat/", {"suggestion": suggestion.pk, "action": "confirm"}, follow=True)
    assert "Đã xác nhận đề xuất." in response.content.decode()
    son_in_unit.refresh_from_db()
    assert son_in_unit.died_on == datetime.date(2026, 2, 1)
    assert login(client, "chi_hoi").get("/de-xuat/").status_code == 403


def test_adding_a_probable_duplicate_warns_with_a_link_and_saves_only_once_confirmed(p, client):
    head = person("Nguyễn Văn An")
    data = {"full_name": "Nguyen Van Anh", "date_of_birth": "05/03/1970", "sex": "male", "relationship": "other",
            "hamlet": "", "citizen_id": "", "si_number": "", "phone": "", "other_coverage": ""}
    response = login(client, "bhxh_tinh").post(f"/ho/{p.household.pk}/them-nguoi/", data)
    assert response.status_code == 422
    assert list(response.context["form"].non_field_errors()) == [
        "Có thể người này đã có trong sổ (xem danh sách dưới). Hãy mở hồ sơ đó; nếu đúng là người khác, đánh dấu "
        "ô xác nhận rồi lưu lại."]
    assert [d[0] for d in response.context["duplicates"]] == [head]
    assert f'href="/nguoi/{head.pk}/"' in response.content.decode()
    assert not Person.objects.filter(full_name="Nguyen Van Anh").exists()
    response = client.post(f"/ho/{p.household.pk}/them-nguoi/", {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(full_name="Nguyen Van Anh").count() == 1
