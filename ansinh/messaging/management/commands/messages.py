"""ansinh messages: queue today's reminder messages for a user's scope, or send what is due.

Examples: ansinh messages queue --user bhxh_tinh [--on 2026-12-03] [--task]
          ansinh messages send
"""

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ansinh.core.errors import AnSinhError
from ansinh.messaging import services
from ansinh.messaging.tasks import reminders_queue_task


class Command(BaseCommand):
    help = ("Xếp hàng tin nhắn nhắc hạn cho địa bàn của một người dùng, hoặc gửi các tin đến hạn. "
            "Ví dụ: ansinh messages queue --user bhxh_tinh ; ansinh messages send")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["queue", "send"])
        parser.add_argument("--user", help="tên đăng nhập (cán bộ có quyền xếp hàng tin nhắn)")
        parser.add_argument("--on", help="ngày (YYYY-MM-DD), mặc định hôm nay")
        parser.add_argument("--task", action="store_true", help="đưa vào hàng đợi việc nền thay vì chạy ngay")

    def handle(self, *args, action, user, on, task, **options):
        if action == "send":
            self.stdout.write(json.dumps(services.outbox_dispatch(), ensure_ascii=False))
            return
        if not user:
            raise CommandError("Cần --user.")
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"Không có người dùng {user}.")
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError("--on phải có dạng YYYY-MM-DD.") from None
        if task:
            result = reminders_queue_task.enqueue(account.pk, day.isoformat())
            self.stdout.write(json.dumps({"task": result.id}))
            return
        try:
            counts = services.reminders_queue(user=account, on=day)
        except AnSinhError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
