"""ansinh messages: queue for a user's scope, then send."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ansinh.messaging import services
from ansinh.messaging.models import OutboxMessage
from ansinh.registry.models import Person


def test_queue_then_send_from_the_command_line(paid, stub, capsys):
    services.consent_record(user=paid.p.users["bhxh_tinh"], person=Person.objects.get(full_name="Nguyễn Thị Dung"),
                            granted=True, decided_on=timezone.localdate(), source="form")
    end = set(paid.hi.members.values_list("valid_to", flat=True)).pop()
    call_command("messages", "queue", "--user", "bhxh_tinh", "--on", (end - datetime.timedelta(days=3)).isoformat())
    assert json.loads(capsys.readouterr().out)["queued"] == 1
    call_command("messages", "send")
    assert json.loads(capsys.readouterr().out) == {"sent": 1}
    assert OutboxMessage.objects.get().window == "7"
    with pytest.raises(CommandError, match="Bạn không có quyền"):
        call_command("messages", "queue", "--user", "chi_hoi")
