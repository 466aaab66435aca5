"""Lists name the collection organisation as it was on their date: Bưu điện tỉnh Hậu Giang in 2024, its
successor Bưu điện thành phố Cần Thơ after 01/07/2025 (D05-TS/D03-TS title blocks, the collection book,
the reconciliation and the renewal lists)."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from ansinh.accounts.models import Role
from ansinh.accounts.services import user_role_assign
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, SiOffice
from ansinh.collection.models import CollectionOrg
from ansinh.reports.exports.lists import d03_export, d05_export
from ansinh.reports.exports.work_lists import heading_name
from ansinh.reports.selectors import OPERATOR, ListFilter, list_heading

OLD_NAME, NEW_NAME = "Bưu điện tỉnh Hậu Giang", "Bưu điện thành phố Cần Thơ"
IN_2024 = ListFilter(date_from=datetime.date(2024, 7, 1), date_to=datetime.date(2024, 12, 31))
AFTER = ListFilter(date_from=datetime.date(2025, 7, 1), date_to=datetime.date(2025, 9, 30))


@pytest.fixture
def merged(small_province):
    new_province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    successor = CollectionOrg.objects.create(code="BD92", name=NEW_NAME, province=new_province,
                                             valid_from=datetime.date(2025, 7, 1))
    small_province.org.closed_on = datetime.date(2025, 6, 30)
    small_province.org.successor = successor
    small_province.org.save()
    return small_province


def test_list_headings_name_the_org_of_their_date(merged):
    assert (list_heading(user=OPERATOR, filters=IN_2024)["org_name"], list_heading(user=OPERATOR, filters=IN_2024)["org_code"]) == (OLD_NAME, "BD93")
    after = list_heading(user=OPERATOR, filters=AFTER)
    assert (after["org_name"], after["org_code"]) == (NEW_NAME, "BD92")
    # an agent of the closed organisation: its successor after it closed, itself before
    agent_after = list_heading(user=merged.users["thu_1"], filters=AFTER)
    assert (agent_after["org_name"], agent_after["agent_label"]) == (NEW_NAME, "NVT001 — Lê Thị Thu")
    assert list_heading(user=merged.users["thu_1"], filters=IN_2024)["org_name"] == OLD_NAME
    # no end date: named as of the start
    assert list_heading(user=OPERATOR, filters=ListFilter(date_from=datetime.date(2024, 1, 1)))["org_name"] == OLD_NAME


def _titles(out) -> list[str]:
    ws = load_workbook(out).active
    return [ws.cell(row=r, column=1).value for r in range(1, 9)]


def test_d05_and_d03_files_carry_the_name_of_their_date(merged):
    for export in (d05_export, d03_export):
        old, new = io.BytesIO(), io.BytesIO()
        export(user=OPERATOR, filters=IN_2024, out=old)
        export(user=OPERATOR, filters=AFTER, out=new)
        assert OLD_NAME.upper() in _titles(old) and NEW_NAME.upper() not in _titles(old)
        assert NEW_NAME.upper() in _titles(new) and "Mã đơn vị: BD92" in _titles(new)


def test_working_lists_headings_by_date_and_for_an_office_officer(merged):
    on_2024, after = datetime.date(2024, 12, 31), datetime.date(2025, 9, 30)
    assert heading_name(merged.users["thu_1"], on=on_2024) == OLD_NAME
    assert heading_name(merged.users["thu_1"], on=after) == NEW_NAME
    assert heading_name(OPERATOR, on=on_2024) == OLD_NAME and heading_name(OPERATOR, on=after) == NEW_NAME
    office = SiOffice.objects.create(code="VT", name="BHXH cơ sở khu vực Vị Thanh", province=merged.org.successor.province)
    officer = User.objects.create_user("bhxh_coso", password="x")
    user_role_assign(user=officer, role=Role.SI_OFFICER, si_office=office)
    assert heading_name(officer, on=after) == "Bảo hiểm xã hội — BHXH cơ sở khu vực Vị Thanh"


def _sheet_titles(response) -> list:
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [ws.cell(row=r, column=1).value for r in range(1, 6)]


def test_the_book_and_renewal_downloads_name_the_org_of_their_date(client, merged):
    client.force_login(merged.users["thu_1"])
    old = client.get("/so-thu/xlsx/?date_from=2024-07-01&date_to=2024-12-31")
    new = client.get("/so-thu/xlsx/?date_from=2025-07-01&date_to=2025-09-30")
    assert old.status_code == new.status_code == 200
    assert _sheet_titles(old)[0] == OLD_NAME.upper() and _sheet_titles(new)[0] == NEW_NAME.upper()
    renewals = client.get("/tai-tuc/xlsx/?which=hi_expiring&on=2026-12-03&days=30")
    assert renewals.status_code == 200 and _sheet_titles(renewals)[0] == NEW_NAME.upper()
