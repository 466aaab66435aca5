"""Adding a person already in the registry (in no household) to a household, and a new household whose
head is an existing person: through their pages, errors on the field they name."""

import datetime

import pytest

from ansinh.registry.models import Household, HouseholdMember, Relationship
from ansinh.testing.province import PASSWORD, make_person


@pytest.fixture
def p(small_province):
    return small_province


@pytest.fixture
def loner(p):
    return make_person(name="Huỳnh Thị Mai", born=datetime.date(1990, 4, 4), sex="female", commune=p.commune,
                       cid="093190000020")


def login(client, username="bhxh_tinh"):
    client.login(username=username, password=PASSWORD)
    return client


def test_an_officer_adds_an_existing_person_to_a_household_by_citizen_id(p, client, loner):
    page = login(client).get(f"/ho/{p.household.pk}/")
    assert f'href="/ho/{p.household.pk}/them-nguoi-co-san/"' in page.content.decode()
    response = client.post(f"/ho/{p.household.pk}/them-nguoi-co-san/", {
        "citizen_id": "0931 9000 0020", "relationship": "child", "since": "01/02/2025"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/ho/{p.household.pk}/"
    member = HouseholdMember.objects.get(person=loner)
    assert (member.household, member.relationship, member.since) == (p.household, "child", datetime.date(2025, 2, 1))
    assert "Đã thêm Huỳnh Thị Mai vào hộ HG-0001." in response.content.decode()


@pytest.mark.parametrize("citizen_id, message", [
    ("12345", "Số CCCD: phải gồm đúng 12 chữ số."),
    ("093199999999", "Số CCCD: không có người nào mang số này trong địa bàn bạn phụ trách."),
    ("093065000004", "Người này đang thuộc một hộ khác; hãy dùng “Chuyển hộ”."),
    ("093172000002", "Người này đã là thành viên của hộ này."),
])
def test_a_wrong_citizen_id_is_shown_on_its_field(p, client, citizen_id, message):
    response = login(client).post(f"/ho/{p.household.pk}/them-nguoi-co-san/", {
        "citizen_id": citizen_id, "relationship": "child"})
    assert response.status_code == 422
    assert response.context["form"].errors["citizen_id"] == [message]
    assert p.household.members.count() == 3


def test_a_new_household_takes_an_existing_person_as_its_head(p, client, loner):
    response = login(client).post("/ho/moi/", {"code": "HG-0300", "commune": p.commune.pk, "hamlet": "Ấp 2",
                                               "head_citizen_id": "093190000020"})
    household = Household.objects.get(code="HG-0300")
    assert response.status_code == 302 and response.url == f"/ho/{household.pk}/"
    assert household.members.get().person == loner
    assert household.members.get().relationship == Relationship.HEAD


def test_a_new_household_takes_a_member_of_another_household_as_head_moving_them(p, client):
    response = login(client).post("/ho/moi/", {"code": "HG-0301", "commune": p.commune.pk,
                                               "head_citizen_id": "093200000003"})
    household = Household.objects.get(code="HG-0301")
    assert response.status_code == 302
    son = household.members.get()
    assert (son.person.full_name, son.relationship) == ("Nguyễn Văn Cường", Relationship.HEAD)
    assert p.household.members.count() == 2


def test_an_unknown_existing_head_is_refused_on_its_field_and_no_household_is_left(p, client):
    response = login(client).post("/ho/moi/", {"code": "HG-0302", "commune": p.commune.pk,
                                               "head_citizen_id": "093199999999"})
    assert response.status_code == 422
    assert response.context["form"].errors["head_citizen_id"] == [
        "Số CCCD: không có người nào mang số này trong địa bàn bạn phụ trách."]
    assert not Household.objects.filter(code="HG-0302").exists()


def test_without_an_existing_head_the_new_heads_name_is_still_required(p, client):
    response = login(client).post("/ho/moi/", {"code": "HG-0303", "commune": p.commune.pk})
    assert response.context["form"].errors["full_name"] == ["Họ tên: vui lòng nhập."]
