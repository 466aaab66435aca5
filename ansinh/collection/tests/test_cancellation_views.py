"""Cancelling a payment through the pages: the agent asks from the receipt, an officer of the area approves
in the queue "Yêu cầu hủy thu"; the receipt then says ĐÃ HỦY everywhere, a replay of the payment too, and
the household can pay again."""

import shutil
import subprocess
import uuid

import pytest
from django.test import Client
from django.utils import timezone

pytest.importorskip("ansinh.rules.quote", reason="payments are priced through the rules module")

from ansinh.collection.models import CancellationStatus, Payment, PaymentCancellation, Receipt  # noqa: E402
from ansinh.enrollment.models import HiParticipation, Status  # noqa: E402
from ansinh.testing.province import PASSWORD  # noqa: E402

HI_DUE = "2.906.280"


@pytest.fixture(autouse=True)
def _any_payment_date(settings):
    settings.ANSINH_MAX_BACKDATE_DAYS = None


def _client(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _pay(client, household, key):
    return client.post(f"/ho/{household.pk}/thu-bhyt/", {"xac_nhan": "1",
        "months": "12", "amount": HI_DUE, "method": "cash", "paid_on": "2024-07-01", "idempotency_key": key})


def test_the_whole_path_agent_asks_officer_approves_receipt_says_cancelled_and_the_household_pays_again(
        small_province):
    p = small_province
    agent = _client("thu_1")
    key = uuid.uuid4().hex
    response = _pay(agent, p.household, key)
    receipt = Receipt.objects.get()
    first = agent.get(response["Location"]).content.decode()
    assert "Yêu cầu hủy" in first and f"/bien-lai/{receipt.pk}/yeu-cau-huy/" in first
    assert "Bản in lại" not in first and f"/bien-lai/{receipt.pk}/pdf/?ban=goc" in first
    # opened again later (or from a list): a reprint with today's date
    again = agent.get(f"/bien-lai/{receipt.pk}/").content.decode()
    assert f"Bản in lại ngày {timezone.localdate():%d/%m/%Y}" in again and "?ban=goc" not in again

    # the agent asks; a missing reason is said on its field
    url = f"/bien-lai/{receipt.pk}/yeu-cau-huy/"
    form = agent.get(url)
    assert form.status_code == 200 and "Thu nhầm hộ / nhầm người" in form.content.decode()
    bad = agent.post(url, {"reason": "", "note": ""})
    assert bad.status_code == 422
    assert '<ul class="errorlist" id="id_reason_error"><li>Vui lòng chọn lý do hủy.</li></ul>' in bad.content.decode()
    done = agent.post(url, {"reason": "wrong_household", "note": "Thu nhầm sang hộ bên cạnh"})
    assert done.status_code == 302 and done["Location"] == f"/bien-lai/{receipt.pk}/"
    waiting = agent.get(done["Location"]).content.decode()
    assert "Đã gửi yêu cầu hủy biên lai số" in waiting and "/huy-thu/" not in waiting
    assert "đang chờ cán bộ BHXH duyệt" in waiting and url not in waiting
    request = PaymentCancellation.objects.get()
    assert agent.post(url, {"reason": "wrong_amount"}).content.decode().count(
        "Khoản thu này đã có yêu cầu hủy đang chờ duyệt.") == 1

    # the agent has no queue; the officer of the district sees it
    assert agent.get("/huy-thu/").status_code == 403
    officer = _client("bhxh_huyen")
    assert f'href="/huy-thu/#c-{request.pk}"' in officer.get(f"/bien-lai/{receipt.pk}/").content.decode()
    queue = officer.get("/huy-thu/").content.decode()
    assert receipt.number in queue and "Thu nhầm sang hộ bên cạnh" in queue and "Chờ duyệt (1)" in queue
    refused = officer.post(f"/huy-thu/{request.pk}/tu-choi/", {f"c{request.pk}-note": ""})
    assert refused.status_code == 422 and "Vui lòng ghi lý do từ chối." in refused.content.decode()
    approved = officer.post(f"/huy-thu/{request.pk}/duyet/", {f"c{request.pk}-note": "Đúng"})
    assert approved.status_code == 302 and approved["Location"] == "/huy-thu/"
    after = officer.get("/huy-thu/").content.decode()
    assert f"Đã duyệt hủy biên lai số {receipt.number}." in after and "Chờ duyệt (0)" in after
    assert "Đã duyệt hủy, chưa ghi hoàn tiền (1)" in after
    request.refresh_from_db()
    assert request.status == CancellationStatus.APPROVED and request.decided_by == p.users["bhxh_huyen"]

    # approving again (a second tab) is one clear error
    twice = officer.post(f"/huy-thu/{request.pk}/duyet/", {f"c{request.pk}-note": ""})
    assert twice.status_code == 422
    assert "Yêu cầu hủy này đã được xử lý trước đó (đã duyệt hủy)." in twice.content.decode()
    receipt.refresh_from_db()
    stamp = (f"<strong>ĐÃ HỦY</strong> lúc {timezone.localtime(receipt.cancelled_at):%H:%M} ngày "
             f"{timezone.localtime(receipt.cancelled_at):%d/%m/%Y}, người hủy: bhxh_huyen.<br>Lý do: Thu nhầm hộ / "
             "nhầm người: Thu nhầm sang hộ bên cạnh")
    page = agent.get(f"/bien-lai/{receipt.pk}/").content.decode()
    assert stamp in page and f"Bản in lại ngày {timezone.localdate():%d/%m/%Y}" in page
    assert f"/bien-lai/{receipt.pk}/yeu-cau-huy/" not in page

    if shutil.which("pdftotext"):  # the PDF says it too (poppler-utils; CI installs it)
        pdf = agent.get(f"/bien-lai/{receipt.pk}/pdf/?ban=goc").content
        text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                       check=True).stdout.decode().split())
        assert (f"BIÊN LAI ĐÃ HỦY lúc {timezone.localtime(receipt.cancelled_at):%H:%M} ngày "
                f"{timezone.localtime(receipt.cancelled_at):%d/%m/%Y}, người hủy: bhxh_huyen. Lý do: Thu nhầm hộ / "
                "nhầm người: Thu nhầm sang hộ bên cạnh") in text
        assert f"Bản in lại ngày {timezone.localdate():%d/%m/%Y}" in text  # a cancelled receipt is never an original

    # a replay of the original submission leads to the cancelled receipt, said so, not a fresh one
    replay = _pay(agent, p.household, key)
    assert replay["Location"] == f"/bien-lai/{receipt.pk}/?ket-qua=da-ghi"
    replayed = agent.get(replay["Location"]).content.decode()
    assert stamp in replayed and "đây không phải biên lai mới" in replayed
    assert "đã được ghi nhận trước đó" not in replayed and "Bản in lại ngày" in replayed
    assert Payment.objects.count() == 2  # the payment and its reversal; the replay wrote nothing

    # the officer records the refund: the agent paid the cash back
    today = f"{timezone.localdate():%d/%m/%Y}"
    prefix = f"r{request.pk}"
    wrong = officer.post(f"/huy-thu/{request.pk}/hoan-tien/", {
        f"{prefix}-refunded_by": p.users["thu_1"].pk, f"{prefix}-refunded_on": today, f"{prefix}-amount": "3.000.000"})
    assert wrong.status_code == 422
    assert "Số tiền hoàn phải là số nguyên dương, không quá số tiền đã thu (2.906.280 đ)." in wrong.content.decode()
    refunded = officer.post(f"/huy-thu/{request.pk}/hoan-tien/", {
        f"{prefix}-refunded_by": p.users["thu_1"].pk, f"{prefix}-refunded_on": today, f"{prefix}-amount": HI_DUE})
    assert refunded.status_code == 302
    request.refresh_from_db()
    assert (request.refunded_by, request.refund_amount) == (p.users["thu_1"], 2_906_280)

    # the correct payment can be made
    new = _pay(agent, p.household, uuid.uuid4().hex)
    assert new.status_code == 302 and new["Location"].endswith("?ket-qua=moi")
    assert HiParticipation.objects.filter(household=p.household, status=Status.PAID).count() == 1
    assert Receipt.objects.filter(cancelled_at__isnull=True).count() == 1


def test_an_officer_cannot_approve_their_own_request_on_the_page(small_province):
    p = small_province
    agent = _client("thu_1")
    _pay(agent, p.household, uuid.uuid4().hex)
    receipt = Receipt.objects.get()
    officer = _client("bhxh_huyen")
    assert "Yêu cầu hủy" in officer.get(f"/bien-lai/{receipt.pk}/").content.decode()
    officer.post(f"/bien-lai/{receipt.pk}/yeu-cau-huy/", {"reason": "duplicate_cash", "note": ""})
    request = PaymentCancellation.objects.get()
    own = officer.post(f"/huy-thu/{request.pk}/duyet/", {f"c{request.pk}-note": ""})
    assert own.status_code == 422
    assert ("Bạn không thể tự duyệt yêu cầu hủy do chính mình gửi; cần một cán bộ BHXH khác duyệt."
            in own.content.decode())
    assert PaymentCancellation.objects.get().status == CancellationStatus.REQUESTED
    other_agent = _client("thu_2")
    assert other_agent.get(f"/bien-lai/{receipt.pk}/yeu-cau-huy/").status_code == 404  # not their receipt: as if missing


def test_an_officer_marks_a_list_sent_and_its_payments_are_then_corrected_through_the_agency(small_province):
    p = small_province
    agent = _client("thu_1")
    _pay(agent, p.household, uuid.uuid4().hex)
    receipt = Receipt.objects.get()
    officer = _client("bhxh_tinh")
    period = "date_from=2024-07-01&date_to=2024-07-31"
    page = officer.get(f"/danh-sach/?{period}").content.decode()
    assert f'action="/danh-sach/d03-ts/da-gui/?{period.replace("&", "&amp;")}"' in page
    assert "/danh-sach/d05-ts/da-gui/" not in page  # no VSI payment in the period
    assert "Đánh dấu đã gửi" not in _client("thu_1").get(f"/danh-sach/?{period}").content.decode()
    assert agent.post(f"/danh-sach/d03-ts/da-gui/?{period}").status_code == 403
    done = officer.post(f"/danh-sach/d03-ts/da-gui/?{period}")
    assert done.status_code == 302 and done["Location"] == f"/danh-sach/?{period}"
    assert ("Đã đánh dấu 1 khoản thu của danh sách D03-TS là đã gửi cơ quan BHXH."
            in officer.get(done["Location"]).content.decode())
    assert HiParticipation.objects.get().status == Status.SENT
    refused = agent.post(f"/bien-lai/{receipt.pk}/yeu-cau-huy/", {"reason": "wrong_amount", "note": ""})
    assert refused.status_code == 422
    assert ("việc điều chỉnh phải làm qua cơ quan BHXH, không hủy được ở đây." in refused.content.decode())
    assert PaymentCancellation.objects.count() == 0
