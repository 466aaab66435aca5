"""ansinh admin create USERNAME --province CODE [--password-stdin]: the first provincial administrator.

Example: ansinh admin create quantri --province 92
Asks the password twice (or reads one line from standard input with --password-stdin); prints one JSON
object (username, role, province, province_name). Errors: a Vietnamese message on stderr, exit status 2.
"""

import getpass
import json
import sys

from django.core.management.base import BaseCommand

from ansinh.accounts.services import PasswordInvalid, ProvinceNotLoaded, province_admin_create
from ansinh.core.db import database_unmigrated
from ansinh.core.errors import AnSinhError

PASSWORDS_DIFFER = "Hai lần nhập mật khẩu không khớp."
PASSWORD_EMPTY = "Chưa nhập mật khẩu."


class Command(BaseCommand):
    help = (
        "Tạo tài khoản quản trị tỉnh (vai trò Quản trị tỉnh, phạm vi là tỉnh, thành phố đã nạp bằng "
        "ansinh province load). Hỏi mật khẩu hai lần, hoặc đọc một dòng từ đầu vào chuẩn với --password-stdin. "
        "Ví dụ: ansinh admin create quantri --province 92"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="create")
        create = sub.add_parser("create", help="Tạo một quản trị tỉnh")
        create.add_argument("username", help="Tên đăng nhập")
        create.add_argument("--province", required=True, metavar="CODE",
                            help="Mã tỉnh, thành phố (bản đồ từ 01/07/2025) đã nạp, ví dụ 92")
        create.add_argument("--password-stdin", action="store_true",
                            help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn (không hỏi)")

    def _fail(self, message: str) -> None:
        sys.stderr.write(f"Lỗi: {message}\n")
        sys.stderr.flush()
        sys.exit(2)

    def handle(self, *args, action, username, province, password_stdin, **options):
        if database_unmigrated():
            self._fail(ProvinceNotLoaded.message)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                self._fail(PASSWORDS_DIFFER)
        if not password:
            self._fail(PASSWORD_EMPTY)
        try:
            user = province_admin_create(username=username, province_code=province, password=password)
        except PasswordInvalid as exc:
            self._fail(" ".join([exc.message, *exc.details["problems"]]))
        except AnSinhError as exc:
            self._fail(exc.message)
        area = user.ansinh_role.area
        self.stdout.write(json.dumps({"username": user.username, "role": user.ansinh_role.role,
                                      "province": int(area.code), "province_name": area.name}, ensure_ascii=False))
