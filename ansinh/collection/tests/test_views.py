"""Taking a payment through the pages: HI and VSI enrol-and-pay, receipts, errors, double submits."""

import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytest.importorskip("ansinh.rules.quote", reason="payments are priced through the rules module")

from ansinh.collection.models import Payment, Receipt  # noqa: E402
from ansinh.core.words import amount_in_words  # noqa: E402
from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, VsiParticipation  # noqa: E402
from ansinh.testing.province import PASSWORD  # noqa: E402

VECTORS = Path(settings.BASE_DIR).parent / "shared" / "vectors" / "rules.json"



@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    """These tests pay on the dates of the shared vectors (2024, 2025): lift the back-dating window."""
    settings.ANSINH_MAX_BACKDATE_DAYS = None

def vector(vector_id: str) -> dict:
    return next(v for v in json.loads(VECTORS.read_text()) if v["id"] == vector_id)


def vnd(amount: int) -> str:
    return f"{amount:,} đ".replace(",", ".")


# HG-0001 has three members: vector hi-2024-5 gives the first three ranks for 12 months on 2024-07-01.
HI_2024 = vector("hi-2024-5")
HI_DUE = sum(HI_2024["expect"]["per_member"][:3])


@pytest.fixture
def agent(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    return client


def hi_post(client, household, **overrides):
    data = {"xac_nhan": "1", "months": "12", "amount": f"{HI_DUE:,}".replace(",", "."), "method": "cash",
            "paid_on": HI_2024["request"]["on"], "idempotency_key": uuid.uuid4().hex}
    data.update(overrides)
    return client.post(f"/ho/{household.pk}/thu-bhyt/", {k: v for k, v in data.items() if v is not None})


def assert_nothing_written():
    assert Payment.objects.count() == 0
    assert Receipt.objects.count() == 0
    assert HiParticipation.objects.count() == 0
    assert HiMemberCoverage.objects.count() == 0
    assert VsiParticipation.objects.count() == 0


def test_an_hi_payment_leads_to_a_receipt_with_the_amount_in_figures_and_words(agent, small_province):
    assert HI_DUE == 2_906_280
    response = hi_post(agent, small_province.household)
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bien-lai/{receipt.pk}/?ket-qua=moi"
    page = agent.get(response["Location"])
    body = page.content.decode()
    assert receipt.amount == HI_DUE
    assert vnd(HI_DUE) in body
    assert amount_in_words(HI_DUE) in body
    assert body.count("Hai triệu chín trăm") == 1
    for text in [receipt.number, "01/07/2024", "Nguyễn Văn An", "Lê Thị Thu", "Bưu điện tỉnh Hậu Giang",
                 "Đã thu tiền và lập biên lai số"]:
        assert text in body, text
    for line_amount in HI_2024["expect"]["per_member"][:3]:
        assert vnd(line_amount) in body
    participation = HiParticipation.objects.get()
    assert participation.status == "paid" and participation.payable == HI_DUE
    assert Payment.objects.get().amount == HI_DUE


def test_the_same_post_twice_records_one_payment_and_one_receipt(agent, small_province):
    key = uuid.uuid4().hex
    first = hi_post(agent, small_province.household, idempotency_key=key)
    second = hi_post(agent, small_province.household, idempotency_key=key)
    assert first.status_code == second.status_code == 302
    receipt = Receipt.objects.get()
    assert (first["Location"], second["Location"]) == (f"/bien-lai/{receipt.pk}/?ket-qua=moi",
                                                      f"/bien-lai/{receipt.pk}/?ket-qua=da-ghi")
    assert Payment.objects.count() == 1
    assert Receipt.objects.count() == 1
    assert HiParticipation.objects.count() == 1
    assert "đã được ghi nhận trước đó" in agent.get(second["Location"]).content.decode()


@pytest.mark.parametrize(("amount", "message"), [
    ("0", "Số tiền phải lớn hơn 0."),
    ("-2906280", "Số tiền phải lớn hơn 0."),
    ("", "Vui lòng nhập số tiền."),
    (None, "Vui lòng nhập số tiền."),
    ("hai triệu", "Số tiền phải là số nguyên (đồng)"),
    ("2906280,5", "Số tiền phải là số nguyên (đồng)"),
])
def test_a_missing_zero_negative_or_non_numeric_amount_is_refused_and_nothing_is_written(
        agent, small_province, amount, message):
    response = hi_post(agent, small_province.household, amount=amount)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert_nothing_written()


def test_an_amount_different_from_the_payable_shows_the_amount_due(agent, small_province):
    response = hi_post(agent, small_province.household, amount="2000000")
    body = response.content.decode()
    assert response.status_code == 422
    assert "không khớp với số phải đóng" in body and vnd(HI_DUE) in body
    assert_nothing_written()


def test_a_paid_date_in_the_future_is_refused(agent, small_province):
    response = hi_post(agent, small_province.household, paid_on="2999-01-01")
    assert "Ngày nộp không được sau hôm nay." in response.content.decode()
    assert_nothing_written()


def test_other_months_than_3_6_12_are_refused(agent, small_province):
    response = hi_post(agent, small_province.household, months="5")
    assert "Chỉ được chọn 3, 6 hoặc 12 tháng." in response.content.decode()
    assert_nothing_written()


def test_a_missing_idempotency_key_is_refused(agent, small_province):
    response = hi_post(agent, small_province.household, idempotency_key=None)
    assert "Thiếu hoặc sai mã giao dịch; vui lòng tải lại trang rồi nhập lại." in response.content.decode()
    assert_nothing_written()


def test_a_household_already_covered_is_told_so(agent, small_province):
    hi_post(agent, small_province.household)
    response = hi_post(agent, small_province.household)
    assert response.status_code == 422
    assert "đã có thẻ BHYT còn hạn đến" in response.content.decode()
    assert Payment.objects.count() == 1 and HiParticipation.objects.count() == 1


def test_a_key_used_for_another_household_is_refused(small_province, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    key = uuid.uuid4().hex
    hi_post(client, small_province.household, idempotency_key=key)
    other_due = HI_2024["expect"]["per_member"][0]
    response = hi_post(client, small_province.other_household, idempotency_key=key,
                       amount=str(other_due))
    assert response.status_code == 422
    assert "Mã giao dịch này đã được dùng cho một khoản thu khác." in response.content.decode()
    assert Payment.objects.count() == 1 and HiParticipation.objects.count() == 1


def test_paying_for_a_household_outside_the_area_is_refused(agent, small_province):
    response = hi_post(agent, small_province.other_household, amount=str(HI_2024["expect"]["per_member"][0]))
    assert response.status_code == 404  # like a missing household
    assert "Không tìm thấy trang hoặc hồ sơ" in response.content.decode()
    assert_nothing_written()


def test_an_association_officer_cannot_take_payments(small_province, client):
    client.login(username="hoi_tinh", password=PASSWORD)
    response = hi_post(client, small_province.household)
    assert response.status_code == 403
    assert_nothing_written()
    household = small_province.household
    for url in [f"/ho/{household.pk}/thu-bhyt/", f"/ho/{household.pk}/thu-bhxh/"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/ho/{household.pk}/bao-gia-bhyt/", {"months": "12"}).status_code == 403
    page = client.get(f"/ho/{household.pk}/").content.decode()
    assert "Thu tiền và lập biên lai" not in page and "Lưu báo giá" not in page
    assert "BHYT hộ gia đình" in page  # the amounts stay visible
    assert_nothing_written()


def test_the_hi_form_fragment_prefills_the_payable_for_the_chosen_months(agent, small_province, monkeypatch):
    import datetime

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2024, 7, 1))
    response = agent.get(f"/ho/{small_province.household.pk}/thu-bhyt/", {"months": "12"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="hi-pay-form"' in body
    assert f'value="{HI_DUE:,}"'.replace(",", ".") in body
    assert 'name="idempotency_key"' in body


def test_receipts_are_scoped(agent, small_province):
    from django.test import Client

    response = hi_post(agent, small_province.household)
    url = response["Location"]
    for username, status in [("thu_2", 404), ("bhxh_tinh", 200), ("bhxh_huyen", 200), ("hoi_tinh", 403)]:
        other = Client()
        other.login(username=username, password=PASSWORD)
        assert other.get(url).status_code == status, username
    assert agent.get("/bien-lai/999999/").status_code == 404


def test_a_vsi_payment_leads_to_a_receipt(agent, small_province):
    case = vector("vsi-2025-floor-other")
    request, due = case["request"], case["expect"]["payable"]
    head = small_province.household.members.get(relationship="head").person
    data = {"xac_nhan": "1", "person": head.pk, "income": str(request["income"]),
            "payment_mode": request["payment_mode"],
            "amount": str(due), "method": "bank_transfer", "paid_on": request["on"],
            "idempotency_key": uuid.uuid4().hex}
    url = f"/ho/{small_province.household.pk}/thu-bhxh/"
    response = agent.post(url, data)
    assert response.status_code == 302
    body = agent.get(response["Location"]).content.decode()
    assert vnd(due) in body and amount_in_words(due) in body and "Chuyển khoản" in body
    participation = VsiParticipation.objects.get()
    assert participation.person == head and participation.payable == due and participation.status == "paid"
    again = agent.post(url, data)
    assert again["Location"] == response["Location"].replace("ket-qua=moi", "ket-qua=da-ghi")
    assert Payment.objects.count() == 1 and VsiParticipation.objects.count() == 1


def test_a_vsi_payment_with_a_wrong_amount_writes_nothing(agent, small_province):
    case = vector("vsi-2025-floor-other")
    request, due = case["request"], case["expect"]["payable"]
    head = small_province.household.members.get(relationship="head").person
    response = agent.post(f"/ho/{small_province.household.pk}/thu-bhxh/", {"xac_nhan": "1",
        "person": head.pk, "income": str(request["income"]), "payment_mode": request["payment_mode"],
        "amount": str(due + 1000), "method": "cash", "paid_on": request["on"], "idempotency_key": uuid.uuid4().hex,
    })
    assert response.status_code == 422
    assert vnd(due) in response.content.decode()
    assert_nothing_written()


def test_a_payment_dated_more_than_a_month_back_is_refused_and_nothing_is_written(small_province, settings, client):
    from ansinh.collection.models import Payment
    from django.utils import timezone

    settings.ANSINH_MAX_BACKDATE_DAYS = 31
    client.force_login(small_province.users["thu_1"])
    old = timezone.localdate() - datetime.timedelta(days=40)
    response = client.post(f"/ho/{small_province.household.pk}/thu-bhyt/", {"xac_nhan": "1",
        "months": "12", "amount": "1000000", "method": "cash", "paid_on": old.strftime("%d/%m/%Y"),
        "idempotency_key": uuid.uuid4().hex,
    })
    earliest = timezone.localdate() - datetime.timedelta(days=31)
    assert response.status_code == 422
    assert f"Ngày nộp không được sớm hơn {earliest:%d/%m/%Y} (31 ngày trước hôm nay)" in response.content.decode()
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("typed", ["1625778.5", "162577.8", "1.62.5", "１２３"])
def test_an_amount_with_a_decimal_point_or_odd_digits_is_not_misread(small_province, client, typed):
    from ansinh.collection.forms import VndField
    from django import forms

    with pytest.raises(forms.ValidationError):
        VndField().clean(typed)
    assert VndField().clean("2.906.280") == 2906280
