"""Household list and household page, through the pages."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

pytest.importorskip("ansinh.rules.quote", reason="the household page prices through the rules module")

from ansinh.testing.province import PASSWORD  # noqa: E402

VECTORS = Path(settings.BASE_DIR).parent / "shared" / "vectors" / "rules.json"


def vector(vector_id: str) -> dict:
    return next(v for v in json.loads(VECTORS.read_text()) if v["id"] == vector_id)


@pytest.fixture
def agent(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    return client


@pytest.fixture
def on_2024_07_01(monkeypatch):
    """Pages that use today's rules run on 2024-07-01, the date of vector hi-2024-5."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2024, 7, 1))


def test_an_agent_lists_their_households_with_masked_citizen_ids(agent):
    body = agent.get("/ho/").content.decode()
    assert "HG-0001" in body and "Nguyễn Văn An" in body
    assert "HG-0002" not in body
    assert "********0001" in body and "093070000001" not in body


def test_search_by_code_or_member_name_returns_the_results_fragment_for_htmx(small_province, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    response = client.get("/ho/", {"q": "Dũng"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "HG-0002" in body and "HG-0001" not in body
    body = client.get("/ho/", {"q": "hg-0001"}).content.decode()
    assert "<html" in body and "HG-0001" in body and "HG-0002" not in body
    assert "Không có hộ gia đình nào" in client.get("/ho/", {"q": "không ai"}).content.decode()


def test_the_list_is_paginated(small_province, client):
    from ansinh.testing.province import make_household

    for n in range(25):
        make_household(code=f"HG-1{n:03d}", commune=small_province.commune, agent=small_province.agent, people=[])
    client.login(username="thu_1", password=PASSWORD)
    first = client.get("/ho/").content.decode()
    assert "Trang 1 / 2" in first and "HG-1018" in first and "HG-1019" not in first
    second = client.get("/ho/", {"page": 2}).content.decode()
    assert "HG-1024" in second and "HG-0001" not in second


def test_the_household_page_shows_members_and_the_hi_amounts(agent, small_province, on_2024_07_01):
    per_member = vector("hi-2024-5")["expect"]["per_member"][:3]
    response = agent.get(f"/ho/{small_province.household.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["Nguyễn Văn An", "Chủ hộ", "Vợ/Chồng", "Con", "05/03/1970", "01/08/1972", "09/01/2000",
                 "********0002", "Chưa tham gia", "Chưa có thẻ"]:
        assert text in body, text
    assert "093172000002" not in body
    quote = response.context["quotes"][12]
    assert [line["amount"] for line in quote["members"]] == per_member
    assert [line["share_pct"] for line in quote["members"]] == [100, 70, 60]
    assert quote["payable"] == sum(per_member)
    for amount in [*per_member, sum(per_member)]:
        assert f"{amount:,} đ".replace(",", ".") in body
    assert response.context["hi_form"]["amount"].value() == f"{sum(per_member):,}".replace(",", ".")


def test_a_household_outside_the_agents_area_is_refused_in_vietnamese(agent, small_province):
    response = agent.get(f"/ho/{small_province.other_household.pk}/")
    assert response.status_code == 404  # exactly like a missing household: ids cannot be probed
    assert "Không tìm thấy trang hoặc hồ sơ" in response.content.decode()


def test_a_household_that_does_not_exist_is_a_404(agent):
    response = agent.get("/ho/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_the_vsi_calculator_fragment_shows_the_amount_for_a_member(agent, small_province, monkeypatch):
    case = vector("vsi-2025-floor-other")
    request = case["request"]
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda *a, **k: datetime.date.fromisoformat(request["on"]))
    head = small_province.household.members.get(relationship="head").person
    response = agent.get(f"/ho/{small_province.household.pk}/tinh-bhxh/", {
        "person": head.pk, "income": f"{request['income']:,}".replace(",", "."),
        "payment_mode": request["payment_mode"],
    }, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert response.context["result"]["payable"] == case["expect"]["payable"]
    assert f"{case['expect']['payable']:,} đ".replace(",", ".") in body
    assert 'action="/ho/%d/thu-bhxh/"' % small_province.household.pk in body


def test_the_vsi_calculator_explains_a_refused_income(agent, small_province):
    head = small_province.household.members.get(relationship="head").person
    body = agent.get(f"/ho/{small_province.household.pk}/tinh-bhxh/", {
        "person": head.pk, "income": "1.000", "payment_mode": "monthly",
    }).content.decode()
    assert "alert-error" in body and "thu-bhxh" not in body


def test_the_vsi_calculator_refuses_a_person_from_another_household(agent, small_province):
    other = small_province.other_household.members.get().person
    body = agent.get(f"/ho/{small_province.household.pk}/tinh-bhxh/", {
        "person": other.pk, "income": "1500000", "payment_mode": "monthly",
    }).content.decode()
    assert "Người này không thuộc hộ gia đình." in body
