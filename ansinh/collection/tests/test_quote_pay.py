"""A quote kept for later (status "quoted") is paid from its own page: the frozen amount, once per key,
refused when the law of the payment day gives another amount or someone is covered meanwhile."""

import datetime
import uuid

import pytest

from ansinh.collection.errors import CANCELLED_QUOTE_MESSAGE, AlreadyPaid
from ansinh.collection.models import Payment, Receipt
from ansinh.collection.services import payment_record
from ansinh.core.words import amount_in_words
from ansinh.enrollment.errors import AlreadyCovered, QuoteOutdated
from ansinh.enrollment.models import HiParticipation, Status, VsiParticipation
from ansinh.enrollment.selectors import quotes_awaiting_payment
from ansinh.enrollment.services import hi_enroll, hi_household_quote, vsi_enroll
from ansinh.testing.province import PASSWORD
from ansinh.testing.vectors import vector

HI_2024 = vector("hi-2024-5")
JULY_2024 = datetime.date.fromisoformat(HI_2024["request"]["on"])
HI_DUE = sum(HI_2024["expect"]["per_member"][:3])  # HG-0001 has three members on the list


def vnd(amount: int) -> str:
    return f"{amount:,} đ".replace(",", ".")


@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    """These tests pay on the dates of the shared vectors: lift the back-dating window."""
    settings.ANSINH_MAX_BACKDATE_DAYS = None


@pytest.fixture
def agent(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    return client


def pay_post(client, kind, participation, *, amount, paid_on, key=None):
    return client.post(f"/bao-gia/{kind}/{participation.pk}/", {"xac_nhan": "1",
        "amount": f"{amount:,}".replace(",", "."), "method": "cash", "paid_on": paid_on.strftime("%d/%m/%Y"),
        "idempotency_key": key or uuid.uuid4().hex,
    })


def test_the_quote_page_shows_the_frozen_amount_and_paying_it_issues_one_receipt(agent, small_province):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    assert quote.payable == HI_DUE and quote.status == Status.QUOTED
    page = agent.get(f"/bao-gia/bhyt/{quote.pk}/").content.decode()
    assert vnd(HI_DUE) in page and "Báo giá ngày 01/07/2024" in page
    assert f"/bao-gia/bhyt/{quote.pk}/" in agent.get(f"/ho/{small_province.household.pk}/").content.decode()

    key = uuid.uuid4().hex
    response = pay_post(agent, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024, key=key)
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert response["Location"] == f"/bien-lai/{receipt.pk}/?ket-qua=moi"
    assert f"Đã thu tiền và lập biên lai số {receipt.number}." in agent.get(response["Location"]).content.decode()
    assert receipt.amount == HI_DUE and receipt.amount_in_words == amount_in_words(HI_DUE)
    assert receipt.payer_name == "Nguyễn Văn An"
    assert [item["amount"] for item in receipt.items] == HI_2024["expect"]["per_member"][:3]
    quote.refresh_from_db()
    assert quote.status == Status.PAID
    assert {(m.valid_from, m.valid_to) for m in quote.members.all()} == {
        (JULY_2024 + datetime.timedelta(days=30), datetime.date(2025, 7, 30))}
    # the same form sent again: the same receipt, nothing new
    again = pay_post(agent, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024, key=key)
    assert again["Location"] == f"/bien-lai/{receipt.pk}/?ket-qua=da-ghi"
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    assert f"/bao-gia/bhyt/{quote.pk}/" not in agent.get(f"/ho/{small_province.household.pk}/").content.decode()


def test_a_quote_paid_on_a_day_with_another_legal_amount_is_refused_with_the_new_amount(agent, small_province):
    old = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12,
                    on=JULY_2024 - datetime.timedelta(days=1))
    assert old.payable != HI_DUE  # the base salary changed on 01/07/2024
    response = pay_post(agent, "bhyt", old, amount=old.payable, paid_on=JULY_2024)
    assert response.status_code == 422
    body = response.content.decode()
    assert f"theo quy định ngày 01/07/2024 số phải đóng là {vnd(HI_DUE)}" in body
    assert Payment.objects.count() == 0 and Receipt.objects.count() == 0
    old.refresh_from_db()
    assert old.status == Status.QUOTED
    # the same quote paid on its own pricing day is fine
    assert pay_post(agent, "bhyt", old, amount=old.payable, paid_on=old.priced_on).status_code == 302


def test_a_vsi_quote_priced_under_the_old_support_is_outdated_after_the_regime_change(small_province):
    case = vector("vsi-regime-boundary-before")
    request = case["request"]
    head = small_province.household.members.get(relationship="head").person
    agent = small_province.users["thu_1"]
    quote = vsi_enroll(user=agent, person=head, income=request["income"], months=request["months"],
                       payment_mode=request["payment_mode"], on=datetime.date.fromisoformat(request["on"]))
    assert quote.payable == case["expect"]["payable"]
    with pytest.raises(QuoteOutdated) as err:
        payment_record(user=agent, participation=quote, amount=quote.payable, method="cash",
                       paid_on=datetime.date(2025, 7, 1), idempotency_key="vsi-outdated-1")
    assert err.value.details["due"] != quote.payable
    assert Payment.objects.count() == 0


def test_paying_one_quote_of_a_household_cancels_its_other_waiting_quotes(small_province):
    agent = small_province.users["thu_1"]
    first = hi_enroll(user=agent, household=small_province.household, months=12, on=JULY_2024)
    second = hi_enroll(user=agent, household=small_province.household, months=6, on=JULY_2024)
    other_household = hi_enroll(user=agent, household=small_province.other_household, months=12, on=JULY_2024) \
        if small_province.other_household.agent_id == small_province.household.agent_id else None
    assert [row["participation"].pk for row in quotes_awaiting_payment(household=small_province.household)] == [
        first.pk, second.pk]
    payment_record(user=agent, participation=first, amount=HI_DUE, method="cash", paid_on=JULY_2024,
                   idempotency_key="first-quote")
    second.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert quotes_awaiting_payment(household=small_province.household) == []
    with pytest.raises(AlreadyPaid) as err:
        payment_record(user=agent, participation=second, amount=second.payable, method="cash", paid_on=JULY_2024,
                       idempotency_key="second-quote")
    assert err.value.message == CANCELLED_QUOTE_MESSAGE
    assert Payment.objects.count() == 1
    if other_household is not None:  # another household's quote is untouched
        other_household.refresh_from_db()
        assert other_household.status == Status.QUOTED


def test_a_quote_of_a_household_covered_by_a_direct_payment_meanwhile_is_cancelled(agent, small_province):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12,
                      on=JULY_2024)
    response = agent.post(f"/ho/{small_province.household.pk}/thu-bhyt/", {"xac_nhan": "1",
        "months": "12", "amount": str(HI_DUE), "method": "cash", "paid_on": JULY_2024.strftime("%d/%m/%Y"),
        "idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Status.CANCELLED
    page = pay_post(agent, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024)
    assert page.status_code == 422
    assert "Báo giá này không còn chờ thu tiền (đã hủy)." in page.content.decode()  # and no form to pay it
    assert 'name="amount"' not in page.content.decode()
    assert Payment.objects.count() == 1


def test_a_quote_outside_the_agents_scope_is_forbidden(agent, small_province):
    other = hi_enroll(user=small_province.users["bhxh_tinh"], household=small_province.other_household, months=12,
                      on=JULY_2024)
    assert agent.get(f"/bao-gia/bhyt/{other.pk}/").status_code == 404  # like a missing quote
    assert pay_post(agent, "bhyt", other, amount=other.payable, paid_on=JULY_2024).status_code == 404
    assert agent.get("/bao-gia/xyz/1/").status_code == 404
    assert Payment.objects.count() == 0


def test_saving_a_quote_from_the_household_page_keeps_todays_price(agent, small_province):
    household = small_province.household
    response = agent.post(f"/ho/{household.pk}/bao-gia-bhyt/", {"months": "6"})
    quote = HiParticipation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bao-gia/bhyt/{quote.pk}/"
    today = datetime.date.today()
    expected = hi_household_quote(user=small_province.users["thu_1"], household=household, months=6, on=quote.priced_on)
    assert (quote.months, quote.payable, quote.status) == (6, expected["payable"], Status.QUOTED)
    assert abs((quote.priced_on - today).days) <= 1
    assert Payment.objects.count() == 0
    bad = agent.post(f"/ho/{household.pk}/bao-gia-bhyt/", {"months": "5"})
    assert bad.status_code == 302 and HiParticipation.objects.count() == 1
    assert "Chỉ được chọn 3, 6 hoặc 12 tháng." in agent.get(bad["Location"]).content.decode()


def test_saving_a_vsi_quote_for_a_member(agent, small_province):
    head = small_province.household.members.get(relationship="head").person
    response = agent.post(f"/ho/{small_province.household.pk}/bao-gia-bhxh/", {
        "person": head.pk, "income": "1.500.000", "payment_mode": "monthly"})
    quote = VsiParticipation.objects.get()
    assert response["Location"] == f"/bao-gia/bhxh/{quote.pk}/"
    assert (quote.person_id, quote.income, quote.months, quote.status) == (head.pk, 1_500_000, 1, Status.QUOTED)
    page = agent.get(response["Location"]).content.decode()
    assert vnd(quote.payable) in page


def test_a_payment_dated_before_its_quote_is_refused_on_the_date_field(agent, small_province):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    response = pay_post(agent, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024 - datetime.timedelta(days=20))
    assert response.status_code == 422
    assert "Ngày nộp 11/06/2024 trước ngày lập báo giá 01/07/2024; hãy nhập đúng ngày nộp tiền." in response.content.decode()
    assert Payment.objects.count() == 0


def test_roles_that_do_not_take_money_see_the_quote_without_the_form(small_province, client):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    client.login(username="hoi_tinh", password=PASSWORD)
    page = client.get(f"/bao-gia/bhyt/{quote.pk}/")
    assert page.status_code == 200 and vnd(HI_DUE) in page.content.decode()
    assert "Thu tiền và lập biên lai" not in page.content.decode()
    assert pay_post(client, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024).status_code == 403
    assert Payment.objects.count() == 0


def test_opening_a_quote_saving_address_goes_to_the_household(agent, small_province):
    pk = small_province.household.pk
    for kind in ("bhyt", "bhxh"):
        response = agent.get(f"/ho/{pk}/bao-gia-{kind}/")
        assert (response.status_code, response["Location"]) == (302, f"/ho/{pk}/")


def test_vsi_quote_errors_name_their_field(agent, small_province):
    response = agent.post(f"/ho/{small_province.household.pk}/bao-gia-bhxh/", {"income": "0", "payment_mode": ""})
    body = agent.get(response["Location"]).content.decode()
    assert "Mức thu nhập tháng làm căn cứ đóng (đồng): Số tiền phải lớn hơn 0." in body
    assert VsiParticipation.objects.count() == 0


def test_an_old_receipt_link_does_not_announce_a_new_collection(agent, small_province):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    location = pay_post(agent, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024)["Location"]
    assert "Đã thu tiền và lập biên lai số" in agent.get(location).content.decode()
    Receipt.objects.update(created_at=datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC))
    assert "Đã thu tiền và lập biên lai số" not in agent.get(location).content.decode()


def test_a_form_sent_with_an_old_security_token_gets_a_vietnamese_page(small_province):
    from django.test import Client

    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    strict = Client(enforce_csrf_checks=True)
    strict.login(username="thu_1", password=PASSWORD)
    response = pay_post(strict, "bhyt", quote, amount=HI_DUE, paid_on=JULY_2024)
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("typed", ["2.906.280Đ", "2.906.280 đ", "2906280 D"])
def test_the_amount_may_end_with_the_dong_sign_in_either_case(agent, small_province, typed):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    assert HI_DUE == 2_906_280
    response = agent.post(f"/bao-gia/bhyt/{quote.pk}/", {"xac_nhan": "1", "amount": typed, "method": "cash", "paid_on": "01/07/2024",
                                                          "idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 302
    assert Payment.objects.get().amount == HI_DUE


def test_a_quote_id_too_large_for_the_database_is_not_found(agent, small_province):
    for pk in (2**63, 10**26):
        response = agent.post(f"/bao-gia/bhyt/{pk}/", {"xac_nhan": "1", "amount": "1.000.000", "method": "cash",
                                                       "paid_on": JULY_2024.strftime("%d/%m/%Y"),
                                                       "idempotency_key": uuid.uuid4().hex})
        assert response.status_code == 404
    assert Payment.objects.count() == 0


def _hi_pay(p, quote, amount=None):
    return payment_record(user=p.users["thu_1"], participation=quote, amount=quote.payable if amount is None else amount,
                          method="cash", paid_on=JULY_2024, idempotency_key=uuid.uuid4().hex)


def test_a_quote_of_a_household_whose_member_left_is_refused_with_the_amount_for_those_left(small_province):
    """Same day, so the law has not changed, but the list has: the son moved out after the quote."""
    from ansinh.registry.models import HouseholdMember

    p = small_province
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    HouseholdMember.objects.filter(household=p.household, relationship="child").delete()
    with pytest.raises(QuoteOutdated) as err:
        _hi_pay(p, quote)
    two = sum(HI_2024["expect"]["per_member"][:2])
    assert err.value.details["due"] == two
    with pytest.raises(QuoteOutdated):  # typing the new amount does not pay the old quote either
        _hi_pay(p, quote, amount=two)
    assert err.value.message == (
        f"Hộ đã thay đổi (thành viên hoặc diện hỗ trợ) từ khi lập báo giá ngày 01/07/2024 ({vnd(HI_DUE)}): "
        f"theo hộ hiện nay số phải đóng là {vnd(two)}. Hãy lập báo giá mới.")
    assert Payment.objects.count() == 0


def test_a_quote_is_refused_when_a_member_got_hi_elsewhere_or_the_household_became_poor(small_province):
    from ansinh.enrollment.errors import NoEligibleMembers
    from ansinh.registry.models import OtherCoverage, PovertyStatus

    p = small_province
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=JULY_2024)
    son = p.household.members.get(relationship="child").person
    son.other_coverage = OtherCoverage.EMPLOYEE
    son.save()
    with pytest.raises(QuoteOutdated) as err:
        _hi_pay(p, quote)
    assert err.value.details["due"] == sum(HI_2024["expect"]["per_member"][:2])
    p.household.poverty_status = PovertyStatus.POOR
    p.household.save()
    with pytest.raises(NoEligibleMembers):
        _hi_pay(p, quote)
    assert Payment.objects.count() == 0 and HiParticipation.objects.get(pk=quote.pk).status == Status.QUOTED


def test_a_quote_is_refused_when_the_household_became_near_poor_the_same_day(small_province):
    from ansinh.registry.models import PovertyStatus

    p = small_province
    on = datetime.date.fromisoformat(vector("hi-near-poor-70")["request"]["on"])
    quote = hi_enroll(user=p.users["thu_1"], household=p.household, months=12, on=on)
    p.household.poverty_status = PovertyStatus.NEAR_POOR
    p.household.save()
    with pytest.raises(QuoteOutdated) as err:
        payment_record(user=p.users["thu_1"], participation=quote, amount=quote.payable, method="cash", paid_on=on,
                       idempotency_key="near-poor")
    assert err.value.details["due"] == hi_household_quote(user=p.users["thu_1"], household=p.household, months=12,
                                                          on=on)["payable"] < quote.payable
    assert Payment.objects.count() == 0


def test_a_vsi_quote_of_someone_drawing_a_pension_since_is_refused(small_province):
    from ansinh.enrollment.errors import NotEligible
    from ansinh.registry.models import OtherCoverage

    p = small_province
    head = p.household.members.get(relationship="head").person
    single = vector("vsi-2024-floor-other")["request"]
    on = datetime.date.fromisoformat(single["on"])
    quote = vsi_enroll(user=p.users["thu_1"], person=head, income=single["income"], months=single["months"],
                       payment_mode=single["payment_mode"], on=on)
    head.other_coverage = OtherCoverage.PENSIONER
    head.save()
    with pytest.raises(NotEligible) as err:
        payment_record(user=p.users["thu_1"], participation=quote, amount=quote.payable, method="cash", paid_on=on,
                       idempotency_key="pensioner")
    assert err.value.message == ("Nguyễn Văn An đang hưởng lương hưu/trợ cấp bảo hiểm xã hội hằng tháng nên không "
                                 "tham gia BHXH tự nguyện (khoản 4 Điều 2 Luật Bảo hiểm xã hội số 58/2014/QH13).")
    assert Payment.objects.count() == 0


def test_legal_bases_on_the_quote_page_are_cited_in_vietnamese(agent, small_province):
    quote = hi_enroll(user=small_province.users["thu_1"], household=small_province.household, months=12, on=JULY_2024)
    page = agent.get(f"/bao-gia/bhyt/{quote.pk}/").content.decode()
    assert "Căn cứ: Điều 7 Nghị định 146/2018/NĐ-CP; Điều 3 Nghị định 73/2024/NĐ-CP" in page  # the law of 2024
    for english in ("Law ", "Decree ", " Art "):
        assert english not in page


def test_the_quote_saved_notice_is_shown_once_not_again_on_the_receipt(agent, small_province):
    saved = agent.post(f"/ho/{small_province.household.pk}/bao-gia-bhyt/", {"months": "12"}, follow=True)
    assert "Đã lưu báo giá" in saved.content.decode()
    quote = HiParticipation.objects.get()
    receipt = agent.post(f"/bao-gia/bhyt/{quote.pk}/", {"xac_nhan": "1",
        "amount": str(quote.payable), "method": "cash", "paid_on": quote.priced_on.strftime("%d/%m/%Y"),
        "idempotency_key": uuid.uuid4().hex}, follow=True).content.decode()
    assert "Đã thu tiền" in receipt and "Đã lưu báo giá" not in receipt
