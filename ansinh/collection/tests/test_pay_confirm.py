"""The summary step of a payment: "Xác nhận thu …" shows the amount and the period and writes nothing;
only the confirm (``xac_nhan``) records, once, whatever the number of taps."""

import uuid

import pytest

pytest.importorskip("ansinh.rules.quote", reason="payments are priced through the rules module")

from ansinh.collection.models import Payment, Receipt  # noqa: E402
from ansinh.collection.tests.test_views import HI_2024, HI_DUE, assert_nothing_written, vector  # noqa: E402
from ansinh.enrollment.models import HiMemberCoverage, HiParticipation, VsiParticipation  # noqa: E402
from ansinh.testing.province import PASSWORD  # noqa: E402


@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    settings.ANSINH_MAX_BACKDATE_DAYS = None


@pytest.fixture
def agent(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    return client


def hi_data(**overrides):
    data = {"months": "12", "amount": "2.906.280", "method": "cash", "paid_on": HI_2024["request"]["on"],
            "idempotency_key": uuid.uuid4().hex}
    data.update(overrides)
    return data


def test_the_hi_summary_shows_the_amount_and_card_dates_and_writes_nothing(agent, small_province):
    assert HI_DUE == 2_906_280
    household = small_province.household
    key = uuid.uuid4().hex
    response = agent.post(f"/ho/{household.pk}/thu-bhyt/", hi_data(idempotency_key=key))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xác nhận thu <span id=\"confirm-amount\">2.906.280 đ</span>" in body
    assert f"của hộ {household.code}" in body and "cho 12 tháng," in body
    assert 'thẻ từ <span id="confirm-from">31/07/2024</span> đến <span id="confirm-to">30/07/2025</span>' in body
    assert body.count(f'name="idempotency_key" value="{key}"') == 1
    assert '<input type="hidden" name="xac_nhan" value="1">' in body
    assert_nothing_written()


def test_the_hi_confirm_records_one_payment_with_the_summary_dates(agent, small_province):
    household = small_province.household
    response = agent.post(f"/ho/{household.pk}/thu-bhyt/", hi_data(xac_nhan="1"))
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bien-lai/{receipt.pk}/?ket-qua=moi"
    assert Payment.objects.get().amount == HI_DUE
    dates = set(HiMemberCoverage.objects.values_list("valid_from", "valid_to"))
    assert {(f.strftime("%d/%m/%Y"), t.strftime("%d/%m/%Y")) for f, t in dates} == {("31/07/2024", "30/07/2025")}


def test_a_double_confirm_records_once(agent, small_province):
    household = small_province.household
    data = hi_data(xac_nhan="1")
    first = agent.post(f"/ho/{household.pk}/thu-bhyt/", data)
    second = agent.post(f"/ho/{household.pk}/thu-bhyt/", data)
    receipt = Receipt.objects.get()
    assert (first["Location"], second["Location"]) == (f"/bien-lai/{receipt.pk}/?ket-qua=moi",
                                                      f"/bien-lai/{receipt.pk}/?ket-qua=da-ghi")
    assert (Payment.objects.count(), HiParticipation.objects.count()) == (1, 1)


def test_a_wrong_amount_is_said_on_the_summary_step_and_nothing_is_written(agent, small_province):
    response = agent.post(f"/ho/{small_province.household.pk}/thu-bhyt/", hi_data(amount="2.000.000"))
    assert response.status_code == 422
    assert "Số tiền nộp 2.000.000 đ không khớp với số phải đóng 2.906.280 đ." in response.content.decode()
    assert "Xác nhận thu" not in response.content.decode()
    assert_nothing_written()


def test_edit_goes_back_to_the_form_with_the_values(agent, small_province):
    key = uuid.uuid4().hex
    response = agent.post(f"/ho/{small_province.household.pk}/thu-bhyt/", hi_data(idempotency_key=key, sua="1"))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="hi-pay-form"' in body and f'value="{key}"' in body
    assert 'value="2.906.280"' in body
    assert_nothing_written()


def test_the_vsi_summary_then_confirm(agent, small_province):
    case = vector("vsi-2025-floor-other")
    request, due = case["request"], case["expect"]["payable"]
    head = small_province.household.members.get(relationship="head").person
    data = {"person": head.pk, "income": str(request["income"]), "payment_mode": request["payment_mode"],
            "amount": str(due), "method": "bank_transfer", "paid_on": request["on"],
            "idempotency_key": uuid.uuid4().hex}
    url = f"/ho/{small_province.household.pk}/thu-bhxh/"
    summary = agent.post(url, data)
    body = summary.content.decode()
    assert summary.status_code == 200
    assert f'Xác nhận thu <span id="confirm-amount">{due:,} đ</span>'.replace(",", ".") in body
    assert f"của {head.full_name} (hộ {small_province.household.code})" in body
    assert "cho 1 tháng," in body
    assert 'từ tháng <span id="confirm-from">07/2025</span> đến tháng <span id="confirm-to">07/2025</span>' in body
    assert VsiParticipation.objects.count() == 0 and Payment.objects.count() == 0
    confirm = agent.post(url, {**data, "xac_nhan": "1"})
    again = agent.post(url, {**data, "xac_nhan": "1"})
    assert confirm.status_code == again.status_code == 302
    assert (Payment.objects.count(), VsiParticipation.objects.count()) == (1, 1)
    assert Payment.objects.get().amount == due


def test_a_saved_quote_goes_through_the_summary_too(agent, small_province):
    import datetime

    from ansinh.enrollment.services import hi_enroll

    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12,
                      on=datetime.date(2024, 7, 1))
    data = {"amount": "2.906.280", "method": "cash", "paid_on": "01/07/2024", "idempotency_key": uuid.uuid4().hex}
    summary = agent.post(f"/bao-gia/bhyt/{quote.pk}/", data)
    body = summary.content.decode()
    assert summary.status_code == 200
    assert 'Xác nhận thu <span id="confirm-amount">2.906.280 đ</span>' in body
    assert 'thẻ từ <span id="confirm-from">31/07/2024</span> đến <span id="confirm-to">30/07/2025</span>' in body
    assert Payment.objects.count() == 0
    quote.refresh_from_db()
    assert quote.status == "quoted"
    for _ in range(2):
        agent.post(f"/bao-gia/bhyt/{quote.pk}/", {**data, "xac_nhan": "1"})
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
