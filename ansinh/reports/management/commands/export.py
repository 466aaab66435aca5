"""ansinh export: official and working lists as Excel files; prints a one-line JSON summary.

Examples:
    ansinh export d05-ts --out d05.xlsx --from 2024-05-01 --to 2024-05-31 --area 930
    ansinh export d03-ts --out d03.xlsx --agent NVT001
    ansinh export renewals --out tai-tuc.xlsx --list hi_expiring --on 2025-06-01 --days 30
    ansinh export book --out so-thu.xlsx --from 2024-05-20 --to 2024-05-20 --user thu_1
    ansinh export reconciliation --out doi-soat.xlsx --from 2024-05-01 --to 2024-05-31
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ansinh.core.errors import AnSinhError
from ansinh.enrollment.renewals import LIST_TITLES
from ansinh.registry.models import AssociationUnit
from ansinh.reports.exports.lists import d03_export, d05_export
from ansinh.reports.exports.work_lists import book_export, reconciliation_export, renewals_export
from ansinh.reports.selectors import OPERATOR, ListFilter, agent_resolve, area_resolve

EXAMPLES = {
    "d05-ts": "ansinh export d05-ts --out d05.xlsx --from 2024-05-01 --to 2024-05-31 --area 930",
    "d03-ts": "ansinh export d03-ts --out d03.xlsx --from 2024-05-01 --to 2024-05-31 --agent NVT001",
    "renewals": "ansinh export renewals --out tai-tuc.xlsx --list hi_expiring --on 2025-06-01 --days 30",
    "book": "ansinh export book --out so-thu.xlsx --from 2024-05-20 --to 2024-05-20 --agent NVT001",
    "reconciliation": "ansinh export reconciliation --out doi-soat.xlsx --from 2024-05-01 --to 2024-05-31",
}


def _date(text: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {text!r} (dùng YYYY-MM-DD hoặc dd/mm/yyyy).")


class Command(BaseCommand):
    help = (
        "Xuất danh sách ra Excel: d05-ts (người tham gia BHXH tự nguyện), d03-ts (người chỉ tham gia BHYT "
        "hộ gia đình), renewals (thẻ/kỳ đóng sắp hết hạn, đã quá hạn), book (sổ thu), reconciliation "
        "(đối chiếu). In một dòng JSON tóm tắt. Ví dụ: " + EXAMPLES["d05-ts"]
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="{" + ",".join(EXAMPLES) + "}")
        for name, text in (
            ("d05-ts", "Danh sách D05-TS: người tham gia BHXH tự nguyện, mỗi khoản thu một dòng."),
            ("d03-ts", "Danh sách D03-TS: người chỉ tham gia BHYT (hộ gia đình), mỗi thành viên mỗi khoản thu một dòng."),
            ("renewals", "Danh sách tái tục: thẻ BHYT / kỳ đóng BHXH sắp hết hạn hoặc đã quá hạn."),
            ("book", "Sổ thu của nhân viên thu: theo ngày, theo loại, biên lai phát hành và hủy."),
            ("reconciliation", "Đối chiếu tiền thu, biên lai, hồ sơ và danh sách theo nhân viên thu."),
        ):
            p = sub.add_parser(name, help=text, description=f"{text} Ví dụ: {EXAMPLES[name]}")
            p.add_argument("--out", required=True, help="Tệp Excel ghi ra (.xlsx)")
            p.add_argument("--user", help="Chạy với quyền và địa bàn của tài khoản này (mặc định: toàn tỉnh)")
            if name == "renewals":
                p.add_argument("--list", dest="which", choices=list(LIST_TITLES), default="hi_expiring",
                               help="hi_expiring, vsi_ending, hi_lapsed, vsi_lapsed")
                p.add_argument("--on", help="Tính đến ngày (mặc định hôm nay)")
                p.add_argument("--days", type=int, default=30,
                               help="Số ngày tới (sắp hết hạn) hoặc trở lại (đã quá hạn; 0 = tất cả)")
                p.add_argument("--branch", help="Mã chi hội hoặc tổ TK&VV")
            else:
                p.add_argument("--from", dest="date_from", help="Từ ngày nộp tiền (YYYY-MM-DD hoặc dd/mm/yyyy)")
                p.add_argument("--to", dest="date_to", help="Đến ngày nộp tiền")
            if name in ("d05-ts", "d03-ts", "renewals"):
                p.add_argument("--area", help="Mã tỉnh, huyện hoặc xã (mã Tổng cục Thống kê)")
                p.add_argument("--map", dest="map_version", choices=["old", "new"],
                               help="Bản đồ của mã địa bàn khi mã có trên cả hai")
            if name == "book":
                p.add_argument("--detail", action="store_true", help="Từng khoản thu và hủy thay vì theo ngày")
            p.add_argument("--agent", help="Mã nhân viên thu")

    def handle(self, *args, what, **o):
        folder = Path(o["out"]).expanduser().resolve().parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise CommandError(f"Không ghi được tệp {o['out']}: thư mục không tồn tại hoặc không được ghi.")
        try:
            summary = self._run(what, o)
        except AnSinhError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {o.get('out')}: {exc.strerror or exc}") from None
        self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))

    def _run(self, what: str, o: dict) -> dict:
        user = self._user(o.get("user"))
        agent = agent_resolve(user=user, code=o["agent"]) if o.get("agent") else None
        area = area_resolve(code=o["area"], map_version=o.get("map_version")) if o.get("area") else None
        if what == "renewals":
            unit = None
            if o.get("branch"):
                unit = AssociationUnit.objects.filter(code=o["branch"]).first()
                if unit is None:
                    raise CommandError(f"Không có chi hội / tổ mã {o['branch']}.")
            on = _date(o["on"]) if o.get("on") else datetime.date.today()
            return renewals_export(user=user, which=o["which"], on=on, days=o["days"], out=o["out"], area=area,
                                   unit=unit, agent=agent)
        date_from = _date(o["date_from"]) if o.get("date_from") else None
        date_to = _date(o["date_to"]) if o.get("date_to") else None
        if what in ("d05-ts", "d03-ts"):
            export = d05_export if what == "d05-ts" else d03_export
            return export(user=user, filters=ListFilter(date_from=date_from, date_to=date_to, area=area, agent=agent),
                          out=o["out"])
        today = datetime.date.today()
        date_from = date_from or today.replace(day=1)
        date_to = date_to or today
        if what == "book":
            return book_export(user=user, date_from=date_from, date_to=date_to, agent=agent, detail=o["detail"],
                               out=o["out"])
        return reconciliation_export(user=user, date_from=date_from, date_to=date_to, agent=agent, out=o["out"])

    def _user(self, username: str | None):
        if not username:
            return OPERATOR
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Không có tài khoản {username!r}.") from None
