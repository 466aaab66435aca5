"""Speed (issue 16): pages are sent gzipped to a browser that asks, and plain to one that does not."""

import gzip

import pytest

from ansinh.testing.province import PASSWORD


@pytest.mark.django_db
def test_a_page_is_gzipped_when_asked_and_plain_otherwise(client):
    packed = client.get("/dang-nhap/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert 'name="csrfmiddlewaretoken"' in html and "</html>" in html
    plain = client.get("/dang-nhap/")
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    assert 'name="csrfmiddlewaretoken"' in plain.content.decode()


def test_a_signed_in_officer_gets_a_gzipped_list_page(small_province, client):
    assert client.login(username="bhxh_tinh", password=PASSWORD)
    response = client.get("/tai-tuc/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Thẻ BHYT hộ gia đình sắp hết hạn" in gzip.decompress(response.content).decode()
    assert not client.get("/tai-tuc/").has_header("Content-Encoding")
