"""The paper trail: payment history on the household and person pages, the receipts list and its search
within the user's scope, receipt numbers in the collection book as links."""

import datetime

import pytest
from django.urls import reverse

from ansinh.collection.selectors_receipts import (
    ReceiptQuery, household_payment_history, payment_statuses, person_payment_history, receipts_search,
)
from ansinh.core.errors import OutOfScope, PermissionDenied
from ansinh.testing.province import PASSWORD
from .paid_common import HEAD, HI, SON, _paid_module, num, paid  # noqa: F401 (fixtures imported for pytest)



def _client(client, paid, username):
    client.login(username=username, password=PASSWORD)
    return client


def _rows(rows):
    return [(r["day"], r["scheme_label"], r["months"], r["period_from"], r["period_to"], r["amount"],
             r["receipt_number"], r["agent_name"], r["status"]) for r in rows]


def test_payment_statuses_paid_and_cancelled(paid):
    statuses = payment_statuses([paid.hi_payment.pk, paid.vsi_reversed_payment.pk])
    assert statuses == {paid.hi_payment.pk: "paid", paid.vsi_reversed_payment.pk: "cancelled"}


def test_a_cancellation_asked_shows_as_requested_until_an_officer_decides(paid):
    from ansinh.collection.services_cancellation import cancellation_request

    cancellation_request(user=paid.p.users["thu_1"], payment=paid.hi_payment, reason="wrong_household",
                         note="Thu nhầm hộ")
    assert payment_statuses([paid.hi_payment.pk]) == {paid.hi_payment.pk: "cancellation_requested"}


def test_household_history_lists_hi_and_members_vsi_newest_first_with_status(paid):
    rows = household_payment_history(user=paid.p.users["thu_1"], household=paid.p.household)
    assert _rows(rows) == [
        (datetime.date(2024, 12, 1), "BHXH TN", 12, datetime.date(2024, 12, 1), datetime.date(2025, 11, 1), HEAD,
         "BD93-NVT001-2024-0000002", "Lê Thị Thu", "paid"),
        (datetime.date(2024, 10, 1), "BHXH TN", 1, datetime.date(2024, 10, 1), datetime.date(2024, 10, 1), SON,
         "BD93-NVT001-2024-0000003", "Lê Thị Thu", "cancelled"),
        (datetime.date(2024, 7, 1), "BHYT HGĐ", 12, datetime.date(2024, 7, 31), datetime.date(2025, 7, 30), HI,
         "BD93-NVT001-2024-0000001", "Lê Thị Thu", "paid"),
    ]


def test_person_history_has_their_vsi_and_the_hi_that_covered_them(paid):
    head = paid.p.household.members.get(relationship="head").person
    rows = person_payment_history(user=paid.p.users["bhxh_tinh"], person=head)
    assert [(r["day"], r["scheme_label"], r["amount"], r["receipt_number"], r["status_label"]) for r in rows] == [
        (datetime.date(2024, 12, 1), "BHXH TN", HEAD, "BD93-NVT001-2024-0000002", "Đã thu"),
        (datetime.date(2024, 7, 1), "BHYT HGĐ", HI, "BD93-NVT001-2024-0000001", "Đã thu"),
    ]
    other_head = paid.p.other_household.members.get(relationship="head").person
    with pytest.raises(OutOfScope):
        person_payment_history(user=paid.p.users["thu_1"], person=other_head)
    with pytest.raises(PermissionDenied):
        person_payment_history(user=paid.p.users["hoi_tinh"], person=head)


def test_the_household_page_shows_the_history_with_receipt_links(client, paid):
    page = _client(client, paid, "thu_1").get(reverse("household_detail", args=[paid.p.household.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lịch sử nộp tiền" in html
    assert f'<a href="/bien-lai/{paid.hi_receipt.pk}/">BD93-NVT001-2024-0000001</a>' in html
    assert f"{num(HI)} đ" in html and f"{num(HEAD)} đ" in html and f"{num(SON)} đ" in html
    assert "31/07/2024 – 30/07/2025" in html and "12/2024 – 11/2025" in html
    assert html.count("Đã hủy") == 1 and html.count(">Đã thu<") == 2
    assert "BHYT HGĐ" in html and "BHXH TN" in html


def test_the_person_page_shows_the_history_and_not_to_a_user_without_payments(client, paid):
    son = paid.vsi_reversed.person
    page = _client(client, paid, "bhxh_tinh").get(reverse("person_detail", args=[son.pk]))
    html = page.content.decode()
    assert f'<a href="/bien-lai/{paid.vsi_reversed_payment.receipt.pk}/">BD93-NVT001-2024-0000003</a>' in html
    assert "Đã hủy" in html and "Lê Thị Thu" in html
    client.logout()
    page = _client(client, paid, "hoi_tinh").get(reverse("person_detail", args=[son.pk]))
    assert page.status_code == 200 and "Lịch sử nộp tiền" not in page.content.decode()


def _numbers(page):
    return [r["number"] for r in page.object_list]


def test_receipts_of_the_scope_only(paid):
    assert _numbers(receipts_search(user=paid.p.users["thu_2"], query=ReceiptQuery())) == [
        "BD93-NVT002-2024-0000001"]
    assert _numbers(receipts_search(user=paid.p.users["thu_1"], query=ReceiptQuery())) == [
        "BD93-NVT001-2024-0000002", "BD93-NVT001-2024-0000003", "BD93-NVT001-2024-0000001"]
    district = receipts_search(user=paid.p.users["bhxh_huyen"], query=ReceiptQuery())
    assert "BD93-NVT002-2024-0000001" not in _numbers(district) and len(_numbers(district)) == 3
    assert len(_numbers(receipts_search(user=paid.p.users["bhxh_tinh"], query=ReceiptQuery()))) == 4
    with pytest.raises(PermissionDenied):
        receipts_search(user=paid.p.users["chi_hoi"], query=ReceiptQuery())


def test_receipts_search_by_number_household_payer_agent_and_dates(paid):
    officer = paid.p.users["bhxh_tinh"]

    def find(**kw):
        return _numbers(receipts_search(user=officer, query=ReceiptQuery(**kw)))

    assert find(number="nvt002") == ["BD93-NVT002-2024-0000001"]
    assert find(household_code="hg-0002") == ["BD93-NVT002-2024-0000001"]
    assert find(household_code="HG-0001") == [
        "BD93-NVT001-2024-0000002", "BD93-NVT001-2024-0000003", "BD93-NVT001-2024-0000001"]
    assert find(payer="pham van dung") == ["BD93-NVT002-2024-0000001"]
    assert find(payer="Cường") == ["BD93-NVT001-2024-0000003"]
    assert find(agent=paid.p.other_agent) == ["BD93-NVT002-2024-0000001"]
    assert find(date_from=datetime.date(2024, 10, 1), date_to=datetime.date(2024, 10, 31)) == [
        "BD93-NVT001-2024-0000003", "BD93-NVT002-2024-0000001"]
    row = receipts_search(user=officer, query=ReceiptQuery(number="NVT002")).object_list[0]
    assert (row["payer_masked"], row["household_code"], row["amount"], row["status_label"], row["scheme_label"]) == (
        "P*** V** D***", "HG-0002", SON, "Đã thu", "BHXH TN")


def test_the_receipts_page_searches_by_post_and_never_reads_a_name_from_the_url(client, paid):
    c = _client(client, paid, "bhxh_tinh")
    page = c.post(reverse("receipt_list"), {"payer": "Phạm Văn Dũng"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 biên lai" in html and "BD93-NVT002-2024-0000001" in html and "P*** V** D***" in html
    assert "Phạm Văn Dũng" not in html.split('id="kq"', 1)[1]
    assert 'method="post"' in html
    page = c.get(reverse("receipt_list") + "?payer=Ph%E1%BA%A1m&household_code=HG-0001")
    html = page.content.decode()
    assert "3 biên lai" in html and "BD93-NVT002" not in html
    page = c.get(reverse("receipt_list") + "?agent=NVT002&date_from=2024-10-01&date_to=2024-10-01")
    assert "1 biên lai" in page.content.decode()


def test_a_nul_in_the_receipts_search_is_answered_in_vietnamese(client, paid):
    response = _client(client, paid, "bhxh_tinh").post(reverse("receipt_list"), {"payer": "Ph\x00m"})
    assert "Không được chứa ký tự NUL." in response.content.decode()
    assert "Null characters" not in response.content.decode()


def test_a_page_number_in_other_digits_shows_the_first_page(client, paid):
    c = _client(client, paid, "bhxh_tinh")
    for page in ("²", "①", "٣", "9" * 5000, "0"):
        response = c.post(reverse("receipt_list"), {"page": page, "household_code": "HG-0001"})
        assert (response.status_code, "3 biên lai" in response.content.decode()) == (200, True), page


def test_the_receipts_page_of_an_agent_never_lists_another_area(client, paid):
    html = _client(client, paid, "thu_2").get(reverse("receipt_list")).content.decode()
    assert "BD93-NVT002-2024-0000001" in html and "NVT001" not in html
    assert f'href="/bien-lai/{paid.vsi_other_receipt.pk}/"' in html


def test_receipt_numbers_in_the_collection_book_are_links(client, paid):
    html = _client(client, paid, "thu_1").get(
        reverse("collection_book") + "?date_from=2024-07-01&date_to=2024-12-31").content.decode()
    assert f'<a href="/bien-lai/{paid.hi_receipt.pk}/">BD93-NVT001-2024-0000001</a>' in html
    assert ('href="/bien-lai/?agent=NVT001&amp;date_from=2024-07-01&amp;date_to=2024-07-01"' in html)
