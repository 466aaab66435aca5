"""ansinh quote: price one request with the rules module; one JSON object out.

Example: ansinh quote '{"kind": "hi_household", "on": "2024-07-01", "members": 5, "months": 12}'
Errors print {"error": code, "message": ...} and exit with status 2.
"""

import sys

from django.core.management.base import BaseCommand

from ansinh.rules.quote import quote_cli


class Command(BaseCommand):
    help = (
        "Tính mức đóng/hưởng theo luật cho một yêu cầu JSON (hoặc '-' để đọc từ stdin). "
        "Ví dụ: ansinh quote '{\"kind\": \"hi_household\", \"on\": \"2024-07-01\", \"members\": 5, \"months\": 12}'"
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("request", help="Yêu cầu JSON, hoặc '-' để đọc từ đầu vào chuẩn")

    def handle(self, *args, request, **options):
        status, text = quote_cli(request, sys.stdin)
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        if status:
            sys.exit(status)
