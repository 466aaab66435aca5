"""ansinh import members: thin over the service; JSON summary on the last line; exit 2 on a bad file."""

import json

import pytest
from django.core.management import call_command

from ansinh.registry.models import Person

from .sheets import xlsx

GOOD = [1, "Lê Văn Tám", "15/06/1985", "Nam", "093085000101", "", "", "Phường I"]
BAD = [2, "Sai Ngày", "32/13/1985", "Nam", "", "", "", "Phường I"]


def last_json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_json_summary(small_province, tmp_path, capsys):
    path = xlsx(tmp_path / "ds.xlsx", [GOOD, BAD])
    call_command("import", "members", str(path), "--json")
    out = last_json(capsys)
    assert {k: out[k] for k in ("rows", "imported", "updated", "rejected", "duplicates")} == {
        "rows": 2, "imported": 1, "updated": 0, "rejected": 1, "duplicates": 0}
    assert out["errors"] == [{"row": 3, "column": "Ngày sinh", "code": "date_invalid",
                              "message": "Ngày sinh \"32/13/1985\" không hợp lệ: ghi dd/mm/yyyy, năm yyyy hoặc ngày "
                                         "kiểu Excel."}]


def test_dry_run_and_human_output(small_province, tmp_path, capsys):
    path = xlsx(tmp_path / "ds.xlsx", [GOOD, BAD])
    before = Person.objects.count()
    rejected = tmp_path / "loi.xlsx"
    call_command("import", "members", str(path), "--dry-run", "--rejected", str(rejected))
    out = capsys.readouterr().out
    assert Person.objects.count() == before
    assert "KIỂM TRA (không ghi): ds.xlsx" in out
    assert "Dòng 3, cột Ngày sinh: Ngày sinh \"32/13/1985\" không hợp lệ" in out
    assert rejected.exists()


def test_file_level_error_exits_2_with_json(small_province, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_text("not a spreadsheet")
    with pytest.raises(SystemExit) as info:
        call_command("import", "members", str(path), "--json")
    assert info.value.code == 2
    assert last_json(capsys) == {"error": "not_spreadsheet", "message": "Tệp có đuôi .xlsx nhưng nội dung không phải "
                                 "bảng tính (có thể là tệp khác bị đổi tên)."}


def test_user_scope_and_mapping_options(small_province, tmp_path, capsys):
    path = xlsx(tmp_path / "ds.xlsx", [["Người Lạ", "1980", "Nam", "Phường Ngã Bảy"]],
                header=["Tên HV", "Năm sinh", "Giới tính", "Xã"])
    call_command("import", "members", str(path), "--json", "--user", "bhxh_huyen", "--map", "Tên HV=full_name")
    out = last_json(capsys)
    assert (out["imported"], out["errors"][0]["code"]) == (0, "commune_out_of_scope")
    with pytest.raises(SystemExit):
        call_command("import", "members", str(path), "--json", "--user", "thu_1", "--map", "Tên HV=full_name")
    assert last_json(capsys)["error"] == "permission_denied"


def test_default_commune(small_province, tmp_path, capsys):
    path = xlsx(tmp_path / "ds.xlsx", [["Người Không Xã", "1980", "Nam"]], header=["Họ và tên", "Năm sinh", "Giới tính"])
    call_command("import", "members", str(path), "--json", "--commune", "Phường I")
    assert last_json(capsys)["imported"] == 1
    assert Person.objects.get(full_name="Người Không Xã").commune == small_province.commune


def test_help_is_documented_with_an_example():
    import importlib

    command = importlib.import_module("ansinh.imports.management.commands.import").Command()
    assert "Ví dụ: ansinh import members" in command.help
    assert "updated" in command.help and "duplicates" in command.help
