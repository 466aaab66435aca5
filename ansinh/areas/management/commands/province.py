"""ansinh province load CODE: load a province of today's map (34 provinces) and the units it came from.

Example: ansinh province load 92
The last line of output is one JSON object: province, name, communes (in force today), old_units,
old_provinces, old_districts, old_communes, mappings, created (0 on a repeat), migrated, seconds (the
whole command, with the migration of an empty database), load_seconds (the load alone).
A code that is not a province of today's map: a Vietnamese message on stderr, exit status 2.
"""

import json
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ansinh.areas.services import ProvinceUnknown, province_code_check, province_load
from ansinh.core.db import database_unmigrated


class Command(BaseCommand):
    help = (
        "Nạp một tỉnh, thành phố của bản đồ từ 01/07/2025 (34 tỉnh, thành phố) từ gói vietnam-provinces: các xã, "
        "phường; các tỉnh, huyện, xã cũ (đến 30/06/2025) đã hợp thành; bảng chuyển đổi cũ → mới. Nạp lại không "
        "thêm gì trùng. Tạo cơ sở dữ liệu nếu còn trống. Ví dụ: ansinh province load 92"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="load")
        load = sub.add_parser("load", help="Nạp một tỉnh, thành phố theo mã (ví dụ 92 là Thành phố Cần Thơ)")
        load.add_argument("code", help="Mã tỉnh, thành phố trên bản đồ từ 01/07/2025 (ví dụ 92, 79)")

    def handle(self, *args, action, code, **options):
        started = time.perf_counter()
        try:
            number = province_code_check(code=code)
        except ProvinceUnknown as exc:
            sys.stderr.write(f"Lỗi: {exc.message} (mã đã nhập: {code})\n")
            sys.stderr.flush()
            sys.exit(2)
        migrated = database_unmigrated()
        if migrated:
            self.stderr.write("Tạo (cập nhật) các bảng của cơ sở dữ liệu (migrate)…")
            call_command("migrate", interactive=False, verbosity=0)
        loading = time.perf_counter()
        result = province_load(code=number)
        result["migrated"] = migrated
        result["seconds"] = round(time.perf_counter() - started, 2)
        result["load_seconds"] = round(time.perf_counter() - loading, 2)
        self.stderr.write(
            f"{result['name']}: {result['communes']} xã, phường; {result['old_units']} đơn vị cũ "
            f"({result['old_provinces']} tỉnh, {result['old_districts']} huyện, {result['old_communes']} xã); "
            f"{result['mappings']} dòng chuyển đổi; thêm mới {result['created']} dòng."
        )
        self.stdout.write(json.dumps(result, ensure_ascii=False))
