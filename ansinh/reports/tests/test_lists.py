"""The official lists D05-TS and D03-TS: exact rows and totals from real priced payments, reversed payments
left out, scope, filters, the Excel file itself, and the ``ansinh export`` command."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.reports.exports.lists import D03_COLUMNS, D05_COLUMNS, d03_export, d05_export
from ansinh.reports.selectors import (
    OPERATOR, AreaNotFound, ListFilter, agent_resolve, area_resolve, d03_rows, d05_rows,
)

from .paid import paid_once_per_module


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


def _expect(case):
    return case["expect"]


def _header_row(ws):
    """Index (1-based) of the header row: the first row whose first cell is 'STT'."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError("no header row")


def _cells(ws, header_row, row):
    """{header text: cell} for a row of the sheet."""
    return {h.value: c for h, c in zip(ws[header_row], ws[row], strict=True)}


def test_d05_has_one_row_per_payment_with_the_amounts_of_the_rules_and_no_reversed_payment(paid):
    rows = list(d05_rows(user=OPERATOR, filters=ListFilter()))
    other, head = _expect(paid.vectors["vsi_other"]), _expect(paid.vectors["vsi_head"])
    assert [r["full_name"] for r in rows] == ["Phạm Văn Dũng", "Nguyễn Văn An"]  # the son's payment was reversed
    first, second = rows
    assert (first["amount_due"], first["payable"], first["state_support"]) == (
        other["gross"], other["payable"], other["state_support"])
    assert (second["amount_due"], second["payable"], second["state_support"]) == (
        head["gross"], head["payable"], head["state_support"])
    req = paid.vectors["vsi_head"]["request"]
    assert second["income"] == req["income"] and second["months"] == req["months"]
    assert second["from_month"] == datetime.date(2024, 12, 1)
    assert second["payment_mode"] == "12 tháng"
    assert second["si_number"] == "0930000001"
    assert second["citizen_id"] == "093070000001"
    assert second["date_of_birth"] == datetime.date(1970, 3, 5)
    assert second["local_support_pct"] == 0 and second["local_support"] == 0
    assert second["receipt_number"] == paid.vsi_head_receipt.number
    assert second["receipt_amount"] == second["payable"]
    commune = paid.p.commune
    assert (second["province_code"], second["district_code"], second["commune_code"]) == (
        commune.province.code, commune.parent.code, commune.code)
    for row in rows:
        assert row["amount_due"] == row["payable"] + row["state_support"] + row["local_support"]


def test_d05_state_support_percent_comes_from_the_frozen_quote(paid):
    rows = {r["full_name"]: r for r in d05_rows(user=OPERATOR, filters=ListFilter())}
    assert rows["Nguyễn Văn An"]["state_support_pct"] == int(paid.vsi_head.quote["support_pct"])
    assert rows["Phạm Văn Dũng"]["state_support_pct"] == int(paid.vsi_other.quote["support_pct"])


def test_d03_has_one_row_per_member_with_the_ladder_and_adds_up_to_the_receipt(paid):
    rows = list(d03_rows(user=OPERATOR, filters=ListFilter()))
    expect = _expect(paid.vectors["hi"])
    assert [r["amount"] for r in rows] == expect["per_member"]
    assert [r["share_pct"] for r in rows] == [100, 70, 60, 50, 40]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["full_name"] == "Nguyễn Văn An"
    assert sum(r["payable"] for r in rows) == expect["total"] == paid.hi_receipt.amount
    assert {r["receipt_number"] for r in rows} == {paid.hi_receipt.number}
    assert {r["household_code"] for r in rows} == {"HG-0001"}
    assert {r["months"] for r in rows} == {paid.vectors["hi"]["request"]["months"]}
    line = paid.hi.members.get(rank=1)
    assert (rows[0]["valid_from"], rows[0]["valid_to"]) == (line.valid_from, line.valid_to)


def test_the_two_lists_reconcile_with_the_receipts_to_the_dong(paid, tmp_path):
    d05 = d05_export(user=OPERATOR, filters=ListFilter(), out=str(tmp_path / "d05.xlsx"))
    d03 = d03_export(user=OPERATOR, filters=ListFilter(), out=str(tmp_path / "d03.xlsx"))
    receipts = paid.hi_receipt.amount + paid.vsi_head_receipt.amount + paid.vsi_other_receipt.amount
    assert d05["totals"]["payable"] + d03["totals"]["payable"] == receipts
    assert d05["reconciles"] and d03["reconciles"]
    assert (d05["difference"], d03["difference"]) == (0, 0)
    assert d05["rows"] == 2 and d05["receipts"] == 2
    assert d03["rows"] == 5 and d03["receipts"] == 1
    other, head = _expect(paid.vectors["vsi_other"]), _expect(paid.vectors["vsi_head"])
    assert d05["totals"] == {
        "amount_due": other["gross"] + head["gross"], "payable": other["payable"] + head["payable"],
        "state_support": other["state_support"] + head["state_support"], "local_support": 0,
    }


def test_the_d05_file_has_a_title_block_vietnamese_headers_formats_and_a_totals_row(paid, tmp_path):
    out = tmp_path / "d05.xlsx"
    d05_export(user=OPERATOR, filters=ListFilter(date_from=datetime.date(2024, 10, 1),
                                                 date_to=datetime.date(2024, 12, 31)), out=str(out))
    ws = load_workbook(out).active
    titles = [ws.cell(row=r, column=1).value for r in range(1, 9)]
    assert "BƯU ĐIỆN TỈNH HẬU GIANG" in titles
    assert "DANH SÁCH NGƯỜI THAM GIA BẢO HIỂM XÃ HỘI TỰ NGUYỆN" in titles
    assert "Từ ngày 01/10/2024 đến ngày 31/12/2024" in titles
    header = _header_row(ws)
    assert [c.value for c in ws[header]] == [c.header for c in D05_COLUMNS]
    assert ws.freeze_panes == f"A{header + 1}"
    first = _cells(ws, header, header + 1)
    assert first["Họ và tên"].value == "Phạm Văn Dũng"
    assert first["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert first["Ngày sinh"].value.date() == datetime.date(1965, 2, 2)
    assert first["Từ tháng"].number_format == "mm/yyyy"
    payable = first["Số tiền người tham gia đóng (đồng) (= số tiền trên biên lai)"]
    assert payable.value == _expect(paid.vectors["vsi_other"])["payable"] and payable.number_format == "#,##0"
    second = _cells(ws, header, header + 2)
    assert second["Mã số BHXH"].value == "0930000001"  # text: the leading zero stays
    totals = _cells(ws, header, header + 3)
    assert totals["Họ và tên"].value == "Tổng cộng"
    assert totals["Số tiền người tham gia đóng (đồng) (= số tiền trên biên lai)"].value == (
        paid.vsi_head_receipt.amount + paid.vsi_other_receipt.amount)
    assert totals["Số tiền người tham gia đóng (đồng) (= số tiền trên biên lai)"].number_format == "#,##0"


def test_the_d03_file_holds_the_members_and_the_household_total(paid, tmp_path):
    out = io.BytesIO()
    d03_export(user=OPERATOR, filters=ListFilter(), out=out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    header = _header_row(ws)
    assert [c.value for c in ws[header]] == [c.header for c in D03_COLUMNS]
    names = [ws.cell(row=header + i, column=2).value for i in range(1, 6)]
    assert names[0] == "Nguyễn Văn An" and "Lê Thị Hường" in names
    totals = _cells(ws, header, header + 6)
    assert totals["Họ và tên"].value == "Tổng cộng"
    payable_header = [c.header for c in D03_COLUMNS if c.key == "payable"][0]
    assert totals[payable_header].value == _expect(paid.vectors["hi"])["total"]


def test_an_agent_list_holds_only_the_payments_they_took(paid):
    thu_1 = [r["full_name"] for r in d05_rows(user=paid.p.users["thu_1"], filters=ListFilter())]
    thu_2 = [r["full_name"] for r in d05_rows(user=paid.p.users["thu_2"], filters=ListFilter())]
    assert thu_1 == ["Nguyễn Văn An"]
    assert thu_2 == ["Phạm Văn Dũng"]
    assert list(d03_rows(user=paid.p.users["thu_2"], filters=ListFilter())) == []
    assert len(list(d03_rows(user=paid.p.users["thu_1"], filters=ListFilter()))) == 5


def test_an_officer_list_holds_their_area_and_other_roles_are_refused(paid):
    district = [r["full_name"] for r in d05_rows(user=paid.p.users["bhxh_huyen"], filters=ListFilter())]
    province = [r["full_name"] for r in d05_rows(user=paid.p.users["bhxh_tinh"], filters=ListFilter())]
    assert district == ["Nguyễn Văn An"]
    assert province == ["Phạm Văn Dũng", "Nguyễn Văn An"]
    with pytest.raises(PermissionDenied):
        list(d05_rows(user=paid.p.users["hoi_tinh"], filters=ListFilter()))
    with pytest.raises(PermissionDenied):
        d05_export(user=paid.p.users["chi_hoi"], filters=ListFilter(), out=io.BytesIO())


def test_filters_by_period_area_and_agent(paid):
    def names(**kw):
        return [r["full_name"] for r in d05_rows(user=OPERATOR, filters=ListFilter(**kw))]

    assert names(date_from=datetime.date(2024, 12, 1)) == ["Nguyễn Văn An"]
    assert names(date_to=datetime.date(2024, 11, 30)) == ["Phạm Văn Dũng"]
    assert names(date_from=datetime.date(2025, 1, 1)) == []
    assert names(area=paid.p.other_district) == ["Phạm Văn Dũng"]
    assert names(area=paid.p.commune) == ["Nguyễn Văn An"]
    assert names(area=paid.p.province) == ["Phạm Văn Dũng", "Nguyễn Văn An"]
    assert names(agent=paid.p.other_agent) == ["Phạm Văn Dũng"]


def test_an_area_on_the_new_map_finds_the_records_made_on_the_old_one(paid):
    from ansinh.areas.selectors import new_unit_of

    new_commune = new_unit_of(old_commune=paid.p.commune)
    names = [r["full_name"] for r in d05_rows(user=OPERATOR, filters=ListFilter(area=new_commune))]
    assert names == ["Nguyễn Văn An"]


def test_codes_resolve_to_areas_and_agents_in_scope(paid):
    assert area_resolve(code=paid.p.district.code) == paid.p.district
    assert area_resolve(code="93") == paid.p.province
    with pytest.raises(AreaNotFound):
        area_resolve(code="99999")
    assert agent_resolve(user=paid.p.users["bhxh_tinh"], code="NVT002") == paid.p.other_agent
    with pytest.raises(OutOfScope):
        agent_resolve(user=paid.p.users["thu_1"], code="NVT002")


def test_the_export_command_writes_the_file_and_prints_one_json_line(paid, tmp_path):
    out = tmp_path / "d05.xlsx"
    buffer = io.StringIO()
    call_command("export", "d05-ts", "--out", str(out), "--from", "01/10/2024", "--to", "2024-12-31",
                 "--agent", "NVT001", stdout=buffer)
    lines = buffer.getvalue().strip().splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["rows"] == 1 and summary["file"] == str(out) and summary["reconciles"] is True
    assert summary["totals"]["payable"] == paid.vsi_head_receipt.amount
    assert out.exists()
    buffer = io.StringIO()
    call_command("export", "d03-ts", "--out", str(tmp_path / "d03.xlsx"), "--area", paid.p.district.code,
                 stdout=buffer)
    assert json.loads(buffer.getvalue())["totals"]["payable"] == paid.hi_receipt.amount


def test_the_export_command_runs_with_a_user_scope(paid, tmp_path):
    buffer = io.StringIO()
    call_command("export", "d05-ts", "--out", str(tmp_path / "x.xlsx"), "--user", "thu_2", stdout=buffer)
    assert json.loads(buffer.getvalue())["totals"]["payable"] == paid.vsi_other_receipt.amount
    for what in ("book", "reconciliation", "renewals"):
        buffer = io.StringIO()
        call_command("export", what, "--out", str(tmp_path / f"{what}.xlsx"), stdout=buffer)
        assert json.loads(buffer.getvalue())["list"] in (what, "hi_expiring")


def test_every_export_command_is_documented_with_an_example():
    from ansinh.reports.management.commands.export import EXAMPLES, Command

    assert "Ví dụ: ansinh export" in Command.help
    parser = Command().create_parser("ansinh", "export")
    help_text = parser.format_help()
    for name, example in EXAMPLES.items():
        assert name in help_text
        assert example.startswith(f"ansinh export {name} --out ")
