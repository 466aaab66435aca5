"""The messaging pages: outbox with counts (scope, masked phones), templates, a person's consent; the task."""

import datetime

from django.utils import timezone

from ansinh.messaging import services
from ansinh.messaging.models import ConsentRecord, MessageTemplate, OutboxMessage
from ansinh.messaging.tasks import reminders_queue_task
from ansinh.registry.models import Person
from ansinh.testing.province import PASSWORD

DAY = datetime.timedelta(days=1)


def _login(client, paid, username):
    assert client.login(username=username, password=PASSWORD)


def _queue_household(paid):
    for person in Person.objects.filter(household_membership__household=paid.p.household):
        services.consent_record(user=paid.p.users["bhxh_tinh"], person=person, granted=True,
                                decided_on=timezone.localdate(), source="form")
    end = set(paid.hi.members.values_list("valid_to", flat=True)).pop()
    return services.reminders_queue(user=paid.p.users["bhxh_tinh"], on=end - 10 * DAY)


def test_the_outbox_page_counts_per_commune_and_agent_with_phones_masked(paid, stub, client):
    _queue_household(paid)
    services.outbox_dispatch()
    _login(client, paid, "bhxh_tinh")
    page = client.get("/tin-nhan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert {"url": "/tin-nhan/", "label": "Tin nhắn", "active": True} in page.context["nav"]
    assert "0912345678" not in html and "091*****78" in html
    communes = page.context["counts"]["communes"]
    assert [(c["commune__name"], c["total"], c["sent"]) for c in communes] == [(paid.p.commune.name, 5, 5)]
    agents = page.context["counts"]["agents"]
    assert [(a["agent__code"], a["total"], a["sent"]) for a in agents] == [("NVT001", 5, 5)]
    assert page.context["counts"]["total"]["sent"] == 5
    # The other agent sees none of these households' messages; the own agent sees them.
    client.logout()
    _login(client, paid, "thu_2")
    assert client.get("/tin-nhan/").context["counts"]["total"]["total"] == 0
    client.logout()
    _login(client, paid, "thu_1")
    assert client.get("/tin-nhan/").context["counts"]["total"]["total"] == 5
    # A leader has no outbox.
    client.logout()
    _login(client, paid, "chi_hoi")
    assert client.get("/tin-nhan/").status_code == 403


def test_an_officer_edits_a_template_and_a_broken_one_is_refused_on_the_field(paid, client):
    _login(client, paid, "bhxh_tinh")
    assert client.get("/tin-nhan/mau/").status_code == 200
    page = client.post("/tin-nhan/mau/hi_expiring/", {"body": "Thẻ của {ho_ten} hết hạn {ngay_hethan}"})
    assert page.status_code == 400
    assert page.context["form"].errors["body"] == ["Mẫu tin nhắn có trường không được hỗ trợ: ngay_hethan."]
    page = client.post("/tin-nhan/mau/hi_expiring/", {"body": "Thẻ của {ho_ten} sắp hết hạn"})
    assert page.context["form"].errors["body"] == ["Mẫu tin nhắn thiếu trường bắt buộc {ngay_het_han}."]
    assert MessageTemplate.objects.count() == 0
    answer = client.post("/tin-nhan/mau/hi_expiring/", {"body": "Thẻ BHYT của {ho_ten} hết hạn {ngay_het_han}."})
    assert answer.status_code == 302
    template = MessageTemplate.objects.get()
    assert (template.province, template.kind, template.updated_by.username) == (
        paid.p.province, "hi_expiring", "bhxh_tinh")
    client.logout()
    _login(client, paid, "thu_1")
    assert client.get("/tin-nhan/mau/").status_code == 403


def test_consent_is_recorded_on_the_person_page_with_date_and_source(paid, client):
    person = Person.objects.get(full_name="Trần Thị Bình")
    _login(client, paid, "thu_1")
    url = f"/tin-nhan/dong-y/{person.pk}/"
    assert "Chưa hỏi ý kiến" in client.get(url).content.decode()
    tomorrow = (timezone.localdate() + DAY).strftime("%d/%m/%Y")
    page = client.post(url, {"granted": "1", "decided_on": tomorrow, "source": "agent"})
    assert page.context["form"].errors["decided_on"] == ["Ngày đồng ý / từ chối không được sau hôm nay."]
    assert client.post(url, {"granted": "1", "decided_on": "02/12/2026", "source": "form"}).status_code == 302
    assert client.post(url, {"granted": "0", "decided_on": "03/12/2026", "source": "agent"}).status_code == 302
    records = list(ConsentRecord.objects.filter(person=person).order_by("pk").values_list(
        "granted", "decided_on", "source", "recorded_by__username"))
    assert records == [(True, datetime.date(2026, 12, 2), "form", "thu_1"),
                       (False, datetime.date(2026, 12, 3), "agent", "thu_1")]
    assert "Từ chối từ 03/12/2026" in client.get(url).content.decode()
    # Another agent's household is out of scope.
    client.logout()
    _login(client, paid, "thu_2")
    assert client.get(url).status_code == 404  # outside scope answers like a missing record


def test_the_reminder_run_as_a_task_queues_and_sends(paid, stub):
    for person in Person.objects.filter(full_name="Nguyễn Thị Dung"):
        services.consent_record(user=paid.p.users["bhxh_tinh"], person=person, granted=True,
                                decided_on=timezone.localdate(), source="form")
    end = set(paid.hi.members.values_list("valid_to", flat=True)).pop()
    counts = reminders_queue_task.call(paid.p.users["bhxh_tinh"].pk, (end - 10 * DAY).isoformat())
    assert counts["queued"] == 1
    from ansinh.messaging.tasks import outbox_dispatch_task
    outbox_dispatch_task.call()
    assert OutboxMessage.objects.get().status == "sent" and len(stub.delivered) == 1


def test_an_officer_queues_todays_reminders_as_a_job_and_a_leader_may_not(paid, client):
    _login(client, paid, "bhxh_tinh")
    answer = client.post("/tin-nhan/xep-hang/", follow=True)
    assert answer.redirect_chain == [("/tin-nhan/", 302)]
    assert "Đã đưa việc xếp hàng tin nhắn nhắc hạn vào hàng đợi." in answer.content.decode()
    client.logout()
    _login(client, paid, "hoi_tinh")
    assert client.post("/tin-nhan/xep-hang/").status_code == 403
    assert client.get("/tin-nhan/xep-hang/").status_code == 405
