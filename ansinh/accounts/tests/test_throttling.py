"""Five wrong passwords for one user name from one address lock that pair for 15 minutes (django-axes);
other users and other addresses keep signing in."""

import pytest
from django.test import Client

from ansinh.testing.province import PASSWORD


@pytest.fixture(autouse=True)
def _throttling_on(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username, password, address="10.0.0.1"):
    client.get("/dang-nhap/", REMOTE_ADDR=address)
    return client.post("/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_user_from_that_address(small_province):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "thu_1", "sai-mat-khau").status_code == 200
    locked = sign_in(client, "thu_1", "sai-mat-khau")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # even the right password is refused now, from this address
    assert sign_in(Client(), "thu_1", PASSWORD).status_code == 429
    # the same user from another address, and another user from this one, still sign in
    assert sign_in(Client(), "thu_1", PASSWORD, address="10.0.0.2").status_code == 302
    assert sign_in(Client(), "thu_2", PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(small_province):
    client = Client()
    for _ in range(4):
        sign_in(client, "thu_1", "sai-mat-khau")
    assert sign_in(Client(), "thu_1", PASSWORD).status_code == 302
    for _ in range(4):
        assert sign_in(Client(), "thu_1", "sai-mat-khau").status_code == 200


@pytest.mark.parametrize(("username", "message"), [
    ("u" * 256, "Tên đăng nhập tối đa 150 ký tự."),
    ("thu\x00vien", "Tên đăng nhập có ký tự không hợp lệ."),
])
def test_an_impossible_user_name_is_refused_in_vietnamese_and_not_counted(small_province, username, message):
    from axes.models import AccessAttempt

    response = sign_in(Client(), username, "sai-mat-khau")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert all(len(a.username or "") <= 150 for a in AccessAttempt.objects.all())


def test_an_overlong_name_is_counted_cut_to_150_characters():
    from ansinh.accounts.throttling import attempted_username

    assert attempted_username(None, {"username": "x" * 300}) == "x" * 150
    assert attempted_username(None, {"username": "thu_1"}) == "thu_1"
