"""ansinh progress: campaign progress rows per unit as JSON (or a table).

Example: ansinh progress --by district --on 2024-05-20 --map old --json
"""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ansinh.areas.selectors import map_in_force
from ansinh.campaigns.facts import facts_check, facts_rebuild
from ansinh.campaigns.models import Campaign
from ansinh.campaigns.progress import (
    LEVELS,
    NO_CAMPAIGN,
    ProgressError,
    area_by_code,
    campaign_latest,
    campaign_progress,
)
from ansinh.core.formatting import format_number


class Command(BaseCommand):
    help = (
        "Tiến độ chiến dịch theo đơn vị: mỗi dòng một đơn vị và một chỉ tiêu (unit_code, unit_name, indicator, "
        "goal, achieved, percent …). Mặc định: chiến dịch mới nhất, hôm nay, bản đồ có hiệu lực vào ngày --on. "
        "Ví dụ: ansinh progress --by district --on 2024-05-20 --map old --json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", metavar="CODE", help="Mã chiến dịch (mặc định: chiến dịch mới nhất)")
        parser.add_argument("--by", choices=LEVELS, default="district", help="Cấp báo cáo (mặc định: district)")
        parser.add_argument("--on", metavar="YYYY-MM-DD", help="Tính đến ngày (mặc định: hôm nay)")
        parser.add_argument("--map", choices=["old", "new"], help="Bản đồ trước (old) hay từ 01/07/2025 (new)")
        parser.add_argument("--within", metavar="CODE", help="Chỉ tính trong một huyện hoặc xã (mã đơn vị)")
        parser.add_argument("--json", action="store_true", help="In danh sách JSON")
        parser.add_argument("--total", action="store_true", help="Thêm các dòng tổng của đơn vị cấp trên")
        parser.add_argument("--rebuild", action="store_true", help="Tính lại toàn bộ bảng số liệu tổng hợp trước")
        parser.add_argument("--check", action="store_true", help="So bảng tổng hợp với dữ liệu gốc rồi thoát")

    def handle(self, *args, **opts):
        if opts["rebuild"]:
            counts = facts_rebuild()
            self.stderr.write(f"Đã tính lại số liệu tổng hợp: {counts}")
        if opts["check"]:
            problems = facts_check()
            self.stdout.write(json.dumps({"ok": not problems, "problems": problems}, ensure_ascii=False))
            if problems:
                sys.exit(1)
            return
        try:
            on = datetime.date.fromisoformat(opts["on"]) if opts["on"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {opts['on']} (dạng YYYY-MM-DD).") from None
        if opts["campaign"]:
            campaign = Campaign.objects.filter(code=opts["campaign"]).select_related("province").first()
            if campaign is None:
                raise CommandError(f"Không có chiến dịch mã {opts['campaign']}.")
        else:
            campaign = campaign_latest()
            if campaign is None:
                raise CommandError(NO_CAMPAIGN)
        map_version = opts["map"] or map_in_force(on=on)
        try:
            within = area_by_code(code=opts["within"], map_version=map_version) if opts["within"] else None
            report = campaign_progress(campaign=campaign, by=opts["by"], on=on, map_version=map_version, within=within)
        except ProgressError as exc:
            raise CommandError(exc.message) from None
        rows = report.rows() + (report.total_rows() if opts["total"] else [])
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            goal = "—" if row["goal"] is None else row["goal"]
            pct = "" if row["percent"] is None else f" ({row['percent']}%)"
            achieved = format_number(row["achieved"]) if row["goal_kind"] != "percent" else f"{row['achieved']}%"
            self.stdout.write(f"{row['unit_code'] or '-':>8} {row['unit_name'][:32]:32} {row['indicator']:16} "
                              f"{row['period_start']}..{row['period_end']} {achieved:>14} / {goal}{pct}")
