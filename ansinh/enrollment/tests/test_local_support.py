"""Local (provincial) support: the dated value of the province of the person's commune on the payment date
(the map in force that day) lowers every VSI quote, payment, receipt and the D05-TS local columns."""

import datetime

import pytest

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.areas.selectors import new_unit_of, province_code_on
from ansinh.collection.services import payment_record
from ansinh.enrollment.errors import PricingError
from ansinh.enrollment.services import vsi_enroll, vsi_quote
from ansinh.parameters.services import parameter_value_add
from ansinh.testing.admin import province_admin_make
from ansinh.reports.selectors import OPERATOR, ListFilter, d05_rows

MAP_CHANGE = datetime.date(2025, 7, 1)
DAY_BEFORE = datetime.date(2025, 6, 30)
FLOOR_2025 = 1_500_000  # the income typed in the tests: the rural poverty line of 2022–2025 (rules.md §1)


def _admin():
    """The administrator of Cần Thơ (92), who records its local support and that of Hậu Giang (93) before
    the merge (only a province's administrator adds local support)."""
    from django.contrib.auth.models import User

    return User.objects.filter(username="quan_tri").first() or province_admin_make("quan_tri")


def _local(user, code: str, start: datetime.date, value: str):
    return parameter_value_add(user=user, name=f"vsi.local_support.{code}", start=start, value=value,
                               reference_document="Nghị quyết HĐND (thử)", confidence="reported")


def _head(p):
    return p.household.members.get(relationship="head").person


def test_the_province_of_a_commune_follows_the_map_in_force_on_the_day(small_province):
    p = small_province
    new_commune = new_unit_of(old_commune=p.commune)
    assert province_code_on(commune_id=p.commune.pk, on=DAY_BEFORE) == "93"
    assert province_code_on(commune_id=p.commune.pk, on=MAP_CHANGE) == "92"
    assert province_code_on(commune_id=new_commune.pk, on=MAP_CHANGE) == "92"
    assert province_code_on(commune_id=new_commune.pk, on=DAY_BEFORE) == "93"
    assert AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE).code == "92"


def test_the_old_province_support_applies_the_day_before_the_map_change_and_the_new_one_on_the_day(small_province):
    p = small_province
    officer = _admin()
    _local(officer, "93", datetime.date(2025, 1, 1), '{"other": 5}')
    _local(officer, "92", MAP_CHANGE, '{"other": 10, "poor": 20}')
    head = _head(p)
    before = vsi_quote(user=p.users["thu_1"], person=head, income=FLOOR_2025, months=1, payment_mode="monthly",
                       on=DAY_BEFORE)
    # 5 % × 22 % × 1,500,000 × 1 month; state: 10 % (Decree 134/2015) = 33,000
    assert (before["province_code"], before["local_support_pct"], before["local_support"]) == ("93", 5, 16_500)
    assert before["state_support"] == 33_000 and before["payable"] == 330_000 - 33_000 - 16_500
    on_day = vsi_quote(user=p.users["thu_1"], person=head, income=FLOOR_2025, months=1, payment_mode="monthly",
                       on=MAP_CHANGE)
    # 10 % × 22 % × 1,500,000; state: 20 % (Decree 159/2025) = 66,000
    assert (on_day["province_code"], on_day["local_support_pct"], on_day["local_support"]) == ("92", 10, 33_000)
    assert on_day["payable"] == 330_000 - 66_000 - 33_000


def test_a_local_value_from_a_date_applies_from_that_day_not_the_day_before(small_province):
    p = small_province
    _local(_admin(), "92", datetime.date(2026, 3, 1), '{"other": 10}')
    head = _head(p)
    quote = lambda on: vsi_quote(user=p.users["thu_1"], person=head, income=FLOOR_2025, months=1,  # noqa: E731
                                 payment_mode="monthly", on=on)
    assert quote(datetime.date(2026, 2, 28))["local_support"] == 0
    assert quote(datetime.date(2026, 3, 1))["local_support"] == 33_000


def test_a_paid_quote_carries_the_local_support_to_the_receipt_and_the_d05_local_columns(small_province):
    p = small_province
    _local(_admin(), "92", datetime.date(2026, 1, 1), '{"other": 10}')
    on = datetime.date(2026, 3, 2)
    participation = vsi_enroll(user=p.users["thu_1"], person=_head(p), income=FLOOR_2025, months=3,
                               payment_mode="3_months", on=on)
    assert (participation.local_support, participation.state_support) == (99_000, 198_000)
    assert participation.payable == 990_000 - 198_000 - 99_000
    _payment, receipt, _ = payment_record(user=p.users["thu_1"], participation=participation,
                                          amount=participation.payable, method="cash", paid_on=on,
                                          idempotency_key="local-1")
    assert receipt.amount == 693_000
    row = next(r for r in d05_rows(user=OPERATOR, filters=ListFilter()) if r["full_name"] == "Nguyễn Văn An")
    assert (row["local_support_pct"], row["local_support"]) == (10, 99_000)
    assert row["amount_due"] == row["payable"] + row["state_support"] + row["local_support"]


def test_local_support_that_makes_more_than_100_percent_with_the_state_is_refused_with_its_code(small_province):
    p = small_province
    # accepted on the page: 85 % + the 10 % of Decree 134/2015 in force on 01/06/2025; from 01/07/2025 the
    # state gives 20 % (Decree 159/2025), so the quote of that day refuses the 105 %
    _local(_admin(), "92", datetime.date(2025, 6, 1), '{"other": 85}')
    with pytest.raises(PricingError) as refused:
        vsi_quote(user=p.users["thu_1"], person=_head(p), income=FLOOR_2025, months=1, payment_mode="monthly",
                  on=MAP_CHANGE)
    assert refused.value.code == "invalid_request"
    assert refused.value.message == (
        "Mức hỗ trợ của ngân sách địa phương (85%) cộng với hỗ trợ của Nhà nước (20%) cho nhóm «đối tượng khác» "
        "vượt quá 100% mức đóng tính trên chuẩn hộ nghèo; hãy sửa tham số hỗ trợ địa phương của tỉnh 92.")
