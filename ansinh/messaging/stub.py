"""A local stand-in for the SMS and Zalo gateways, for tests and the demo: an ``http.server`` in a thread on
127.0.0.1 (a random port unless given). It answers like the real APIs (SMS: ``{"id"}``; ZNS: ``{"error": 0,
"data": {"msg_id"}}``), takes our ``ref`` / ``tracking_id`` as an idempotency key (a resend with the same ref
is accepted and not delivered again), and can be told to misbehave:

- ``stub.fail_next(n, mode)``: the next ``n`` requests time out (``"timeout"``: the answer comes after the
  client gave up) or answer HTTP 500 (``"error"``); ``n=None``: for ever.
- ``stub.twice = True``: every delivery report is produced twice (a gateway that reports a delivery twice).

``stub.delivered`` maps each ref to the request the handset got; ``stub.requests`` lists every request;
``stub.reports()`` returns the signed delivery reports (body, headers) to post to our webhook.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubGateway:
    def __init__(self, *, port: int = 0, slow_seconds: float = 1.5):
        self.requests: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self.twice = False
        self.slow_seconds = slow_seconds
        self._failures: list[str] = []
        self._fail_forever: str | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # no request log: bodies hold phone numbers
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                stub._handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- control -------------------------------------------------------------------------------
    def start(self) -> StubGateway:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_next(self, n: int | None, mode: str) -> None:
        with self._lock:
            if n is None:
                self._fail_forever = mode
            else:
                self._failures.extend([mode] * n)

    def heal(self) -> None:
        with self._lock:
            self._failures.clear()
            self._fail_forever = None

    # -- serving ---------------------------------------------------------------------------------
    def _answer(self, handler, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _handle(self, handler, body: dict) -> None:
        zalo = handler.path.rstrip("/").endswith("zns")
        with self._lock:
            self.requests.append({"path": handler.path, "body": body, "headers": {k.lower(): v for k, v in handler.headers.items()}})
            mode = self._failures.pop(0) if self._failures else self._fail_forever
        if mode == "timeout":
            time.sleep(self.slow_seconds)
            self._answer(handler, 504, {"error": "late"})
            return
        if mode == "error":
            self._answer(handler, 500, {"error": "internal"})
            return
        ref = str(body.get("tracking_id") if zalo else body.get("ref") or "")
        with self._lock:
            if ref in self.delivered:
                provider_id = self.delivered[ref]["provider_id"]
            else:
                provider_id = f"STUB{next(self._ids):06d}"
                self.delivered[ref] = {"provider_id": provider_id, "body": body, "path": handler.path}
        if zalo:
            self._answer(handler, 200, {"error": 0, "message": "Success", "data": {"msg_id": provider_id}})
        else:
            self._answer(handler, 200, {"id": provider_id, "status": "accepted"})

    def reports(self, *, secret: str, status: str = "delivered") -> list[tuple[bytes, dict]]:
        """Delivery reports for every delivered message as (body, headers), signed with ``secret`` over the
        timestamp and the body (twice each when ``twice``)."""
        import hashlib
        import hmac
        import time

        out = []
        for ref, item in self.delivered.items():
            body = json.dumps({"id": item["provider_id"], "ref": ref, "status": status}).encode()
            timestamp = str(int(time.time()))
            signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            out.extend([(body, {"X-Signature": signature, "X-Timestamp": timestamp})] * (2 if self.twice else 1))
        return out
