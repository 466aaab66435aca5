"""`ansinh province load CODE`: a province of today's map, the old units it came from and the old→new
mapping, with the counts the vietnam-provinces package gives (computed here from the package)."""

import io
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.core.management import call_command
from vietnam_provinces import ProvinceCode, Ward, legacy

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.areas.selectors import home_province, old_province
from ansinh.areas.services import ProvinceUnknown, province_code_check, province_load

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def expected(code: int) -> dict:
    """What the package says about new province ``code``: its communes, the old units they came from and
    the old→new pairs into its communes."""
    wards = list(Ward.iter_by_province(ProvinceCode(code)))
    sources = {int(lw.code): lw for w in wards for lw in w.get_legacy_sources()}
    pairs = {(old, int(hit.ward.code)) for old in sources for hit in Ward.search_from_legacy(code=old)
             if int(hit.ward.province_code) == code}
    provinces = {int(lw.province_code) for lw in sources.values()}
    districts = {int(lw.district_code) for lw in sources.values()}
    return {"communes": len(wards), "old_provinces": len(provinces), "old_districts": len(districts),
            "old_communes": len(sources), "old_units": len(provinces) + len(districts) + len(sources),
            "mappings": len(pairs), "pairs": pairs}


@pytest.fixture
def empty_map():
    """An empty map inside the test's transaction (the session loaded Hậu Giang → Cần Thơ)."""
    UnitMapping.objects.all().delete()
    AdministrativeUnit.objects.update(parent=None, province=None)
    AdministrativeUnit.objects.all().delete()


def load(code) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("province", "load", str(code), stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    return json.loads(lines[-1]), err.getvalue()


def test_can_tho_loads_with_the_package_counts_and_its_json_line(empty_map):
    want = expected(92)
    result, err = load(92)
    assert {k: result[k] for k in ("province", "name", "communes", "old_units", "old_provinces", "old_districts",
                                   "old_communes", "mappings")} == {
        "province": 92, "name": "Thành phố Cần Thơ", **{k: v for k, v in want.items() if k != "pairs"}}
    # Rows added: the new province and its communes, the old units, the mappings.
    assert result["created"] == 1 + want["communes"] + want["old_units"] + want["mappings"]
    assert result["migrated"] is False
    assert AdministrativeUnit.objects.count() == 1 + want["communes"] + want["old_units"]
    assert set(AdministrativeUnit.objects.filter(map=MapVersion.OLD, level=Level.PROVINCE)
               .values_list("code", flat=True)) == {"92", "93", "94"}
    pairs = {(int(o), int(n)) for o, n in UnitMapping.objects.values_list("old_unit__code", "new_unit__code")}
    assert pairs == want["pairs"]
    assert "Thành phố Cần Thơ: 103 xã, phường" in err


def test_dates_levels_and_parents_are_those_of_each_map(empty_map):
    province_load(code=92)
    new = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    assert (new.province_id, str(new.valid_from), new.valid_to) == (new.pk, "2025-07-01", None)
    communes = AdministrativeUnit.objects.filter(map=MapVersion.NEW, level=Level.COMMUNE)
    assert set(communes.values_list("parent_id", "province_id", "valid_from").distinct()) == {
        (new.pk, new.pk, new.valid_from)}
    soc_trang = AdministrativeUnit.objects.get(map=MapVersion.OLD, level=Level.PROVINCE, code="94")
    assert (soc_trang.name, str(soc_trang.valid_to), soc_trang.province_id) == ("Tỉnh Sóc Trăng", "2025-06-30",
                                                                                 soc_trang.pk)
    old_commune = AdministrativeUnit.objects.filter(map=MapVersion.OLD, level=Level.COMMUNE, province=soc_trang).first()
    assert old_commune.parent.level == Level.DISTRICT and old_commune.parent.province_id == soc_trang.pk
    assert str(old_commune.valid_to) == "2025-06-30"


def test_every_old_commune_has_exactly_one_primary_successor(empty_map):
    province_load(code=92)
    old_communes = AdministrativeUnit.objects.filter(map=MapVersion.OLD, level=Level.COMMUNE)
    assert UnitMapping.objects.filter(is_primary=True).count() == old_communes.count() == expected(92)["old_communes"]


def test_a_split_old_commune_keeps_every_successor_one_of_them_primary(empty_map):
    want = expected(92)
    split = [old for old in {o for o, _ in want["pairs"]}
             if sum(1 for o, _ in want["pairs"] if o == old) > 1]
    assert split, "Cần Thơ has old communes split between new ones in the package"
    province_load(code=92)
    for old in split:
        rows = UnitMapping.objects.filter(old_unit__map=MapVersion.OLD, old_unit__code=str(old))
        assert {int(code) for code in rows.values_list("new_unit__code", flat=True)} == {
            n for o, n in want["pairs"] if o == old}
        assert set(rows.values_list("is_partial", flat=True)) == {True}
        assert rows.filter(is_primary=True).count() == 1
    whole = UnitMapping.objects.exclude(old_unit__code__in=[str(o) for o in split])
    assert set(whole.values_list("is_partial", flat=True)) == {False}


def test_the_primary_successor_is_the_one_of_the_same_name_else_the_first_the_package_gives(empty_map):
    province_load(code=92)
    primary = dict(UnitMapping.objects.filter(old_unit__map=MapVersion.OLD, is_primary=True)
                   .values_list("old_unit__name", "new_unit__name"))
    # Phường Long Tuyền went to Phường An Bình and Phường Long Tuyền (in that order in the package).
    assert [hit.ward.name for hit in Ward.search_from_legacy(code=31183)] == ["Phường An Bình", "Phường Long Tuyền"]
    assert primary["Phường Long Tuyền"] == "Phường Long Tuyền"
    # Phường Bùi Hữu Nghĩa went to Phường Cái Khế and Phường Bình Thủy: no same name, the first.
    assert [hit.ward.name for hit in Ward.search_from_legacy(code=31178)] == ["Phường Cái Khế", "Phường Bình Thủy"]
    assert primary["Phường Bùi Hữu Nghĩa"] == "Phường Cái Khế"


def test_loading_again_creates_nothing(empty_map):
    first, _ = load(92)
    units, mappings = AdministrativeUnit.objects.count(), UnitMapping.objects.count()
    again, _ = load(92)
    assert again["created"] == 0
    assert {k: v for k, v in again.items() if k not in ("created", "seconds", "load_seconds", "migrated")} == {
        k: v for k, v in first.items() if k not in ("created", "seconds", "load_seconds", "migrated")}
    assert (AdministrativeUnit.objects.count(), UnitMapping.objects.count()) == (units, mappings)


def test_over_the_map_of_the_demo_it_adds_only_what_is_missing():
    """The session loaded Hậu Giang and Cần Thơ with areas_load: the province load adds Cần Thơ's other
    sources (old Cần Thơ, Sóc Trăng) and keeps every row and primary mapping already there."""
    before = {(u.map, u.level, u.code): u.pk for u in AdministrativeUnit.objects.all()}
    primaries = set(UnitMapping.objects.filter(is_primary=True).values_list("pk", flat=True))
    mappings_before = UnitMapping.objects.count()
    result = province_load(code=92)
    want = expected(92)
    after = {(u.map, u.level, u.code): u.pk for u in AdministrativeUnit.objects.all()}
    assert {k: after[k] for k in before} == before
    assert result["created"] == (len(after) - len(before)) + (want["mappings"] - mappings_before)
    assert primaries <= set(UnitMapping.objects.filter(is_primary=True).values_list("pk", flat=True))
    assert province_load(code=92)["created"] == 0


def test_a_second_province_adds_only_its_own_units(empty_map):
    can_tho = province_load(code=92)
    units = AdministrativeUnit.objects.count()
    want = expected(86)
    vinh_long, _ = load(86)
    assert vinh_long["province"] == 86 and vinh_long["name"] == "Tỉnh Vĩnh Long"
    assert (vinh_long["communes"], vinh_long["old_units"], vinh_long["mappings"]) == (
        want["communes"], want["old_units"], want["mappings"])
    assert vinh_long["created"] == 1 + want["communes"] + want["old_units"] + want["mappings"]
    assert AdministrativeUnit.objects.count() == units + 1 + want["communes"] + want["old_units"]
    assert {k: v for k, v in province_load(code=92).items() if k != "created"} == {
        k: v for k, v in can_tho.items() if k != "created"}


def test_an_old_commune_whose_other_successor_is_in_a_province_not_loaded(empty_map, monkeypatch):
    """The package splits no old commune across two new provinces today; if it did, the province loaded
    keeps the mapping into its own commune (partial, primary) and the other province adds its own later."""
    real_search, real_sources = Ward.search_from_legacy, Ward.get_legacy_sources
    old_code = min(o for o, _ in expected(92)["pairs"])
    elsewhere = next(iter(Ward.iter_by_province(ProvinceCode(86))))

    def search(name="", code=0):
        hits = real_search(name=name, code=code)
        if code == old_code:
            hits = (*hits, types.SimpleNamespace(source_code=old_code, ward=elsewhere))
        return hits

    def sources(ward):
        found = real_sources(ward)
        if ward.code == elsewhere.code:
            found = (*found, legacy.Ward.from_code(legacy.WardCode(old_code)))
        return found

    monkeypatch.setattr(Ward, "search_from_legacy", staticmethod(search))
    monkeypatch.setattr(Ward, "get_legacy_sources", sources)
    province_load(code=92)
    rows = UnitMapping.objects.filter(old_unit__map=MapVersion.OLD, old_unit__code=str(old_code))
    assert [(r.new_unit.province.code, r.is_partial, r.is_primary) for r in rows] == [("92", True, True)]
    province_load(code=86)
    assert sorted((r.new_unit.province.code, r.is_partial, r.is_primary) for r in rows.all()) == [
        ("86", True, False), ("92", True, True)]


def test_the_command_line_operator_works_on_the_new_map_province(empty_map):
    province_load(code=92)
    assert old_province() is None  # three old provinces: "the" old province is ambiguous
    assert home_province() == AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    province_load(code=86)
    assert home_province() is None


def test_the_demo_map_keeps_its_old_province():
    assert old_province().code == "93"
    assert home_province().code == "92"


@pytest.mark.parametrize("code", ["93", "999", "abc", "", "0"])
def test_a_code_not_on_todays_map_is_refused(code):
    with pytest.raises(ProvinceUnknown) as caught:
        province_code_check(code=code)
    assert caught.value.message == ProvinceUnknown.message
    assert caught.value.details == {"field": "code", "value": code}


@pytest.mark.parametrize("code", ["93", "999", "abc"])
def test_the_command_refuses_a_bad_code_with_status_2_and_writes_nothing(code, capsys):
    units = AdministrativeUnit.objects.count()
    with pytest.raises(SystemExit) as exit_:
        call_command("province", "load", code, stdout=io.StringIO())
    assert exit_.value.code == 2
    assert capsys.readouterr().err == f"Lỗi: {ProvinceUnknown.message} (mã đã nhập: {code})\n"
    assert AdministrativeUnit.objects.count() == units


def test_on_an_empty_database_it_migrates_then_loads_and_an_administrator_can_be_made(tmp_path):
    """The real command line, as an installer runs it: an empty SQLite file, load, repeat, administrator."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}", "DJANGO_SETTINGS_MODULE": "config.settings"}
    run = [sys.executable, "-m", "ansinh.cli"]
    bad = subprocess.run([*run, "province", "load", "93"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("Lỗi: Mã tỉnh không có trên bản đồ từ 01/07/2025")
    first = subprocess.run([*run, "province", "load", "92"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout.strip().splitlines()[-1])
    want = expected(92)
    assert (result["province"], result["communes"], result["old_units"], result["mappings"], result["migrated"]) == (
        92, want["communes"], want["old_units"], want["mappings"], True)
    assert result["created"] == 1 + want["communes"] + want["old_units"] + want["mappings"]
    again = subprocess.run([*run, "province", "load", "92"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert json.loads(again.stdout.strip().splitlines()[-1])["created"] == 0
    admin = subprocess.run([*run, "admin", "create", "quantri", "--province", "92", "--password-stdin"], cwd=ROOT,
                           env=env, capture_output=True, text=True, input="mat-khau-du-dai\n")
    assert admin.returncode == 0, admin.stderr
    assert json.loads(admin.stdout.strip().splitlines()[-1]) == {
        "username": "quantri", "role": "province_admin", "province": 92, "province_name": "Thành phố Cần Thơ"}


def test_a_load_empties_the_cached_scopes(small_province):
    """The bulk writes send no post_save: the loader tells the scope cache itself."""
    from ansinh.accounts.services import _scope_cache, record_commune_ids_in_scope

    record_commune_ids_in_scope(small_province.users["bhxh_tinh"])
    assert _scope_cache
    province_load(code=92)
    assert not _scope_cache
