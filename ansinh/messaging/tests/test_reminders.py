"""Reminders that reach people: what is queued (the renewal lists, one message per card and window, consent),
what the stub gateway receives, and what the outbox says when the gateway misbehaves."""

import datetime
import hashlib
import hmac
import time

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.messaging import selectors, services
from ansinh.messaging.errors import PhoneInvalid
from ansinh.messaging.models import (
    ConsentRecord, DeliveryAttempt, MessageTemplate, OutboxMessage, OutboxStatus, ProvinceMessaging,
)
from ansinh.registry.models import Person

DAY = datetime.timedelta(days=1)


def card_end(paid) -> datetime.date:
    return set(paid.hi.members.values_list("valid_to", flat=True)).pop()


def consent_all(paid, *names, granted=True):
    """Consent (or opt-out) of the named people, or of every member of HG-0001."""
    people = (Person.objects.filter(full_name__in=names) if names
              else Person.objects.filter(household_membership__household=paid.p.household))
    for person in people:
        services.consent_record(user=paid.p.users["bhxh_tinh"], person=person, granted=granted,
                                decided_on=timezone.localdate(), source="form")


def queue(paid, on):
    return services.reminders_queue(user=paid.p.users["bhxh_tinh"], on=on)


def hi_messages():
    return OutboxMessage.objects.filter(kind="hi_expiring").order_by("pk")


def test_a_renewal_reminder_reaches_the_stub_once_per_card_and_window(paid, stub):
    consent_all(paid)
    end = card_end(paid)
    counts = queue(paid, end - 10 * DAY)
    assert counts["queued"] == 5 and counts["failed"] == 0 and counts["already"] == 0
    assert sorted(hi_messages().values_list("window", flat=True)) == ["30"] * 5
    # Members without a phone of their own get the message on their household head's phone.
    assert sorted(hi_messages().values_list("address", flat=True)) == [
        "0912000010", "0912000011", "0912345678", "0912345678", "0912345678"]
    assert services.outbox_dispatch() == {"sent": 5}
    # Run again the same day, and a day later in the same window: nothing new, nothing sent again.
    assert queue(paid, end - 10 * DAY)["already"] == 5
    assert queue(paid, end - 9 * DAY)["queued"] == 0
    assert services.outbox_dispatch() == {}
    sms = [r for r in stub.requests if r["path"] == "/sms"]
    assert len(sms) == 5 and len(stub.delivered) == 5
    body = sms[0]["body"]
    assert body["brandname"] == "BHXH" and sms[0]["headers"]["authorization"] == "Bearer sms-key"
    assert f"het han ngay {end:%d/%m/%Y}" in body["text"]
    assert "https://ansinh.example.vn/tu-choi/" in body["text"]
    # The 7-day window is a new message for each card, once.
    assert queue(paid, end - 5 * DAY)["queued"] == 5
    services.outbox_dispatch()
    assert queue(paid, end - 1 * DAY)["already"] == 5
    assert services.outbox_dispatch() == {}
    assert sorted(hi_messages().values_list("window", flat=True)) == ["30"] * 5 + ["7"] * 5
    assert len(stub.delivered) == 10 and len(stub.requests) == 10
    assert set(hi_messages().values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_key_is_unique_in_the_database_and_a_concurrent_run_queues_nothing_twice(paid, stub, monkeypatch):
    consent_all(paid)
    end = card_end(paid)
    original = selectors.consents_of

    def other_run_first(ids):
        # A second run, started at the same time, inserts its messages while this run is between choosing
        # the cards and writing them.
        monkeypatch.setattr(selectors, "consents_of", original)
        assert services.reminders_queue(user=paid.p.users["bhxh_tinh"], on=end - 10 * DAY)["queued"] == 5
        return original(ids)

    monkeypatch.setattr(selectors, "consents_of", other_run_first)
    counts = queue(paid, end - 10 * DAY)
    assert counts["queued"] == 0 and counts["already"] == 5
    assert hi_messages().count() == 5
    first = hi_messages().first()
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            key=first.key, ref="another-ref", kind=first.kind, window=first.window, source_id=first.source_id,
            ends_on=first.ends_on, person=first.person, channel="sms", commune=first.commune,
            next_attempt_at=first.next_attempt_at, created_at=first.created_at)


def test_people_without_consent_or_who_opted_out_get_nothing(paid, stub):
    end = card_end(paid)
    counts = queue(paid, end - 10 * DAY)
    assert counts["queued"] == 0 and counts["no_consent"] == 5
    consent_all(paid)
    consent_all(paid, "Lê Thị Hường", granted=False)
    counts = queue(paid, end - 10 * DAY)
    assert counts["queued"] == 4 and counts["opted_out"] == 1
    # The head opts out after the messages were queued: his phone gets nothing (his own card and the two
    # members who use his phone fail with the reason); the member with her own phone still gets hers.
    consent_all(paid, "Nguyễn Văn An", granted=False)
    assert services.outbox_dispatch() == {"failed": 3, "sent": 1}
    assert set(OutboxMessage.objects.filter(status="failed").values_list("reason", flat=True)) == {
        "Người nhận đã từ chối nhận tin."}
    assert [r["body"]["phone"] for r in stub.requests] == ["0912000010"]
    assert "0912000011" not in str(stub.requests) and "0912345678" not in str(stub.requests)


def test_a_gateway_timeout_is_retried_with_backoff_then_sent(paid, stub):
    consent_all(paid, "Nguyễn Thị Dung")
    end = card_end(paid)
    assert queue(paid, end - 10 * DAY)["queued"] == 1
    stub.fail_next(2, "timeout")
    t0 = timezone.now()
    assert services.outbox_dispatch(now=t0) == {"retried": 1}
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.RETRIED and message.attempts == 1
    assert message.next_attempt_at == t0 + datetime.timedelta(seconds=60)
    assert message.reason == "Cổng gửi tin không trả lời (quá thời gian chờ)"
    assert services.outbox_dispatch(now=t0 + datetime.timedelta(seconds=59)) == {}
    assert services.outbox_dispatch(now=t0 + datetime.timedelta(seconds=60)) == {"retried": 1}
    message.refresh_from_db()
    assert message.next_attempt_at == t0 + datetime.timedelta(seconds=60 + 120)
    assert services.outbox_dispatch(now=t0 + datetime.timedelta(seconds=180)) == {"sent": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.reason) == (OutboxStatus.SENT, 3, "")
    assert list(message.delivery_attempts.order_by("pk").values_list("outcome", flat=True)) == [
        "retry", "retry", "sent"]
    assert len(stub.delivered) == 1 and message.provider_id == "STUB000001"


def test_a_gateway_answering_500_for_ever_fails_the_message_with_the_reason(paid, stub):
    consent_all(paid, "Nguyễn Thị Dung")
    queue(paid, card_end(paid) - 10 * DAY)
    stub.fail_next(None, "error")
    t0 = timezone.now()
    for seconds in (0, 60, 180, 420):
        services.outbox_dispatch(now=t0 + datetime.timedelta(seconds=seconds))
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert message.reason == "Cổng gửi tin lỗi 500; đã thử 3 lần."
    assert list(message.delivery_attempts.values_list("http_status", flat=True)) == [500, 500, 500]
    assert len(stub.requests) == 3 and stub.delivered == {}


def test_a_phone_that_is_not_vietnamese_fails_and_is_never_sent(paid, stub):
    consent_all(paid, "Nguyễn Thị Dung", "Lê Thị Hường")
    Person.objects.filter(full_name="Nguyễn Thị Dung").update(phone="6591234567")
    Person.objects.filter(full_name="Lê Thị Hường").update(phone="0212345678")  # a landline
    counts = queue(paid, card_end(paid) - 10 * DAY)
    assert counts["failed"] == 2 and counts["queued"] == 0
    assert set(OutboxMessage.objects.values_list("status", "reason")) == {(OutboxStatus.FAILED, PhoneInvalid.message)}
    assert services.outbox_dispatch() == {}
    assert stub.requests == []


def test_a_duplicate_delivery_report_changes_nothing(paid, stub, client):
    consent_all(paid, "Nguyễn Thị Dung")
    queue(paid, card_end(paid) - 10 * DAY)
    services.outbox_dispatch()
    stub.twice = True
    reports = stub.reports(secret="webhook-test-secret")
    assert len(reports) == 2
    answers = [client.post("/tin-nhan/webhook/bao-cao/", data=body, content_type="application/json",
                           headers=headers).json()["result"] for body, headers in reports]
    assert answers == ["delivered", "duplicate"]
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.DELIVERED
    assert list(message.delivery_attempts.order_by("pk").values_list("outcome", flat=True)) == [
        "sent", "report:delivered"]
    # Unsigned or wrongly signed reports are refused.
    body, headers = reports[0]
    assert client.post("/tin-nhan/webhook/bao-cao/", data=body, content_type="application/json").status_code == 403
    assert client.post("/tin-nhan/webhook/bao-cao/", data=body, content_type="application/json",
                       headers={**headers, "X-Signature": "0" * 64}).status_code == 403
    # A report captured and replayed later (its timestamp over 5 minutes old), or with its timestamp changed
    # to a fresh one (the signature covers it), is refused.
    stale = str(int(headers["X-Timestamp"]) - 301)
    old_signature = hmac.new(b"webhook-test-secret", stale.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert client.post("/tin-nhan/webhook/bao-cao/", data=body, content_type="application/json",
                       headers={"X-Signature": old_signature, "X-Timestamp": stale}).status_code == 403
    assert client.post("/tin-nhan/webhook/bao-cao/", data=body, content_type="application/json",
                       headers={"X-Signature": old_signature,
                                "X-Timestamp": headers["X-Timestamp"]}).status_code == 403
    for odd_time in ("", "12.5", "٣٣", "9" * 40, "-1"):
        assert services.webhook_verify(body=body, signature=headers["X-Signature"], timestamp=odd_time) is False
    for odd in ("é" * 64, "Chữ ký", "\udcff", "0" * 63 + "đ"):  # non-ASCII: refused, never a server error
        refused = client.post("/tin-nhan/webhook/bao-cao/", data=body, content_type="application/json",
                              headers={**headers, "X-Signature": odd})
        assert refused.status_code == 403
        assert refused.content == b"bad signature"
        assert services.webhook_verify(body=body, signature=odd, timestamp=headers["X-Timestamp"]) is False
        refused = client.post("/tin-nhan/webhook/tra-loi/", data=body, content_type="application/json",
                              headers={**headers, "X-Signature": odd})
        assert refused.status_code == 403


def test_a_failed_delivery_report_fails_the_message_with_the_reason(paid, stub):
    consent_all(paid, "Nguyễn Thị Dung")
    queue(paid, card_end(paid) - 10 * DAY)
    services.outbox_dispatch()
    message = OutboxMessage.objects.get()
    assert services.delivery_report_record(ref=message.ref, delivered=False, reason="Máy tắt") == "failed"
    message.refresh_from_db()
    assert (message.status, message.reason) == (OutboxStatus.FAILED, "Không đến máy: Máy tắt")
    assert services.delivery_report_record(ref=message.ref, delivered=True) == "duplicate"
    assert services.delivery_report_record(ref="nope", delivered=True) == "unknown"


def test_replying_tu_choi_opts_the_phone_out(paid, stub, client):
    import hashlib
    import hmac
    import json

    consent_all(paid)
    body = json.dumps({"phone": "84912345678", "text": "Từ chối"}).encode()
    timestamp = str(int(time.time()))
    signature = hmac.new(b"webhook-test-secret", timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    answer = client.post("/tin-nhan/webhook/tra-loi/", data=body, content_type="application/json",
                         headers={"X-Signature": signature, "X-Timestamp": timestamp})
    assert answer.json() == {"opted_out": 1}
    latest = ConsentRecord.objects.filter(person__phone="0912345678").latest("recorded_at", "pk")
    assert (latest.granted, latest.source) == (False, "sms_reply")
    counts = queue(paid, card_end(paid) - 10 * DAY)
    assert counts["queued"] == 2 and counts["opted_out"] == 3
    assert services.inbound_reply_handle(phone="0912000010", text="cam on") == 0
    # The same reply again (a gateway that reports twice) adds no second record.
    records = ConsentRecord.objects.count()
    again = client.post("/tin-nhan/webhook/tra-loi/", data=body, content_type="application/json",
                        headers={"X-Signature": signature, "X-Timestamp": timestamp})
    assert again.json() == {"opted_out": 0} and ConsentRecord.objects.count() == records


def test_the_opt_out_link_holds_no_personal_data_and_needs_a_press(paid, stub, client):
    consent_all(paid, "Nguyễn Thị Dung")
    queue(paid, card_end(paid) - 10 * DAY)
    services.outbox_dispatch()
    text = stub.requests[0]["body"]["text"]
    link = text[text.index("https://ansinh.example.vn"):].split()[0]
    path = link.removeprefix("https://ansinh.example.vn")
    message = OutboxMessage.objects.get()
    # The token is the message's random reference and its signature: no phone, name or id.
    assert path == f"/tu-choi/{services.opt_out_token(message.ref)}/"
    assert path.removeprefix("/tu-choi/").split(":")[0] == message.ref and len(message.ref) == 32
    assert client.get(path).status_code == 200
    assert ConsentRecord.objects.filter(granted=False).count() == 0  # a link preview opts nobody out
    page = client.post(path)
    assert "Đã ghi nhận" in page.content.decode()
    latest = ConsentRecord.objects.filter(person=message.recipient).latest("recorded_at", "pk")
    assert (latest.granted, latest.source) == (False, "link")
    # Pressing the button again (a double tap, a second visit) keeps one withdrawal.
    withdrawals = ConsentRecord.objects.filter(person=message.recipient, granted=False).count()
    assert "Đã ghi nhận" in client.post(path).content.decode()
    assert ConsentRecord.objects.filter(person=message.recipient, granted=False).count() == withdrawals == 1
    tampered = path[:-3] + "xyz/"
    answer = client.get(tampered)
    assert answer.status_code == 404 and "Đường dẫn từ chối nhận tin không hợp lệ." in answer.content.decode()


def test_a_template_broken_after_it_was_saved_fails_at_send_time(paid, stub):
    consent_all(paid, "Nguyễn Thị Dung")
    MessageTemplate.objects.create(province=None, kind="hi_expiring", body="The {ho_ten} het han {ngay_het_han} {ma_so}")
    queue(paid, card_end(paid) - 10 * DAY)
    assert services.outbox_dispatch() == {"failed": 1}
    assert OutboxMessage.objects.get().reason == "Mẫu tin nhắn có trường không được hỗ trợ: ma_so."
    assert stub.requests == []


def test_zalo_gets_the_template_id_and_the_phone_as_84(paid, stub):
    consent_all(paid, "Nguyễn Thị Dung")
    province = paid.p.commune.province
    ProvinceMessaging.objects.create(province=province, channel="zalo", windows="30,7")
    MessageTemplate.objects.create(province=province, kind="hi_expiring", zalo_template_id="ZNS-231",
                                   body="Thẻ BHYT của {ho_ten} hết hạn {ngay_het_han}, lần trước {so_tien}.")
    queue(paid, card_end(paid) - 10 * DAY)
    assert services.outbox_dispatch() == {"sent": 1}
    request = stub.requests[0]
    assert request["path"] == "/zns" and request["headers"]["access_token"] == "zalo-token"
    assert request["body"]["phone"] == "84912000010" and request["body"]["template_id"] == "ZNS-231"
    assert request["body"]["template_data"]["ho_ten"] == "Nguyễn Thị Dung"
    message = OutboxMessage.objects.get()
    assert message.text.endswith(f"lần trước {message.params['so_tien']}.")
    assert message.params["so_tien"].endswith(" đ") and "." in message.params["so_tien"]


def test_email_goes_through_django_mail_to_the_address_given_with_consent(paid, stub, mailoutbox):
    person = Person.objects.get(full_name="Nguyễn Thị Dung")
    services.consent_record(user=paid.p.users["bhxh_tinh"], person=person, granted=True,
                            decided_on=timezone.localdate(), source="form", email="dung@example.vn")
    ProvinceMessaging.objects.create(province=paid.p.commune.province, channel="email")
    queue(paid, card_end(paid) - 10 * DAY)
    assert services.outbox_dispatch() == {"sent": 1}
    assert [m.to for m in mailoutbox] == [["dung@example.vn"]]
    assert "Nguyễn Thị Dung" in mailoutbox[0].body or "Nguyen" in mailoutbox[0].body
    assert stub.requests == []


def test_vsi_periods_ending_and_lapses_are_reminded_once(paid, stub):
    head = Person.objects.get(full_name="Nguyễn Văn An")
    consent_all(paid, "Nguyễn Văn An", "Phạm Văn Dũng")
    Person.objects.filter(full_name="Phạm Văn Dũng").update(phone="0987654321")
    counts = queue(paid, datetime.date(2025, 11, 25))
    vsi = OutboxMessage.objects.get(kind="vsi_ending")
    assert (vsi.person_id, vsi.window, vsi.ends_on) == (head.pk, "7", datetime.date(2025, 11, 30))
    assert counts["queued"] == OutboxMessage.objects.count()
    OutboxMessage.objects.all().delete()
    queue(paid, datetime.date(2024, 11, 10))
    lapsed = OutboxMessage.objects.get(kind="vsi_lapsed")
    assert (lapsed.person.full_name, lapsed.window, lapsed.address) == ("Phạm Văn Dũng", "lapsed", "0987654321")
    assert queue(paid, datetime.date(2024, 11, 20))["queued"] == 0


def test_a_worker_killed_between_the_gateway_answer_and_the_write_sends_once(paid, stub, monkeypatch):
    """The worker dies after the gateway took the message but before the outbox says so: the message stays
    claimed until its lease ends, then another worker sends it again with the same ref, which the gateway
    takes as the same message: the handset gets it once, the outbox says sent once."""
    consent_all(paid, "Nguyễn Thị Dung")
    queue(paid, card_end(paid) - 10 * DAY)
    original = services._finish

    class Killed(BaseException):
        pass

    def die(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(services, "_finish", die)
    t0 = timezone.now()
    with pytest.raises(Killed):
        services.outbox_dispatch(now=t0)
    monkeypatch.setattr(services, "_finish", original)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.QUEUED and message.locked_until == t0 + services.LEASE
    assert services.outbox_dispatch(now=t0 + datetime.timedelta(minutes=1)) == {}  # still claimed
    assert services.outbox_dispatch(now=t0 + services.LEASE + datetime.timedelta(seconds=1)) == {"sent": 1}
    assert len(stub.requests) == 2 and len(stub.delivered) == 1
    assert {r["body"]["ref"] for r in stub.requests} == {message.ref}
    message.refresh_from_db()
    assert (message.status, message.attempts, DeliveryAttempt.objects.count()) == (OutboxStatus.SENT, 1, 1)


def test_signed_webhooks_with_odd_json_answer_without_a_server_error(client, settings, db):
    settings.MESSAGING_WEBHOOK_SECRET = "webhook-test-secret"

    def post(url, body: bytes):
        timestamp = str(int(time.time()))
        signature = hmac.new(b"webhook-test-secret", timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return client.post(url, data=body, content_type="application/json",
                           headers={"X-Signature": signature, "X-Timestamp": timestamp})

    lone_surrogate = b'{"ref": "\\ud800", "id": "\\ud800", "reason": "\\ud800"}'
    deep = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    nul = b'{"ref": "a\\u0000b", "id": "\\u0000"}'
    for body in (lone_surrogate, deep, nul):
        answer = post("/tin-nhan/webhook/bao-cao/", body)
        assert (answer.status_code, answer.json()) == (200, {"result": "unknown"})
    for body in (b'{"phone": "\\ud800", "text": "TU CHOI"}', deep):
        answer = post("/tin-nhan/webhook/tra-loi/", body)
        assert (answer.status_code, answer.json()) == (200, {"opted_out": 0})
