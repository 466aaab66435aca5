"""ansinh import members FILE: import an association member list (.xlsx, .xls, .ods, .csv).

Example: ansinh import members danh_sach_hoi_vien.xlsx --dry-run --json
"""

import json
import sys

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ansinh.core.errors import AnSinhError
from ansinh.imports.fields import FieldProblem
from ansinh.imports.places import CommuneIndex
from ansinh.imports.services import members_import

HELP = """Nhập danh sách hội viên / hộ gia đình từ tệp .xlsx, .xls, .ods hoặc .csv.
Ví dụ: ansinh import members danh_sach.xlsx --dry-run --json

Cột nhận theo tên tiêu đề (Họ và tên, Ngày sinh/Năm sinh, Giới tính, Số CCCD, Mã số BHXH, Số điện thoại,
Dân tộc, Địa chỉ, Ấp, Xã, Huyện, Chi hội, Tổ, Chức vụ, Mã hộ, Chủ hộ, Quan hệ với chủ hộ...). Bắt buộc: họ tên,
ngày hoặc năm sinh, giới tính, xã (cột Xã, hoặc Địa chỉ có tên xã, hoặc --commune). Dòng có lỗi bị loại cả dòng;
các dòng tốt vẫn được ghi (mỗi nhóm 1.000 dòng trong một giao dịch).

Kết quả (--json: một dòng JSON ở cuối): rows = số dòng dữ liệu (không tính dòng trống), imported = người mới,
updated = dòng của người đã có (khớp số CCCD, rồi mã số BHXH, hoặc khi không có số nào thì cùng họ tên, ngày
sinh, xã) làm thay đổi thông tin, thêm hội viên, chức vụ hay hộ; unchanged = dòng của người đã có không đổi gì
(nhập lại cùng tệp không thêm gì); rejected = dòng bị loại; duplicates = số cặp nghi trùng được ghi nhận (người
mới cùng họ tên không dấu, ngày sinh, xã với người đã có hoặc dòng trước, khác số định danh) để cán bộ gộp hay
để riêng trên trang web; errors = [{row, column, code, message}]. Ô trống không xóa dữ liệu đã có.
Cùng số CCCD/mã BHXH hai lần trong tệp (hay cùng họ tên, ngày sinh, xã khi một dòng không có số): dòng sau bị
loại (duplicate_in_file). Chi hội/tổ phải có sẵn trong xã (không tự tạo); một chi hội/tổ chỉ một người đứng đầu,
một hộ chỉ một chủ hộ (chủ hộ ghi trước thành viên khi tạo hộ mới).
Lỗi cả tệp (rỗng, có mật khẩu, sai định dạng, không có tiêu đề, ô lỗi công thức, ô quá dài, quá nhiều dòng
trống...): không ghi gì, in {"error": mã, "message": ...} và thoát với mã 2."""


class Command(BaseCommand):
    help = HELP
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        from argparse import RawDescriptionHelpFormatter

        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["members"], help="Loại danh sách: members (hội viên, hộ gia đình)")
        parser.add_argument("file", help="Tệp .xlsx, .xls, .ods hoặc .csv")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì vào cơ sở dữ liệu")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON (một dòng, ở cuối)")
        parser.add_argument("--user", help="Nhập với quyền và địa bàn của tài khoản này")
        parser.add_argument("--commune", help="Xã mặc định cho các dòng không ghi xã (tên xã)")
        parser.add_argument("--map", action="append", default=[], metavar="TIÊU_ĐỀ=TRƯỜNG",
                            help="Ghép một cột lạ vào một trường, ví dụ --map \"Tên HV=full_name\"")
        parser.add_argument("--rejected", metavar="TỆP.xlsx", help="Ghi các dòng bị loại (kèm lý do) ra tệp này")

    def handle(self, *args, what, file, dry_run, json: bool, user, commune, map, rejected, **options):
        as_json = json
        try:
            account = None
            if user:
                account = User.objects.filter(username=user).first()
                if account is None:
                    raise CommandError(f"Không có tài khoản {user}.")
            mapping = {}
            for item in map:
                header, sep, field = item.rpartition("=")
                if not sep or not header.strip():
                    raise CommandError(f"--map cần dạng \"Tiêu đề=trường\": {item}")
                mapping[header.strip()] = field.strip()
            commune_id = None
            if commune:
                try:
                    commune_id = CommuneIndex().match(commune)
                except FieldProblem as exc:
                    raise CommandError(f"Không xác định được xã \"{commune}\" ({exc.code}).") from None
            summary, rejected_bytes, _ = members_import(path=file, user=account, dry_run=dry_run, mapping=mapping,
                                                        default_commune_id=commune_id)
        except FileNotFoundError:
            return self._fail(as_json, "file_not_found", f"Không tìm thấy tệp {file}.")
        except AnSinhError as exc:
            return self._fail(as_json, exc.code, exc.message)
        if rejected and rejected_bytes:
            with open(rejected, "wb") as f:
                f.write(rejected_bytes)
        if as_json:
            sys.stdout.write(_json_line(summary) + "\n")
        else:
            self._print(summary, rejected if rejected and rejected_bytes else None)
        sys.stdout.flush()

    def _fail(self, as_json: bool, code: str, message: str):
        if as_json:
            sys.stdout.write(_json_line({"error": code, "message": message}) + "\n")
        else:
            sys.stderr.write(f"Lỗi ({code}): {message}\n")
        sys.stdout.flush()
        sys.exit(2)

    def _print(self, summary: dict, rejected_path: str | None) -> None:
        w = sys.stdout.write
        w(("KIỂM TRA (không ghi): " if summary["dry_run"] else "ĐÃ NHẬP: ") + summary["file"] + "\n")
        w(f"  Dòng dữ liệu: {summary['rows']}\n  Thêm mới: {summary['imported']}\n"
          f"  Cập nhật: {summary['updated']}\n  Không đổi: {summary['unchanged']}\n"
          f"  Bị loại: {summary['rejected']}\n  Nghi trùng: {summary['duplicates']}\n")
        if summary.get("unknown_columns"):
            w("  Cột không nhận ra (bỏ qua): " + ", ".join(summary["unknown_columns"]) + "\n")
        for e in summary["errors"]:
            w(f"  Dòng {e['row']}, cột {e['column']}: {e['message']} [{e['code']}]\n")
        if rejected_path:
            w(f"  Các dòng bị loại đã ghi ra {rejected_path}\n")


def _json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
