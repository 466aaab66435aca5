"""ansinh worker: run background jobs (imports, large exports, progress refreshes, reminders) from the
database queue until stopped.

Example: ansinh worker            (one per machine is enough for a province; more share the queue)
"""

import logging
import sys

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    requires_system_checks = []  # a worker restarted by a supervisor should start at once; `ansinh check` checks
    help = ("Chạy các việc nền (nhập danh sách, xuất danh sách lớn, tính lại tiến độ, nhắc hạn) từ hàng đợi "
            "trong cơ sở dữ liệu, cho đến khi dừng (Ctrl+C). Ví dụ: ansinh worker")

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="*", help="hàng đợi cần chạy, cách nhau bởi dấu phẩy (mặc định: tất cả)")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="số giây chờ giữa hai lần xem hàng đợi khi không có việc (mặc định 1)")
        parser.add_argument("--batch", action="store_true", help="chạy hết các việc đang chờ rồi thoát")
        parser.add_argument("--max-tasks", type=int, default=None, help="thoát sau chừng ấy việc")
        parser.add_argument("--worker-id", default="", help="tên của tiến trình (mặc định: ngẫu nhiên)")

    def handle(self, *args, queue, interval, batch, max_tasks, worker_id, **options):
        from ansinh.jobs.worker import run

        logger = logging.getLogger("django_tasks_db")
        if not logger.handlers:
            logger.addHandler(logging.StreamHandler(sys.stderr))
        logger.setLevel(logging.INFO if options["verbosity"] >= 1 else logging.WARNING)
        run(worker_id=worker_id or get_random_string(32), queue_names=queue.split(","), interval=interval,
            batch=batch, max_tasks=max_tasks)
