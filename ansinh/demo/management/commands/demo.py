"""ansinh demo: load the demo province (Hậu Giang from May 2024, Cần Thơ city from 01/07/2025, up to
03/12/2026) into the database, then serve it.

Example: ansinh demo --seed 2024 --no-serve
"""

import json
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ansinh.demo.generator import DEFAULT_SEED, DemoRefused, demo_run


class Command(BaseCommand):
    help = (
        "Tạo tỉnh mẫu Hậu Giang (chiến dịch 5/2024), sáp nhập vào thành phố Cần Thơ từ 01/07/2025, chiến dịch "
        "2025 và 2026 đến ngày 03/12/2026, với dữ liệu sinh ngẫu nhiên theo seed, rồi chạy ứng dụng web. "
        "Chạy lại sẽ xóa dữ liệu mẫu cũ và tạo lại đúng như cũ. Dòng cuối là một đối tượng JSON tóm tắt. "
        "Ví dụ: ansinh demo --seed 2024 --no-serve"
    )
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Seed sinh dữ liệu (mặc định 2024)")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Tỷ lệ quy mô (0 < scale ≤ 1; 1 = 588 chi hội, 777 tổ, 36.000 hội viên)")
        parser.add_argument("--no-serve", action="store_true", help="Chỉ tạo dữ liệu, không chạy máy chủ web")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, seed, scale, no_serve, host, port, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale phải lớn hơn 0 và không quá 1.")

        def progress(text: str) -> None:
            sys.stderr.write(f"[demo] {text}\n")
            sys.stderr.flush()

        try:
            summary = demo_run(seed=seed, scale=scale, progress=progress)
        except DemoRefused as exc:
            raise CommandError(exc.message) from None
        if not no_serve:
            summary["url"] = f"http://{host}:{port}/"
            progress(f"Mở {summary['url']} và đăng nhập (mật khẩu chung: {summary['users'][0]['password']}):")
            for user in summary["users"]:
                progress(f"  {user['username']:<16} {user['role']}")
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        self.stdout.flush()
        if no_serve:
            return
        from ansinh.core.management.commands.serve import serve

        os.environ["ANSINH_DEMO"] = "1"
        settings.ANSINH_DEMO = True
        from ansinh.messaging.stub import StubGateway

        try:  # reminder messages go to a local stub gateway (settings point there when ANSINH_DEMO is on)
            StubGateway(port=8025).start()
            progress("Cổng gửi tin giả lập: http://127.0.0.1:8025 (SMS /sms, Zalo /zns)")
        except OSError:
            progress("Cổng 8025 đang bận: tin nhắc hạn sẽ gửi tới cổng giả lập đang chạy ở đó (nếu có).")
        serve(host=host, port=port, with_worker=True)  # imports and large exports run as background jobs
