"""ansinh progress: JSON rows for each level, defaults, errors, documentation."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ansinh.campaigns.management.commands.progress import Command


def run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("progress", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("by", ["province", "district", "commune", "branch", "agent"])
def test_rows_for_each_level_sum_to_the_province(data, by):
    rows = run("--campaign", "HG-TEST", "--by", by, "--on", "2024-12-31", "--map", "old", "--json")
    province = run("--by", "province", "--on", "2024-12-31", "--map", "old", "--json")
    assert {"unit_code", "unit_name", "indicator", "goal", "achieved", "percent"} <= set(rows[0])
    for indicator in ("vsi_new", "hi_new", "collected"):
        total = next(r for r in province if r["indicator"] == indicator and r["period_start"] == "2024-05-01")
        assert sum(r["achieved"] for r in rows
                   if r["indicator"] == indicator and r["period_start"] == "2024-05-01") == total["achieved"]


def test_json_row_of_a_district_with_its_goal(data, small_province):
    rows = run("--by", "district", "--on", "2024-05-20", "--json")
    row = next(r for r in rows if r["unit_code"] == small_province.district.code and r["indicator"] == "hi_new"
               and r["period_start"] == "2024-05-20")
    assert {k: row[k] for k in ("unit_name", "goal", "achieved", "percent", "map")} == {
        "unit_name": small_province.district.name, "goal": 100, "achieved": 3, "percent": 3.0, "map": "old"}


def test_default_map_is_the_one_in_force(data):
    rows = run("--by", "commune", "--on", "2025-07-01", "--json")
    assert {r["map"] for r in rows} == {"new"}


def test_both_maps_equal_on_the_command_line(data):
    old = run("--by", "commune", "--on", "2024-12-31", "--map", "old", "--json")
    new = run("--by", "commune", "--on", "2024-12-31", "--map", "new", "--json")
    for indicator in ("vsi_new", "hi_new", "collected"):
        assert sum(r["count"] for r in old if r["indicator"] == indicator) == \
            sum(r["count"] for r in new if r["indicator"] == indicator)


def test_errors_are_clear(data):
    with pytest.raises(CommandError, match="không còn cấp huyện"):
        run("--by", "district", "--map", "new", "--json")
    with pytest.raises(CommandError, match="Không có chiến dịch mã NOPE"):
        run("--campaign", "NOPE", "--json")
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        run("--on", "31/12/2024", "--json")


def test_without_a_campaign(small_province):
    with pytest.raises(CommandError, match="Chưa có chiến dịch nào."):
        run("--json")


def test_rebuild_and_check(data):
    out = io.StringIO()
    call_command("progress", "--rebuild", "--check", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue()) == {"ok": True, "problems": []}


def test_the_command_is_documented_with_an_example():
    assert "Ví dụ: ansinh progress --by district" in Command.help


def test_reminders_command(data, tmp_path):
    from openpyxl import load_workbook

    out = io.StringIO()
    call_command("reminders", "--user", "chi_hoi", "--on", "2024-12-31", "--json", "--xlsx",
                 str(tmp_path / "r.xlsx"), stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["name"], r["kind"], r["relation"]) for r in rows] == [("Nguyễn Văn Cường", "no_vsi", "relative")]
    assert load_workbook(tmp_path / "r.xlsx").active["B4"].value == "Nguyễn Văn Cường"
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("reminders", "--user", "nobody", stdout=io.StringIO())
