"""`ansinh admin create USERNAME --province CODE`: the first provincial administrator of a loaded province.
(The session's map holds the new-map province Cần Thơ, 92; the command run on an empty database is in
``areas/tests/test_province_load.py``.)"""

import io
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from ansinh.accounts.models import Role
from ansinh.accounts.services import (
    PasswordInvalid, ProvinceNotLoaded, UsernameInvalid, UsernameTaken, communes_in_scope, province_admin_create,
)
from ansinh.areas.models import AdministrativeUnit, Level, MapVersion

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-du-dai"


def run(*args, stdin: str | None = None, monkeypatch=None) -> dict:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("admin", "create", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def refused(capsys, *args, stdin: str | None = None, monkeypatch=None) -> str:
    with pytest.raises(SystemExit) as exit_:
        run(*args, stdin=stdin, monkeypatch=monkeypatch)
    assert exit_.value.code == 2
    return capsys.readouterr().err


def test_the_administrator_is_made_with_a_password_from_standard_input(monkeypatch):
    result = run("quantri", "--province", "92", "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert result == {"username": "quantri", "role": "province_admin", "province": 92,
                      "province_name": "Thành phố Cần Thơ"}
    user = User.objects.get(username="quantri")
    assert user.check_password(PASSWORD)
    assert user.is_active and not user.is_superuser
    province = AdministrativeUnit.objects.get(map=MapVersion.NEW, level=Level.PROVINCE, code="92")
    assert (user.ansinh_role.role, user.ansinh_role.area) == (Role.PROVINCE_ADMIN, province)
    assert list(user.groups.values_list("name", flat=True)) == ["province_admin"]
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)  # roles_sync made every group
    assert user.has_perm("collection.add_agent") and user.has_perm("campaigns.add_campaign")
    assert not user.has_perm("collection.add_payment")
    assert communes_in_scope(user).count() == AdministrativeUnit.objects.filter(
        map=MapVersion.NEW, level=Level.COMMUNE, province=province).count()


def test_the_password_is_asked_twice(monkeypatch):
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    assert run("quantri", "--province", "92")["username"] == "quantri"
    assert asked == ["Mật khẩu: ", "Nhập lại mật khẩu: "]


def test_two_different_passwords_are_refused(monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert refused(capsys, "quantri", "--province", "92") == "Lỗi: Hai lần nhập mật khẩu không khớp.\n"
    assert not User.objects.filter(username="quantri").exists()


def test_a_short_password_is_refused_in_vietnamese(monkeypatch, capsys):
    err = refused(capsys, "quantri", "--province", "92", "--password-stdin", stdin="ngan\n", monkeypatch=monkeypatch)
    assert err == "Lỗi: Mật khẩu không đạt yêu cầu. Mật khẩu quá ngắn: cần ít nhất 8 ký tự.\n"
    assert not User.objects.filter(username="quantri").exists()


def test_an_empty_password_is_refused(monkeypatch, capsys):
    err = refused(capsys, "quantri", "--province", "92", "--password-stdin", stdin="\n", monkeypatch=monkeypatch)
    assert err == "Lỗi: Chưa nhập mật khẩu.\n"


def test_an_existing_username_is_refused(monkeypatch, capsys):
    User.objects.create_user(username="QuanTri", password=PASSWORD)
    err = refused(capsys, "quantri", "--province", "92", "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch)
    assert err == f"Lỗi: {UsernameTaken.message}\n"
    assert User.objects.filter(username__iexact="quantri").count() == 1


@pytest.mark.parametrize("code", ["86", "93", "abc"])
def test_a_province_not_loaded_on_todays_map_is_refused(code, monkeypatch, capsys):
    """86 (Vĩnh Long) is not loaded; 93 (Hậu Giang) is loaded, but only on the old map; abc names nothing."""
    err = refused(capsys, "quantri", "--province", code, "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch)
    assert err == f"Lỗi: {ProvinceNotLoaded.message}\n"
    assert not User.objects.filter(username="quantri").exists()


def test_the_service_names_the_field_of_each_problem():
    with pytest.raises(UsernameInvalid) as caught:
        province_admin_create(username="quan tri", province_code=92, password=PASSWORD)
    assert caught.value.details == {"field": "username"}
    with pytest.raises(ProvinceNotLoaded) as caught:
        province_admin_create(username="quantri", province_code="86", password=PASSWORD)
    assert caught.value.details == {"field": "province"}
    with pytest.raises(PasswordInvalid) as caught:
        province_admin_create(username="quantri", province_code=92, password="1234")
    assert caught.value.details == {"field": "password", "problems": [
        "Mật khẩu quá ngắn: cần ít nhất 8 ký tự.", "Mật khẩu này quá phổ biến, dễ bị đoán.",
        "Mật khẩu không được chỉ gồm chữ số."]}
    for weak, problem in [("password", "Mật khẩu này quá phổ biến, dễ bị đoán."),
                          ("quantri2026", "Mật khẩu quá giống thông tin của tài khoản.")]:
        with pytest.raises(PasswordInvalid) as caught:
            province_admin_create(username="quantri", province_code=92, password=weak)
        assert caught.value.details["problems"] == [problem]
    user = province_admin_create(username="quantri", province_code="092", password=PASSWORD)
    assert user.ansinh_role.area.code == "92"
    with pytest.raises(UsernameTaken) as caught:
        province_admin_create(username="quantri", province_code=92, password=PASSWORD)
    assert caught.value.details == {"field": "username"}
