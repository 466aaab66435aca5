"""Cash handover: an agent hands over one or several days' cash, an officer confirms what was received;
refusals (too much, a day twice, nothing to hand over, bad dates); the cash reconciliation per agent and
day balancing to the đồng, with differences and cash held too long flagged."""


import pytest


from ansinh.collection import errors_handover as e
from ansinh.collection.models import CashHandover, CashHandoverDay, CollectionOrg
from ansinh.collection.selectors_handover import cash_not_handed_over, cash_reconciliation, working_days_between
from ansinh.collection.services_handover import handover_confirm, handover_record
from ansinh.core.errors import OutOfScope, PermissionDenied

from .paid_common import HEAD, HI, SON, D, _paid_module, num, paid  # noqa: F401 (fixtures imported for pytest)


def _hand(paid, user="thu_1", **kw):
    args = {"date_from": D(2024, 7, 1), "date_to": D(2024, 7, 1), "amount": HI, "handed_to": "Võ Thị Quỹ",
            "handed_on": D(2024, 7, 2)} | kw
    return handover_record(user=paid.p.users[user], **args)


def test_working_days_skip_weekends():
    assert working_days_between(D(2024, 12, 1), D(2024, 12, 5)) == 4  # Sunday -> Thursday
    assert working_days_between(D(2024, 12, 6), D(2024, 12, 9)) == 1  # Friday -> Monday
    assert working_days_between(D(2024, 10, 1), D(2024, 12, 31)) == 65
    assert working_days_between(D(2024, 12, 5), D(2024, 12, 5)) == 0


def test_an_agent_hands_over_a_day_and_an_officer_confirms_it(paid):
    handover = _hand(paid)
    assert (handover.agent, handover.org, handover.amount, handover.handed_to) == (
        paid.p.agent, paid.p.org, HI, "Võ Thị Quỹ")
    assert list(handover.days.values_list("day", "amount")) == [(D(2024, 7, 1), HI)]
    confirmed = handover_confirm(user=paid.p.users["bhxh_huyen"], handover=handover, amount_received=HI)
    assert (confirmed.amount_received, confirmed.confirmed_by) == (HI, paid.p.users["bhxh_huyen"])
    assert confirmed.confirmed_at is not None
    assert confirmed.history.count() == 2  # recorded, then confirmed
    with pytest.raises(e.HandoverAlreadyConfirmed) as exc:
        handover_confirm(user=paid.p.users["bhxh_tinh"], handover=handover, amount_received=HI)
    assert exc.value.field == "amount_received"
    assert exc.value.message.startswith("Số tiền thực nhận: lần bàn giao này đã được xác nhận ngày ")


def test_a_handover_larger_than_the_cash_of_its_days_is_refused_naming_the_field(paid):
    with pytest.raises(e.HandoverTooLarge) as exc:
        _hand(paid, amount=HI + 1)
    assert exc.value.field == "amount"
    assert exc.value.message == (f"Số tiền bàn giao: {num(HI + 1)} đ lớn hơn số tiền mặt đã thu trừ các khoản hủy "
                                 f"trong những ngày này ({num(HI)} đ).")
    # 1 and 2 October: the son's payment and its cancellation, 0 đ in all
    with pytest.raises(e.HandoverTooLarge):
        _hand(paid, date_from=D(2024, 10, 1), date_to=D(2024, 10, 2), amount=1, handed_on=D(2024, 10, 3))
    assert not CashHandover.objects.exists()


def test_one_days_cash_is_never_handed_over_twice(paid):
    _hand(paid, amount=HI - 20_000)
    with pytest.raises(e.DayAlreadyHandedOver) as exc:
        _hand(paid, date_from=D(2024, 6, 28), amount=20_000, handed_on=D(2024, 7, 3))
    assert exc.value.field == "date_from"
    assert exc.value.message == ("Từ ngày: tiền ngày 01/07/2024 đã được bàn giao (lần bàn giao ngày 02/07/2024); "
                                 "mỗi ngày chỉ bàn giao một lần.")
    assert CashHandoverDay.objects.count() == 1


def test_other_refusals_name_their_field(paid):
    cases = [
        (dict(amount=0), e.HandoverAmountInvalid, "amount"),
        (dict(amount=-5), e.HandoverAmountInvalid, "amount"),
        (dict(handed_to="  "), e.HandoverError, "handed_to"),
        (dict(date_from=D(2024, 7, 2), date_to=D(2024, 7, 1)), e.HandoverDatesInvalid, "date_to"),
        (dict(date_to=D(2024, 7, 3)), e.HandoverDatesInvalid, "date_to"),
        (dict(handed_on=D(2999, 1, 1), date_to=D(2024, 7, 1)), e.HandoverDatesInvalid, "handed_on"),
        (dict(date_from=D(2024, 8, 1), date_to=D(2024, 8, 31), handed_on=D(2024, 9, 1)), e.NothingToHandOver,
         "date_from"),
    ]
    for kw, error, field in cases:
        with pytest.raises(error) as exc:
            _hand(paid, **kw)
        assert exc.value.field == field, kw
    with pytest.raises(e.NothingToHandOver) as exc:
        _hand(paid, date_from=D(2024, 8, 1), date_to=D(2024, 8, 31), handed_on=D(2024, 9, 1))
    assert exc.value.message == "Từ ngày: không có tiền mặt nào cần bàn giao từ 01/08/2024 đến 31/08/2024."


def test_a_payment_and_its_cancellation_are_settled_by_a_zero_handover(paid):
    handover = _hand(paid, date_from=D(2024, 10, 1), date_to=D(2024, 10, 2), amount=0, handed_on=D(2024, 10, 2))
    assert list(handover.days.values_list("day", "amount")) == [(D(2024, 10, 1), SON), (D(2024, 10, 2), -SON)]


def test_who_may_hand_over_and_confirm(paid):
    with pytest.raises(PermissionDenied):
        _hand(paid, user="bhxh_tinh")
    handover = _hand(paid, user="thu_2", date_from=D(2024, 10, 1), date_to=D(2024, 10, 1), amount=SON,
                     handed_on=D(2024, 10, 1))
    with pytest.raises(OutOfScope):  # NVT002 works outside the district officer's area
        handover_confirm(user=paid.p.users["bhxh_huyen"], handover=handover, amount_received=SON)
    with pytest.raises(PermissionDenied):
        handover_confirm(user=paid.p.users["thu_1"], handover=handover, amount_received=SON)
    with pytest.raises(e.HandoverAmountInvalid) as exc:
        handover_confirm(user=paid.p.users["bhxh_tinh"], handover=handover, amount_received=-1)
    assert (exc.value.field, exc.value.message) == ("amount_received", e.RECEIVED_INVALID)


def test_an_amount_received_above_the_amount_declared_is_refused_naming_the_field(paid):
    handover = _hand(paid)
    with pytest.raises(e.HandoverTooLarge) as exc:
        handover_confirm(user=paid.p.users["bhxh_tinh"], handover=handover, amount_received=HI + 1)
    assert (exc.value.field, exc.value.message) == (
        "amount_received", f"Số tiền thực nhận: {num(HI + 1)} đ lớn hơn số tiền đã khai bàn giao ({num(HI)} đ).")
    handover.refresh_from_db()
    assert (handover.amount_received, handover.confirmed_at) == (None, None)


def test_the_reconciliation_per_agent_and_day_balances_to_the_dong(paid):
    july = _hand(paid)
    handover_confirm(user=paid.p.users["bhxh_tinh"], handover=july, amount_received=HI - 1_000)
    _hand(paid, date_from=D(2024, 12, 1), date_to=D(2024, 12, 1), amount=HEAD - 32_000, handed_on=D(2024, 12, 5))
    data = cash_reconciliation(user=paid.p.users["bhxh_tinh"], date_from=D(2024, 7, 1), date_to=D(2024, 12, 31),
                               on=D(2024, 12, 31), agent=paid.p.agent)
    got = [(r["day"], r["collected"], r["cancelled"], r["net"], r["handed_over"], r["difference"], r["flags"])
           for r in data["rows"]]
    assert got == [
        (D(2024, 7, 1), HI, 0, HI, HI, 0, [f"Thực nhận {num(HI - 1000)} đ, chênh -1.000 đ"]),
        (D(2024, 10, 1), SON, 0, SON, 0, SON,
         [f"Chênh lệch {num(SON)} đ", "Giữ tiền 65 ngày làm việc (quá 2 ngày)"]),
        (D(2024, 10, 2), 0, SON, -SON, 0, -SON, [f"Chênh lệch {num(-SON)} đ"]),
        (D(2024, 12, 1), HEAD, 0, HEAD, HEAD - 32_000, 32_000,
         [f"Chênh lệch {num(HEAD - 6_700_000)} đ", "Bàn giao sau 4 ngày làm việc (quá 2 ngày)"]),
    ]
    totals = data["totals"]
    assert (totals["collected"], totals["cancelled"], totals["net"], totals["handed_over"], totals["difference"]) == (
        HI + SON + HEAD, SON, HI + HEAD, HI + HEAD - 32_000, 32_000)
    assert totals["collected"] - totals["cancelled"] - totals["handed_over"] == totals["difference"]
    assert totals["flagged"] == 4


def test_the_limit_is_the_organisations_and_a_fresh_day_is_only_pending(paid):
    CollectionOrg.objects.filter(pk=paid.p.org.pk).update(cash_hold_days=70)
    data = cash_reconciliation(user=paid.p.users["thu_1"], date_from=D(2024, 10, 1), date_to=D(2024, 10, 1),
                               on=D(2024, 12, 31))
    row = data["rows"][0]
    assert (row["difference"], row["held_days"], row["limit"], row["flags"], row["pending"]) == (SON, 65, 70, [], True)
    waiting = cash_not_handed_over(user=paid.p.users["thu_1"], on=D(2024, 12, 2))
    assert [(w["day"], w["net"], w["held_days"], w["overdue"]) for w in waiting] == [
        (D(2024, 7, 1), HI, 110, True), (D(2024, 10, 1), SON, 44, False), (D(2024, 10, 2), -SON, 43, False), (D(2024, 12, 1), HEAD, 1, False)]
    assert [w["day"] for w in cash_not_handed_over(user=paid.p.users["thu_1"], on=D(2024, 12, 2), since_days=62)] == [
        D(2024, 10, 1), D(2024, 10, 2), D(2024, 12, 1)]
    assert cash_not_handed_over(user=paid.p.users["bhxh_tinh"], on=D(2024, 12, 2)) == []
    with pytest.raises(OutOfScope):
        cash_reconciliation(user=paid.p.users["thu_2"], date_from=D(2024, 7, 1), date_to=D(2024, 12, 31),
                            on=D(2024, 12, 31), agent=paid.p.agent)
