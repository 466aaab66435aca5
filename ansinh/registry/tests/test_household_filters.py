"""Household list filtered by hamlet, status and scheme, with a status column (issue 16)."""

import datetime

import pytest

from ansinh.campaigns.tests.factories import campaign_data
from ansinh.enrollment.models import HiMemberCoverage
from ansinh.registry.models import Household
from ansinh.registry.selectors import households_search
from ansinh.testing.province import PASSWORD


@pytest.fixture
def data(small_province):
    """HG-0001 (ấp 3) has a paid HI card and two VSI members; HG-0002 (ấp 1) only its head in VSI."""
    out = campaign_data(small_province)
    Household.objects.filter(code="HG-0001").update(hamlet="Ấp 3")
    Household.objects.filter(code="HG-0002").update(hamlet="Ấp 1")
    return out


def _card_end():
    return HiMemberCoverage.objects.values_list("valid_to", flat=True).distinct().get()


def _codes(user, **kwargs):
    return [h.code for h in households_search(user=user, **kwargs)]


def test_the_card_end_of_the_fixture(data):
    assert _card_end() == datetime.date(2025, 6, 18)


def test_filters_by_hamlet_status_and_scheme(data, small_province):
    officer = small_province.users["bhxh_tinh"]
    assert _codes(officer) == ["HG-0001", "HG-0002"]
    assert _codes(officer, hamlet="Ấp 3") == ["HG-0001"]
    assert _codes(officer, hamlet="Ấp 9") == []
    june = datetime.date(2025, 6, 1)
    assert _codes(officer, status="sap_het_han", on=june) == ["HG-0001"]  # card ends 18/06/2025
    assert _codes(officer, status="chua_tham_gia", on=june) == ["HG-0002"]
    assert _codes(officer, status="het_han", on=june) == []
    assert _codes(officer, status="dang_co_the", on=datetime.date(2025, 1, 1)) == ["HG-0001"]
    assert _codes(officer, status="het_han", on=datetime.date(2025, 6, 19)) == ["HG-0001"]
    # VSI periods end 31/05/2025 (HG-0001) and 30/04/2025 (HG-0002)
    assert _codes(officer, scheme="vsi", status="het_han", on=june) == ["HG-0001", "HG-0002"]
    assert _codes(officer, scheme="vsi", status="sap_het_han", on=datetime.date(2025, 4, 15)) == ["HG-0002"]
    assert _codes(officer, scheme="vsi", status="dang_co_the", on=datetime.date(2025, 4, 15)) == ["HG-0001"]
    assert _codes(officer, scheme="vsi", status="chua_tham_gia", on=june) == []
    assert _codes(officer, scheme="hi") == ["HG-0001"]
    assert _codes(officer, scheme="hi", hamlet="Ấp 1", status="chua_tham_gia", on=june) == ["HG-0002"]


def test_filtering_runs_a_fixed_number_of_queries(data, small_province, django_assert_num_queries):
    officer = small_province.users["bhxh_tinh"]
    households_search(user=officer)  # warm the scope caches
    with django_assert_num_queries(1):
        rows = list(households_search(user=officer, status="sap_het_han", on=datetime.date(2025, 6, 1)))
    assert [(h.code, h.hi_ends_on) for h in rows] == [("HG-0001", datetime.date(2025, 6, 18))]


@pytest.fixture
def june_10(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2025, 6, 10))


def test_the_page_filters_and_shows_the_status_column(data, client, june_10):
    client.login(username="bhxh_tinh", password=PASSWORD)
    body = client.get("/ho/", {"status": "sap_het_han"}).content.decode()
    assert "HG-0001" in body and "HG-0002" not in body
    assert "Thẻ sắp hết hạn</span> <span class=\"small\">18/06/2025</span>" in body
    assert "Tình trạng BHYT hộ gia đình" in body
    body = client.get("/ho/", {"hamlet": "Ấp 1"}).content.decode()
    assert "HG-0002" in body and "HG-0001" not in body and ">Chưa tham gia</span>" in body
    body = client.get("/ho/", {"scheme": "vsi"}).content.decode()
    assert "Tình trạng BHXH tự nguyện" in body
    assert "Đã hết kỳ đóng</span> <span class=\"small\">31/05/2025</span>" in body
    assert "Đã hết kỳ đóng</span> <span class=\"small\">30/04/2025</span>" in body


def test_an_unknown_filter_value_is_refused_in_vietnamese(data, client, june_10):
    client.login(username="bhxh_tinh", password=PASSWORD)
    body = client.get("/ho/", {"status": "xyz"}).content.decode()
    assert "Tình trạng: chọn một tình trạng trong danh sách." in body
    assert "HG-0001" not in body.split("ket-qua")[-1]


def test_filters_are_kept_across_pages(data, client, small_province, june_10):
    for n in range(25):
        Household.objects.create(code=f"HG-1{n:03d}", commune=small_province.commune, hamlet="Ấp 3")
    client.login(username="bhxh_tinh", password=PASSWORD)
    body = client.get("/ho/", {"hamlet": "Ấp 3", "status": "chua_tham_gia"}).content.decode()
    assert "25 hộ" in body
    assert 'href="?hamlet=%E1%BA%A4p+3&amp;status=chua_tham_gia&amp;page=2"' in body
    page2 = client.get("/ho/", {"hamlet": "Ấp 3", "status": "chua_tham_gia", "page": 2}).content.decode()
    assert "HG-1024" in page2 and "HG-0001" not in page2 and "HG-0002" not in page2
