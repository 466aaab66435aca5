"""ansinh messaging_stub: a local stand-in for the SMS and Zalo ZNS gateways (for the demo and trials).

Example: ansinh messaging_stub --port 8025
(then MESSAGING_SMS_URL=http://127.0.0.1:8025/sms and MESSAGING_ZALO_URL=http://127.0.0.1:8025/zns)
"""

import time

from django.core.management.base import BaseCommand

from ansinh.messaging.stub import StubGateway


class Command(BaseCommand):
    help = ("Chạy cổng gửi tin giả lập (SMS, Zalo ZNS) trên máy này để thử gửi tin nhắc hạn. "
            "Ví dụ: ansinh messaging_stub --port 8025")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, port, **options):
        stub = StubGateway(port=port).start()
        self.stdout.write(f"Cổng giả lập: SMS {stub.url}/sms, Zalo ZNS {stub.url}/zns (Ctrl+C để dừng)")
        try:
            while True:
                time.sleep(60)
                self.stdout.write(f"Đã nhận {len(stub.delivered)} tin.")
        except KeyboardInterrupt:
            stub.stop()
