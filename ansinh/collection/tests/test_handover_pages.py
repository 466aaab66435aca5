"""The handover page (agent records, officer confirms), the cash section of the reconciliation page, and
the menu of each role."""


import pytest

from django.urls import reverse

from ansinh.collection.models import CashHandover
from ansinh.testing.province import PASSWORD

from .paid_common import HEAD, HI, SON, D, _paid_module, num, paid  # noqa: F401 (fixtures imported for pytest)


def _login(client, username):
    client.login(username=username, password=PASSWORD)
    return client


def _post(client, **kw):
    data = {"date_from": "01/07/2024", "date_to": "01/07/2024", "amount": f"{num(HI)}", "handed_to": "Võ Thị Quỹ",
            "handed_on": "02/07/2024", "note": ""} | kw
    return client.post(reverse("handover"), data)


def test_an_agent_records_a_handover_on_the_page_and_sees_what_they_still_hold(client, paid):
    c = _login(client, "thu_1")
    page = c.get(reverse("handover")).content.decode()
    assert 'id="cash-waiting"' in page and "01/07/2024" in page and f"{num(HEAD)} đ" in page
    response = _post(c)
    assert response.status_code == 302 and response["Location"] == reverse("handover")
    handover = CashHandover.objects.get()
    assert (handover.agent, handover.amount, handover.handed_on) == (paid.p.agent, HI, D(2024, 7, 2))
    page = c.get(reverse("handover")).content.decode()
    assert f"Đã ghi nhận bàn giao {num(HI)} đ." in page
    assert "Chờ xác nhận" in page and "Võ Thị Quỹ" in page


def test_refusals_go_on_their_field(client, paid):
    c = _login(client, "thu_1")
    response = _post(c, amount=f"{num(HI + 1)}")
    assert response.status_code == 400
    assert response.context["form"].errors == {"amount": [
        f"Số tiền bàn giao: {num(HI + 1)} đ lớn hơn số tiền mặt đã thu trừ các khoản hủy trong những ngày này "
        f"({num(HI)} đ)."]}
    _post(c)
    response = _post(c, date_from="30/06/2024", amount="1", handed_on="03/07/2024")
    assert response.context["form"].errors == {"date_from": [
        "Từ ngày: tiền ngày 01/07/2024 đã được bàn giao (lần bàn giao ngày 02/07/2024); mỗi ngày chỉ bàn giao "
        "một lần."]}
    response = _post(c, handed_to="")
    assert response.context["form"].errors == {"handed_to": ["Người nhận tiền: vui lòng ghi họ tên người nhận."]}
    assert CashHandover.objects.count() == 1


def test_an_officer_confirms_the_amount_received_and_an_agent_cannot(client, paid):
    _post(_login(client, "thu_1"))
    handover = CashHandover.objects.get()
    response = client.post(reverse("handover_confirm", args=[handover.pk]), {"amount_received": str(HI)})
    assert response.status_code == 403
    client.logout()
    c = _login(client, "bhxh_huyen")
    page = c.get(reverse("handover")).content.decode()
    assert f'action="/ban-giao/{handover.pk}/xac-nhan/"' in page and 'id="cash-waiting"' not in page
    response = c.post(reverse("handover_confirm", args=[handover.pk]), {"amount_received": "999.999.999.999.999"},
                      follow=True)
    assert (f"Số tiền thực nhận: 999.999.999.999.999 đ lớn hơn số tiền đã khai bàn giao ({num(HI)} đ)."
            in response.content.decode())
    handover.refresh_from_db()
    assert handover.confirmed_at is None
    response = c.post(reverse("handover_confirm", args=[handover.pk]), {"amount_received": f"{num(HI - 1000)}"})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.amount_received, handover.confirmed_by.username) == (4_042_520, "bhxh_huyen")
    page = c.get(reverse("handover")).content.decode()
    assert f"Thực nhận {num(HI - 1000)} đ" in page
    response = c.post(reverse("handover_confirm", args=[handover.pk]), {"amount_received": "1"}, follow=True)
    assert "Số tiền thực nhận: lần bàn giao này đã được xác nhận ngày" in response.content.decode()


def test_the_reconciliation_page_shows_the_cash_per_agent_and_day(client, paid):
    _post(_login(client, "thu_1"), date_from="01/12/2024", date_to="01/12/2024", amount="6.700.000",
          handed_on="05/12/2024")
    client.logout()
    page = _login(client, "bhxh_tinh").get(
        reverse("reconciliation") + "?date_from=2024-12-01&date_to=2024-12-31&agent=NVT001").content.decode()
    table = page.split('id="cash-reconciliation"', 1)[1]
    assert "NVT001 — Lê Thị Thu" in table and "01/12/2024" in table
    assert f"{num(HEAD)} đ" in table and "6.700.000 đ" in table and f"<strong>{num(HEAD - 6_700_000)} đ</strong>" in table
    assert f"Chênh lệch {num(HEAD - 6_700_000)} đ" in table and "Bàn giao sau 4 ngày làm việc (quá 2 ngày)" in table


MENUS = {
    "thu_1": ["Hộ gia đình", "Việc cần làm", "Sổ thu", "Bàn giao tiền", "Biên lai", "Tái tục", "Danh sách",
              "Tính mức đóng"],
    "bhxh_tinh": ["Hộ gia đình", "Chiến dịch", "Tiến độ", "Sổ thu", "Đối chiếu", "Bàn giao tiền", "Biên lai",
                  "Yêu cầu hủy thu", "Tái tục", "Danh sách", "Nhập dữ liệu", "Tin nhắn", "Tính mức đóng", "Tham số"],
    "hoi_tinh": ["Hộ gia đình", "Chiến dịch", "Tiến độ", "Tái tục", "Nhập dữ liệu", "Tin nhắn", "Tính mức đóng"],
    "chi_hoi": ["Hộ gia đình", "Việc cần làm", "Chiến dịch", "Tiến độ", "Tái tục", "Tính mức đóng"],
}


@pytest.mark.parametrize("username", list(MENUS))
def test_the_menu_of_each_role(client, paid, username):
    response = _login(client, username).get(reverse("household_list"))
    labels = [item["label"] for item in response.context["nav"]]
    assert labels == MENUS[username]
    html = response.content.decode()
    nav = html.split('<nav class="nav" aria-label="Chức năng">', 1)[1].split("</nav>", 1)[0]
    for label, url in [("Sổ thu", "/so-thu/"), ("Đối chiếu", "/doi-soat/"), ("Bàn giao tiền", "/ban-giao/"),
                       ("Biên lai", "/bien-lai/"), ("Tái tục", "/tai-tuc/")]:
        assert (f'<a href="{url}">{label}</a>' in nav) == (label in MENUS[username])
    assert 'id="nav-toggle"' in html  # folds behind "Chức năng" on a phone


@pytest.mark.parametrize("username,name", [("thu_1", "collection_book"), ("thu_1", "handover"),
                                           ("thu_1", "receipt_list"), ("thu_1", "renewals"),
                                           ("bhxh_tinh", "reconciliation"), ("bhxh_tinh", "handover"),
                                           ("chi_hoi", "renewals"), ("hoi_tinh", "renewals")])
def test_every_menu_link_opens(client, paid, username, name):
    response = _login(client, username).get(reverse(name))
    assert response.status_code == 200
    nav = response.context["nav"]
    assert [i["label"] for i in nav if i["active"]] == [
        {"collection_book": "Sổ thu", "handover": "Bàn giao tiền", "receipt_list": "Biên lai", "renewals": "Tái tục",
         "reconciliation": "Đối chiếu"}[name]]
