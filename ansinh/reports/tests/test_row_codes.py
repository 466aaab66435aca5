"""D05-TS and D03-TS rows carry the residence codes of the map in force on the payment date: old-map
province, district and commune up to 30/06/2025; the successor province and the new commune from
01/07/2025, with the old codes alongside."""

import datetime
import io

import openpyxl
import pytest

from ansinh.collection.services import payment_record
from ansinh.enrollment.services import hi_enroll, vsi_enroll
from ansinh.reports.exports.lists import d03_export, d05_export
from ansinh.reports.selectors import OPERATOR, ListFilter, d03_rows, d05_rows

LAST_OLD_DAY, FIRST_NEW_DAY = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


def _pay(user, quote, on, key):
    payment_record(user=user, participation=quote, amount=quote.payable, method="cash", paid_on=on,
                   idempotency_key=key)


@pytest.fixture
def paid_both_sides(small_province):
    p = small_province
    officer = p.users["bhxh_tinh"]
    head = p.household.members.get(relationship="head").person
    wife = p.household.members.get(relationship="spouse").person
    for person, on, key in ((head, LAST_OLD_DAY, "vsi-june"), (wife, FIRST_NEW_DAY, "vsi-july")):
        _pay(officer, vsi_enroll(user=officer, person=person, income=1_500_000, months=12, payment_mode="12_months",
                                 on=on, support_group="other"), on, key)
    _pay(officer, hi_enroll(user=officer, household=p.other_household, months=12, on=LAST_OLD_DAY), LAST_OLD_DAY,
         "hi-june")
    _pay(officer, hi_enroll(user=officer, household=p.household, months=12, on=FIRST_NEW_DAY), FIRST_NEW_DAY,
         "hi-july")
    return p


CODES = ("province_code", "district_code", "commune_code", "old_province_code", "old_district_code",
         "old_commune_code")


def test_d05_rows_use_the_old_map_up_to_30_06_2025_and_the_new_map_after(paid_both_sides):
    rows = list(d05_rows(user=OPERATOR, filters=ListFilter()))
    assert [(r["full_name"], r["paid_on"], *(r[c] for c in CODES)) for r in rows] == [
        ("Nguyễn Văn An", LAST_OLD_DAY, "93", "930", "31318", "", "", ""),
        ("Trần Thị Bình", FIRST_NEW_DAY, "92", "", "31321", "93", "930", "31318"),
    ]


def test_d03_rows_use_the_map_of_their_payment_date(paid_both_sides):
    rows = list(d03_rows(user=OPERATOR, filters=ListFilter()))
    codes = {(r["household_code"], r["paid_on"], r["province_code"], r["commune_code"], r["old_commune_code"])
             for r in rows}
    assert codes == {("HG-0002", LAST_OLD_DAY, "93", "31340", ""),
                     ("HG-0001", FIRST_NEW_DAY, "92", "31321", "31318")}


def _sheet_rows(export, user):
    out = io.BytesIO()
    export(user=user, filters=ListFilter(), out=out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "STT")
    heads = [c.value for c in ws[header]]
    return [dict(zip(heads, (c.value for c in ws[r]), strict=True)) for r in range(header + 1, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, int)]


def test_the_spreadsheets_show_the_new_codes_with_the_old_alongside(paid_both_sides):
    d05 = _sheet_rows(d05_export, OPERATOR)
    assert [(r["Mã tỉnh"], r["Mã huyện"], r["Mã xã"], r["Mã tỉnh trước 01/07/2025"], r["Mã xã trước 01/07/2025"])
            for r in d05] == [("93", "930", "31318", None, None), ("92", None, "31321", "93", "31318")]
    d03 = _sheet_rows(d03_export, OPERATOR)
    assert {(r["Mã hộ gia đình"], r["Mã tỉnh"], r["Mã xã"]) for r in d03} == {("HG-0002", "93", "31340"),
                                                                          ("HG-0001", "92", "31321")}
