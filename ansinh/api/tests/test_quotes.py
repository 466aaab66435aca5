"""Quotes through the API: the same numbers and breakdown as ``ansinh quote``, saved quotes, scope."""

import json

import pytest
from django.utils import timezone

from ansinh.api.errors import INVALID_INPUT, NOT_FOUND
from ansinh.core.errors import PermissionDenied
from ansinh.enrollment.models import HiParticipation, VsiParticipation
from ansinh.rules.quote import quote_cli
from ansinh.testing.vectors import vector

pytestmark = pytest.mark.django_db

HI_2024 = vector("hi-2024-5")
JULY_2024 = HI_2024["request"]["on"]


def cli(request: dict) -> dict:
    status, text = quote_cli(json.dumps(request))
    assert status == 0, text
    return json.loads(text)


@pytest.fixture
def agent(client, small_province):
    client.force_login(small_province.users["thu_1"])
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def members(sp):
    return {m.relationship: m.person for m in sp.household.members.select_related("person")}


def test_hi_price_gives_the_members_and_the_same_breakdown_as_ansinh_quote(agent, small_province):
    response = post(agent, "/api/v1/quotes/hi/price",
                    {"household_id": small_province.household.pk, "months": 12, "on": JULY_2024})
    assert response.status_code == 200
    body = response.json()
    expected = cli({"kind": "hi_household", "on": JULY_2024, "members": 3, "months": 12, "support_pct": [0, 0, 0]})
    assert body["quote"] == expected
    people = members(small_province)
    per_member = HI_2024["expect"]["per_member"][:3]
    assert body["members"] == [
        {"person_id": people[rel].pk, "full_name": people[rel].full_name, "rank": rank, "share_pct": share,
         "amount": amount, "support_pct": 0, "state_support": 0, "payable": amount}
        for rank, (rel, share, amount) in enumerate(zip(("head", "spouse", "child"), (100, 70, 60), per_member,
                                                        strict=True), start=1)
    ]
    assert {k: body[k] for k in ("household_id", "on", "months", "total", "state_support", "payable")} == {
        "household_id": small_province.household.pk, "on": JULY_2024, "months": 12, "total": sum(per_member),
        "state_support": 0, "payable": sum(per_member)}


def test_vsi_price_is_the_rules_result_of_ansinh_quote(agent, small_province):
    head = members(small_province)["head"]
    response = post(agent, "/api/v1/quotes/vsi/price", {"person_id": head.pk, "income": 1_500_000,
                                                         "payment_mode": "12_months", "on": JULY_2024})
    assert response.status_code == 200
    expected = cli({"kind": "vsi_contribution", "on": JULY_2024, "income": 1_500_000, "months": 12,
                    "payment_mode": "12_months", "support_group": "other", "months_already_supported": 0,
                    "province_code": "93"})
    body = response.json()
    assert body == {"person_id": head.pk, "on": JULY_2024, "income": 1_500_000, "payment_mode": "12_months",
                    "months": 12, "support_group": "other", "gross": expected["gross"],
                    "state_support": expected["state_support"], "local_support": expected["local_support"],
                    "amount_due": expected["amount_due"], "payable": expected["payable"], "quote": expected}


def test_wrong_types_and_unknown_fields_are_refused_with_422(agent, small_province):
    pk = small_province.household.pk
    wrong = post(agent, "/api/v1/quotes/hi/price", {"household_id": str(pk), "months": 12})
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "invalid" and wrong.json()["field"] == "household_id"
    assert wrong.json()["message"] == INVALID_INPUT
    assert post(agent, "/api/v1/quotes/hi/price", {"household_id": pk, "months": 7}).json()["field"] == "months"
    extra = post(agent, "/api/v1/quotes/hi/price", {"household_id": pk, "price": 1})
    assert extra.status_code == 422 and extra.json()["field"] == "price"
    head = members(small_province)["head"]
    income = post(agent, "/api/v1/quotes/vsi/price", {"person_id": head.pk, "income": 1_500_000.5})
    assert income.status_code == 422 and income.json()["field"] == "income"


def test_a_domain_refusal_is_400_with_the_rules_code_and_field(agent, small_province):
    head = members(small_province)["head"]
    response = post(agent, "/api/v1/quotes/vsi/price", {"person_id": head.pk, "income": 1_000, "on": JULY_2024})
    assert response.status_code == 400
    assert response.json()["code"] == "income_below_floor"
    months = post(agent, "/api/v1/quotes/vsi/price", {"person_id": head.pk, "income": 1_500_000,
                                                       "payment_mode": "advance"})
    assert months.status_code == 400
    assert months.json() == {"code": "invalid_months", "message": "Vui lòng nhập số tháng đóng trước hoặc đóng bù.",
                             "field": "months"}


def test_another_areas_household_or_person_is_404(agent, small_province):
    other = small_province.other_household
    response = post(agent, "/api/v1/quotes/hi/price", {"household_id": other.pk})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": NOT_FOUND, "field": None}
    person = other.members.get().person
    assert post(agent, "/api/v1/quotes/vsi/price", {"person_id": person.pk, "income": 1_500_000}).status_code == 404
    assert post(agent, "/api/v1/quotes/hi", {"household_id": other.pk}).status_code == 404
    assert post(agent, "/api/v1/quotes/hi/price", {"household_id": 999_999}).status_code == 404
    assert not HiParticipation.objects.exists()


def test_saving_quotes_then_listing_and_reading_them(agent, small_province):
    today = timezone.localdate()
    household = small_province.household
    saved = post(agent, "/api/v1/quotes/hi", {"household_id": household.pk, "months": 6})
    assert saved.status_code == 201
    hi = HiParticipation.objects.get()
    body = saved.json()
    assert body["quote"] == hi.quote
    assert [m["rank"] for m in body["members"]] == [1, 2, 3]
    assert {k: body[k] for k in ("kind", "id", "status", "household_id", "person_id", "months", "priced_on",
                                 "payable", "agent_id")} == {
        "kind": "hi", "id": hi.pk, "status": "quoted", "household_id": household.pk, "person_id": None,
        "months": 6, "priced_on": today.isoformat(), "payable": hi.payable, "agent_id": small_province.agent.pk}
    head = members(small_province)["head"]
    vsi = post(agent, "/api/v1/quotes/vsi", {"person_id": head.pk, "income": 2_000_000, "payment_mode": "monthly",
                                             "referred_by_id": head.pk})
    assert vsi.status_code == 201, vsi.json()
    row = VsiParticipation.objects.get()
    assert (row.income, row.months, row.referred_by_id, vsi.json()["from_month"]) == (
        2_000_000, 1, head.pk, today.replace(day=1).isoformat())

    listing = agent.get("/api/v1/quotes/hi/?status=quoted").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == hi.pk and "quote" not in listing["items"][0]
    assert agent.get("/api/v1/quotes/vsi/").json()["items"][0]["payable"] == row.payable
    assert agent.get(f"/api/v1/quotes/hi/{hi.pk}").json() == body
    assert agent.get("/api/v1/quotes/hi/?status=paid").json() == {"items": [], "count": 0}


def test_another_agent_neither_lists_nor_reads_the_quote(client, small_province):
    client.force_login(small_province.users["thu_1"])
    pk = post(client, "/api/v1/quotes/hi", {"household_id": small_province.household.pk}).json()["id"]
    client.force_login(small_province.users["thu_2"])
    assert client.get("/api/v1/quotes/hi/").json() == {"items": [], "count": 0}
    assert client.get(f"/api/v1/quotes/hi/{pk}").status_code == 404
    assert client.get("/api/v1/quotes/bhyt/1").status_code == 422  # the API's kinds are hi and vsi


def test_a_group_leader_may_price_but_not_save(client, small_province):
    client.force_login(small_province.users["chi_hoi"])
    household = small_province.household
    assert post(client, "/api/v1/quotes/hi/price", {"household_id": household.pk}).status_code == 200
    refused = post(client, "/api/v1/quotes/hi", {"household_id": household.pk})
    assert refused.status_code == 403
    assert refused.json() == {"code": "permission_denied", "message": PermissionDenied.message, "field": None}
    assert not HiParticipation.objects.exists()


def test_a_referrer_not_among_the_choices_is_refused(agent, small_province):
    other = small_province.other_household.members.get().person
    response = post(agent, "/api/v1/quotes/hi", {"household_id": small_province.household.pk,
                                                 "referred_by_id": other.pk})
    assert response.status_code == 400 and response.json()["field"] == "referred_by_id"
    assert response.json()["code"] == "invalid_referrer"
    assert not HiParticipation.objects.exists()
