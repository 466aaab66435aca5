"""ansinh reminders: whom a collection agent or a leader should visit next, as JSON or an Excel file.

Example: ansinh reminders --user thu_vien --on 2025-06-01 --json
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ansinh.campaigns.reminders import REMINDER_HEADERS, reminder_rows, reminders_for
from ansinh.campaigns.xlsx import xlsx_bytes
from ansinh.core.errors import AnSinhError


class Command(BaseCommand):
    help = ("Danh sách cần đến thăm của một nhân viên thu hoặc chi hội trưởng/tổ trưởng (thẻ BHYT sắp hết hạn, "
            "hết kỳ đóng, người thân và hội viên chưa tham gia). "
            "Ví dụ: ansinh reminders --user thu_vien --on 2025-06-01 --json")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Tên đăng nhập của nhân viên thu hoặc người đứng đầu")
        parser.add_argument("--on", metavar="YYYY-MM-DD", help="Tính đến ngày (mặc định: hôm nay)")
        parser.add_argument("--json", action="store_true", help="In danh sách JSON")
        parser.add_argument("--xlsx", metavar="FILE", help="Ghi ra tệp Excel")

    def handle(self, *args, **opts):
        try:
            on = datetime.date.fromisoformat(opts["on"]) if opts["on"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {opts['on']} (dạng YYYY-MM-DD).") from None
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {opts['user']}.")
        try:
            items = reminders_for(user=user, on=on)
        except AnSinhError as exc:
            raise CommandError(exc.message) from None
        if opts["xlsx"]:
            Path(opts["xlsx"]).write_bytes(xlsx_bytes(
                title=f"Danh sách cần đến thăm — {user.username} — {on:%d/%m/%Y}", headers=REMINDER_HEADERS,
                rows=reminder_rows(items)))
        rows = [{"kind": r.kind, "label": r.label, "person_id": r.person_id, "name": r.name,
                 "household_code": r.household_code, "due": r.due.isoformat() if r.due else None,
                 "relation": r.relation} for r in items]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        elif not opts["xlsx"]:
            for r in rows:
                self.stdout.write(f"{r['household_code']:12} {r['name'][:30]:30} {r['label']} {r['due'] or ''}")
