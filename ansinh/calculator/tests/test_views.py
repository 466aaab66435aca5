"""The public pages answer without signing in, show the amounts of the shared vectors with their
breakdown, and turn every bad input into the rules' Vietnamese message next to its field (never a 500)."""

import datetime
import html
import re

import pytest

from ansinh.calculator.forms import DATE_INVALID, EXTRA_MONTHS_INVALID, MONTH_INVALID
from ansinh.rules import default_parameters
from ansinh.rules.errors import RuleError
from ansinh.rules.quote import quote
from ansinh.testing.admin import province_admin_make
from ansinh.testing.vectors import vector, vectors

CONTRIBUTION = "/tinh-muc-dong/"
BENEFITS = "/tinh-luong-huu/"
HTMX = {"HTTP_HX_REQUEST": "true"}
CONFIDENCE_VI = {"published": "Theo văn bản chính thức", "second-hand": "Theo nguồn nhắc lại văn bản",
                 "reported": "Chờ văn bản chính thức"}


def vnd(amount: int) -> str:
    return f"{amount:,} đ".replace(",", ".")


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def element_text(response, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert match, f"no element {element_id}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def field_error(response, name: str) -> str:
    """The error text shown next to field `name` (its always-present error list)."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_errors"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert match, f"no error list for {name}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def ddmmyyyy(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def form_of(request: dict) -> dict:
    """The calculator form data for a vector request."""
    if request["kind"] == "hi_household":
        return {"kind": "hi", "on": ddmmyyyy(request["on"]), "members": str(request["members"]),
                "months": str(request.get("months", "")), "hi_group": "none"}
    data = {"kind": "vsi", "on": ddmmyyyy(request["on"]), "income": f"{request['income']:,}".replace(",", "."),
            "payment_mode": request.get("payment_mode", "monthly"), "months": str(request.get("months", "")),
            "support_group": request.get("support_group", "other"),
            "months_already_supported": str(request.get("months_already_supported", ""))}
    if request.get("reached_retirement_age"):
        data["reached_retirement_age"] = "on"
    return data


def rules_message(request: dict) -> str:
    with pytest.raises(RuleError) as refused:
        quote(request)
    return refused.value.message


# ---------- Tính mức đóng ----------

def test_the_first_visit_answers_without_login_with_the_floor_of_today(client, db):
    response = client.get(CONTRIBUTION)
    assert response.status_code == 200
    assert "Tính mức đóng" in text(response)
    assert element_text(response, "calc-payable").endswith(" đ")


def test_the_hi_household_of_five_on_2024_07_01(client, db):
    case = vector("hi-2024-5")
    response = client.get(CONTRIBUTION, form_of(case["request"]))
    assert response.status_code == 200
    page = text(response)
    for amount in case["expect"]["per_member"]:
        assert vnd(amount) in page
    assert element_text(response, "calc-total") == vnd(case["expect"]["total"])
    assert element_text(response, "calc-payable") == vnd(case["expect"]["total"])
    assert "1.263.600 đ" in page  # the money format of the issue
    # each line: formula, parameters with their values, legal reference and a confidence badge
    on = datetime.date.fromisoformat(case["request"]["on"])
    base = default_parameters().get("common.base_salary", on)
    rate = default_parameters().get("household_hi.contribution_rate", on)
    first = quote(case["request"])["breakdown"][0]
    assert f"Công thức: {first['formula']}" in page
    assert f"Lương cơ sở : {vnd(base.value)} (từ {base.dated.start:%d/%m/%Y}; {base.dated.reference.text()})" in page
    assert f"Căn cứ pháp lý: {rate.dated.reference.text()}" in page
    assert f"Nguồn con số: {CONFIDENCE_VI[first['confidence']]}" in page
    assert 'class="badge badge-ok confidence"' in response.content.decode()


def test_the_poor_floor_vsi_of_2025_07_01(client, db):
    case = vector("vsi-2025-floor-poor")
    response = client.get(CONTRIBUTION, form_of(case["request"]))
    assert response.status_code == 200
    assert element_text(response, "calc-gross") == vnd(case["expect"]["gross"])
    assert element_text(response, "calc-state-support") == "−" + vnd(case["expect"]["state_support"])
    assert element_text(response, "calc-payable") == vnd(case["expect"]["payable"])
    page = text(response)
    support = next(line for line in quote(case["request"])["breakdown"] if line["key"] == "state_support")
    assert support["reference"][0] in page
    assert f"Nguồn con số: {CONFIDENCE_VI[support['confidence']]}" in page
    poor = quote(case["request"])["support_pct"]
    assert f"Hộ nghèo: {poor}%" in page  # the support parameter with its values


CONTRIBUTION_VECTORS = [
    v for v in vectors().values()
    if v["request"]["kind"] in ("vsi_contribution", "hi_household")
    and not {"fund_rate_monthly", "ranks"} & set(v["request"])
    and not isinstance(v["request"].get("support_pct", 0), list)
    and v["request"].get("support_pct", 0) == 0
]


@pytest.mark.parametrize("case", CONTRIBUTION_VECTORS, ids=lambda v: v["id"])
def test_every_contribution_vector_shows_its_amount_or_its_error(client, db, case):
    response = client.get(CONTRIBUTION, form_of(case["request"]))
    expect = case["expect"]
    if "error" in expect:
        assert response.status_code == 400
        assert rules_message(case["request"]) in text(response)
    else:
        assert response.status_code == 200
        payable = expect.get("payable", expect.get("total"))
        assert element_text(response, "calc-payable") == vnd(payable)


def test_the_near_poor_group_gets_the_state_support_of_the_rules(client, db):
    case = vector("hi-near-poor-70")
    data = form_of(case["request"]) | {"hi_group": "near_poor"}
    response = client.get(CONTRIBUTION, data)
    assert element_text(response, "calc-payable") == vnd(case["expect"]["payable"])
    assert vnd(case["expect"]["state_support"]) in text(response)


def vsi_form(**overrides) -> dict:
    return form_of(vector("vsi-2025-floor-poor")["request"]) | overrides


def hi_form(**overrides) -> dict:
    return form_of(vector("hi-2024-5")["request"]) | overrides


@pytest.mark.parametrize(("data", "field", "message"), [
    (vsi_form(income="abc"), "income", "«Mức thu nhập» phải là một số nguyên."),
    (vsi_form(income="1500000,5"), "income", "«Mức thu nhập» phải là một số nguyên."),
    (vsi_form(income="-1.500.000"), "income", "«Mức thu nhập» = -1500000 nằm ngoài giới hạn cho phép."),
    (vsi_form(income=""), "income", "Thiếu trường bắt buộc «Mức thu nhập»."),
    (vsi_form(months="0"), "months", "«Số tháng» = 0 nằm ngoài giới hạn cho phép."),
    (hi_form(months="0"), "months", "«Số tháng» = 0 nằm ngoài giới hạn cho phép."),
    (hi_form(members="0"), "members", "«Số người trong hộ» = 0 nằm ngoài giới hạn cho phép."),
    (hi_form(members="năm"), "members", "«Số người trong hộ» phải là một số nguyên."),
    (vsi_form(on="31/02/2025"), "on", DATE_INVALID),
    (vsi_form(on="hôm qua"), "on", DATE_INVALID),
    (vsi_form(months_already_supported="-3"), "months_already_supported",
     "«Số tháng đã được hỗ trợ» = -3 nằm ngoài giới hạn cho phép."),
])
def test_a_bad_input_shows_the_rules_message_next_to_its_field(client, db, data, field, message):
    response = client.get(CONTRIBUTION, data)
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert 'id="calc-payable"' not in response.content.decode()


@pytest.mark.parametrize(("data", "field", "request_"), [
    (hi_form(months="61"), "months", {"kind": "hi_household", "on": "2024-07-01", "members": 5, "months": 61}),
    (vsi_form(months="61"), "months",
     {"kind": "vsi_contribution", "on": "2025-07-01", "income": 1500000, "months": 61, "support_group": "poor"}),
    (vsi_form(payment_mode="advance", months="61"), "months",
     {"kind": "vsi_contribution", "on": "2025-07-01", "income": 1500000, "months": 61, "payment_mode": "advance"}),
    (vsi_form(income="1.234.567"), "income",
     {"kind": "vsi_contribution", "on": "2025-07-01", "income": 1234567, "months": 1}),
    (vsi_form(income="1.525.000"), "income",
     {"kind": "vsi_contribution", "on": "2025-07-01", "income": 1525000, "months": 1}),
    (vsi_form(payment_mode="backpay", months="12"), "payment_mode",
     {"kind": "vsi_contribution", "on": "2025-07-01", "income": 1500000, "months": 12, "payment_mode": "backpay"}),
    (vsi_form(on="01/01/1990"), "on", {"kind": "vsi_contribution", "on": "1990-01-01", "income": 1500000}),
])
def test_months_0_or_61_and_absurd_amounts_show_the_rules_message(client, db, data, field, request_):
    response = client.get(CONTRIBUTION, data)
    assert response.status_code == 400
    assert field_error(response, field) == rules_message(request_)


def test_an_income_of_25_digits_is_above_the_ceiling(client, db):
    response = client.get(CONTRIBUTION, vsi_form(income="9" * 25))
    assert response.status_code == 400
    assert field_error(response, "income") == "Mức thu nhập chọn đóng cao hơn mức tối đa được phép."


def test_an_htmx_request_gets_the_result_and_the_field_errors_out_of_band(client, db):
    case = vector("hi-2024-5")
    response = client.get(CONTRIBUTION, form_of(case["request"]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    assert element_text(response, "calc-payable") == vnd(case["expect"]["total"])
    assert '<ul class="errorlist" id="id_income_errors" hx-swap-oob="true">' in body
    assert "HX-Request" in response["Vary"]
    bad = client.get(CONTRIBUTION, hi_form(months="4"), **HTMX)
    assert bad.status_code == 200
    assert field_error(bad, "months") == rules_message(vector("hi-bad-months")["request"] | {"on": "2024-07-01",
                                                                                         "members": 5})
    assert 'id="id_months_errors" hx-swap-oob="true"' in bad.content.decode()


def test_the_form_asks_htmx_to_update_the_result_as_it_changes(client, db):
    body = client.get(CONTRIBUTION).content.decode()
    assert 'hx-get="/tinh-muc-dong/"' in body and 'hx-target="#calc-result"' in body
    assert "input delay:500ms" in body and "change" in body


GARBAGE = ["abc", "-1", "0", "61", "9" * 60, "1e9", "", " ", "<script>x</script>", "1.2.3", "٣", "NaN", "--5"]


@pytest.mark.parametrize("field", ["income", "months", "members", "on", "months_already_supported",
                                   "contribution_months", "payment_mode", "support_group", "hi_group", "kind",
                                   "previous_card_end"])
def test_no_input_gives_a_server_error(client, db, field):
    for kind in ("vsi", "hi"):
        for value in GARBAGE:
            data = vsi_form(kind=kind, payment_mode="backpay", reached_retirement_age="on") | {field: value}
            response = client.get(CONTRIBUTION, data)
            assert response.status_code in (200, 400), (field, value)
            assert "<script>x</script>" not in response.content.decode()
            assert client.get(CONTRIBUTION, data, **HTMX).status_code == 200


# ---------- Tuổi nghỉ hưu và lương hưu ----------

def test_the_benefits_page_answers_without_login(client, db):
    response = client.get(BENEFITS)
    assert response.status_code == 200
    assert "Tuổi nghỉ hưu và lương hưu" in text(response)


@pytest.mark.parametrize("case", [v for v in vectors().values() if v["request"]["kind"] == "retirement_age"],
                         ids=lambda v: v["id"])
def test_retirement_age_month_reached_and_pension_start(client, db, case):
    year, month = case["request"]["birth_month"].split("-")
    response = client.get(BENEFITS, {"sex": case["request"]["sex"], "birth_month": f"{month}/{year}"})
    assert response.status_code == 200
    expect = case["expect"]
    years, months = re.fullmatch(r"(\d+)y(\d+)m", expect["retirement_age"]).groups()
    age = f"{years} tuổi {months} tháng" if months != "0" else f"{years} tuổi"
    assert element_text(response, "calc-retirement-age") == age
    reach_year, reach_month = expect["month_reaching_age"].split("-")
    assert element_text(response, "calc-month-reaching") == f"{reach_month}/{reach_year}"
    start_year, start_month = expect["pension_start_month"].split("-")
    assert element_text(response, "calc-pension-start") == f"01/{start_month}/{start_year}"


def test_the_pension_estimate_for_a_woman_of_20_years(client, db):
    case = vector("pension-amount-f20")
    request = case["request"]
    # a woman born in April 1969 reaches her retirement age in December 2025: her pension starts on the
    # vector's date
    birth_month = "1969-04"
    start = quote({"kind": "retirement_age", "sex": "female", "birth_month": birth_month})["pension_start_month"]
    assert f"{start}-01" == request["on"]
    response = client.get(BENEFITS, {"sex": "female", "birth_month": "04/1969",
                                     "years": str(request["contribution_months"] // 12),
                                     "extra_months": str(request["contribution_months"] % 12),
                                     "average_income": f"{request['average_income']:,}".replace(",", ".")})
    assert response.status_code == 200
    assert element_text(response, "calc-pension") == vnd(case["expect"]["monthly_pension"])
    rate = quote({k: v for k, v in request.items() if k != "average_income"} | {"kind": "pension_rate"})["rate_pct"]
    assert element_text(response, "calc-rate") == f"{rate}%"
    assert element_text(response, "calc-pension-start") == ddmmyyyy(request["on"])
    page = text(response)
    years_needed = quote(request)["breakdown"][0]
    assert years_needed["reference"][0] in page
    assert f"Nguồn con số: {CONFIDENCE_VI[years_needed['confidence']]}" in page


def test_a_man_with_too_few_years_is_told_the_years_needed(client, db):
    response = client.get(BENEFITS, {"sex": "male", "birth_month": "10/1964", "years": "10", "extra_months": "4",
                                     "average_income": "5.000.000"})
    assert response.status_code == 200
    start = quote({"kind": "retirement_age", "sex": "male", "birth_month": "1964-10"})["pension_start_month"]
    request = {"kind": "pension_rate", "on": f"{start}-01", "sex": "male", "contribution_months": 124}
    message = rules_message(request)
    needed = default_parameters().value("benefits.pension_years_needed", datetime.date.fromisoformat(f"{start}-01"))
    missing_years, missing_months = divmod(needed * 12 - 124, 12)
    assert 'id="calc-not-eligible"' in response.content.decode()
    page = text(response)
    assert (f"Chưa đủ điều kiện hưởng lương hưu: cần đóng đủ {needed} năm, còn thiếu {missing_years} năm "
            f"{missing_months} tháng.") in page
    assert message in page
    assert 'id="calc-pension"' not in response.content.decode()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"sex": "male", "birth_month": "tháng mười"}, "birth_month", MONTH_INVALID),
    ({"sex": "male", "birth_month": "13/1964"}, "birth_month", MONTH_INVALID),
    ({"sex": "male", "birth_month": ""}, "birth_month", "Vui lòng nhập tháng sinh (mm/yyyy)."),
    ({"birth_month": "10/1964"}, "sex", "Vui lòng chọn giới tính."),
    ({"sex": "male", "birth_month": "10/1964", "years": "mười"}, "years",
     "«Thời gian đóng (tháng)» phải là một số nguyên."),
    ({"sex": "male", "birth_month": "10/1964", "years": "-2"}, "years",
     "«Thời gian đóng (tháng)» = -24 nằm ngoài giới hạn cho phép."),
    ({"sex": "male", "birth_month": "10/1964", "years": "20", "extra_months": "12"}, "extra_months",
     EXTRA_MONTHS_INVALID),
    ({"sex": "male", "birth_month": "10/1964", "years": "20", "average_income": "-5"}, "average_income",
     "«Thu nhập bình quân» = -5 nằm ngoài giới hạn cho phép."),
    ({"sex": "male", "birth_month": "01/1900"}, "birth_month",
     "Chưa có tuổi nghỉ hưu được ghi nhận cho năm người này đủ tuổi."),
])
def test_a_bad_benefits_input_shows_its_message_next_to_the_field(client, db, data, field, message):
    response = client.get(BENEFITS, data)
    assert response.status_code == 400
    assert field_error(response, field) == message


@pytest.mark.parametrize("field", ["sex", "birth_month", "years", "extra_months", "average_income"])
def test_no_benefits_input_gives_a_server_error(client, db, field):
    for value in GARBAGE + ["0000-01", "9999-12", "12/9999", "2026-00"]:
        data = {"sex": "female", "birth_month": "04/1969", "years": "20", "average_income": "5.000.000"}
        response = client.get(BENEFITS, data | {field: value})
        assert response.status_code in (200, 400), (field, value)
        assert client.get(BENEFITS, data | {field: value}, **HTMX).status_code == 200


# ---------- BHXH một lần và trợ cấp hưu trí xã hội (issue 13) ----------

def _too_few_years(**extra):
    return {"sex": "male", "birth_month": "10/1964", "years": "10", "extra_months": "4",
            "average_income": "5.000.000", **extra}


def test_the_lump_sum_one_could_take_instead_is_shown_with_its_legal_trace(client, db):
    response = client.get(BENEFITS, _too_few_years(months_before_2014="24", state_support_received="1.000.000"))
    assert response.status_code == 200
    start = quote({"kind": "retirement_age", "sex": "male", "birth_month": "1964-10"})["pension_start_month"]
    expected = quote({"kind": "lump_sum", "on": f"{start}-01", "contribution_months_before_2014": 24,
                      "contribution_months_from_2014": 100, "average_income": 5_000_000,
                      "state_support_received": 1_000_000})
    # 2 years × 1.5 + 8.5 years × 2 months of 5,000,000, minus the 1,000,000 of state support
    assert expected["amount"] == 99_000_000
    assert element_text(response, "calc-lump-sum-amount") == vnd(99_000_000)
    page = text(response)
    for line in expected["breakdown"]:
        for reference in line["reference"]:
            assert reference in page
    assert "từ bỏ lương hưu và thẻ BHYT do quỹ BHXH đóng" in page


def test_the_social_pension_at_75_or_at_70_when_poor_is_shown_when_the_years_are_not_reached(client, db):
    response = client.get(BENEFITS, _too_few_years())
    assert element_text(response, "calc-social-pension-amount") == vnd(500_000)
    assert "từ ngày 01/11/2039 (đủ 75 tuổi)" in text(response)
    poor = client.get(BENEFITS, _too_few_years(poor_or_near_poor="on"))
    assert "từ ngày 01/11/2034 (đủ 70 tuổi)" in text(poor)
    expected = quote({"kind": "social_pension", "on": "2034-11-01", "birth_date": "1964-10-01", "has_pension": False,
                      "poor_or_near_poor": True})
    page = text(poor)
    for line in expected["breakdown"]:
        for reference in line["reference"]:
            assert reference in page


def test_no_social_pension_advice_for_someone_who_reaches_the_years(client, db):
    response = client.get(BENEFITS, {"sex": "female", "birth_month": "04/1969", "years": "20",
                                     "average_income": "5.000.000"})
    assert 'id="calc-social-pension"' not in response.content.decode()
    assert 'id="calc-lump-sum-amount"' in response.content.decode()


def test_lump_sum_months_that_do_not_add_up_are_said_without_hiding_the_pension_advice(client, db):
    response = client.get(BENEFITS, _too_few_years(months_before_2014="200"))
    assert response.status_code == 200
    assert element_text(response, "calc-lump-sum-error") == (
        "BHXH một lần: Số tháng đóng trước năm 2014 (200) không được lớn hơn tổng số tháng đã đóng (124).")
    assert 'id="calc-not-eligible"' in response.content.decode()


@pytest.mark.parametrize("field", ["months_before_2014", "state_support_received", "poor_or_near_poor"])
def test_no_lump_sum_or_social_pension_input_gives_a_server_error(client, db, field):
    for value in GARBAGE:
        response = client.get(BENEFITS, _too_few_years(**{field: value}))
        assert response.status_code in (200, 400), (field, value)


def test_the_vsi_estimate_applies_the_local_support_of_the_province_in_force_that_day(client, small_province):
    from ansinh.parameters.services import parameter_value_add

    parameter_value_add(user=province_admin_make("quan_tri"), name="vsi.local_support.92",
                        start=datetime.date(2026, 1, 1), value='{"other": 10}', reference_document="NQ (thử)",
                        confidence="reported")
    data = {"kind": "vsi", "on": "01/01/2026", "income": "1.500.000", "payment_mode": "monthly", "months": "",
            "support_group": "other", "months_already_supported": ""}
    response = client.get(CONTRIBUTION, data)
    assert element_text(response, "calc-local-support") == "−" + vnd(33_000)
    assert element_text(response, "calc-payable") == vnd(330_000 - 66_000 - 33_000)
    before = client.get(CONTRIBUTION, data | {"on": "31/12/2025"})
    assert 'id="calc-local-support"' not in before.content.decode()
    assert element_text(before, "calc-payable") == vnd(330_000 - 66_000)


def _hi_data(**extra):
    return {"kind": "hi", "members": "1", "months": "6", "hi_group": "none", **extra}


def test_the_hi_estimate_shows_the_card_dates_of_a_renewal_at_the_month_end(client, db):
    response = client.get(CONTRIBUTION, _hi_data(on="20/12/2025", previous_card_end="30/12/2025"))
    assert response.status_code == 200
    # renewed before the old card ends: from the day after it; 31/12 + 6 months ends on 30/06 (Civil Code
    # Art 148(3): 31/06 does not exist)
    assert (element_text(response, "calc-card-from"), element_text(response, "calc-card-to")) == (
        "31/12/2025", "30/06/2026")
    expected = quote({"kind": "hi_card", "paid_on": "2025-12-20", "months": 6, "previous_card_end": "2025-12-30"})
    assert expected["rule_text"] in text(response)


def test_a_first_card_waits_the_days_of_the_law_of_the_payment_day(client, db):
    for on in ("30/06/2025", "01/07/2025"):
        iso = datetime.datetime.strptime(on, "%d/%m/%Y").date().isoformat()
        expected = quote({"kind": "hi_card", "paid_on": iso, "months": 6, "previous_card_end": None})
        response = client.get(CONTRIBUTION, _hi_data(on=on))
        assert element_text(response, "calc-card-from") == ddmmyyyy(expected["valid_from"])
        assert element_text(response, "calc-card-to") == ddmmyyyy(expected["valid_to"])


@pytest.mark.parametrize(("value", "message"), [
    ("31/02/2026", DATE_INVALID),
    ("01/01/2035", "«Ngày hết hạn thẻ BHYT cũ» quá xa sau ngày đóng."),
])
def test_a_bad_previous_card_end_shows_its_message_next_to_the_field(client, db, value, message):
    response = client.get(CONTRIBUTION, _hi_data(on="20/12/2025", previous_card_end=value))
    assert response.status_code == 400
    assert field_error(response, "previous_card_end") == message
