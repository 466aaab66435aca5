"""Adding a dated parameter value: who may, what the strict checks refuse (exact messages), what is
recorded, and how the active set picks it up."""

import datetime

import pytest

from ansinh.core.errors import PermissionDenied
from ansinh.parameters import errors
from ansinh.parameters.errors import ParameterValueRefused, UnknownParameter
from ansinh.parameters.models import Confidence, ParameterValue
from ansinh.parameters.selectors import active_parameters, parameter_history
from ansinh.parameters.services import parameter_value_add
from ansinh.rules import default_parameters
from ansinh.rules.parameters import CONFIDENCES
from ansinh.rules.quote import quote

BASE = "common.base_salary"


def last_base_salary():
    return default_parameters().parameter(BASE).values[-1]


def next_year(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year + 1)


def add(user, **overrides):
    last = last_base_salary()
    data = {"name": BASE, "start": next_year(last.start), "value": "2.800.000",
            "reference_document": "Nghị định 1/2027/NĐ-CP", "reference_article": "Điều 3",
            "reference_link": "https://example.vn/nd-1-2027", "confidence": "reported", "note": "thử"}
    data.update(overrides)
    return parameter_value_add(user=user, **data)


def test_the_confidence_choices_are_the_rules_confidences():
    assert Confidence.values == list(CONFIDENCES)


def test_the_province_admin_adds_the_next_base_salary_recorded_with_who_and_when(users):
    officer = users["quan_tri"]
    record = add(officer)
    assert record.created_by == officer and record.created_at is not None
    assert record.value_json == "2800000"
    params = active_parameters()
    start = next_year(last_base_salary().start)
    resolved = params.get(BASE, start)
    assert resolved.value == 2_800_000
    assert resolved.dated.origin == "runtime"
    assert resolved.confidence == "reported"
    assert resolved.dated.reference.text() == "Điều 3 Nghị định 1/2027/NĐ-CP"
    assert params.value(BASE, start - datetime.timedelta(days=1)) == last_base_salary().value
    history = parameter_history(name=BASE, on=start)
    newest = history["values"][0]
    assert newest["dated"].start == start and newest["in_force"]
    assert newest["record"] == record


@pytest.mark.parametrize("username", ["thu_1", "hoi_tinh", "bhxh_tinh"])
def test_other_roles_cannot_add_a_value(users, username):
    with pytest.raises(PermissionDenied):
        add(users[username])
    assert ParameterValue.objects.count() == 0


def test_a_date_not_after_the_last_value_is_refused(users):
    last = last_base_salary()
    for start in (last.start, last.start - datetime.timedelta(days=1)):
        with pytest.raises(ParameterValueRefused) as refused:
            add(users["quan_tri"], start=start)
        assert refused.value.message == errors.START_NOT_AFTER_LAST.format(last=last.start.strftime("%d/%m/%Y"))
        assert refused.value.message == f"Ngày áp dụng phải sau ngày bắt đầu của giá trị gần nhất " \
                                        f"({last.start:%d/%m/%Y})."
        assert refused.value.field == "start"
    assert ParameterValue.objects.count() == 0


def test_a_date_after_an_earlier_runtime_value_is_needed_too(users):
    officer = users["quan_tri"]
    first = add(officer)
    with pytest.raises(ParameterValueRefused) as refused:
        add(officer, start=first.start, value="2.900.000")
    assert refused.value.message == f"Ngày áp dụng phải sau ngày bắt đầu của giá trị gần nhất ({first.start:%d/%m/%Y})."


def test_a_negative_amount_is_refused(users):
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], value="-2.800.000")
    assert refused.value.message == "Giá trị không được âm."
    assert refused.value.field == "value"


def test_an_unknown_parameter_is_refused(users):
    with pytest.raises(UnknownParameter) as refused:
        add(users["quan_tri"], name="common.base_salery")
    assert refused.value.message == "Không có tham số «common.base_salery»."


@pytest.mark.parametrize(("name", "value", "hint"), [
    (BASE, "hai triệu", "một số tiền nguyên không âm (đồng), ví dụ 2.530.000"),
    (BASE, "2800000.5", "một số tiền nguyên không âm (đồng), ví dụ 2.530.000"),
    ("household_hi.contribution_rate", "101", "một tỷ lệ phần trăm từ 0 đến 100, ví dụ 4,5"),
    ("benefits.retirement_age.male", "62y12m", "một độ tuổi dạng 61y6m (hoặc «61 tuổi 6 tháng»), số tháng từ 0 đến 11"),
    ("household_hi.ladder", "[100, 70", "một danh sách JSON các phần trăm, ví dụ [100, 70, 60, 50, 40]"),
])
def test_a_value_that_does_not_fit_its_unit_is_refused_naming_the_expected_form(users, name, value, hint):
    last = default_parameters().parameter(name).values[-1]
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], name=name, start=next_year(last.start), value=value)
    assert refused.value.message == f"Giá trị không hợp lệ: cần {hint}."


@pytest.mark.parametrize(("field", "overrides", "message"), [
    ("value", {"value": "  "}, "Vui lòng nhập giá trị."),
    ("reference_document", {"reference_document": " "}, "Vui lòng nhập văn bản căn cứ (số hiệu văn bản pháp lý)."),
    ("reference_link", {"reference_link": "javascript:alert(1)"}, "Đường dẫn phải bắt đầu bằng http:// hoặc https://."),
    ("confidence", {"confidence": "sure"}, errors.CONFIDENCE_INVALID),
    ("start", {"start": None}, "Vui lòng nhập ngày bắt đầu áp dụng."),
])
def test_missing_or_bad_fields_are_refused(users, field, overrides, message):
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], **overrides)
    assert refused.value.message == message
    assert refused.value.field == field


def test_an_alias_to_nowhere_is_refused_by_the_rules_loader(users):
    name = "vsi.income_ceiling_base"
    parameter = default_parameters().parameter(name)
    assert parameter.unit == "alias"
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], name=name, start=next_year(parameter.values[-1].start),
            value="common.no_such_parameter")
    assert refused.value.message.startswith("Bộ kiểm tra tham số từ chối giá trị này (")
    assert "common.no_such_parameter" in refused.value.message


def test_decimals_and_structured_values_are_stored_normalised(users):
    officer = users["quan_tri"]
    rate = default_parameters().parameter("household_hi.contribution_rate").values[-1]
    record = add(officer, name="household_hi.contribution_rate", start=next_year(rate.start), value="4,75")
    assert record.value_json == '"4.75"'
    groups = default_parameters().parameter("household_hi.state_support_minimum").values[-1]
    record = add(officer, name="household_hi.state_support_minimum", start=next_year(groups.start),
                 value='{"near_poor": 80, "student": 50, "agri_average": 30.5}')
    assert active_parameters().value("household_hi.state_support_minimum", record.start)["agri_average"] == \
        pytest.approx(30.5)


def test_a_family_member_is_created_at_runtime(users):
    name = "vsi.local_support.92"
    assert active_parameters().find(name, datetime.date(2027, 1, 1)) is None
    add(users["quan_tri"], name=name, start=datetime.date(2027, 1, 1),
        value='{"poor": 10, "near_poor": 5}')
    assert active_parameters().value(name, datetime.date(2027, 1, 1))["poor"] == 10


def test_the_active_set_is_cached_until_a_value_is_added(users):
    first = active_parameters()
    assert active_parameters() is first
    assert first is default_parameters()
    add(users["quan_tri"])
    second = active_parameters()
    assert second is not first
    assert active_parameters() is second


def test_a_zero_base_salary_is_refused_because_every_price_would_be_zero(users):
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], value="0")
    assert refused.value.message == errors.VALUE_ZERO
    assert not ParameterValue.objects.exists()


def test_a_value_by_group_must_keep_the_groups_in_force(users):
    name = "vsi.state_support_2025"
    last = default_parameters().parameter(name).values[-1]
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], name=name, start=next_year(last.start), value='{"rich": 10}')
    assert refused.value.message == errors.GROUPS_DIFFER.format(groups=", ".join(sorted(last.value)))


def test_an_officer_adds_a_provinces_social_pension_top_up_and_the_quote_uses_it_from_its_date(users):
    name = "social_pension.local_top_up.can_tho"
    add(users["quan_tri"], name=name, start=datetime.date(2027, 1, 1), value="100.000")
    request = {"kind": "social_pension", "age": 80, "has_pension": False, "province": "can_tho"}
    before = quote(request | {"on": "2026-12-31"}, params=active_parameters())
    after = quote(request | {"on": "2027-01-01"}, params=active_parameters())
    assert (before["local_amount"], after["local_amount"], after["total_monthly"]) == (0, 100000, 600000)


def test_a_change_of_more_than_half_needs_a_reason_and_the_reason_is_recorded(users):
    last = last_base_salary()
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], value=str(last.value // 10))
    assert refused.value.message == errors.CHANGE_NEEDS_REASON.format(
        pct="90%", share="50%", before=f"{last.value:,}".replace(",", "."),
        after=f"{last.value // 10:,}".replace(",", "."))
    assert (refused.value.code, refused.value.field) == ("change_needs_reason", "change_reason")
    assert not ParameterValue.objects.exists()
    record = add(users["quan_tri"], value=str(last.value // 10), change_reason="  Nghị định mới giảm lương cơ sở  ")
    assert record.change_reason == "Nghị định mới giảm lương cơ sở"
    dated = active_parameters().parameter(BASE).values[-1]
    assert (dated.value, dated.change_reason) == (last.value // 10, "Nghị định mới giảm lương cơ sở")


def test_a_change_of_exactly_half_needs_no_reason(users):
    last = last_base_salary()
    record = add(users["quan_tri"], value=str(last.value * 3 // 2))
    assert record.change_reason == ""


def test_a_group_moving_by_more_than_half_needs_a_reason_too(users):
    name = "vsi.state_support_2025"
    last = default_parameters().parameter(name).values[-1]
    value = dict(last.value) | {"other": 5}
    with pytest.raises(ParameterValueRefused) as refused:
        add(users["quan_tri"], name=name, start=next_year(last.start),
            value="{" + ", ".join(f'"{k}": {v}' for k, v in value.items()) + "}")
    assert refused.value.code == "change_needs_reason"
    assert "thay đổi 75%" in refused.value.message


@pytest.mark.parametrize(("start", "local", "accepted"), [
    (datetime.date(2025, 6, 30), 70, True),   # poor: 30 % under Decree 134/2015 -> 100 %
    (datetime.date(2025, 7, 1), 70, False),   # poor: 50 % under Decree 159/2025 -> 120 %
    (datetime.date(2025, 7, 1), 50, True),
])
def test_local_support_above_100_percent_with_the_state_is_refused_on_the_page(users, start, local, accepted):
    name = "vsi.local_support.92"
    if not accepted:
        with pytest.raises(ParameterValueRefused) as refused:
            add(users["quan_tri"], name=name, start=start, value=f'{{"poor": {local}, "other": 10}}')
        assert refused.value.message == errors.LOCAL_SUPPORT_ABOVE_TOTAL.format(
            group="hộ nghèo", local=f"{local}%", start=f"{start:%d/%m/%Y}", state="50%")
        assert (refused.value.code, refused.value.field) == ("local_support_above_total", "value")
        return
    record = add(users["quan_tri"], name=name, start=start, value=f'{{"poor": {local}, "other": 10}}')
    assert record.name == name


def test_a_legal_parameter_is_refused_to_an_si_officer_with_the_reason(users):
    with pytest.raises(PermissionDenied) as refused:
        add(users["bhxh_tinh"], name="vsi.contribution_rate")
    assert refused.value.message == ("Tham số pháp lý áp dụng cho cả nước: chỉ quản trị tỉnh mới được thêm giá trị "
                                     "mới (cán bộ cấp huyện, xã không được thêm).")
    assert ParameterValue.objects.count() == 0


def test_local_support_of_another_province_is_refused_to_a_province_admin(users):
    with pytest.raises(PermissionDenied) as refused:
        add(users["quan_tri"], name="vsi.local_support.94", start=datetime.date(2027, 1, 1),
            value='{"poor": 10, "near_poor": 5}')
    assert refused.value.message == "Chỉ quản trị của tỉnh 94 mới được thêm mức hỗ trợ của địa phương tỉnh này."
    assert ParameterValue.objects.count() == 0


def test_a_superuser_adds_a_legal_parameter(users):
    from django.contrib.auth.models import User

    root = User.objects.create_superuser(username="root", password="x")
    assert add(root).created_by == root
