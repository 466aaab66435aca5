"""The pages and downloads: each list, book, reconciliation, renewal list and PDF once through its URL,
with the scope the selectors enforce (404 outside it, like a missing record)."""

import io

import pytest
from openpyxl import load_workbook

from .paid import paid_once_per_module

PERIOD = "date_from=2024-07-01&date_to=2024-12-31"


@pytest.fixture(scope="module")
def _paid_module(django_db_setup, django_db_blocker):
    yield from paid_once_per_module(django_db_blocker)


@pytest.fixture
def paid(_paid_module, db):
    return _paid_module


def _login(client, username):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username=username))
    return client


def _sheet(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def test_the_lists_page_shows_receipts_and_links_the_downloads(client, paid):
    response = _login(client, "thu_1").get(f"/danh-sach/?{PERIOD}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "D05-TS" in page and "D03-TS" in page
    total = paid.hi_receipt.amount + paid.vsi_head_receipt.amount
    assert f"{total:,}".replace(",", ".") + " đ" in page
    assert f"/danh-sach/d05-ts.xlsx?{PERIOD}" in page.replace("&amp;", "&")


def test_an_agent_downloads_d05_with_only_their_rows(client, paid):
    response = _login(client, "thu_1").get(f"/danh-sach/d05-ts.xlsx?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "D05-TS_20240701-20241231.xlsx" in response["Content-Disposition"]
    values = [c for row in _sheet(response).iter_rows(values_only=True) for c in row]
    assert "Nguyễn Văn An" in values and "Phạm Văn Dũng" not in values
    assert "Nhân viên thu: NVT001 — Lê Thị Thu" in values


def test_a_district_officer_downloads_d03_filtered_by_area(client, paid):
    client = _login(client, "bhxh_tinh")
    response = client.get(f"/danh-sach/d03-ts.xlsx?{PERIOD}&area={paid.p.district.pk}")
    values = [c for row in _sheet(response).iter_rows(values_only=True) for c in row]
    assert "Lê Thị Hường" in values and paid.hi_receipt.amount in values
    response = client.get(f"/danh-sach/d03-ts.xlsx?{PERIOD}&area={paid.p.other_district.pk}")
    values = [c for row in _sheet(response).iter_rows(values_only=True) for c in row]
    assert "Lê Thị Hường" not in values


def test_lists_are_refused_to_association_roles_and_bad_filters_are_a_400(client, paid):
    assert _login(client, "hoi_tinh").get("/danh-sach/").status_code == 403
    client.logout()
    client = _login(client, "bhxh_tinh")
    assert client.get("/danh-sach/d05-ts.xlsx?date_from=2024-12-31&date_to=2024-01-01").status_code == 400
    assert client.get("/danh-sach/d07-ts.xlsx").status_code == 404


def test_the_receipt_and_form_4_pdfs_are_served_in_scope_only(client, paid):
    client = _login(client, "thu_1")
    response = client.get(f"/bien-lai/{paid.hi_receipt.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client.get(f"/ho/{paid.p.household.pk}/mau-4/pdf/?ky={paid.hi.pk}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.logout()
    client = _login(client, "thu_2")
    assert client.get(f"/bien-lai/{paid.hi_receipt.pk}/pdf/").status_code == 404  # like a missing one
    assert client.get(f"/ho/{paid.p.household.pk}/mau-4/pdf/").status_code == 404
    assert client.get("/bien-lai/999999/pdf/").status_code == 404


def test_the_book_page_and_its_excel(client, paid):
    client = _login(client, "thu_1")
    response = client.get(f"/so-thu/?{PERIOD}")
    assert response.status_code == 200
    page = response.content.decode()
    handover = paid.hi_receipt.amount + paid.vsi_head_receipt.amount
    assert f'id="handover-total">{handover:,} đ'.replace(",", ".") in page
    assert "Nhập nhầm người" in page  # the agent sees the lines, with the cancellation
    sheet = _sheet(client.get(f"/so-thu/xlsx/?{PERIOD}"))
    rows = list(sheet.iter_rows(values_only=True))
    totals = [r for r in rows if "Tổng cộng" in r][0]
    assert handover in totals
    detail = list(_sheet(client.get(f"/so-thu/xlsx/?{PERIOD}&detail=1")).iter_rows(values_only=True))
    assert any("Hủy" in r for r in detail)


def test_the_reconciliation_page_for_an_officer(client, paid):
    client = _login(client, "bhxh_tinh")
    response = client.get(f"/doi-soat/?{PERIOD}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "NVT001" in page and "NVT002" in page and "Khớp" in page
    response = client.get(f"/doi-soat/?{PERIOD}&agent=NVT002")
    assert "Lê Thị Thu</td>" not in response.content.decode() and "Trần Văn Hai</td>" in response.content.decode()
    sheet = _sheet(client.get(f"/doi-soat/xlsx/?{PERIOD}"))
    assert any("Khớp" in r for r in sheet.iter_rows(values_only=True))


def test_a_renewal_date_beyond_2100_is_refused_on_its_field(client, paid):
    client = _login(client, "thu_1")
    for on in ("9999-12-31", "0001-01-01"):
        response = client.get(f"/tai-tuc/?which=hi_lapsed&on={on}&days=0")
        assert response.status_code == 400
        assert "Ngày phải trong khoảng 01/01/1900 – 31/12/2100." in response.content.decode()
        assert client.get(f"/tai-tuc/xlsx/?which=hi_expiring&on={on}").status_code == 400


def test_the_renewals_page_and_its_excel(client, paid):
    end = paid.hi.members.first().valid_to
    client = _login(client, "thu_1")
    query = f"which=hi_expiring&on={end.replace(day=1):%Y-%m-%d}&days=60"
    page = client.get(f"/tai-tuc/?{query}").content.decode()
    assert "Lê Thị Hường" in page and "0912000011" in page  # an agent sees whole phone numbers
    sheet = _sheet(client.get(f"/tai-tuc/xlsx/?{query}"))
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Lê Thị Hường" in values and "********0011" in values  # citizen IDs are masked
    client.logout()
    page = _login(client, "bhxh_tinh").get(f"/tai-tuc/?{query}").content.decode()
    # officers call too (issue 16): the whole number as a call link
    assert "Lê Thị Hường" in page and 'href="tel:0912000011">Gọi 0912000011</a>' in page
