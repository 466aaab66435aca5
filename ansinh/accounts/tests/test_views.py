"""Login, logout and the home redirect, through the pages."""

import pytest

pytest.importorskip("ansinh.rules.quote", reason="the pages price through the rules module")

from ansinh.testing.province import PASSWORD  # noqa: E402


def test_a_wrong_password_shows_a_vietnamese_message_and_does_not_sign_in(small_province, client):
    response = client.post("/dang-nhap/", {"username": "thu_1", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_empty_login_form_asks_for_both_fields(small_province, client):
    body = client.post("/dang-nhap/", {"username": "", "password": ""}).content.decode()
    assert "Vui lòng nhập tên đăng nhập." in body
    assert "Vui lòng nhập mật khẩu." in body


@pytest.mark.parametrize(("username", "home"), [
    ("thu_1", "/ho/"), ("bhxh_tinh", "/chien-dich/"), ("bhxh_huyen", "/chien-dich/"),
    ("hoi_tinh", "/chien-dich/"), ("chi_hoi", "/chien-dich/"),
])
def test_after_login_each_role_lands_on_its_home_page(small_province, client, username, home):
    response = client.post("/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == home


def test_the_header_shows_the_user_role_and_a_post_logout(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    body = client.get("/ho/").content.decode()
    assert "Nhân viên thu" in body and "NVT001" in body
    assert 'method="post" action="/dang-xuat/"' in body
    response = client.post("/dang-xuat/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert client.get("/ho/")["Location"].startswith("/dang-nhap/?next=")


def test_logout_by_get_is_refused(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    assert client.get("/dang-xuat/").status_code == 405
    assert "_auth_user_id" in client.session


def test_pages_need_login(db, client):
    for url in ["/", "/ho/", "/ho/1/", "/chien-dich/", "/bien-lai/1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), url


def test_a_user_without_role_gets_the_403_page_in_vietnamese(db, client, django_user_model):
    django_user_model.objects.create_user(username="khach", password=PASSWORD)
    client.login(username="khach", password=PASSWORD)
    response = client.get("/", follow=True)
    assert response.status_code == 403
    assert "Tài khoản chưa được phân vai trò." in response.content.decode()


def test_the_error_pages_are_in_vietnamese():
    from django.template.loader import render_to_string

    assert "Hệ thống đang gặp sự cố" in render_to_string("500.html")
    assert "Không tìm thấy" in render_to_string("404.html")
    assert "Bạn không có quyền thực hiện thao tác này." in render_to_string("403.html")
